"""What the participants pages need, as plain functions: search, a checked import, an invite link.

No Flask here. Numbers are only ever shown masked; an import is previewed by running the
real importer and throwing the result away, so the preview and the import cannot disagree.
"""

from __future__ import annotations

import base64
import hashlib
import io
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import case, func, or_
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from ...models import Direction, Message, OptOut, Participant, ParticipantStatus, as_utc
from ...participants.importer import CsvShapeError, ImportReport, import_participants
from ...participants.opt_outs import chat_stop_at
from ...privacy import InvalidPhone, PhoneVault, normalise_phone
from ...privacy.phones import mask

PAGE_SIZE = 50
# How long a previewed file waits for "Import": long enough to read the bad rows, not to leave lying about.
STAGED_MAX_AGE = 60 * 60


@dataclass(frozen=True)
class ParticipantRow:
    """A participant as the list shows them: never the full number."""

    id: int
    pseudonym: str
    first_name: str | None
    status: str
    age: int | None
    age_band: str | None
    area: str | None
    masked_phone: str | None
    opted_out: bool  # their number said STOP (an opt-out of texts, kept by number)
    opted_out_at: datetime | None
    source: str
    # Someone with no number has no opt-out to keep; a STOP in the web chat ends their survey,
    # and this is when it last did (None if it never has, or they have a number).
    said_stop_in_chat_at: datetime | None = None
    last_reply_at: datetime | None = None  # their latest message to us (a text or the web chat)
    language: str = "en"  # the language their questions are sent in, where a question has it ("cy": Welsh)

    @property
    def can_be_texted(self) -> bool:
        """They have a number that has not said STOP."""
        return self.masked_phone is not None and not self.opted_out

    @property
    def said_stop(self) -> bool:
        """They opted out: by text (their number), or in the web chat (no number)."""
        return self.opted_out or self.said_stop_in_chat_at is not None


@dataclass(frozen=True)
class Sort:
    """The list's order: a column (`SORTS`) and its direction; anything unknown is the default, by name."""

    column: str = "name"
    descending: bool = False

    @classmethod
    def parse(cls, column: str | None, order: str | None) -> Sort:
        """From the page's `sort` and `order` arguments ("ascending" or "descending"; else the column's first)."""
        if column not in SORTS:
            return cls()
        descending = order == "descending" if order in ("ascending", "descending") else SORTS[column]
        return cls(column, descending)

    @property
    def aria(self) -> str:
        """The sorted column's `aria-sort` value."""
        return "descending" if self.descending else "ascending"

    def next_for(self, column: str) -> str:
        """The order a click on `column`'s heading asks for: the other way round if it is this sort's
        column, else that column's own first order (newest first for the last reply)."""
        if column == self.column:
            return "ascending" if self.descending else "descending"
        return "descending" if SORTS[column] else "ascending"


# The columns a worker can sort by, and whether each is first sorted descending (newest reply first).
SORTS = {"name": False, "reference": False, "status": False, "age": False, "area": False, "last_reply": True}


@dataclass
class SearchResult:
    """One page of participants and how many matched in all."""

    rows: list[ParticipantRow]
    total: int


def search_participants(
    *,
    session: Session,
    vault: PhoneVault,
    query: str = "",
    number: str | None = None,
    status: str | None = None,
    opted_out: bool | None = None,
    today: date,
    limit: int = PAGE_SIZE,
    offset: int = 0,
    sort: Sort = Sort(),
) -> SearchResult:
    """Participants matching a phone number (exact, by keyed hash), a reference or part of one ("P-8EC", "8ec"),
    or part of a name or area; one page of them (`offset`, `limit`), in `sort`'s order (by name unless asked;
    blanks last either way; ties by name, then id, so pages never overlap).

    The words are matched literally: % and _ are letters here, not SQL wildcards. `number` is a number's
    keyed hash (`number_from_token`): the search form posts a number and is sent back here with a token.
    A `query` that is a phone number is looked up by its keyed hash too (the page never passes one)."""
    chat_stop = _chat_stop()
    last_reply = _last_reply().scalar_subquery()
    statement = select(Participant, col(OptOut.opted_out_at), chat_stop, last_reply).outerjoin(
        OptOut, col(OptOut.phone_hash) == col(Participant.phone_hash)
    )
    query = query.strip()
    if number:
        statement = statement.where(col(Participant.phone_hash) == number)
    elif query:
        phone = _as_phone(query)
        if phone is not None:
            statement = statement.where(col(Participant.phone_hash) == vault.hash(phone))
        elif query.upper().startswith("P-"):
            statement = statement.where(col(Participant.pseudonym).like(_contains(query.upper()), escape="\\"))
        else:
            like = _contains(query.lower())
            statement = statement.where(
                or_(
                    func.lower(Participant.first_name).like(like, escape="\\"),
                    func.lower(Participant.area).like(like, escape="\\"),
                    func.lower(Participant.pseudonym).like(like, escape="\\"),
                )
            )
    if status in ParticipantStatus.ALL:
        statement = statement.where(col(Participant.status) == status)
    if opted_out is True:
        no_number = col(Participant.phone_hash).is_(None)
        statement = statement.where(col(OptOut.phone_hash).is_not(None) | (no_number & chat_stop.is_not(None)))
    elif opted_out is False:  # "can be texted": a number that has not said STOP
        statement = statement.where(col(Participant.phone_hash).is_not(None), col(OptOut.phone_hash).is_(None))
    total = session.exec(select(func.count()).select_from(statement.subquery())).one()
    found = session.exec(statement.order_by(*_order(sort, last_reply)).offset(offset).limit(limit)).all()
    return SearchResult(
        rows=[
            _row(p, stopped_at, vault, today, chat_stop_at, replied) for p, stopped_at, chat_stop_at, replied in found
        ],
        total=total,
    )


def _order(sort: Sort, last_reply) -> list:
    """ORDER BY for `sort`: blanks last in either direction; ties by name, then id, so paging is stable."""
    value = {
        "name": func.lower(Participant.first_name),
        "reference": col(Participant.pseudonym),
        "status": col(Participant.status),
        # Youngest first when ascending by age: the latest date of birth.
        "age": col(Participant.date_of_birth),
        "area": func.lower(Participant.area),
        "last_reply": last_reply,
    }[sort.column]
    descending = sort.descending != (sort.column == "age")
    blank_last = case((value.is_(None), 1), else_=0)
    ordered = value.desc() if descending else value.asc()
    return [blank_last, ordered, func.lower(Participant.first_name), col(Participant.id)]


def _last_reply():
    """When the participant last wrote to us (their newest inbound message, either channel)."""
    return select(func.max(Message.created_at)).where(
        col(Message.participant_id) == col(Participant.id), col(Message.direction) == Direction.IN
    )


def _contains(text: str) -> str:
    """A LIKE pattern (escape character \\) matching `text` anywhere, literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _chat_stop():
    """When a participant with no number said STOP in the web chat (None once START has cleared it)."""
    return chat_stop_at()  # the rule's one home, shared with who a round invites


# How long a number search's link works: a signed-in session's longest life (`accounts.ABSOLUTE_TIMEOUT`).
NUMBER_TOKEN_SECONDS = 12 * 60 * 60


def number_token(*, vault, text: str) -> str | None:
    """What a search link carries instead of the number when the search text is a phone number, else None:
    the number's keyed hash, encrypted afresh (so two searches for one number give different links, and a
    link names nobody without the key), and good for `NUMBER_TOKEN_SECONDS` (an old link from the browser's
    history finds nobody). Never the number, so it is in no URL, history or access log."""
    phone = _as_phone(text.strip())
    return vault.encrypt(vault.hash(phone)) if phone is not None else None


def number_from_token(*, vault, token: str) -> str | None:
    """The keyed hash a search link's `number` stands for; None for a link out of date or not ours."""
    try:
        return vault.decrypt(token, ttl=NUMBER_TOKEN_SECONDS)
    except ValueError:
        return None


def looks_like_number(text: str) -> bool:
    """True when search text is a phone number (a number typed into a page address is not searched for)."""
    return _as_phone(text.strip()) is not None


def _as_phone(text: str) -> str | None:
    """The E.164 form when the search text is a phone number, else None."""
    if sum(ch.isdigit() for ch in text) < 7 or any(ch.isalpha() for ch in text):
        return None
    try:
        return normalise_phone(text)
    except InvalidPhone:
        return None


def _row(
    participant: Participant,
    opted_out_at: datetime | None,
    vault: PhoneVault,
    today: date,
    said_stop_in_chat_at: datetime | None = None,
    last_reply_at: datetime | None = None,
) -> ParticipantRow:
    masked = mask(vault.decrypt(participant.phone_encrypted)) if participant.phone_encrypted else None
    assert participant.id is not None
    return ParticipantRow(
        id=participant.id,
        pseudonym=participant.pseudonym,
        first_name=participant.first_name,
        status=participant.status,
        age=participant.age_on(today),
        age_band=participant.age_band,
        area=participant.area,
        masked_phone=masked,
        opted_out=opted_out_at is not None,
        opted_out_at=opted_out_at,
        source=participant.source,
        said_stop_in_chat_at=said_stop_in_chat_at,
        last_reply_at=as_utc(last_reply_at),
        language=participant.language,
    )


def participant_row(*, session: Session, vault: PhoneVault, participant_id: int, today: date) -> ParticipantRow:
    """One participant as the list shows them (LookupError if there is none)."""
    participant = session.get(Participant, participant_id)
    if participant is None:
        raise LookupError(f"there is no participant {participant_id}")
    stopped = session.get(OptOut, participant.phone_hash) if participant.phone_hash else None
    chat_stop = session.exec(select(_chat_stop()).where(col(Participant.id) == participant_id)).one()
    return _row(participant, stopped.opted_out_at if stopped else None, vault, today, chat_stop)


# --- importing ---------------------------------------------------------------------------------


@dataclass
class ImportPreview:
    """What importing a file would do; `staged` carries the file, encrypted, to the confirm step."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)
    staged: str = ""
    ignored: list[str] = field(default_factory=list)  # headings of columns left out, unread
    areas: dict[str, str] = field(default_factory=dict)  # areas written another way: as written -> as kept
    respelled: dict[str, str] = field(default_factory=dict)  # spellings on the list this file replaces: was -> now
    erased: int = 0  # rows left out because their young person was erased at their request
    kept: list[str] = field(default_factory=list)  # optional columns the file lacks: what is stored is kept

    @property
    def good(self) -> int:
        """Rows that would be kept."""
        return self.created + self.updated + self.unchanged


def preview_import(*, engine: Engine, vault: PhoneVault, secret_key: str, text: str, today: date) -> ImportPreview:
    """Run the real importer on the file in a transaction that is rolled back: counts and bad rows, nothing saved.

    Raises CsvShapeError when the header is wrong (then no row can be read).
    """
    with Session(engine) as session:
        try:
            report = import_participants(session=session, vault=vault, handle=io.StringIO(text), today=today)
        finally:
            session.rollback()
    return ImportPreview(
        created=report.created,
        updated=report.updated,
        unchanged=report.unchanged,
        problems=list(report.problems),
        ignored=list(report.ignored),
        areas=dict(report.areas),
        respelled=dict(report.respelled),
        erased=report.erased,
        kept=list(report.kept),
        staged=_stager(secret_key).encrypt(zlib.compress(text.encode("utf-8"))).decode("ascii"),
    )


def confirm_import(*, session: Session, vault: PhoneVault, secret_key: str, staged: str, today: date) -> ImportReport:
    """Import a previewed file for real (its good rows; bad rows are reported again, not kept)."""
    try:
        data = _stager(secret_key).decrypt(staged.encode("ascii"), ttl=STAGED_MAX_AGE)
        text = zlib.decompress(data).decode("utf-8")
    except (InvalidToken, ValueError, zlib.error):
        raise CsvShapeError("this preview has expired or was changed: upload the file again") from None
    return import_participants(session=session, vault=vault, handle=io.StringIO(text), today=today)


def _stager(secret_key: str) -> Fernet:
    """A key of its own (derived from the app secret) for files waiting between preview and import."""
    digest = hashlib.sha256(b"voice-service.import-staging\0" + secret_key.encode("utf-8")).digest()
    return Fernet(base64.urlsafe_b64encode(digest))

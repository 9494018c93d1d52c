"""Import participants from CSV (`phone,first_name,status,date_of_birth,area`): bad rows reported, good rows kept.

Headings are read as a council's export writes them ("Mobile number", "First Name", "DOB", "Legal status",
"Locality", "Language"): case, spaces, underscores and hyphens do not matter, and `HEADINGS` lists the other names each
column goes by. Any other column ("Social worker", "Notes") is left out: its cells are never read into a
participant, and the report names it. A status is read as a spreadsheet or a case system writes it
(`read_status`: "Looked after", "C2", "S20", "Former relevant"), and one it cannot place is a bad row.
An optional "Language" column says which language a young person's survey questions are sent in
(`read_language`: en/English or cy/Welsh/Cymraeg; blank is English); a file without it leaves each
participant's language as it was. So does a file without a first name, date of birth or area column
(`KEPT_WHEN_ABSENT`): a partial extract (new starters, new numbers) never clears what is stored for someone already on
the list, which would take them out of every round chosen by age or area; a blank cell in a column the file has does.
An area is one area whatever its case and spacing (`area_key`: "north", "North " and "NORTH" alike): it is
written as the latest import first writes it, for everyone on the list with that area (`list_spellings`), so
filters, cohorts and the summary never see two, and a council that corrects a spelling on its own list corrects it
here with its next import.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TextIO

from sqlalchemy import update
from sqlmodel import Session, col, select

from ..dates import DateError, ShortYear, parse_uk_date
from ..models import ErasedNumber, Participant, ParticipantStatus, utcnow
from ..privacy import InvalidPhone, PhoneVault, normalise_mobile
from ..privacy.phones import mask
from .groups import age_on, area_as_typed, area_key

COLUMNS = ("phone", "first_name", "status", "date_of_birth", "area", "language")
REQUIRED = ("phone", "status")
# Columns a file may leave out: then each young person already on the list keeps what is stored (the report says so:
# `ImportReport.kept`). "language" too, but unreported: most exports have none.
KEPT_WHEN_ABSENT = ("first_name", "date_of_birth", "area")
# The most characters an area may have, in an import and in a round's choice of area (`web/admin/rounds_service`).
AREA_MAX = 80
MOBILE_NEEDED = "a mobile number is needed"
# The headings each column is read from, after `heading_key` (lower case, words joined by "_"). "Name" alone
# is not here: it is often a full name, and the surname is not needed.
HEADINGS: dict[str, tuple[str, ...]] = {
    "phone": (
        "phone",
        "phone_number",
        "phone_no",
        "mobile",
        "mobile_number",
        "mobile_no",
        "mobile_phone",
        "mobile_phone_number",
        "mobile_telephone",
        "telephone",
        "telephone_number",
        "tel",
        "tel_no",
        "contact_number",
    ),
    "first_name": ("first_name", "firstname", "forename", "forenames", "given_name", "given_names"),
    "status": ("status", "legal_status", "care_status"),
    "date_of_birth": ("date_of_birth", "dob", "d_o_b", "birth_date", "birthdate"),
    "area": ("area", "locality", "district", "area_name", "locality_name"),
    "language": ("language", "preferred_language", "language_preference", "survey_language"),
}
_COLUMN_OF = {heading: column for column, headings in HEADINGS.items() for heading in headings}
# How the "missing column" error suggests a heading, in the council's words.
_EXAMPLES = {"phone": '"Phone", "Mobile" or "Phone number"', "status": '"Status" or "Legal status"'}


@dataclass
class ImportReport:
    """Counts and per-line problems; problems never repeat the phone number."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # headings of columns not read, as the file writes them
    # Areas the file writes another way than it first did (as written -> as kept): "north" -> "North".
    areas: dict[str, str] = field(default_factory=dict)
    # Spellings on the list already that this file writes another way, for everyone (was -> now): "north" -> "North".
    respelled: dict[str, str] = field(default_factory=dict)
    # Rows left out because their young person was erased at their request (`privacy erase`): a count only.
    erased: int = 0
    # Columns of `KEPT_WHEN_ABSENT` the file does not have: what is stored for them is kept.
    kept: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every row was kept."""
        return not self.problems


def ignored_note(headings: list[str]) -> str:
    """What to tell a worker about columns the import left out (never read, never kept)."""
    word = "column" if len(headings) == 1 else "columns"
    quoted = ", ".join(f'"{heading}"' for heading in headings)
    return f"{word} not needed, so not read or kept: {quoted}"


def kept_note(columns: list[str]) -> str:
    """What to tell a worker about columns the file does not have (`ImportReport.kept`)."""
    names = " or ".join(column.replace("_", " ") for column in columns)
    word = "column" if len(columns) == 1 else "columns"
    return f"no {names} {word}: what is stored for each young person already on the list is kept"


def erased_note(count: int) -> str:
    """What to tell a worker about young people left out because they were erased: a count, never who."""
    who = "young person" if count == 1 else "young people"
    return (
        f"{count} {who} left out, erased at their request (privacy erase): take them off your list, or, for one "
        "who has asked to be on it again, import with --include-erased and their number"
    )


def heading_key(heading: str) -> str:
    """A heading as the importer compares it: "Date of Birth", "date-of-birth" and "DATE_OF_BIRTH" alike."""
    return "_".join(re.findall(r"[a-z0-9]+", heading.lower()))


def read_header(headings: list[str]) -> tuple[list[str], list[str]]:
    """The column each heading is read as (or a key of its own when it is not needed), and the headings
    left out. Raises CsvShapeError when a needed column is missing or two headings name the same column."""
    keys: list[str] = []
    ignored: list[str] = []
    seen: dict[str, str] = {}
    for index, raw in enumerate(headings):
        heading = raw.strip().lstrip("\ufeff").strip()
        column = _COLUMN_OF.get(heading_key(heading))
        if column is None:
            keys.append(f"\0ignored:{index}")  # never one of COLUMNS, so nothing reads it
            if heading:
                ignored.append(heading)
            continue
        if column in seen:
            raise CsvShapeError(
                f"the headings {seen[column]!r} and {heading!r} are both read as {column}: keep one of those columns"
            )
        seen[column] = heading
        keys.append(column)
    missing = [column for column in REQUIRED if column not in seen]
    if missing:
        needed = "; ".join(f"{column} (a heading such as {_EXAMPLES[column]})" for column in missing)
        found = ", ".join(repr(heading.strip()) for heading in headings) or "none"
        raise CsvShapeError(
            f"the header must include {' and '.join(REQUIRED)} (missing: {needed}); the file's headings are: {found}"
        )
    return keys, ignored


# The words a council's list uses for each status, after `_status_key` (lower case, any run of other characters
# one "_"): "Looked after", "LAC" and "CLA" are the statutory term for a child in care; "CIC" is "children in care".
# A case system's "Legal status" column holds the SSDA903 legal-status codes, every one of which means looked
# after (in care): C1 interim care order, C2 full care order, D1 freeing order, E1 placement order, J1-J3 remanded
# or detained, L1-L3 police protection, emergency protection or child assessment order in council accommodation,
# V2 accommodated under section 20 (a single period; "S20"). A care leaver's record holds a Children (Leaving
# Care) Act category: "Eligible" is a 16- or 17-year-old still in care, so in care; "Relevant" (16-17, has left
# care), "Former relevant" (18-25) and "Qualifying" (looked after at 16 or later, not eligible) are care leavers.
STATUS_WORDS: dict[str, tuple[str, ...]] = {
    ParticipantStatus.IN_CARE: (
        "in_care",
        "child_in_care",
        "children_in_care",
        "cic",
        "looked_after",
        "looked_after_child",
        "looked_after_children",
        "child_looked_after",
        "children_looked_after",
        "lac",
        "cla",
        # SSDA903 legal-status codes and the orders they stand for
        "c1",
        "c2",
        "d1",
        "e1",
        "j1",
        "j2",
        "j3",
        "l1",
        "l2",
        "l3",
        "v2",
        "care_order",
        "full_care_order",
        "interim_care_order",
        "placement_order",
        "s20",
        "s_20",
        "section_20",
        "section20",
        "accommodated",
        "section_20_accommodated",
        "accommodated_under_section_20",
        "voluntary_accommodation",
        # still looked after, aged 16 or 17
        "eligible",
        "eligible_child",
    ),
    ParticipantStatus.CARE_LEAVER: (
        "care_leaver",
        "careleaver",
        "relevant",
        "relevant_child",
        "former_relevant",
        "former_relevant_child",
        "former_relevant_young_person",
        "qualifying",
        "qualifying_care_leaver",
    ),
}
# SSDA903's short-break codes: a child living at home, looked after only during planned short breaks. Whether
# they belong in a survey of children in care is the council's call, so such a row is refused and says why.
SHORT_BREAKS = ("v3", "v4")
_STATUS_OF = {word: status for status, words in STATUS_WORDS.items() for word in words}
_STATUS_HELP = (
    'in_care or care_leaver ("In care", "Looked after", "LAC", "CLA", "Care leaver", a legal-status code such as '
    'C2, V2 or S20, and "Eligible", "Relevant" or "Former relevant" are read too)'
)
_BRACKETED = re.compile(r"\(([^)]*)\)|\[([^\]]*)\]")


def _status_key(text: str) -> str:
    """ "Looked-after child" -> "looked_after_child": case and punctuation do not matter."""
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def read_status(written: str) -> str:
    """The participant status a council's "status" cell means, or ValueError saying why it cannot be read.

    Read whole ("Looked after"), without a bracket or with only what is in it ("Looked After Child (LAC)",
    "Care Leaver (18+)"), and either side of a dash ("V2 - Section 20"); every reading must agree."""
    pieces = [written, _BRACKETED.sub(" ", written)]
    pieces += [inside for match in _BRACKETED.finditer(written) for inside in match.groups() if inside]
    for separator in (" - ", " – ", ":"):
        if separator in written:
            pieces += written.split(separator)
    keys = [_status_key(piece) for piece in pieces]
    found = {_STATUS_OF[key] for key in keys if key in _STATUS_OF}
    if len(found) == 1:
        return found.pop()
    if found:
        raise ValueError(f"status {written!r} reads as both in care and care leaver: write one of them")
    if any(key in SHORT_BREAKS for key in keys):
        raise ValueError(
            f"status {written!r} is a short-breaks code (looked after only during planned short breaks): "
            "write In care if this young person belongs in your surveys of children in care"
        )
    raise ValueError(f"status must be {_STATUS_HELP}, got {written!r}")


# The languages a survey question can be written in (`text_cy` in a survey file) and the words a list uses.
LANGUAGE_WORDS: dict[str, tuple[str, ...]] = {"en": ("en", "english", "saesneg"), "cy": ("cy", "welsh", "cymraeg")}
_LANGUAGE_OF = {word: code for code, words in LANGUAGE_WORDS.items() for word in words}


def read_language(written: str) -> str:
    """The language code ("en" or "cy") a "language" cell means (blank is English), or ValueError saying why not."""
    key = written.strip().lower()
    if not key:
        return "en"
    if key in _LANGUAGE_OF:
        return _LANGUAGE_OF[key]
    raise ValueError(
        f"language must be English (en) or Welsh (cy, Cymraeg), or left blank for English; got {written!r}"
    )


_SHORT_YEAR = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2})")


class CsvShapeError(ValueError):
    """The file's header is wrong, so no row can be read."""


class NotAddedBack(ValueError):
    """A number named to add back (`include_erased`) that this import cannot add back, so nothing is imported:
    each reason names the number masked (`phones.mask`); `report` holds the file's bad rows, to say them too."""

    def __init__(self, reasons: list[str], report: ImportReport) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = reasons
        self.report = report


def decode_csv(data: bytes) -> str:
    """The file as text (UTF-8, with or without Excel's byte-order mark), or CsvShapeError: the one reading
    rule of the dashboard's upload and `participants import` alike."""
    if not data.strip():
        raise CsvShapeError("the file is empty")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CsvShapeError('the file is not UTF-8 text: in Excel, "Save as" and choose "CSV UTF-8"') from None


def parse_date_of_birth(text: str, *, today: date) -> date | None:
    """Read a date of birth as the council writes dates (`dates.parse_uk_date`: YYYY-MM-DD, DD/MM/YYYY,
    3 April 2009); empty means unknown. Raises ValueError with a plain reason. Whether the age it gives fits
    the row's status is `status_age_problem`'s rule.

    A 2-digit year ("03/04/09") is refused, not guessed: the message says to write the year in full
    and shows the date with the full year that makes sense (not in the future).
    """
    text = (text or "").strip()
    if not text:
        return None
    try:
        value = parse_uk_date(text)
    except ShortYear as short:
        full = 2000 + short.year if 2000 + short.year <= today.year else 1900 + short.year
        written = _SHORT_YEAR.fullmatch(text)
        day, month = written.groups()[:2] if written else (short.day, short.month)
        raise ValueError(
            f"date_of_birth {text!r} has a 2-digit year: write the year in full, e.g. {day}/{month}/{full}"
        ) from None
    except DateError:
        raise ValueError(f"date_of_birth {text!r} is not a date: write it as YYYY-MM-DD or DD/MM/YYYY") from None
    if value > today:
        raise ValueError("date_of_birth is in the future")
    return value


# The ages a status can hold, the one home of the importer's age rules (trial 10, T10-8; review finding 8): a child
# in care is under 18 ("Eligible" is 16 or 17 and still in care); a care leaver is 16 to 25 ("Relevant" 16-17,
# "Former relevant" 18-25, "Qualifying" from 16), the ages the service is for (docs/data-protection.md, section 6:
# 11 to 25; the leaving-care duties end at 25; `groups.AGE_BANDS` end at 25).
CARE_LEAVER_FROM = 16
CARE_LEAVER_UP_TO = 25
IN_CARE_UNDER = 18


def status_age_problem(written: str, status: str, age: int | None) -> str | None:
    """Why a row's status and its age (from its date of birth) cannot both be right, or None when they agree."""
    if age is None:
        return None
    said = f"status {written!r} but date_of_birth makes them {age}"
    if status == ParticipantStatus.CARE_LEAVER and age < CARE_LEAVER_FROM:
        return (
            f"{said}: care leavers are {CARE_LEAVER_FROM} or over "
            "(write In care if they are still in care, or check the date of birth)"
        )
    if status == ParticipantStatus.CARE_LEAVER and age > CARE_LEAVER_UP_TO:
        return f"{said}: care leavers are supported up to {CARE_LEAVER_UP_TO} (check the date of birth)"
    if status == ParticipantStatus.IN_CARE and age >= IN_CARE_UNDER:
        return (
            f"{said}: children in care are under {IN_CARE_UNDER} "
            "(write Care leaver if they have left care, or check the date of birth)"
        )
    return None


def import_participants(
    *,
    session: Session,
    vault: PhoneVault,
    handle: TextIO,
    today: date | None = None,
    include_erased: Collection[str] = (),
) -> ImportReport:
    """Create or update a participant per good row (matched on phone), reporting bad rows by line.

    A number that appears again later in the same file is a bad row (naming the earlier line): the
    first row is kept, never silently overwritten by the repeat. Columns the import does not need are
    left out (`report.ignored`); a header it cannot use raises CsvShapeError. A number marked as erased
    (`privacy erase`: `ErasedNumber`) is left out and counted (`report.erased`), unless `include_erased` names
    it (numbers in E.164, matched by keyed hash): that row is added back and its mark removed, and only its. A mark
    whose number has a participant again (they texted in since) is stale: it is removed and the row kept. A named
    number that is not marked, or has no row here that can be imported, raises NotAddedBack (nothing is imported).
    """
    today = today or utcnow().date()
    text = handle.read()
    reader = csv.DictReader(io.StringIO(text), delimiter=separator(text))
    header, ignored = read_header(list(reader.fieldnames or []))
    reader.fieldnames = header
    present = frozenset(header)
    report = ImportReport(ignored=ignored, kept=[column for column in KEPT_WHEN_ABSENT if column not in present])
    first_line: dict[str, int] = {}  # number -> the line that kept it: a repeat would overwrite that row
    on_list = list_spellings(session)
    marked = {mark.phone_hash: mark for mark in session.exec(select(ErasedNumber))}  # one read, not one a row
    spellings: dict[str, str] = {}  # area_key -> the file's first spelling
    named = {vault.hash(phone): phone for phone in include_erased}
    added_back: set[str] = set()
    rejected: dict[str, int] = {}  # a named number's hash -> the line of its rejected row
    rows = 0
    for row in reader:
        rows += 1
        line = reader.line_num
        try:
            values = _read_row(row, today, present)
            existing = _existing(session, vault, values["phone"])
            if existing is not None and "date_of_birth" not in values:  # their status against the age on the list
                age = age_on(existing.date_of_birth, today)
                if (problem := status_age_problem(values["written_status"], values["status"], age)) is not None:
                    raise ValueError(problem.replace("date_of_birth", "the date of birth on the list"))
        except ValueError as exc:
            report.problems.append((line, str(exc)))
            if named and (phone_hash := _hash_of(vault, row.get("phone"))) in named:
                rejected.setdefault(phone_hash, line)
            continue
        earlier = first_line.setdefault(values["phone"], line)
        if earlier != line:
            report.problems.append((line, f"same phone number as line {earlier} (the first row is kept)"))
            continue
        phone_hash = vault.hash(values["phone"])
        mark = marked.get(phone_hash)
        if mark is not None:
            if phone_hash in named:
                added_back.add(phone_hash)
            elif not _has_returned(session, phone_hash):
                report.erased += 1
                continue
            session.delete(mark)  # added back, or stale: they came back by texting in, so are on the list again
        if values.get("area") is not None:
            kept = spellings.setdefault(area_key(values["area"]), area_as_typed(values["area"]))
            if kept != values["area"]:
                report.areas.setdefault(values["area"], kept)
            values["area"] = kept
        _upsert(session, vault, values, report, existing)
    if not rows:
        raise CsvShapeError("the file has headings but no rows: nothing to import")
    reasons = [
        _not_added_back(session, phone_hash, phone, rejected.get(phone_hash))
        for phone_hash, phone in named.items()
        if phone_hash not in added_back
    ]
    if reasons:
        raise NotAddedBack(reasons, report)
    _respell(session, on_list, spellings, report)
    return report


def _has_returned(session: Session, phone_hash: str) -> bool:
    """Whether an erased number has a participant again (they texted in after the erasure), so its mark is stale:
    checked here, on import, and not on each text in."""
    return session.exec(select(Participant.id).where(col(Participant.phone_hash) == phone_hash)).first() is not None


def _hash_of(vault: PhoneVault, written: str | None) -> str | None:
    """The keyed hash of a cell's number, or None when it is not a mobile number."""
    try:
        return vault.hash(normalise_mobile(written or ""))
    except InvalidPhone:
        return None


def _not_added_back(session: Session, phone_hash: str, phone: str, rejected_on: int | None) -> str:
    """Why a number named to add back (`include_erased`) was not, its number masked."""
    said = f"--include-erased {mask(phone)}"
    if session.get(ErasedNumber, phone_hash) is None:
        return f"{said}: not erased, so there is nothing to add back"
    if rejected_on is not None:
        return f"{said}: its row (line {rejected_on}) was rejected: put it right and import again"
    return f"{said}: this file has no row with that number"


def _respell(session: Session, on_list: dict[str, list[str]], spellings: dict[str, str], report: ImportReport) -> None:
    """Write each area the file names as the file first writes it, for everyone on the list who has it."""
    for key, spelling in spellings.items():
        others = [written for written in on_list.get(key, []) if written != spelling]
        if others:
            session.exec(update(Participant).where(col(Participant.area).in_(others)).values(area=spelling))
            report.respelled.update(dict.fromkeys(others, spelling))


# How a list's columns may be separated: commas, semicolons (Excel's "CSV" where a comma is the decimal mark) or tabs.
SEPARATORS = (",", ";", "\t")


def separator(text: str) -> str:
    """How the file's columns are separated, read from its header line: the first of `SEPARATORS` that splits it
    into headings the import can use (`read_header`); else the one that splits it most, so that an error names
    the headings one by one ("'Forename', 'DOB'") rather than as one long heading. A comma when it is all the same."""
    first = text.split("\n", 1)[0]
    split = {mark: next(csv.reader([first], delimiter=mark), []) for mark in SEPARATORS}
    for mark, headings in split.items():
        try:
            read_header(headings)
        except CsvShapeError:
            continue
        return mark
    return max(SEPARATORS, key=lambda mark: len(split[mark]))


def _read_row(row: dict, today: date, present: Collection[str] = COLUMNS) -> dict:
    """Validate one row into clean values, or raise ValueError saying what is wrong. A column of `KEPT_WHEN_ABSENT`
    or "language" that is not `present` in the file has no value here, so what is stored is kept."""
    if None in row:
        raise ValueError("too many fields on this line")
    try:
        # Only a number a text can reach: a landline would fail at Twilio on every invitation.
        phone = normalise_mobile(row.get("phone") or "")
    except InvalidPhone as exc:
        # Whatever is wrong with the number, the row needs the same thing (docs/commands.md's words): a made-up or
        # mistyped landline is "not a valid number" to the numbering plan, but the fix is still a mobile.
        said = str(exc)
        raise ValueError(said if MOBILE_NEEDED in said else f"{said} ({MOBILE_NEEDED})") from None
    # As a council's spreadsheet or case system writes it: "In care", "LAC", "Care leaver", "C2", "Relevant".
    written_status = (row.get("status") or "").strip()
    status = read_status(written_status)
    first_name = (row.get("first_name") or "").strip() or None
    if first_name and len(first_name) > 80:
        raise ValueError("first_name is longer than 80 characters")
    area = " ".join((row.get("area") or "").split()) or None
    if area and len(area) > AREA_MAX:
        raise ValueError(f"area is longer than {AREA_MAX} characters")
    date_of_birth = parse_date_of_birth(row.get("date_of_birth") or "", today=today)
    if "date_of_birth" in present:
        if (problem := status_age_problem(written_status, status, age_on(date_of_birth, today))) is not None:
            raise ValueError(problem)
    values = {
        "phone": phone,
        "first_name": first_name,
        "status": status,
        "written_status": written_status,  # for the age check against what is stored, not kept
        "date_of_birth": date_of_birth,
        "area": area,
    }
    for column in KEPT_WHEN_ABSENT:
        if column not in present:
            del values[column]
    # Only a file with a language column sets it: one without (an older export) leaves a Welsh speaker Welsh.
    if "language" in present:
        values["language"] = read_language(row.get("language") or "")
    return values


def _existing(session: Session, vault: PhoneVault, phone: str) -> Participant | None:
    """The participant with this phone number on the list, if any."""
    return session.exec(select(Participant).where(col(Participant.phone_hash) == vault.hash(phone))).first()


def _upsert(
    session: Session, vault: PhoneVault, values: dict, report: ImportReport, participant: Participant | None
) -> None:
    """Insert a new participant, or update `participant`, the one with this phone number."""
    phone = values.pop("phone")
    values.pop("written_status")
    phone_hash = vault.hash(phone)
    if participant is None:
        session.add(Participant(phone_hash=phone_hash, phone_encrypted=vault.encrypt(phone), source="import", **values))
        session.flush()
        report.created += 1
        return
    changed = False
    for key, value in values.items():
        if getattr(participant, key) != value:
            setattr(participant, key, value)
            changed = True
    if changed:
        participant.updated_at = utcnow()
        report.updated += 1
    else:
        report.unchanged += 1


def list_spellings(session: Session) -> dict[str, list[str]]:
    """Each area on the list (by `area_key`) and every way it is stored, sorted: more than one only for areas
    imported before spellings were joined ("north" and "North")."""
    stored = session.exec(select(col(Participant.area)).where(col(Participant.area).is_not(None)).distinct()).all()
    spellings: dict[str, list[str]] = {}
    for area in sorted(area for area in stored if area and area.strip()):
        spellings.setdefault(area_key(area), []).append(area)
    return spellings


def find_by_phone(*, session: Session, vault: PhoneVault, phone: str) -> Participant | None:
    """The participant with this (E.164) number, by keyed hash."""
    return session.exec(select(Participant).where(col(Participant.phone_hash) == vault.hash(phone))).first()


def rows_to_csv(rows: Iterable[dict]) -> str:
    """Render participant dicts as import-ready CSV text (the demo and tests build files with it)."""
    rows = list(rows)
    # The language column only when a row gives one: a file without it leaves each participant's language alone.
    columns = [column for column in COLUMNS if column != "language" or any("language" in row for row in rows)]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns)
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue()

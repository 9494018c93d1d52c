"""Import participants from CSV (`phone,first_name,status,date_of_birth,area`): bad rows reported, good rows kept."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TextIO

from sqlmodel import Session, col, select

from ..models import Participant, ParticipantStatus, utcnow
from ..privacy import InvalidPhone, PhoneVault, normalise_phone

COLUMNS = ("phone", "first_name", "status", "date_of_birth", "area")
REQUIRED = ("phone", "status")


@dataclass
class ImportReport:
    """Counts and per-line problems; problems never repeat the phone number."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every row was kept."""
        return not self.problems


class CsvShapeError(ValueError):
    """The file's header is wrong, so no row can be read."""


def parse_date_of_birth(text: str, *, today: date) -> date | None:
    """Read YYYY-MM-DD or DD/MM/YYYY; empty means unknown. Raises ValueError with a plain reason."""
    text = (text or "").strip()
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            value = datetime.strptime(text, fmt).date()
            break
        except ValueError:
            continue
    else:
        raise ValueError(f"date_of_birth {text!r} is not a date (use YYYY-MM-DD)")
    if value > today:
        raise ValueError("date_of_birth is in the future")
    age = today.year - value.year - ((today.month, today.day) < (value.month, value.day))
    if age > 30:
        raise ValueError(f"date_of_birth makes them {age}; care leavers are supported up to 25")
    return value


def import_participants(
    *, session: Session, vault: PhoneVault, handle: TextIO, today: date | None = None
) -> ImportReport:
    """Create or update a participant per good row (matched on phone), reporting bad rows by line.

    A number that appears again later in the same file is a bad row (naming the earlier line): the
    first row is kept, never silently overwritten by the repeat.
    """
    today = today or utcnow().date()
    reader = csv.DictReader(handle)
    header = [name.strip().lower() for name in (reader.fieldnames or [])]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise CsvShapeError(
            f"the header must include {', '.join(REQUIRED)} (missing: {', '.join(missing)}); "
            f"expected columns: {','.join(COLUMNS)}"
        )
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        raise CsvShapeError(f"unknown column(s): {', '.join(unknown)}; expected: {','.join(COLUMNS)}")
    reader.fieldnames = header
    report = ImportReport()
    first_line: dict[str, int] = {}  # number -> the line that kept it: a repeat would overwrite that row
    for row in reader:
        line = reader.line_num
        try:
            values = _read_row(row, today)
        except ValueError as exc:
            report.problems.append((line, str(exc)))
            continue
        earlier = first_line.setdefault(values["phone"], line)
        if earlier != line:
            report.problems.append((line, f"same phone number as line {earlier} (the first row is kept)"))
            continue
        _upsert(session, vault, values, report)
    return report


def _read_row(row: dict, today: date) -> dict:
    """Validate one row into clean values, or raise ValueError saying what is wrong."""
    if None in row:
        raise ValueError("too many fields on this line")
    try:
        phone = normalise_phone(row.get("phone") or "")
    except InvalidPhone as exc:
        raise ValueError(str(exc)) from None
    # As a council's spreadsheet writes it: "In care", "Care leaver", "care-leaver" are in_care and care_leaver.
    status = "_".join((row.get("status") or "").strip().lower().replace("-", " ").split())
    if status not in (ParticipantStatus.IN_CARE, ParticipantStatus.CARE_LEAVER):
        raise ValueError(f"status must be in_care or care_leaver, got {status!r}")
    first_name = (row.get("first_name") or "").strip() or None
    if first_name and len(first_name) > 80:
        raise ValueError("first_name is longer than 80 characters")
    area = (row.get("area") or "").strip() or None
    return {
        "phone": phone,
        "first_name": first_name,
        "status": status,
        "date_of_birth": parse_date_of_birth(row.get("date_of_birth") or "", today=today),
        "area": area,
    }


def _upsert(session: Session, vault: PhoneVault, values: dict, report: ImportReport) -> None:
    """Insert a new participant or update the one with this phone number."""
    phone = values.pop("phone")
    phone_hash = vault.hash(phone)
    participant = session.exec(select(Participant).where(col(Participant.phone_hash) == phone_hash)).first()
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


def find_by_phone(*, session: Session, vault: PhoneVault, phone: str) -> Participant | None:
    """The participant with this (E.164) number, by keyed hash."""
    return session.exec(select(Participant).where(col(Participant.phone_hash) == vault.hash(phone))).first()


def rows_to_csv(rows: Iterable[dict]) -> str:
    """Render participant dicts as import-ready CSV text (the demo and tests build files with it)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(COLUMNS))
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue()

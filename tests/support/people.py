"""Young people imported as a council's export lists them, with the language each prefers."""

from __future__ import annotations

import io

from tests.factories import phone_number
from voice_service.db import session_scope
from voice_service.participants.importer import import_participants


def import_people(services, *people: tuple[int, str, str]) -> None:
    """Import each (phone number's index, first name, preferred language as an export words it: "Cymraeg",
    "English" or "" for none), all in care, through the real importer; every row must be taken."""
    rows = "".join(f"{phone_number(number)},{name},In care,,{language}\n" for number, name, language in people)
    with session_scope(services.engine) as session:
        report = import_participants(
            session=session,
            vault=services.vault,
            handle=io.StringIO("Mobile number,First Name,Status,DOB,Preferred Language\n" + rows),
        )
    assert report.ok, report.problems

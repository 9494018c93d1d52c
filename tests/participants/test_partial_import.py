"""A file without some columns keeps what is stored for those columns (a trial finding): `phone,first_name,status`
for someone on the list cleared their date of birth and area, which took them out of every round chosen by age or
area, and nothing said so. Now a column the file does not have is left as it was, and the import says so; a blank
cell in a column the file does have still clears it."""

from __future__ import annotations

import io
from datetime import date

from click.testing import CliRunner
from sqlmodel import Session, select

from tests.factories import phone_number
from tests.outbox.helpers import environment
from voice_service.db import session_scope
from voice_service.models import Participant
from voice_service.participants.importer import import_participants

TODAY = date(2026, 12, 7)
FULL = "phone,first_name,status,date_of_birth,area\n{phone},Ben,in_care,14/07/2011,North\n"


def _import(services, text: str):
    with session_scope(services.engine) as session:
        return import_participants(session=session, vault=services.vault, handle=io.StringIO(text), today=TODAY)


def _ben(services) -> Participant:
    with Session(services.engine) as session:
        return session.exec(select(Participant)).one()


def test_a_file_without_date_of_birth_or_area_keeps_them(services):
    phone = phone_number(531)
    assert _import(services, FULL.format(phone=phone)).created == 1
    report = _import(services, f"phone,first_name,status\n{phone},Benjamin,in_care\n")
    assert report.ok and report.updated == 1 and report.kept == ["date_of_birth", "area"]
    ben = _ben(services)
    assert (ben.first_name, ben.status, ben.date_of_birth, ben.area) == (
        "Benjamin",
        "in_care",
        date(2011, 7, 14),
        "North",
    )
    # Without a first name column too: the name stays.
    report = _import(services, f"phone,status\n{phone},in_care\n")
    assert report.ok and report.kept == ["first_name", "date_of_birth", "area"]
    assert _ben(services).first_name == "Benjamin"


def test_a_blank_cell_in_a_column_the_file_has_still_clears_it(services):
    phone = phone_number(532)
    _import(services, FULL.format(phone=phone))
    report = _import(services, f"phone,first_name,status,date_of_birth,area\n{phone},Ben,in_care,,\n")
    assert report.ok and report.kept == []
    ben = _ben(services)
    assert ben.date_of_birth is None and ben.area is None


def test_a_status_is_checked_against_the_date_of_birth_on_the_list_when_the_file_has_none(services):
    phone = phone_number(533)
    _import(services, f"phone,status,date_of_birth\n{phone},care_leaver,01/01/2005\n")
    report = _import(services, f"phone,status\n{phone},in_care\n")
    ((line, problem),) = report.problems
    assert line == 2 and "the date of birth on the list makes them 21" in problem, problem
    assert _ben(services).status == "care_leaver"


def test_the_command_line_says_what_is_kept(services, tmp_path):
    phone = phone_number(534)
    _import(services, FULL.format(phone=phone))
    path = tmp_path / "new-numbers.csv"
    path.write_text(f"phone,first_name,status\n{phone},Ben,in_care\n")
    env = environment(services.config) | {"VOICE_CONFIG": ""}
    from voice_service.cli import main

    result = CliRunner().invoke(main, ["participants", "import", str(path)], env=env)
    assert result.exit_code == 0, result.output
    assert (
        "new-numbers.csv: no date of birth or area columns: what is stored for each young person already on the "
        "list is kept"
    ) in result.output


def test_areas_written_two_ways_in_one_file_are_named_by_the_command_line(services, tmp_path):
    """docs/commands.md: "a note names each spelling it replaced"; the dashboard did, the command did not."""
    path = tmp_path / "areas.csv"
    path.write_text(f"phone,status,area\n{phone_number(535)},in_care,North\n{phone_number(536)},in_care,north\n")
    env = environment(services.config) | {"VOICE_CONFIG": ""}
    from voice_service.cli import main

    result = CliRunner().invoke(main, ["participants", "import", str(path)], env=env)
    assert result.exit_code == 0, result.output
    assert '"north" is kept as "North"' in result.output

"""Tester finding: the importer kept an area as typed, so "north", "North " and "NORTH" were three areas in filters
and breakdowns. An area is now one area whatever its case and spacing, written as the latest import first writes it."""

from __future__ import annotations

import io
from datetime import date

from sqlmodel import Session, col, select

from tests.factories import phone_number
from voice_service.db import session_scope
from voice_service.models import Participant
from voice_service.participants.importer import area_key, import_participants, list_spellings
from voice_service.rounds.membership import area_as_written, area_is, known_areas, same_area

TODAY = date(2026, 12, 1)
HEADER = "phone,first_name,status,date_of_birth,area\n"


def _import(services, *rows: tuple[int, str, str]):
    text = HEADER + "".join(f"{phone_number(n)},{name},in_care,2011-03-04,{area}\n" for n, name, area in rows)
    with session_scope(services.engine) as session:
        return import_participants(session=session, vault=services.vault, handle=io.StringIO(text), today=TODAY)


def _areas(services) -> dict[str, str | None]:
    with Session(services.engine) as session:
        return {p.first_name: p.area for p in session.exec(select(Participant).order_by(col(Participant.id))).all()}


def test_one_file_writes_an_area_once_as_it_first_writes_it(services):
    report = _import(
        services,
        (1, "Ava", "North"),
        (2, "Ben", "north"),
        (3, "Cal", "NORTH "),
        (4, "Dee", "  North  "),
        (5, "Eli", "redditch"),
        (6, "Fay", "Redditch"),
        (7, "Gus", "North  Worcester"),
        (8, "Hal", "north worcester"),
    )
    assert report.ok and report.created == 8
    assert _areas(services) == {
        "Ava": "North",
        "Ben": "North",
        "Cal": "North",
        "Dee": "North",
        "Eli": "redditch",  # the council's first spelling, not one made up for it
        "Fay": "redditch",
        "Gus": "North Worcester",
        "Hal": "North Worcester",
    }
    assert report.areas == {
        "north": "North",
        "NORTH": "North",
        "Redditch": "redditch",
        "north worcester": "North Worcester",
    }
    with Session(services.engine) as session:
        distinct = set(session.exec(select(Participant.area).distinct()).all())
        assert distinct == {"North", "redditch", "North Worcester"}
        assert known_areas(session) == ["North", "North Worcester", "redditch"]


def test_a_later_import_writes_an_area_its_way_for_everyone_on_the_list(services):
    """Trial 10, T10-10 (c): the spelling first imported was kept for ever, so a council that put "north worcester"
    right on its list could not put it right here. The latest import's spelling (the first in its file) is now the
    area's, for everyone on the list with that area, and the report says which spellings it replaced."""
    _import(services, (1, "Ava", "north worcester"), (4, "Dan", "South"))
    report = _import(services, (2, "Ben", "North Worcester"), (3, "Cal", "NORTH WORCESTER"))
    assert report.ok and (report.created, report.updated, report.unchanged) == (2, 0, 0)
    assert _areas(services) == {
        "Ava": "North Worcester",
        "Dan": "South",
        "Ben": "North Worcester",
        "Cal": "North Worcester",
    }
    assert report.areas == {"NORTH WORCESTER": "North Worcester"}
    assert report.respelled == {"north worcester": "North Worcester"}
    again = _import(services, (1, "Ava", "North Worcester"))
    assert (again.unchanged, again.respelled, again.areas) == (1, {}, {})


def test_a_list_that_already_holds_two_spellings_takes_the_new_one(services):
    """Areas imported before spellings were joined ("north" and "North"): an import writing "NORTH" writes all so."""
    with session_scope(services.engine) as session:
        for name, area in (("Old", "north"), ("Mid", "North")):
            session.add(Participant(first_name=name, area=area, status="in_care"))
            session.flush()
    with Session(services.engine) as session:
        assert list_spellings(session) == {"north": ["North", "north"]}
    report = _import(services, (3, "New", "NORTH"))
    assert set(_areas(services).values()) == {"NORTH"}
    assert report.respelled == {"North": "NORTH", "north": "NORTH"}


def test_case_and_spaces_do_not_matter():
    assert area_key("  North \t Worcester ") == area_key("north worcester") == "north worcester"


def test_an_overlong_area_is_reported_not_stored(services):
    report = _import(services, (1, "Ava", "N" * 81), (2, "Ben", "North"))
    assert report.problems == [(2, "area is longer than 80 characters")] and report.created == 1


def test_two_spaces_inside_an_area_are_one_everywhere(services):
    """Trial 8, H9: "North  East" (two spaces) was one area to the importer but not to a cohort, so a round for
    "--area 'north  east'" reached nobody. The importer keeps its spaces single; a cohort reads them so too."""
    _import(services, (1, "Ava", "North  East"), (2, "Ben", " north east "), (3, "Cal", "North"))
    assert set(_areas(services).values()) == {"North East", "North"}
    with Session(services.engine) as session:
        for wanted in ("north east", "North  East", " NORTH\tEAST "):
            chosen = session.exec(select(Participant.first_name).where(area_is(wanted))).all()
            assert sorted(chosen) == ["Ava", "Ben"], wanted
            assert area_as_written(session, wanted) == "North East"
    assert same_area("North  East", "north east") and not same_area("North", "north east")


def test_the_command_line_names_the_spellings_it_replaced(services, tmp_path):
    from click.testing import CliRunner

    from tests.outbox.helpers import environment
    from voice_service.cli import main

    _import(services, (1, "Ava", "redditch"))
    path = tmp_path / "list.csv"
    path.write_text(HEADER + f"{phone_number(2)},Ben,in_care,2011-03-04,Redditch\n", encoding="utf-8")
    env = environment(services.config) | {"VOICE_CONFIG": ""}
    result = CliRunner().invoke(main, ["participants", "import", str(path)], env=env)
    assert result.exit_code == 0, result.output
    assert (
        'list.csv: areas on the list now written as this file writes them: "redditch" is now "Redditch"'
        in result.output
    )

"""Participants page functions: search with masked numbers and opt-out state, import previewed before saving."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from tests.factories import TODAY, add_participants, dob, phone_number
from voice_service.db import session_scope
from voice_service.models import OptOut, Participant
from voice_service.participants.importer import CsvShapeError
from voice_service.web.admin.participants_service import (
    confirm_import,
    decode_csv,
    preview_import,
    search_participants,
)

GOOD_AND_BAD = (
    "phone,first_name,status,date_of_birth,area\n"
    f"{phone_number(1)},Ava,in_care,{dob(14)},North\n"
    "07700 90,Ben,in_care,,North\n"
    f"{phone_number(3)},Cal,fostered,,South\n"
    f"{phone_number(4)},Dee,care_leaver,{dob(19)},South\n"
)


def test_search_shows_masked_numbers_and_opt_out(services):
    add_participants(
        services, [{"phone": phone_number(1), "first_name": "Ava"}, {"phone": phone_number(2), "first_name": "Ben"}]
    )
    with session_scope(services.engine) as session:
        ben = session.exec(select(Participant).where(Participant.first_name == "Ben")).one()
        session.add(OptOut(phone_hash=ben.phone_hash, keyword="STOP"))
    with Session(services.engine) as session:
        found = search_participants(session=session, vault=services.vault, today=TODAY)
        assert found.total == 2
        assert [r.masked_phone for r in found.rows] == ["••••201", "••••202"]
        assert [r.opted_out for r in found.rows] == [False, True]
        by_number = search_participants(session=session, vault=services.vault, query="07700 900202", today=TODAY)
        assert [r.first_name for r in by_number.rows] == ["Ben"]
        by_name = search_participants(session=session, vault=services.vault, query="av", today=TODAY)
        assert [r.first_name for r in by_name.rows] == ["Ava"]
        stopped = search_participants(session=session, vault=services.vault, opted_out=True, today=TODAY)
        assert [r.first_name for r in stopped.rows] == ["Ben"]
        by_ref = search_participants(session=session, vault=services.vault, query=ben.pseudonym.lower(), today=TODAY)
        assert by_ref.total == 1


def test_preview_reports_bad_rows_by_line_and_saves_nothing(services):
    key = services.config.app.secret_key
    preview = preview_import(
        engine=services.engine, vault=services.vault, secret_key=key, text=GOOD_AND_BAD, today=TODAY
    )
    assert (preview.created, preview.good) == (2, 2)
    assert [line for line, _ in preview.problems] == [3, 4]
    assert "fostered" in preview.problems[1][1]
    assert phone_number(1) not in preview.staged
    with Session(services.engine) as session:
        assert session.exec(select(Participant)).all() == []
    with session_scope(services.engine) as session:
        report = confirm_import(
            session=session, vault=services.vault, secret_key=key, staged=preview.staged, today=TODAY
        )
    assert report.created == 2 and len(report.problems) == 2
    with Session(services.engine) as session:
        assert sorted(p.first_name for p in session.exec(select(Participant)).all()) == ["Ava", "Dee"]


def test_a_changed_or_foreign_preview_is_refused(services):
    key = services.config.app.secret_key
    preview = preview_import(
        engine=services.engine, vault=services.vault, secret_key=key, text=GOOD_AND_BAD, today=TODAY
    )
    with session_scope(services.engine) as session:
        with pytest.raises(CsvShapeError, match="upload the file again"):
            confirm_import(
                session=session, vault=services.vault, secret_key="other", staged=preview.staged, today=TODAY
            )
        with pytest.raises(CsvShapeError, match="upload the file again"):
            confirm_import(
                session=session, vault=services.vault, secret_key=key, staged="x" + preview.staged, today=TODAY
            )


def test_bad_files_get_a_clear_reason():
    with pytest.raises(CsvShapeError, match="empty"):
        decode_csv(b"  ")
    with pytest.raises(CsvShapeError, match="CSV UTF-8"):
        decode_csv("phone\n£".encode("latin-1"))
    assert decode_csv("\ufeffphone,status\n".encode()) == "phone,status\n"


def test_search_matches_words_literally_and_part_of_a_reference(services):
    add_participants(
        services,
        [
            {"phone": phone_number(1), "first_name": "Ava", "area": "North"},
            {"phone": phone_number(2), "first_name": "Ben", "area": "50%_zone"},
        ],
    )
    with Session(services.engine) as session:
        ben = session.exec(select(Participant).where(Participant.first_name == "Ben")).one()

        def names(query: str) -> list[str | None]:
            found = search_participants(session=session, vault=services.vault, query=query, today=TODAY)
            return [row.first_name for row in found.rows]

        assert names("%") == ["Ben"] and names("_") == ["Ben"]  # letters, not wildcards
        assert names("a%") == []
        part = ben.pseudonym[2:5]  # "P-8EC41A2B" -> "8EC"
        assert "Ben" in names(part) and "Ben" in names(part.lower()) and "Ben" in names("P-" + part)


def test_search_pages_through_everyone_in_name_order(services):
    add_participants(services, [{"phone": phone_number(i), "first_name": f"Name{i:02d}"} for i in range(7)])
    with Session(services.engine) as session:
        pages = [
            search_participants(session=session, vault=services.vault, today=TODAY, limit=3, offset=offset)
            for offset in (0, 3, 6)
        ]
    assert [[row.first_name for row in page.rows] for page in pages] == [
        ["Name00", "Name01", "Name02"],
        ["Name03", "Name04", "Name05"],
        ["Name06"],
    ]
    assert {page.total for page in pages} == {7}

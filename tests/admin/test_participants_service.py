"""Participants page functions: search with masked numbers and opt-out state, import previewed before saving."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from tests.factories import TODAY, add_participants, dob, phone_number
from voice_service.db import session_scope
from voice_service.models import Direction, Message, OptOut, Participant
from voice_service.participants.importer import CsvShapeError, decode_csv
from voice_service.web.admin.participants_service import (
    Sort,
    confirm_import,
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


def _people_with_replies(services) -> dict[str, int]:
    """Ava (14, North, wrote last week), Ben (19, South, wrote yesterday), Cal (16, no area, never wrote)."""
    add_participants(
        services,
        [
            {"phone": phone_number(1), "first_name": "Ava", "age": 14, "area": "North"},
            {"phone": phone_number(2), "first_name": "ben", "age": 19, "area": "South", "status": "care_leaver"},
            {"phone": phone_number(3), "first_name": "Cal", "age": 16, "area": ""},
        ],
    )
    with session_scope(services.engine) as session:
        ids = {p.first_name: p.id for p in session.exec(select(Participant))}
        written = datetime(2026, 11, 20, 17, 0, tzinfo=UTC)
        for name, when in (
            ("Ava", written),
            ("ben", written + timedelta(days=6)),
            ("Ava", written - timedelta(days=9)),
        ):
            session.add(
                Message(direction=Direction.IN, channel="sms", participant_id=ids[name], body="hi", created_at=when)
            )
        # What we sent them is not a reply from them.
        session.add(
            Message(direction=Direction.OUT, channel="sms", participant_id=ids["Cal"], body="hi", created_at=written)
        )
    return ids


@pytest.mark.parametrize(
    ("column", "order", "names"),
    [
        ("name", "ascending", ["Ava", "ben", "Cal"]),  # letters, not capitals first
        ("name", "descending", ["Cal", "ben", "Ava"]),
        ("last_reply", "descending", ["ben", "Ava", "Cal"]),  # newest first; never written last
        ("last_reply", "ascending", ["Ava", "ben", "Cal"]),  # still last
        ("age", "ascending", ["Ava", "Cal", "ben"]),  # youngest first
        ("status", "descending", ["Ava", "Cal", "ben"]),  # in_care before care_leaver
        ("area", "ascending", ["Ava", "ben", "Cal"]),  # no area last
    ],
)
def test_the_list_sorts_by_a_column_on_the_server(services, column, order, names):
    _people_with_replies(services)
    sort = Sort.parse(column, order)
    with Session(services.engine) as session:
        found = search_participants(session=session, vault=services.vault, today=TODAY, sort=sort)
    assert [row.first_name for row in found.rows] == names
    if column == "last_reply":
        assert found.rows[0].last_reply_at is not None and found.rows[-1].last_reply_at is None


def test_sorted_pages_follow_on_without_gaps_or_repeats(services):
    _people_with_replies(services)
    sort = Sort.parse("last_reply", None)
    assert sort == Sort("last_reply", descending=True)  # its first click: newest first
    with Session(services.engine) as session:
        pages = [
            search_participants(session=session, vault=services.vault, today=TODAY, sort=sort, limit=2, offset=offset)
            for offset in (0, 2)
        ]
    assert [row.first_name for page in pages for row in page.rows] == ["ben", "Ava", "Cal"]
    assert Sort.parse("phone", "descending") == Sort() and Sort.parse("name", "sideways") == Sort()
    assert (
        sort.aria == "descending" and sort.next_for("last_reply") == "ascending" and sort.next_for("age") == "ascending"
    )

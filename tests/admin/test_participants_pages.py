"""Participants pages over HTTP: search with masked numbers, the import previewed (bad rows first), access."""

from __future__ import annotations

import io
import re
import time

from cryptography.fernet import Fernet
from sqlmodel import Session, select

from tests.factories import add_participants, dob, phone_number
from voice_service.models import AuditEvent, Participant
from voice_service.web.admin.participants_service import NUMBER_TOKEN_SECONDS

CSV = (
    "phone,first_name,status,date_of_birth,area\n"
    f"{phone_number(1)},Ava,in_care,{dob(14)},North\n"
    "07700 90,Ben,in_care,,North\n"
    f"{phone_number(3)},Cal,care_leaver,{dob(19)},South\n"
)


def _actions(services) -> list[str]:
    with Session(services.engine) as session:
        return [e.action for e in session.exec(select(AuditEvent).order_by(AuditEvent.id)).all()]


def test_search_shows_masked_numbers_only(services, admin_client):
    add_participants(services, [{"phone": phone_number(1), "first_name": "Ava"}])
    worker = admin_client("worker")
    page = worker.get("/admin/participants?q=ava")
    assert page.status_code == 200
    assert b"Ava" in page.data and "••••201".encode() in page.data
    assert phone_number(1).encode() not in page.data and b"7700900201" not in page.data
    assert "participant.search" in _actions(services)


def test_import_shows_bad_rows_first_and_saves_only_on_confirm(services, admin_client):
    worker = admin_client("worker")
    preview = worker.post_form(
        "/admin/participants/import",
        {"file": (io.BytesIO(CSV.encode()), "people.csv")},
        content_type="multipart/form-data",
    )
    assert preview.status_code == 200, preview.data
    text = preview.data.decode()
    assert text.index("Rows with problems") < text.index("What importing will do")
    assert '<td class="govuk-table__cell">3</td>' in text  # the bad row, by line
    assert phone_number(1) not in text
    with Session(services.engine) as session:
        assert session.exec(select(Participant)).all() == []
    staged = text.split('name="staged" value="')[1].split('"')[0]
    done = worker.post_form("/admin/participants/import/confirm", {"staged": staged})
    assert done.status_code == 303
    with Session(services.engine) as session:
        assert sorted(p.first_name for p in session.exec(select(Participant)).all()) == ["Ava", "Cal"]
    assert {"participant.import_preview", "participant.import"} <= set(_actions(services))


def test_import_preview_reads_a_councils_headings_and_names_the_columns_left_out(services, admin_client):
    worker = admin_client("worker")
    export = (
        "Mobile Number,First Name,Legal Status,Date of Birth,Locality,Social worker\n"
        f"{phone_number(1)},Ava,In care,{dob(14)},North,Pat Smith\n"
    )
    preview = worker.post_form(
        "/admin/participants/import",
        {"file": (io.BytesIO(export.encode("utf-8-sig")), "export.csv")},
        content_type="multipart/form-data",
    )
    assert preview.status_code == 200, preview.data
    text = preview.data.decode()
    assert "Every row can be imported." in text and "Pat Smith" not in text
    assert '1 column not needed, so not read or kept: "Social worker".' in text.replace("&#34;", '"')


def test_import_preview_says_a_column_the_file_lacks_is_kept_as_it_is(services, admin_client):
    """A partial extract keeps what is stored for a column it does not have, and the preview says so."""
    worker = admin_client("worker")
    preview = worker.post_form(
        "/admin/participants/import",
        {"file": (io.BytesIO(f"phone,first_name,status\n{phone_number(2)},Ben,in_care\n".encode()), "new.csv")},
        content_type="multipart/form-data",
    )
    assert preview.status_code == 200, preview.data
    assert (
        'id="columns-kept">No date of birth or area columns: what is stored for each young person already on the '
        "list is kept.</div>"
    ) in preview.data.decode()


def test_invite_link_is_made_on_request_and_audited(services, admin_client):
    add_participants(services, [{"phone": phone_number(1), "first_name": "Ava"}])
    worker = admin_client("worker")
    page = worker.get("/admin/participants/1")
    assert b"/chat/" not in page.data
    made = worker.post_form("/admin/participants/1/invite")
    assert made.status_code == 200 and b"http://voice.test/chat/" in made.data
    assert "participant.invite_link" in _actions(services)


def test_panel_gets_403(admin_client):
    panel = admin_client("panel")
    for path in ("/admin/participants", "/admin/participants/import", "/admin/responses", "/admin/inbox"):
        assert panel.get(path).status_code == 403, path


def test_import_preview_shows_a_repeated_number_as_a_bad_row(services, admin_client):
    """The preview runs the real importer: a number repeated in the file is a problem row naming the first line."""
    worker = admin_client("worker")
    repeated = CSV + f"{phone_number(1)},Ava Again,care_leaver,{dob(19)},East\n"
    preview = worker.post_form(
        "/admin/participants/import",
        {"file": (io.BytesIO(repeated.encode()), "people.csv")},
        content_type="multipart/form-data",
    )
    assert preview.status_code == 200, preview.data
    text = preview.data.decode()
    assert '<td class="govuk-table__cell">5</td>' in text
    assert "same phone number as line 2 (the first row is kept)" in text
    assert phone_number(1) not in text


def test_the_list_pages_like_responses_and_says_when_nothing_matches(services, admin_client):
    from tests.factories import add_participants, phone_number

    add_participants(services, [{"phone": phone_number(i), "first_name": f"Name{i:02d}"} for i in range(61)])
    worker = admin_client("worker")
    first = worker.get("/admin/participants").get_data(as_text=True)
    assert "61 participants, showing 1 to 50 (page 1 of 2)" in first and "page=2" in first
    second = worker.get("/admin/participants?page=2").get_data(as_text=True)
    assert "showing 51 to 61 (page 2 of 2)" in second and "Name60" in second and "Name00" not in second
    none = worker.get("/admin/participants?q=nobody-called-this").get_data(as_text=True)
    assert 'id="no-match"' in none and "No young people match this search" in none
    assert 'id="participants"' not in none  # no empty table


def test_a_number_search_is_posted_and_never_put_in_a_url(services, admin_client):
    add_participants(services, [{"phone": phone_number(1), "first_name": "Ava"}, {"phone": phone_number(3)}])
    worker = admin_client("worker")
    form = worker.get("/admin/participants").get_data(as_text=True)
    assert 'method="post"' in form and 'name="csrf_token"' in form
    sent = worker.post_form("/admin/participants", {"q": "07700 900201", "status": "in_care"})
    assert sent.status_code == 303
    location = sent.headers["Location"]
    assert "900201" not in location and "number=" in location and "status=in_care" in location
    page = worker.get(location).get_data(as_text=True)
    assert "Ava" in page and "1 participant." in page and "900201" not in page
    named = worker.post_form("/admin/participants", {"q": "ava"})
    assert named.headers["Location"].endswith("?q=ava")


def _urls(page: str) -> list[str]:
    return re.findall(r'(?:href|action)="([^"]*)"', page)


def test_no_url_the_number_search_makes_or_links_to_carries_the_number(services, admin_client):
    """Trial finding 32: the posted search comes back with an opaque token, fresh each time (never the number,
    nor its keyed hash, which is the same for every search and in the database); every link on the result
    page (paging, sorting, clearing) is free of it too."""
    add_participants(services, [{"phone": phone_number(1), "first_name": "Ava"}, {"phone": phone_number(3)}])
    worker = admin_client("worker")
    digits = ("900201", "7700900201", "447700900201")
    with Session(services.engine) as session:
        stored_hash = session.exec(select(Participant.phone_hash).where(Participant.first_name == "Ava")).one()
    locations = []
    for typed in ("+447700900201", "07700 900201"):
        sent = worker.post_form("/admin/participants", {"q": typed})
        assert sent.status_code == 303
        locations.append(sent.headers["Location"])
    assert locations[0] != locations[1], "a fresh token each search"
    for location in locations:
        assert not any(d in location for d in digits) and stored_hash not in location
        page = worker.get(location).get_data(as_text=True)
        assert "Ava" in page and "1 participant." in page
        assert not any(d in page for d in digits) and stored_hash not in page
        for url in _urls(page):
            assert not any(d in url for d in digits) and stored_hash not in url


def test_a_number_typed_into_the_address_is_not_searched_for_or_shown_again(services, admin_client):
    add_participants(services, [{"phone": phone_number(1), "first_name": "Ava"}, {"phone": phone_number(3)}])
    worker = admin_client("worker")
    page = worker.get("/admin/participants?q=%2B447700900201&sort=name").get_data(as_text=True)
    assert 'id="number-search-note"' in page and "type the number in the search box" in page
    assert "900201" not in page, "not in the box, nor in a paging or sorting link"
    assert "2 participants." in page  # the list, unsearched
    assert 'value="ava"' in worker.get("/admin/participants?q=ava").get_data(as_text=True)


def test_an_old_number_search_link_finds_nobody(services, admin_client):
    add_participants(services, [{"phone": phone_number(1), "first_name": "Ava"}])
    worker = admin_client("worker")
    vault = services.vault
    with Session(services.engine) as session:
        stored_hash = session.exec(select(Participant.phone_hash)).one()
    key = Fernet(services.config.privacy.phone_key.encode())
    old = key.encrypt_at_time(stored_hash.encode(), int(time.time()) - NUMBER_TOKEN_SECONDS - 60).decode()
    fresh = vault.encrypt(stored_hash)
    assert "1 participant." in worker.get(f"/admin/participants?number={fresh}").get_data(as_text=True)
    page = worker.get(f"/admin/participants?number={old}").get_data(as_text=True)
    assert "0 participants." in page and "That number search has run out" in page and "Ava" not in page
    forged = worker.get(f"/admin/participants?number={stored_hash}").get_data(as_text=True)
    assert "0 participants." in forged and "Ava" not in forged


def test_the_participant_page_says_which_language_their_questions_go_in(services, admin_client):
    add_participants(
        services,
        [{"phone": phone_number(11), "first_name": "Siân", "language": "Welsh"}, {"phone": phone_number(12)}],
    )
    worker = admin_client("worker")
    welsh = worker.get("/admin/participants/1").get_data(as_text=True)
    english = worker.get("/admin/participants/2").get_data(as_text=True)
    assert re.search(r'id="language">Welsh: questions with a Welsh text are sent in Welsh', welsh)
    assert re.search(r'id="language">English\.', english)


def test_import_preview_counts_young_people_erased_at_their_request(services, admin_client):
    """An erased young person still on the council's list is left out and counted, never named (trial 10, T10-3)."""
    from voice_service.db import session_scope
    from voice_service.privacy.subject import erase_subject, find_subject

    add_participants(services, [{"phone": phone_number(1), "first_name": "Ava"}])
    with session_scope(services.engine) as session:
        erase_subject(
            session=session, subject=find_subject(session=session, vault=services.vault, phone=phone_number(1))
        )
    worker = admin_client("worker")
    preview = worker.post_form(
        "/admin/participants/import",
        {"file": (io.BytesIO(CSV.encode()), "people.csv")},
        content_type="multipart/form-data",
    )
    text = preview.data.decode()
    erased = text.split('id="erased-left-out">')[1].split("</div>")[0]
    assert erased.startswith("1 young person in this file was erased at their request, so is left out.")
    assert "--include-erased" in erased and "Ava" not in text and phone_number(1) not in text
    staged = text.split('name="staged" value="')[1].split('"')[0]
    worker.post_form("/admin/participants/import/confirm", {"staged": staged})
    with Session(services.engine) as session:
        assert sorted(p.first_name for p in session.exec(select(Participant)).all()) == ["Cal"]
    listed = worker.get("/admin/participants").get_data(as_text=True)
    assert "1 erased at their request left out" in listed

"""Outside trial T6: a safeguarding disclosure's words are the duty team's. A worker who is not on the duty team
sees its row under Responses (the list, one answer's page, the round's CSV and JSONL downloads, the corrections
download), and the message in the young person's inbox thread, with "Withheld: safeguarding disclosure — the
duty team holds this" in place of the words, and a search does not find it by them; a duty worker sees the
words. One rule, `accounts.may_see_disclosure`, the same roles the alert pages are for."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlmodel import Session, select

from tests.conftest import SmsPhone
from tests.factories import add_participants, launch, phone_number
from voice_service.accounts import DISCLOSURE_ROLES, WITHHELD_DISCLOSURE, may_see_disclosure
from voice_service.models import Response, Role

DISCLOSURE = "he hits me when he is drunk"
WORDS = ("hits me", "drunk")  # none of these is in any page's own words
ORDINARY = "the bus pass ran out"
PLACEHOLDER = "Withheld: safeguarding disclosure \u2014 the duty team holds this"


@pytest.fixture
def answers(services, client) -> tuple[int, int]:
    """A round in which one young person disclosed (kept as a response flagged as a risk, in the round) and
    another answered as usual; returns (round id, the disclosure's response id)."""
    add_participants(services, [{"phone": phone_number(1)}, {"phone": phone_number(2)}])
    round_id = launch(services)
    for index, (scale, words) in enumerate((("2", DISCLOSURE), ("1", ORDINARY))):
        texter = SmsPhone(client, phone_number(index + 1))
        for text in ("yes", scale, words):
            texter.send(text)
    with Session(services.engine) as session:
        risky = session.exec(select(Response).where(Response.risk == True)).all()  # noqa: E712
    assert [(r.answer, r.round_id) for r in risky] == [(DISCLOSURE, round_id)]
    assert risky[0].id is not None
    return round_id, risky[0].id


def _no_words(body: str) -> None:
    assert not any(word in body.lower() for word in WORDS), "the disclosure's words are in the page"


def _csv(client, path: str) -> list[dict]:
    response = client.get(path)
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.data.decode())))


def test_the_placeholder_is_the_councils_words():
    assert WITHHELD_DISCLOSURE == PLACEHOLDER


def test_who_may_see_a_disclosure_is_who_may_see_alerts(app):
    """The duty team (one role of several an account may hold); not workers, admins or the panel alone."""
    assert may_see_disclosure([Role.DUTY]) and may_see_disclosure([Role.WORKER, Role.DUTY])
    assert not any(may_see_disclosure(roles) for roles in ([Role.WORKER], [Role.ADMIN, Role.WORKER], [Role.PANEL]))
    alert_pages = [rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint.startswith("admin.alert")]
    assert alert_pages
    for endpoint in alert_pages:
        assert app.view_functions[endpoint].required_roles == frozenset(DISCLOSURE_ROLES), endpoint


@pytest.mark.parametrize("roles", [(Role.WORKER,), (Role.WORKER, Role.ADMIN)])
def test_a_worker_not_on_duty_sees_the_row_with_the_words_withheld(answers, admin_client, roles):
    round_id, disclosure_id = answers
    worker = admin_client(*roles)
    for path in ("/admin/responses", f"/admin/responses?round={round_id}", "/admin/responses?risk=yes"):
        body = worker.get(path).data.decode()
        assert PLACEHOLDER in body and f'href="/admin/responses/{disclosure_id}"' in body, path
        _no_words(body)
    assert ORDINARY in worker.get("/admin/responses").data.decode()  # other answers as they are

    page = worker.get(f"/admin/responses/{disclosure_id}").data.decode()
    assert f'id="answer">{PLACEHOLDER}</p>' in page and "Risk flagged" in page
    _no_words(page)

    for fmt in ("csv", "jsonl"):
        response = worker.get(f"/admin/responses/export?round={round_id}&format={fmt}")
        assert response.status_code == 200
        _no_words(response.data.decode())
    rows = _csv(worker, f"/admin/responses/export?round={round_id}&format=csv")
    [row] = [r for r in rows if r["risk"] == "True"]
    assert row["answer"] == PLACEHOLDER and row["value"] == PLACEHOLDER and row["question_id"] == ""
    assert ORDINARY in [r["answer"] for r in rows]
    # Narrowed by the page's filters, it is the same.
    [row] = _csv(worker, f"/admin/responses/export?round={round_id}&risk=yes&format=csv")
    assert row["answer"] == PLACEHOLDER


def test_a_search_does_not_find_a_disclosure_by_its_words_for_a_worker_not_on_duty(answers, admin_client):
    round_id, _ = answers
    worker = admin_client(Role.WORKER)
    body = worker.get("/admin/responses?q=drunk").data.decode()
    assert "No answers contain \u201cdrunk\u201d." in body and "hits me" not in body and PLACEHOLDER not in body
    rows = _csv(worker, f"/admin/responses/export?round={round_id}&q=drunk&format=csv")
    assert rows == []
    # The search still finds everything else.
    assert ORDINARY in worker.get("/admin/responses?q=bus").data.decode()


def test_a_duty_worker_sees_the_words(answers, admin_client):
    round_id, disclosure_id = answers
    duty = admin_client(Role.WORKER, Role.DUTY)
    body = duty.get("/admin/responses").data.decode()
    assert DISCLOSURE in body and PLACEHOLDER not in body
    assert f'id="answer">{DISCLOSURE}</p>' in duty.get(f"/admin/responses/{disclosure_id}").data.decode()
    [row] = [r for r in _csv(duty, f"/admin/responses/export?round={round_id}&format=csv") if r["risk"] == "True"]
    assert row["answer"] == DISCLOSURE and row["value"] == DISCLOSURE
    assert DISCLOSURE in duty.get("/admin/responses?q=drunk").data.decode()


def test_the_corrections_download_withholds_a_disclosure_from_a_worker_not_on_duty(answers, admin_client):
    _, disclosure_id = answers
    worker = admin_client(Role.WORKER)
    corrected = worker.post_form(f"/admin/responses/{disclosure_id}", {"themes": ["safety"], "sentiment": "negative"})
    assert corrected.status_code == 303
    download = worker.get("/admin/responses/corrections.jsonl").data.decode()
    _no_words(download)
    [row] = [json.loads(line) for line in download.splitlines()]
    assert row["text"] == PLACEHOLDER and row["id"].endswith(f"-r{disclosure_id}") and row["themes"] == ["safety"]
    duty = admin_client(Role.WORKER, Role.DUTY)
    [row] = [json.loads(line) for line in duty.get("/admin/responses/corrections.jsonl").data.decode().splitlines()]
    assert row["text"] == DISCLOSURE


def test_the_inbox_thread_withholds_a_disclosure_from_a_worker_not_on_duty(services, client, answers, admin_client):
    """The same words in the young person's thread (a disclosure in a survey, and one texted in): a worker sees
    that a message came and that the duty team has it, not what it said; the duty team reads it."""
    SmsPhone(client, phone_number(1)).send("i want to hurt myself tonight")  # texted in while the alert is live
    with Session(services.engine) as session:
        person = session.exec(select(Response.participant_id).where(Response.answer == DISCLOSURE)).one()
    path = f"/admin/inbox/{person}"
    worker = admin_client(Role.WORKER)
    page = worker.get(path).data.decode()
    assert page.count(PLACEHOLDER) == 2 and "The duty team has it" in page
    _no_words(page)
    assert "hurt myself" not in page and "Your reply by text" in page  # they can still answer
    for roles in ((Role.DUTY,), (Role.WORKER, Role.DUTY)):
        page = admin_client(*roles).get(path).data.decode()
        assert DISCLOSURE in page and "i want to hurt myself tonight" in page and PLACEHOLDER not in page

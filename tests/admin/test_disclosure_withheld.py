"""Outside trial T6: a safeguarding disclosure's words are the duty team's. A worker who is not on the duty team
sees its row under Responses (the list, one answer's page, the round's CSV and JSONL downloads, the corrections
download), and the message in the young person's inbox thread, with "Withheld: safeguarding disclosure — the
duty team holds this" in place of the words, and a search does not find it by them; a duty worker sees the
words. One rule, `accounts.may_see_disclosure`, the same roles the alert pages are for. The commands
`responses export` and `responses corrections` withhold the words too, unless a duty account named with
--by asks for them (--include-disclosures), and the audit log says which exports carried them."""

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
    duty = admin_client(Role.WORKER, Role.DUTY)  # its tags are the duty team's to correct (test_withheld_tags.py)
    corrected = duty.post_form(f"/admin/responses/{disclosure_id}", {"themes": ["safety"], "sentiment": "negative"})
    assert corrected.status_code == 303
    worker = admin_client(Role.WORKER)
    download = worker.get("/admin/responses/corrections.jsonl").data.decode()
    _no_words(download)
    [row] = [json.loads(line) for line in download.splitlines()]
    assert row["text"] == PLACEHOLDER and row["id"].endswith(f"-r{disclosure_id}") and row["themes"] == []
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


# The command line has nobody signed in: it withholds a disclosure's words unless a duty account named with
# --by takes them (--include-disclosures), and every export is on the audit log, in that account's name.


def _cli(services, *args: str):
    from click.testing import CliRunner

    from tests.outbox.helpers import environment
    from voice_service.cli import main

    return CliRunner().invoke(main, list(args), env=environment(services.config) | {"VOICE_CONFIG": ""})


def _audit(services) -> list[tuple[str, str, str | None, str | None]]:
    from voice_service.models import AuditEvent

    with Session(services.engine) as session:
        rows = session.exec(select(AuditEvent).order_by(AuditEvent.id)).all()
        return [(row.action, row.actor, row.subject_type, row.subject_id) for row in rows]


def test_the_export_command_withholds_a_disclosure_unless_asked(services, answers, tmp_path):
    round_id, _ = answers
    for fmt in ("csv", "jsonl"):
        out = tmp_path / f"answers.{fmt}"
        result = _cli(services, "responses", "export", "--round", str(round_id), "--format", fmt, "--out", str(out))
        assert result.exit_code == 0, result.output
        _no_words(out.read_text(encoding="utf-8"))
        assert "1 disclosure withheld" in result.output
    rows = list(csv.DictReader(io.StringIO((tmp_path / "answers.csv").read_text(encoding="utf-8"))))
    [row] = [r for r in rows if r["risk"] == "True"]
    assert row["answer"] == PLACEHOLDER and row["value"] == PLACEHOLDER
    assert ORDINARY in [r["answer"] for r in rows]
    [line] = [json.loads(x) for x in (tmp_path / "answers.jsonl").read_text().splitlines() if '"risk": true' in x]
    assert line["answer"] == PLACEHOLDER
    # On the record as the dashboard's download is, in the name of whoever ran it.
    exports = [row for row in _audit(services) if row[0].startswith("response.export")]
    assert len(exports) == 2 and all(
        action == "response.export" and actor.startswith("cli:") and (kind, subject) == ("round", str(round_id))
        for action, actor, kind, subject in exports
    )


def test_the_export_command_gives_a_disclosure_to_a_named_duty_account(services, answers, users, tmp_path):
    round_id, _ = answers
    duty = users(Role.DUTY, name="Kim Duty")
    out = tmp_path / "answers.csv"
    args = ["responses", "export", "--round", str(round_id), "--format", "csv", "--out", str(out)]
    result = _cli(services, *args, "--include-disclosures", "--by", "kim duty")
    assert result.exit_code == 0, result.output
    [row] = [r for r in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))) if r["risk"] == "True"]
    assert row["answer"] == DISCLOSURE and row["value"] == DISCLOSURE
    assert "includes 1 safeguarding disclosure" in result.output
    assert ("response.export_disclosures", duty.email, "round", str(round_id)) in _audit(services)


@pytest.mark.parametrize("by", [None, "worker", "nobody@council.test", ""])
def test_the_export_command_refuses_a_disclosure_to_anyone_not_on_duty(services, answers, users, tmp_path, by):
    round_id, _ = answers
    worker = users(Role.WORKER, Role.ADMIN)
    out = tmp_path / "answers.csv"
    args = ["responses", "export", "--round", str(round_id), "--out", str(out), "--include-disclosures"]
    if by is not None:
        args += ["--by", worker.email if by == "worker" else by]
    result = _cli(services, *args)
    assert result.exit_code != 0
    assert "duty" in result.output and not out.exists()
    assert not [row for row in _audit(services) if row[0].startswith("response.export")]


def test_by_goes_with_include_disclosures(services, answers, users):
    round_id, _ = answers
    duty = users(Role.DUTY)
    result = _cli(services, "responses", "export", "--round", str(round_id), "--by", duty.email)
    assert result.exit_code == 2 and "--include-disclosures" in result.output


def test_the_corrections_command_withholds_a_disclosure_unless_asked(services, answers, users, tmp_path):
    _, disclosure_id = answers
    _correct(services, disclosure_id)
    out = tmp_path / "corrections.jsonl"
    result = _cli(services, "responses", "corrections", "--out", str(out))
    assert result.exit_code == 0, result.output
    _no_words(out.read_text(encoding="utf-8"))
    [row] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert row["text"] == PLACEHOLDER and row["themes"] == [] and row["sentiment"] is None  # nothing of it
    [(action, actor, _, _)] = [row for row in _audit(services) if row[0].startswith("response.export")]
    assert action == "response.export_corrections" and actor.startswith("cli:")
    duty = users(Role.DUTY)
    result = _cli(services, "responses", "corrections", "--out", str(out), "--include-disclosures", "--by", duty.email)
    assert result.exit_code == 0, result.output
    [row] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert row["text"] == DISCLOSURE and row["themes"] == ["safety"]
    assert ("response.export_corrections_disclosures", duty.email, "response", None) in _audit(services)
    refused = _cli(services, "responses", "corrections", "--include-disclosures", "--by", "nobody")
    assert refused.exit_code != 0 and "duty" in refused.output


def _correct(services, response_id: int) -> None:
    """Correct the disclosure's tags as the duty team would (`labels.correct_labels`)."""
    from voice_service.db import session_scope
    from voice_service.labels import correct_labels

    with session_scope(services.engine) as session:
        correct_labels(
            session=session,
            response_id=response_id,
            themes=["safety"],
            sentiment="negative",
            known_themes=("safety",),
            by="w@council.test",
        )


def test_the_audit_log_says_whether_an_export_carried_disclosures(services, answers, admin_client):
    """The dashboard's downloads are recorded under the same actions as the commands': "_disclosures" after
    the action when the one downloading may read them (`exports.export_action`)."""
    round_id, _ = answers
    for roles, suffix in (((Role.WORKER,), ""), ((Role.WORKER, Role.DUTY), "_disclosures")):
        client = admin_client(*roles)
        client.get(f"/admin/responses/export?round={round_id}&format=csv")
        client.get("/admin/responses/corrections.jsonl")
        mine = [action for action, actor, _, _ in _audit(services) if actor == client.account.email]
        assert mine[-2:] == [f"response.export{suffix}", f"response.export_corrections{suffix}"], roles


def test_the_export_commands_say_how_to_include_disclosures():
    from click.testing import CliRunner

    from voice_service.cli import main

    for command in ("export", "corrections"):
        words = " ".join(CliRunner().invoke(main, ["responses", command, "--help"]).output.split())
        assert "--include-disclosures" in words and "withheld unless a duty account" in words, command
        assert "Needs --by naming a duty account" in words and "audit log" in words, command

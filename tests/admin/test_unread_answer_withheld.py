"""Trial 6, F6: an ordinary Welsh answer flagged only because the screen cannot read it ("not in English: a person
should read this") was labelled "Withheld: safeguarding disclosure" in `responses export`, counted among its
"disclosures withheld", and marked "Risk" on the Responses page. It is called what it is, everywhere: its words
are still the duty team's (no screen has read them, and a Welsh "he hits me" raises only this flag), withheld
from anyone else under "Withheld: not in English, flagged for a person to read", never counted as a disclosure,
and marked "Not in English". So is a Welsh text sent outside a survey, in the young person's inbox thread."""

from __future__ import annotations

import csv
import io
import json

from sqlmodel import Session, select

from tests.admin.test_disclosure_withheld import DISCLOSURE, PLACEHOLDER, _cli
from tests.conftest import SmsPhone
from tests.factories import launch, phone_number
from tests.support.people import import_people
from tests.web.test_welsh_answer_is_no_disclosure import ANSWER, NOW, SURVEY
from voice_service.accounts import WITHHELD_UNREAD
from voice_service.models import Response, Role

UNREAD = "Withheld: not in English, flagged for a person to read \u2014 the duty team holds this"


def _round(services, client) -> tuple[int, int]:
    """A round of the Welsh survey in which Cai answered in Welsh and Dee, in English, disclosed; returns (round
    id, the Welsh answer's response id)."""
    import_people(services, (73, "Cai", "Cymraeg"), (74, "Dee", "English"))
    round_id = launch(services, survey_source=SURVEY, now=NOW)
    for number, texts in ((73, ("ie", "3", ANSWER, "ie")), (74, ("yes", "3", DISCLOSURE))):
        phone = SmsPhone(client, phone_number(number))
        for text in texts:
            phone.send(text)
    with Session(services.engine) as session:
        flagged = {r.answer: r for r in session.exec(select(Response).where(Response.risk == True))}  # noqa: E712
    assert flagged[ANSWER].unread and not flagged[DISCLOSURE].unread
    welsh = flagged[ANSWER].id
    assert welsh is not None
    return round_id, welsh


def test_the_placeholder_says_what_it_is():
    assert WITHHELD_UNREAD == UNREAD


def test_the_export_command_calls_a_welsh_answer_what_it_is(services, client, users, tmp_path):
    round_id, _ = _round(services, client)
    out = tmp_path / "answers.csv"
    args = ["responses", "export", "--round", str(round_id), "--format", "csv", "--out", str(out)]
    result = _cli(services, *args)
    assert result.exit_code == 0, result.output
    assert "1 disclosure and 1 answer not in English (flagged for a person to read) withheld" in result.output
    rows = {r["question_id"]: r for r in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")))}
    assert rows["why"]["answer"] == UNREAD and rows["why"]["value"] == UNREAD and rows["why"]["risk_categories"] == ""
    assert [r["answer"] for r in rows.values()].count(PLACEHOLDER) == 1  # Dee's disclosure, and only it
    duty = users(Role.DUTY, name="Kim Duty")
    result = _cli(services, *args, "--include-disclosures", "--by", duty.email)
    assert result.exit_code == 0, result.output
    assert "includes 1 safeguarding disclosure and 1 answer not in English (flagged" in result.output
    assert ANSWER in out.read_text(encoding="utf-8")


def test_the_export_says_a_welsh_answer_is_not_in_english_not_a_risk(services, client, admin_client, tmp_path):
    """Trial 6b: the export's `risk` was true for an answer flagged only as not in English, where the Responses page
    says "Not in English", not "Risk". Now `risk` is false for it and `not_in_english` (a column added last) true;
    a disclosure is `risk` true and `not_in_english` false. In JSONL and CSV, by command and from the page."""
    round_id, _ = _round(services, client)
    out = tmp_path / "answers.jsonl"
    result = _cli(services, "responses", "export", "--round", str(round_id), "--out", str(out))
    assert result.exit_code == 0, result.output
    by_line = {row["answer"]: row for row in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert [by_line[UNREAD][field] for field in ("risk", "not_in_english", "risk_categories")] == [False, True, []]
    assert (by_line[PLACEHOLDER]["risk"], by_line[PLACEHOLDER]["not_in_english"]) == (True, False)
    assert not any(row["not_in_english"] for answer, row in by_line.items() if answer != UNREAD)
    download = admin_client(Role.WORKER).get(f"/admin/responses/export?round={round_id}&format=csv").text
    assert download.splitlines()[0].endswith(",theme_sentiments,not_in_english")  # added, nothing moved
    by_cell = {row["answer"]: row for row in csv.DictReader(io.StringIO(download))}
    assert (by_cell[UNREAD]["risk"], by_cell[UNREAD]["not_in_english"]) == ("False", "True")
    assert (by_cell[PLACEHOLDER]["risk"], by_cell[PLACEHOLDER]["not_in_english"]) == ("True", "False")


def test_the_responses_page_marks_a_welsh_answer_not_in_english_not_risk(services, client, admin_client):
    round_id, welsh = _round(services, client)
    worker = admin_client(Role.WORKER)
    listed = worker.get(f"/admin/responses?round={round_id}").data.decode()
    assert listed.count(UNREAD) == 1 and listed.count(PLACEHOLDER) == 1 and ANSWER not in listed
    assert listed.count(">Not in English</strong>") == 1 and listed.count(">Risk</strong>") == 1
    page = worker.get(f"/admin/responses/{welsh}").data.decode()
    assert f'id="answer">{UNREAD}</p>' in page and "Not in English" in page and "Risk flagged" not in page
    [row] = [
        r
        for r in csv.DictReader(io.StringIO(worker.get(f"/admin/responses/export?round={round_id}&format=csv").text))
        if r["question_id"] == "why"
    ]
    assert row["answer"] == UNREAD
    # Words withheld are withheld whole: their tags are not this worker's to correct (test_withheld_tags.py).
    refused = worker.post_form(f"/admin/responses/{welsh}", {"themes": ["carers"], "sentiment": "positive"})
    assert refused.status_code == 403
    duty = admin_client(Role.WORKER, Role.DUTY)
    corrected = duty.post_form(f"/admin/responses/{welsh}", {"themes": ["carers"], "sentiment": "positive"})
    assert corrected.status_code == 303
    [correction] = [json.loads(line) for line in worker.get("/admin/responses/corrections.jsonl").text.splitlines()]
    assert correction["text"] == UNREAD and correction["themes"] == []
    page = duty.get(f"/admin/responses/{welsh}").data.decode()
    assert f'id="answer">{ANSWER}</p>' in page.replace("&#39;", "'") and "Not in English" in page


def test_the_inbox_thread_calls_a_welsh_text_what_it_is(services, client, admin_client):
    """A Welsh text sent outside a survey, flagged only as not in English, reads in the young person's thread as on
    Responses: withheld from a worker not on the duty team as not in English, never as a disclosure."""
    welsh = "Rydw i'n drist iawn heddiw"  # I am very sad today
    SmsPhone(client, phone_number(75)).send(welsh)
    with Session(services.engine) as session:
        (flagged,) = session.exec(select(Response).where(Response.risk == True)).all()  # noqa: E712
    assert flagged.unread and flagged.question_id is None  # a text-in, not an answer
    path = f"/admin/inbox/{flagged.participant_id}"
    page = admin_client(Role.WORKER).get(path).data.decode()
    assert page.count(UNREAD) == 1 and PLACEHOLDER not in page and "drist" not in page
    page = admin_client(Role.WORKER, Role.DUTY).get(path).data.decode()
    assert welsh in page.replace("&#39;", "'") and UNREAD not in page

"""A withheld disclosure shows nothing of itself to a worker not on the duty team: not its words (as before), nor
its themes or feeling (they showed in the Responses list, on its own page and in the round's download, and a theme
or sentiment filter found it by them, so "Safety" and "Negative" said what it was about), nor its risk categories
or a correction of its tags; only that the duty team holds it. A worker cannot correct its tags. The duty team
sees everything, as before. On both databases."""

from __future__ import annotations

import csv
import io
import json
import re

from tests.admin.test_disclosure_withheld import DISCLOSURE, PLACEHOLDER, answers  # noqa: F401 - a fixture
from voice_service.models import Role

THEMES = ("health", "safety")  # the analysis's themes for DISCLOSURE (checked below, with the duty team)
SAFETY, HEALTH = "Keeping you safe and free from bullying", "Physical health"  # their labels
CARERS = "Carers"


def _row_of(body: str, response_id: int) -> str:
    """The Responses table's row for one answer."""
    rows = re.findall(r'<tr class="govuk-table__row">.*?</tr>', body, flags=re.S)
    [row] = [row for row in rows if f'href="/admin/responses/{response_id}"' in row]
    return row


def _listed(client, query: str, response_id: int) -> bool:
    body = client.get(f"/admin/responses?{query}").data.decode()
    return f'href="/admin/responses/{response_id}"' in body


def _csv_row(client, round_id: int) -> dict:
    data = client.get(f"/admin/responses/export?round={round_id}&format=csv").data.decode()
    [row] = [r for r in csv.DictReader(io.StringIO(data)) if r["risk"] == "True"]
    return row


def test_a_worker_not_on_duty_sees_nothing_of_a_withheld_disclosures_tags(answers, admin_client):  # noqa: F811
    round_id, disclosure_id = answers
    duty = admin_client(Role.WORKER, Role.DUTY)
    worker = admin_client(Role.WORKER)

    # The duty team sees its themes and feeling, and finds it by them.
    row = _row_of(duty.get("/admin/responses").data.decode(), disclosure_id)
    assert DISCLOSURE in row and SAFETY in row and HEALTH in row and "Negative" in row
    for query in [f"theme={theme}" for theme in THEMES] + ["sentiment=negative", "pledge=1"]:
        assert _listed(duty, query, disclosure_id), query

    # A worker not on duty: the row says the duty team holds it, and nothing else of it.
    row = _row_of(worker.get("/admin/responses").data.decode(), disclosure_id)
    assert PLACEHOLDER in row and SAFETY not in row and HEALTH not in row and "Negative" not in row
    for query in [f"theme={theme}" for theme in THEMES] + ["sentiment=negative", "pledge=1"]:
        assert not _listed(worker, query, disclosure_id), query
    assert _listed(worker, "risk=yes", disclosure_id)  # that one is held is no secret

    page = worker.get(f"/admin/responses/{disclosure_id}").data.decode()
    assert "held for the duty team" in page and "Risk flagged" in page
    assert "The analysis said" not in page and "Save correction" not in page and "Negative" not in page
    assert 'id="machine"' not in page and "checked" not in page
    assert "The analysis said" in duty.get(f"/admin/responses/{disclosure_id}").data.decode()

    refused = worker.post_form(f"/admin/responses/{disclosure_id}", {"themes": ["carers"], "sentiment": "positive"})
    assert refused.status_code == 403

    seen = _csv_row(duty, round_id)
    assert seen["themes"] == ";".join(THEMES) and seen["sentiment"] == "negative" and seen["risk_categories"]
    assert seen["score"] and seen["theme_sentiments"]
    held = _csv_row(worker, round_id)
    assert held["answer"] == PLACEHOLDER and held["risk"] == "True"
    for field in ("themes", "sentiment", "score", "risk_categories", "human_themes", "human_sentiment"):
        assert held[field] == "", field
    assert held["theme_sentiments"] == ""


def test_a_duty_correction_of_a_disclosure_is_withheld_from_a_worker_not_on_duty(answers, admin_client):  # noqa: F811
    round_id, disclosure_id = answers
    duty = admin_client(Role.WORKER, Role.DUTY)
    corrected = duty.post_form(f"/admin/responses/{disclosure_id}", {"themes": ["carers"], "sentiment": "negative"})
    assert corrected.status_code == 303
    worker = admin_client(Role.WORKER)

    row = _row_of(worker.get("/admin/responses").data.decode(), disclosure_id)
    assert "Corrected" not in row and CARERS not in row
    assert not _listed(worker, "theme=carers", disclosure_id) and _listed(duty, "theme=carers", disclosure_id)
    assert "Corrected" not in worker.get(f"/admin/responses/{disclosure_id}").data.decode()
    held = _csv_row(worker, round_id)
    assert held["human_themes"] == "" and held["themes"] == ""

    [line] = worker.get("/admin/responses/corrections.jsonl").data.decode().splitlines()
    row_ = json.loads(line)
    assert row_["text"] == PLACEHOLDER and row_["id"].endswith(f"-r{disclosure_id}")
    assert row_["themes"] == [] and row_["sentiment"] is None
    assert row_["machine_themes"] == [] and row_["machine_sentiment"] is None
    [line] = duty.get("/admin/responses/corrections.jsonl").data.decode().splitlines()
    assert json.loads(line)["themes"] == ["carers"] and json.loads(line)["machine_themes"] == list(THEMES)

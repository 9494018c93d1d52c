"""Human labels: a worker's correction sits beside the machine's tags, is exported, and can be undone."""

from __future__ import annotations

import io
import json

import pytest
from sqlmodel import Session, select

from tests.factories import add_participants, launch, phone_number
from voice_service.db import session_scope
from voice_service.exports import export_rows, write_csv
from voice_service.labels import LabelError, correct_labels, corrections, effective_sentiment, effective_themes
from voice_service.models import Response

KNOWN = ("safety", "housing", "carers", "having_a_say")


@pytest.fixture
def answered(services, client):
    """A round with one free-text answer; returns (round id, response id)."""
    from tests.conftest import SmsPhone

    add_participants(services, [{"phone": phone_number(1)}])
    round_id = launch(services)
    texter = SmsPhone(client, phone_number(1))
    texter.send("yes")
    texter.send("1")
    texter.send("my foster carers shout at me")
    with Session(services.engine) as session:
        response = session.exec(select(Response).where(Response.question_id == "safe_home_why")).one()
        return round_id, response.id


def test_a_correction_is_kept_beside_the_machine_and_exported(services, answered):
    round_id, response_id = answered
    with session_scope(services.engine) as session:
        machine = list(session.get(Response, response_id).themes)
        change = correct_labels(
            session=session,
            response_id=response_id,
            themes=["carers", "safety"],
            sentiment="negative",
            known_themes=KNOWN,
            by="worker@council.test",
        )
    with Session(services.engine) as session:
        response = session.get(Response, response_id)
        assert response.themes == machine  # never overwritten
        assert effective_themes(response) == ["carers", "safety"]
        assert response.labelled_by == "worker@council.test" and response.labelled_at is not None
        assert change.themes_changed
        [row] = [r for r in export_rows(session=session, round_id=round_id) if r["question_id"] == "safe_home_why"]
        assert row["human_themes"] == ["carers", "safety"] and row["themes"] == machine
        [example] = corrections(session=session)
    assert example["text"] == "my foster carers shout at me"
    assert example["themes"] == ["carers", "safety"] and example["machine_themes"] == machine
    assert example["id"].startswith("P-") and json.dumps(example)
    out = io.StringIO()
    write_csv(export_rows(session=Session(services.engine), round_id=round_id), out)
    assert "human_themes" in out.getvalue().splitlines()[0]


def test_choosing_the_machines_answer_again_undoes_the_correction(services, answered):
    _, response_id = answered
    with session_scope(services.engine) as session:
        correct_labels(
            session=session, response_id=response_id, themes=None, sentiment="positive", known_themes=KNOWN, by="w"
        )
    with session_scope(services.engine) as session:
        machine = session.get(Response, response_id).sentiment
        correct_labels(
            session=session, response_id=response_id, themes=None, sentiment=machine, known_themes=KNOWN, by="w"
        )
    with Session(services.engine) as session:
        response = session.get(Response, response_id)
        assert response.human_sentiment is None and response.labelled_by is None
        assert effective_sentiment(response) == machine
        assert corrections(session=session) == []


def test_bad_corrections_are_refused(services, answered):
    _, response_id = answered
    with session_scope(services.engine) as session:
        with pytest.raises(LabelError, match="unknown theme"):
            correct_labels(
                session=session, response_id=response_id, themes=["pets"], sentiment=None, known_themes=KNOWN, by="w"
            )
        with pytest.raises(LabelError, match="sentiment"):
            correct_labels(
                session=session, response_id=response_id, themes=None, sentiment="angry", known_themes=KNOWN, by="w"
            )
        with pytest.raises(LookupError):
            correct_labels(
                session=session, response_id=999, themes=None, sentiment="neutral", known_themes=KNOWN, by="w"
            )


def test_responses_corrections_command_writes_the_labelled_jsonl(services, answered, tmp_path):
    from click.testing import CliRunner

    from tests.outbox.helpers import environment
    from voice_service.cli import main

    _, response_id = answered
    with session_scope(services.engine) as session:
        correct_labels(
            session=session, response_id=response_id, themes=["housing"], sentiment=None, known_themes=KNOWN, by="w"
        )
    out = tmp_path / "corrections.jsonl"
    result = CliRunner().invoke(
        main,
        ["responses", "corrections", "--out", str(out)],
        env=environment(services.config) | {"VOICE_CONFIG": ""},
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    [line] = out.read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["themes"] == ["housing"]
    assert "exported 1 correction" in result.output


def test_a_mixed_text_is_stored_with_each_themes_own_feeling(services, client):
    # Finding F4: the inbound path keeps the per-theme feelings the summary counts by, and the export shows them.
    from tests.conftest import SmsPhone
    from voice_service.labels import effective_theme_sentiment

    add_participants(services, [{"phone": phone_number(1)}])
    round_id = launch(services)
    texter = SmsPhone(client, phone_number(1))
    texter.send("yes")
    texter.send("1")
    texter.send("I love my foster carer but I hate my new school")
    with Session(services.engine) as session:
        response = session.exec(select(Response).where(Response.question_id == "safe_home_why")).one()
        assert response.theme_sentiments["carers"] == "positive"
        assert response.theme_sentiments["education"] == "negative"
        assert effective_theme_sentiment(response, "education") == "negative"
        [row] = [r for r in export_rows(session=session, round_id=round_id) if r["question_id"] == "safe_home_why"]
        assert row["theme_sentiments"]["carers"] == "positive"
    with session_scope(services.engine) as session:
        correct_labels(
            session=session,
            response_id=response.id,
            themes=None,
            sentiment="positive",
            known_themes=KNOWN,
            by="worker@council.test",
        )
    with Session(services.engine) as session:
        corrected = session.get(Response, response.id)
        assert effective_theme_sentiment(corrected, "education") == "positive"  # the worker's word is for all

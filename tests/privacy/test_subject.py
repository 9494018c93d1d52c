"""Subject access and erasure through the command line, on SQLite and PostgreSQL: after an erase
the person is nowhere in the database (dumped whole), by number, name, text or hash."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlmodel import Session, select

from tests.conftest import SmsPhone, make_config
from tests.factories import add_participants, launch, phone_number
from tests.privacy.dumps import dump_database, find_numbers
from voice_service.audit import record
from voice_service.cli import main
from voice_service.context import Services
from voice_service.db import session_scope
from voice_service.inbox import record_contact
from voice_service.models import Alert, AuditEvent, Message, OptOut, OutboxMessage, Participant, Response, Run
from voice_service.safeguarding.alerts import acknowledge, close
from voice_service.web import create_app

ZOFIA = phone_number(50)
OTHER = phone_number(51)
DUTY = phone_number(99)
HEATING = "the heating in my flat never works properly"
DISCLOSURE = "i want to hurt myself tonight"
CALL_NOTE = "Visited at the flat: heating fixed on Friday"


@pytest.fixture
def world(database_url, tmp_path, monkeypatch):
    """Two young people in a round; Zofia answers, texts in, and raises an alert the duty team is told about."""
    config = make_config(database_url, safeguarding={"duty_phones": [DUTY]})
    services = Services.from_config(config)
    add_participants(
        services,
        [
            {"phone": ZOFIA, "first_name": "Zofia", "age": 15},
            {"phone": OTHER, "first_name": "Bartholomew", "age": 16},
        ],
    )
    launch(services)
    client = create_app(services=services).test_client()
    zofia, other = SmsPhone(client, ZOFIA), SmsPhone(client, OTHER)
    for text in ("yes", "2", HEATING, DISCLOSURE):
        zofia.send(text)
    for text in ("yes", "4", "the food is fine"):
        other.send(text)
    # The CLI reads the same configuration from a file.
    path = tmp_path / "config.toml"
    path.write_text(_toml(config.as_dict()))
    monkeypatch.setenv("VOICE_CONFIG", str(path))
    yield services
    services.engine.dispose()


def _toml(values: dict) -> str:
    lines = []
    for section, keys in values.items():
        lines.append(f"[{section}]")
        for key, value in keys.items():
            lines.append(f"{key} = {json.dumps(value)}")
    return "\n".join(lines) + "\n"


def _cli(*args: str, ok: bool = True):
    result = CliRunner().invoke(main, list(args))
    if ok:
        assert result.exit_code == 0, result.output
    return result


def _alert_id(services) -> int:
    with Session(services.engine) as session:
        return session.exec(select(Alert)).one().id


def test_export_gives_everything_held_about_one_number(world):
    with session_scope(world.engine) as session:
        zofia = session.exec(select(Participant).where(Participant.first_name == "Zofia")).one()
        record(
            session=session,
            actor="worker@council.test",
            action="participant.view",
            subject_type="participant",
            subject_id=zofia.id,
        )
    held = json.loads(_cli("privacy", "export", "--phone", "07700 900250").output)
    assert held["found"] is True
    assert held["participant"]["first_name"] == "Zofia" and held["participant"]["phone"] == ZOFIA
    assert "phone_hash" not in held["participant"] and "phone_encrypted" not in held["participant"]
    inbound = [m["body"] for m in held["messages"] if m["direction"] == "in"]
    assert HEATING in inbound and DISCLOSURE in inbound
    assert {a["question_id"] for a in held["answers"]} >= {"safe_home", "safe_home_why"}
    assert len(held["runs"]) == 1 and len(held["alerts"]) == 1
    assert held["alerts"][0]["excerpt"] == DISCLOSURE
    assert [row["kind"] for row in held["outbox"]].count("invitation") == 1
    assert all("to_encrypted" not in row for row in held["outbox"])
    assert [row["action"] for row in held["audit"]] == ["participant.view"]
    # Making the copy is itself recorded.
    with Session(world.engine) as session:
        exported = session.exec(select(AuditEvent).where(AuditEvent.action == "privacy.export")).one()
        assert exported.subject_id == str(held["participant"]["id"]) and exported.actor.startswith("cli")
    # Nothing about anyone else.
    assert "Bartholomew" not in json.dumps(held) and "the food is fine" not in json.dumps(held)


def test_export_holds_no_member_of_staffs_contact_details(world):
    """The duty team's numbers and the workers' emails are not the young person's data: the copy says the
    duty team was told (by text, when) and who dealt with the alert by name, without their addresses (T24)."""
    from voice_service.accounts import create_user

    alert_id = _alert_id(world)
    with session_scope(world.engine) as session:
        create_user(
            session=session,
            email="dee@council.test",
            roles=["duty"],
            password="correct horse battery staple",
            name="Dee",
        )
        acknowledge(session=session, vault=world.vault, config=world.config, alert_id=alert_id, by="dee@council.test")
        close(
            session=session,
            vault=world.vault,
            config=world.config,
            alert_id=alert_id,
            by="sam@council.test",
            action="called",
        )
        record(
            session=session, actor="dee@council.test", action="alert.view", subject_type="alert", subject_id=alert_id
        )
        zofia = session.exec(select(Participant).where(Participant.first_name == "Zofia")).one()
        record_contact(
            session=session,
            services=world,
            participant_id=zofia.id,
            outcome="spoke",
            note="Rang about the heating",
            by="dee@council.test",
        )
    held = json.loads(_cli("privacy", "export", "--phone", ZOFIA).output)
    text = json.dumps(held)
    assert DUTY not in text and DUTY.removeprefix("+44") not in text and "@council.test" not in text
    assert held["participant"]["phone"] == ZOFIA  # their own number is theirs
    assert {row["kind"] for row in held["outbox"]} == {"invitation"}
    notice = held["staff_notices"][0]
    assert notice["alert_id"] == alert_id and notice["kind"] == "alert" and notice["route"] == "sms"
    assert notice["queued_at"] and "to" not in notice and "body" not in notice
    alert = held["alerts"][0]
    assert alert["acknowledged_by"] == "Dee" and alert["closed_by"] == "a member of staff"
    assert [(row["actor"], row["action"]) for row in held["audit"]] == [("Dee", "alert.view")]
    [call] = held["calls_and_visits"]  # a call a worker recorded on their thread, and who made it, by name
    assert (call["outcome"], call["note"], call["recorded_by"]) == ("spoke", "Rang about the heating", "Dee")
    assert all("ip" not in row for row in held["audit"])


def test_export_of_an_unknown_number_says_nothing_is_held(world):
    held = json.loads(_cli("privacy", "export", "--phone", phone_number(77)).output)
    assert held["found"] is False and held["messages"] == [] and held["outbox"] == []


def test_a_bad_number_is_refused_without_echoing_it(world):
    result = _cli("privacy", "erase", "--phone", "not-a-number-123", "--yes", ok=False)
    assert result.exit_code == 2 and "not-a-number-123" not in result.output


def test_erase_waits_until_the_duty_team_has_closed_the_alert(world):
    result = _cli("privacy", "erase", "--phone", ZOFIA, "--yes", ok=False)
    assert result.exit_code == 1 and "must close it first" in result.output
    alert_id = _alert_id(world)
    with session_scope(world.engine) as session:
        acknowledge(session=session, vault=world.vault, config=world.config, alert_id=alert_id, by="Duty Worker")
    result = _cli("privacy", "erase", "--phone", ZOFIA, "--yes", ok=False)
    assert result.exit_code == 1 and f"#{alert_id}" in result.output
    with Session(world.engine) as session:
        assert session.exec(select(Participant).where(Participant.first_name == "Zofia")).first() is not None


def test_after_an_erase_the_person_is_nowhere(world, database_url):
    alert_id = _alert_id(world)
    with session_scope(world.engine) as session:
        zofia = session.exec(select(Participant).where(Participant.first_name == "Zofia")).one()
        phone_hash, pseudonym = zofia.phone_hash, zofia.pseudonym
        close(
            session=session,
            vault=world.vault,
            config=world.config,
            alert_id=alert_id,
            by="Duty Worker",
            action="called",
            note="Spoke to Zofia's carer",
        )
        record_contact(
            session=session, services=world, participant_id=zofia.id, outcome="met", note=CALL_NOTE, by="Worker"
        )
        session.add(OptOut(phone_hash=phone_hash, keyword="STOP"))
    before = dump_database(database_url)
    assert "Zofia" in before and HEATING in before and CALL_NOTE in before  # the search below would find them

    out = _cli(
        "privacy", "erase", "--phone", "+44 7700 900250", "--yes", "--by", "Data Protection Officer", "--forget-opt-out"
    ).output
    assert "erased: 1 participant" in out and "1 alert kept" in out

    dump = dump_database(database_url)
    assert find_numbers(dump, [ZOFIA]) == []
    for trace in ("Zofia", HEATING, DISCLOSURE, phone_hash, pseudonym, CALL_NOTE):
        assert trace not in dump, trace
    # The alert stays: that it happened, its category, who acknowledged it, but not what was said.
    with Session(world.engine) as session:
        alert = session.exec(select(Alert)).one()
        assert alert.categories and alert.status == "closed" and alert.action_taken == "called"
        assert alert.acknowledged_by == "Duty Worker"
        assert alert.participant_id is None and alert.message_id is None and alert.note is None
        notices = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "alert")).all()
        assert notices and all(pseudonym not in n.body for n in notices)
        # Everyone else is untouched.
        other = session.exec(select(Participant)).one()
        assert other.first_name == "Bartholomew"
        assert session.exec(select(Run)).one().participant_id == other.id
        assert {r.participant_id for r in session.exec(select(Response))} == {other.id}
        assert "the food is fine" in [m.body for m in session.exec(select(Message))]
    assert "Bartholomew" in dump and "the food is fine" in dump

    with Session(world.engine) as session:
        erased = session.exec(select(AuditEvent).where(AuditEvent.action == "privacy.erase")).one()
        assert erased.actor == "cli:Data Protection Officer" and erased.subject_type == "participant"
    again = _cli("privacy", "erase", "--phone", ZOFIA, "--yes").output
    assert "nothing held" in again


def test_a_stop_survives_erasure_by_default(world):
    alert_id = _alert_id(world)
    with session_scope(world.engine) as session:
        close(
            session=session,
            vault=world.vault,
            config=world.config,
            alert_id=alert_id,
            by="Duty Worker",
            action="no_further_action",
            note="spoke to her carer: it was a film she watched",
        )
    vault = world.vault
    with session_scope(world.engine) as session:
        session.add(OptOut(phone_hash=vault.hash(ZOFIA), keyword="LEAVE ME ALONE"))
    out = _cli("privacy", "erase", "--phone", ZOFIA, "--yes").output
    assert "0 opt-outs" in out
    with Session(world.engine) as session:
        kept = session.get(OptOut, vault.hash(ZOFIA))
        assert kept is not None and kept.keyword == "STOP"  # the hash and when, none of their words
        assert session.exec(select(Participant).where(Participant.phone_hash == vault.hash(ZOFIA))).first() is None


def test_a_web_chat_with_no_number_is_erased_by_pseudonym(world):
    from tests.web.test_chat_api import ChatUser

    user = ChatUser(create_app(services=world).test_client())
    user.start()
    user.say("yes")
    user.say("my social worker keeps changing every month")
    with Session(world.engine) as session:
        chatter = session.exec(select(Participant).where(Participant.source == "webchat")).one()
    held = json.loads(_cli("privacy", "export", "--pseudonym", chatter.pseudonym).output)
    assert len(held["chat_sessions"]) == 1 and "token_hash" not in held["chat_sessions"][0]
    _cli("privacy", "erase", "--pseudonym", chatter.pseudonym.lower(), "--yes")
    with Session(world.engine) as session:
        assert session.get(Participant, chatter.id) is None
        assert "my social worker keeps changing every month" not in [m.body for m in session.exec(select(Message))]

"""The demo, then subject access, erasure and retention, each checked on a dump of the whole database
(the SQLite file's bytes, or `pg_dump`): no young person's number in any format, ever; after the
erasure, nothing of the person erased; after retention, nobody's name, number or words."""

from __future__ import annotations

import csv
import json
from datetime import date, timedelta

import pytest
from click.testing import CliRunner

from tests.privacy.dumps import dump_database, find_numbers
from voice_service.cli import main
from voice_service.demo import DEMO_EMAIL, STRANGER_PHONE

PARTICIPANTS = 12
TEXT_IN = STRANGER_PHONE  # the number the demo onboards by texting in
WORRY = "sometimes i dont see the point anymore"  # the demo's worrying message


def _cli(*args: str) -> str:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def demo(database_url, tmp_path, monkeypatch):
    """The demo run into this test's database; returns the people it made, from its CSV."""
    monkeypatch.delenv("VOICE_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "demo-output"
    _cli("demo", "--no-serve", "--participants", str(PARTICIPANTS), "--out", str(out), "--database", database_url)
    with open(out / "participants.csv", newline="") as handle:
        people = list(csv.DictReader(handle))
    assert len(people) == PARTICIPANTS
    # The CLI commands below read the same (demo) database.
    config = tmp_path / "config.toml"
    config.write_text(f'[app]\ndemo = true\n[database]\nurl = "{database_url}"\n')
    monkeypatch.setenv("VOICE_CONFIG", str(config))
    return people


def test_the_demo_duty_phone_is_no_young_person(demo):
    """Trial 9, T9-A: the number the demo onboarded by texting in was its duty phone, which then got the round's
    invitations as a young person."""
    from voice_service.cli.demo import DEMO_DUTY_PHONE

    assert DEMO_DUTY_PHONE not in [person["phone"] for person in demo] + [TEXT_IN]
    assert json.loads(_cli("privacy", "export", "--phone", DEMO_DUTY_PHONE))["found"] is False
    assert json.loads(_cli("privacy", "export", "--phone", TEXT_IN))["found"] is True


def test_no_number_in_any_format_after_the_demo(demo, database_url):
    dump = dump_database(database_url)
    assert "Amira" in dump  # the dump is readable: names are there, numbers must not be
    numbers = [person["phone"] for person in demo] + [TEXT_IN]
    assert find_numbers(dump, numbers) == []


def test_export_erase_and_purge_leave_nothing_to_find(demo, database_url):
    worried = next(person for person in demo if person["first_name"] == "Priya")
    held = json.loads(_cli("privacy", "export", "--phone", worried["phone"]))
    assert held["participant"]["first_name"] == "Priya" and held["alerts"]
    assert WORRY in [m["body"] for m in held["messages"]]
    texts = [m["body"] for m in held["messages"] if m["direction"] == "in" and len(m["body"]) >= 10]

    alert = held["alerts"][0]["id"]
    _cli("alerts", "close", str(alert), "--by", DEMO_EMAIL, "--action", "called")
    _cli("privacy", "erase", "--phone", worried["phone"], "--yes")
    dump = dump_database(database_url)
    assert find_numbers(dump, [worried["phone"]]) == []
    for trace in ["Priya", held["participant"]["pseudonym"], *texts]:
        assert trace not in dump, trace
    assert "Amira" in dump  # everyone else is still there

    # Retention keeps anyone whose alert is still being dealt with; here the duty team has closed them all.
    _close_every_alert(database_url)
    later = date.today() + timedelta(days=730 + 1)
    # A later date deletes what retention still keeps today: it is counted first, and asked about.
    dry = _cli("privacy", "purge", "--as-of", later.isoformat(), "--dry-run")
    assert "nothing removed" in dry and f"participants removed={PARTICIPANTS}" in dry
    assert "Amira" in dump_database(database_url)
    refused = CliRunner().invoke(main, ["privacy", "purge", "--as-of", later.isoformat()], input="\n")
    assert refused.exit_code == 1 and "cannot be undone" in refused.output and "Aborted" in refused.output
    assert "Amira" in dump_database(database_url)
    out = _cli("privacy", "purge", "--as-of", later.isoformat(), "--yes")
    assert f"participants removed={PARTICIPANTS}" in out  # all but Priya, and the number that texted in
    dump = dump_database(database_url)
    assert find_numbers(dump, [person["phone"] for person in demo] + [TEXT_IN]) == []
    for person in demo:
        # A name of two or three letters ("Mo") turns up by chance inside encrypted or encoded
        # bytes, so those are looked for as stored values instead; longer names in the raw dump.
        if len(person["first_name"]) >= 4:
            assert person["first_name"] not in dump, person["first_name"]
    assert _stored_first_names(database_url) == []
    for words in ("my carers r really kind", "contact keeps getting cancelled", WORRY):
        assert words not in dump, words


def _close_every_alert(database_url: str) -> None:
    from sqlmodel import select

    from voice_service.config import config_path, load
    from voice_service.context import Services
    from voice_service.db import session_scope
    from voice_service.models import Alert, AlertStatus
    from voice_service.safeguarding.alerts import close

    services = Services.from_config(load(config_path(None)))  # the demo's, as the commands above read it
    assert services.config.database.url == database_url
    with session_scope(services.engine) as session:
        for alert in session.exec(select(Alert).where(Alert.status != AlertStatus.CLOSED)).all():
            close(
                session=session,
                vault=services.vault,
                config=services.config,
                alert_id=alert.id,
                by="Duty Worker",
                action="no_further_action",
                note="spoke to her carer: it was a film she watched",
            )
    services.engine.dispose()


def _stored_first_names(database_url: str) -> list[str]:
    from sqlmodel import Session, select

    from voice_service.db import make_engine
    from voice_service.models import Participant

    engine = make_engine(database_url)
    with Session(engine) as session:
        names = [p.first_name for p in session.exec(select(Participant)).all() if p.first_name]
    engine.dispose()
    return names

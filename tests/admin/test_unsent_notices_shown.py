"""Trial finding 6: `serve` up, no scheduler running, a young person discloses: the duty notice waits in
the outbox and nobody is told. Past `[safeguarding] unsent_notice_minutes` it is loud: /healthz says
"degraded" (503 for a monitor asking with ?monitor=1), the dashboard's home, alerts and alert pages show a
banner naming the command to run, and `alerts list` warns. Once the notices have gone, all quiet again.

The notices are made to have been queued ten minutes ago (as if the scheduler had been down that long),
well past the 2-minute default and well short of the 60 minutes a council may set instead."""

from __future__ import annotations

from datetime import timedelta

import pytest
from click.testing import CliRunner
from sqlmodel import Session, col, delete, select, update

from tests.admin.conftest import duty_config
from voice_service.models import OutboxMessage, OutboxStatus, SchedulerHeartbeat, utcnow
from voice_service.safeguarding.unsent import SCHEDULER_COMMAND
from voice_service.scheduler.heartbeat import record_heartbeat

BANNER = "Notices are not being sent"


@pytest.fixture
def config(database_url):
    return duty_config(database_url)


def _cli(services, *args: str, **settings: str) -> str:
    from voice_service.cli import main

    env = {
        f"VOICE_{s.upper()}_{k.upper()}": ",".join(v) if isinstance(v, list) else str(v)
        for s, values in services.config.as_dict().items()
        for k, v in values.items()
    }
    env.update({f"VOICE_SAFEGUARDING_{key.upper()}": value for key, value in settings.items()})
    result = CliRunner(env=env).invoke(main, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _queued_minutes_ago(services, minutes: int) -> None:
    """The alert's notices were queued `minutes` ago and nothing has sent them."""
    then = utcnow() - timedelta(minutes=minutes)
    with Session(services.engine) as session:
        session.exec(update(OutboxMessage).values(not_before=then, created_at=then))  # type: ignore[call-overload]
        session.commit()


def _pages(duty, alert_id: int, *, alert_page: bool = True) -> dict[str, str]:
    paths = ("/admin/", "/admin/alerts", *((f"/admin/alerts/{alert_id}",) if alert_page else ()))
    return {path: duty.get(path).get_data(as_text=True) for path in paths}


def _scheduler_ran_minutes_ago(services, minutes: int) -> None:
    record_heartbeat(services.engine, utcnow() - timedelta(minutes=minutes))


def test_notices_waiting_with_no_scheduler_are_loud(client, services, disclose, admin_client):
    _scheduler_ran_minutes_ago(services, 0)  # its heartbeat is fresh: only the notices waiting are said
    raised = disclose("he said he'll hurt me if i tell anyone")
    duty = admin_client("duty")
    # Just queued: nothing to say yet.
    assert client.get("/healthz").get_json()["status"] == "ok"
    assert all(BANNER not in page for page in _pages(duty, raised.alert_id).values())
    assert "WARNING" not in _cli(services, "alerts", "list")

    _queued_minutes_ago(services, 10)
    health = client.get("/healthz")
    assert health.status_code == 200  # a load balancer keeps sending young people's texts here
    body = health.get_json()
    assert body["status"] == "degraded" and body["database"] == "ok"
    assert body["duty_notices"]["unsent"] >= 1 and body["duty_notices"]["oldest_minutes"] >= 10
    assert client.get("/healthz?monitor=1").status_code == 503  # a monitor that pages someone notices
    for path, page in _pages(duty, raised.alert_id).items():
        assert BANNER in page, path
        assert f"<code>{SCHEDULER_COMMAND}</code>" in page, path
        assert "Is the scheduler running?" in page, path
    listed = _cli(services, "alerts", "list")
    assert "WARNING: Safeguarding notices are not being sent" in listed and f"`{SCHEDULER_COMMAND}`" in listed
    # A council that allows longer ([safeguarding] unsent_notice_minutes = 60) is not warned at 10 minutes.
    assert "WARNING" not in _cli(services, "alerts", "list", unsent_notice_minutes="60")

    # The scheduler starts and sends them: quiet again.
    with Session(services.engine) as session:
        session.exec(  # type: ignore[call-overload]
            update(OutboxMessage).values(status=OutboxStatus.SENT, sent_at=utcnow())
        )
        session.commit()
        assert session.exec(select(OutboxMessage).where(col(OutboxMessage.status) != OutboxStatus.SENT)).all() == []
    assert client.get("/healthz?monitor=1").get_json()["status"] == "ok"
    assert all(BANNER not in page for page in _pages(duty, raised.alert_id).values())
    assert "WARNING" not in _cli(services, "alerts", "list")


SILENT = "The scheduler has not run since"


def test_a_scheduler_silent_past_its_limit_is_loud_before_any_alert_needs_it(client, services, admin_client):
    """A crashed scheduler, no alert yet: /healthz "degraded" (503 for a monitor), the duty pages' banner says
    since when (the council's clock) and what to run, `alerts list` warns. A fresh heartbeat: quiet again."""
    from voice_service.dates import local, uk_day_time

    duty = admin_client("duty")
    with Session(services.engine) as session:
        session.exec(delete(SchedulerHeartbeat))  # type: ignore[call-overload]
        session.commit()
    # Never run on this database (a server started without one): said too.
    body = client.get("/healthz").get_json()
    assert body["status"] == "degraded" and body["scheduler"] == {"last_run_minutes": None, "after_minutes": 5}
    assert "The scheduler has never run on this database" in duty.get("/admin/").get_data(as_text=True)

    _scheduler_ran_minutes_ago(services, 2)
    assert client.get("/healthz?monitor=1").get_json()["status"] == "ok"
    assert all(BANNER not in page for page in _pages(duty, 0, alert_page=False).values())
    assert "WARNING" not in _cli(services, "alerts", "list")

    last = utcnow() - timedelta(minutes=12)
    record_heartbeat(services.engine, last)
    health = client.get("/healthz")
    assert health.status_code == 200  # a load balancer keeps sending young people's texts here
    body = health.get_json()
    assert body["status"] == "degraded" and body["duty_notices"]["unsent"] == 0
    assert body["scheduler"]["last_run_minutes"] >= 12 and body["scheduler"]["after_minutes"] == 5
    assert client.get("/healthz?monitor=1").status_code == 503
    zone = services.config.app.timezone
    same_day = local(last, zone).date() == local(utcnow(), zone).date()
    clock = f"since {local(last, zone):%H:%M} (" if same_day else f"since {uk_day_time(last, zone)} ("
    for path, page in _pages(duty, 0, alert_page=False).items():
        assert BANNER in page and SILENT in page, path
        assert clock in page, path
        assert f"<code>{SCHEDULER_COMMAND}</code>" in page, path
    listed = _cli(services, "alerts", "list")
    assert f"WARNING: {SILENT}" in listed and f"`{SCHEDULER_COMMAND}`" in listed
    # A council that allows longer ([safeguarding] scheduler_silent_minutes = 60) is not warned at 12 minutes.
    assert "WARNING" not in _cli(services, "alerts", "list", scheduler_silent_minutes="60")

    _scheduler_ran_minutes_ago(services, 0)  # it runs again
    assert client.get("/healthz?monitor=1").get_json()["status"] == "ok"
    assert all(BANNER not in page for page in _pages(duty, 0, alert_page=False).values())

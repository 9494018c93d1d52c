"""`voice-service scheduler`: take the lock, start APScheduler on the database's job store, run the dispatcher.

Jobs live in the `apscheduler_jobs` table. They are added only when missing, so after
downtime APScheduler sees their missed run times: each job runs once (coalesced) if it is
at most `misfire_grace_minutes` late, and waits for its next time otherwise. Recurring
rounds apply the same rule to their own occurrences. The dispatcher loop runs in the
main thread and polls every `poll_seconds`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from .lock import SchedulerLock

log = logging.getLogger(__name__)

JOBS_TABLE = "apscheduler_jobs"


def job_specs() -> list[dict]:
    """The scheduler's jobs: id, function reference and trigger."""
    return [
        {
            "id": "rounds",
            "func": "voice_service.scheduler.jobs:launch_scheduled_rounds_job",
            "trigger": "interval",
            "minutes": 1,
        },
        {"id": "spool", "func": "voice_service.scheduler.jobs:replay_spool_job", "trigger": "interval", "seconds": 30},
        {"id": "close", "func": "voice_service.scheduler.jobs:close_rounds_job", "trigger": "interval", "minutes": 1},
        {
            "id": "reminders",
            "func": "voice_service.scheduler.jobs:send_reminders_job",
            "trigger": "interval",
            "minutes": 15,
        },
        {
            "id": "alerts",
            "func": "voice_service.scheduler.jobs:renotify_alerts_job",
            "trigger": "interval",
            "minutes": 1,
        },
        {
            "id": "escalate",
            "func": "voice_service.scheduler.jobs:escalate_alerts_job",
            "trigger": "interval",
            "minutes": 1,
        },
        {
            "id": "retention",
            "func": "voice_service.scheduler.jobs:purge_old_data_job",
            "trigger": "cron",
            "hour": 3,
            "minute": 15,
        },
    ]


def build_scheduler(services):
    """A BackgroundScheduler with its job store in the service's database and every job registered."""
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.background import BackgroundScheduler

    from . import jobs

    jobs.bind(services)
    grace = services.config.schedule.misfire_grace_minutes * 60
    scheduler = BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=services.engine, tablename=JOBS_TABLE)},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": max(1, grace)},
        timezone=services.config.app.timezone,
    )
    return scheduler


def register_jobs(scheduler) -> None:
    """Add each job unless the store already has it (keeping its next run time, so misses are seen)."""
    for spec in job_specs():
        spec = dict(spec)
        job_id = spec.pop("id")
        existing = scheduler.get_job(job_id)
        if existing is not None and existing.func_ref == spec["func"]:
            continue
        scheduler.add_job(id=job_id, replace_existing=True, **spec)


def run_scheduler(
    services, *, stop: threading.Event | None = None, dispatch: bool = True, on_ready: Callable[[], None] | None = None
) -> None:
    """Run until `stop` is set: the lock, the jobs, and the dispatcher polling the outbox."""
    from ..outbox.dispatch import build_dispatcher

    stop = stop or threading.Event()
    services.config.require_duty_route()
    # Built first: a configuration mistake (no Twilio sender, a missing CA file) stops us before
    # the lock is taken or any job has run.
    dispatcher = build_dispatcher(services) if dispatch else None
    lock = SchedulerLock(services.engine).acquire()
    scheduler = None
    try:
        scheduler = build_scheduler(services)
        scheduler.start(paused=True)
        register_jobs(scheduler)
        scheduler.resume()
        log.info("scheduler running: %s jobs; dispatcher %s", len(scheduler.get_jobs()), "on" if dispatch else "off")
        if on_ready:
            on_ready()
        poll = services.config.schedule.poll_seconds
        while not stop.is_set():
            if not lock.healthy():
                log.error("lost the scheduler lock (database session ended); stopping")
                break
            if dispatcher is not None:
                try:
                    report = dispatcher.flush(stop=stop.is_set)
                    if report.sent or report.failed or report.retrying:
                        log.info(
                            "dispatched: sent %s, retrying %s, failed %s, held %s",
                            report.sent,
                            report.retrying,
                            report.failed,
                            report.held,
                        )
                except Exception:
                    # A database or network hiccup must not end the one process that sends alerts.
                    log.exception("dispatcher pass failed; trying again shortly")
            stop.wait(poll)
    finally:
        if scheduler is not None and scheduler.running:
            scheduler.shutdown(wait=True)
        if dispatcher is not None:
            dispatcher.close()
        lock.release()
        log.info("scheduler stopped")

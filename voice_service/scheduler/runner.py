"""`voice-service scheduler`: take the lock, start APScheduler on the database's job store, run the dispatcher.

Jobs live in the `apscheduler_jobs` table. They are added only when missing, so after
downtime APScheduler sees their missed run times: each job runs once (coalesced) if it is
at most `misfire_grace_minutes` late, and waits for its next time otherwise. Recurring
rounds apply the same rule to their own occurrences. The dispatcher loop runs in the
main thread and polls every `poll_seconds`; before each pass it picks up a change to the send
windows in the config file, without a restart (`config_watch`), and writes the scheduler's
heartbeat (`heartbeat`: also between the batches of a long pass), which /healthz, the dashboard
and `alerts list` watch.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from apscheduler.executors.pool import ThreadPoolExecutor

from ..models import utcnow
from .config_watch import ConfigWatch, apply_windows
from .heartbeat import Heartbeat
from .lock import AlreadyRunning, SchedulerLock

if TYPE_CHECKING:
    from ..config import Config
    from ..context import Services

log = logging.getLogger(__name__)

JOBS_TABLE = "apscheduler_jobs"
# Stored as each job's first argument and replaced, when the job runs, by this process's services.
SERVICES = "<services>"


def job_specs() -> list[dict]:
    """The scheduler's jobs: id, function reference and trigger."""
    return [
        {
            "id": "rounds",
            "func": "voice_service.scheduler.jobs:launch_scheduled_rounds",
            "trigger": "interval",
            "minutes": 1,
        },
        {"id": "spool", "func": "voice_service.scheduler.jobs:replay_spool", "trigger": "interval", "seconds": 30},
        {"id": "close", "func": "voice_service.scheduler.jobs:close_rounds", "trigger": "interval", "minutes": 1},
        {
            "id": "reminders",
            "func": "voice_service.scheduler.jobs:send_reminders",
            "trigger": "interval",
            "minutes": 15,
        },
        {
            "id": "alerts",
            "func": "voice_service.scheduler.jobs:renotify_alerts",
            "trigger": "interval",
            "minutes": 1,
        },
        {
            "id": "escalate",
            "func": "voice_service.scheduler.jobs:escalate_alerts",
            "trigger": "interval",
            "minutes": 1,
        },
        {
            "id": "retention",
            "func": "voice_service.scheduler.jobs:purge_old_data",
            "trigger": "cron",
            "hour": 3,
            "minute": 15,
        },
    ]


class ServicesExecutor(ThreadPoolExecutor):
    """Runs each stored job with this process's services in place of its `SERVICES` argument.

    APScheduler keeps only a job's function name and trigger in the database, so the services
    are handed over here, where the job runs, instead of through a module-level global.
    """

    def __init__(self, services: Services, max_workers: int = 4):
        super().__init__(max_workers)
        self._services = services

    def _do_submit_job(self, job, run_times):
        super()._do_submit_job(_WithServices(job, self._services), run_times)


class _WithServices:
    """The parts of a stored job `apscheduler.executors.base.run_job` reads, with the services bound in."""

    def __init__(self, job, services: Services):
        self._job = job
        self.id = job.id
        self._jobstore_alias = job._jobstore_alias
        self.misfire_grace_time = job.misfire_grace_time
        self.func = job.func
        self.args = tuple(services if arg == SERVICES else arg for arg in job.args)
        self.kwargs = job.kwargs

    def __str__(self) -> str:
        return str(self._job)


def build_scheduler(services: Services):
    """A BackgroundScheduler with its job store in the service's database, running jobs with these services."""
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.background import BackgroundScheduler

    grace = services.config.schedule.misfire_grace_minutes * 60
    scheduler = BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=services.engine, tablename=JOBS_TABLE)},
        executors={"default": ServicesExecutor(services)},
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
        if existing is not None and existing.func_ref == spec["func"] and tuple(existing.args) == (SERVICES,):
            continue
        scheduler.add_job(id=job_id, replace_existing=True, args=[SERVICES], **spec)


def _take_lock_again(lock: SchedulerLock, stop: threading.Event, poll: float) -> bool:
    """Wait for the database and take the scheduler lock again; False when stopped meanwhile or when another
    scheduler took the lock while this one could not hold it (this one then stops: one scheduler runs)."""
    while not stop.is_set():
        try:
            if lock.reacquire():
                return True
        except AlreadyRunning:
            log.error("another scheduler took the lock while the database was away; stopping this one")
            return False
        stop.wait(poll)
    return False


def run_scheduler(
    services: Services,
    *,
    stop: threading.Event | None = None,
    dispatch: bool = True,
    on_ready: Callable[[], None] | None = None,
    config_file: Path | None = None,
    now: Callable[[], datetime] = utcnow,
) -> None:
    """Run until `stop` is set: the lock, the jobs, and the dispatcher polling the outbox.

    `config_file`: the file `services.config` was loaded from; a change to its send windows applies
    from the next pass (None: nothing to watch). `now`: the dispatcher's and the heartbeat's clock."""
    from ..outbox.dispatch import build_dispatcher, unreadable_message

    stop = stop or threading.Event()
    services.config.require_ready_to_start(sending=dispatch)
    for warning in (services.config.out_of_hours_warning(), services.config.council_name_warning()):
        if warning:
            log.warning(warning)
    # Built first: a configuration mistake (no Twilio sender, a missing CA file) stops us before
    # the lock is taken or any job has run.
    dispatcher = build_dispatcher(services, now=now) if dispatch else None
    watch = ConfigWatch(config_file, services.config)
    lock = SchedulerLock(services.engine).acquire()
    scheduler = None
    try:
        scheduler = build_scheduler(services)
        scheduler.start(paused=True)
        register_jobs(scheduler)
        scheduler.resume()
        log.info("scheduler running: %s jobs; dispatcher %s", len(scheduler.get_jobs()), "on" if dispatch else "off")
        poll = services.config.schedule.poll_seconds
        heartbeat = Heartbeat(services.engine, now=now, every_seconds=poll)
        heartbeat.beat()  # before anyone is told it is ready: /healthz is quiet from the start

        def stopping() -> bool:
            heartbeat.beat()  # a long pass (a big round) is not a silent scheduler
            return stop.is_set()

        if on_ready:
            on_ready()
        to_apply: Config | None = None
        while not stop.is_set():
            if not lock.healthy():
                # The database restarted or failed over (the lock's session ended with it). Stopping here left
                # nothing to send duty notices or store the texts spooled meanwhile until someone restarted us:
                # the jobs wait instead, and carry on once the lock is ours again.
                log.error("lost the scheduler lock (database session ended): jobs paused until it is back")
                scheduler.pause()
                if not _take_lock_again(lock, stop, poll):
                    break
                scheduler.resume()
                log.info("scheduler lock taken again: jobs resumed")
                continue
            # Each pass starts on the config file's send windows as they are now; held texts are judged
            # again by them (retried next pass if the database was not there to do it).
            to_apply = watch.check() or to_apply
            heartbeat.beat()
            if dispatcher is not None:
                try:
                    if to_apply is not None:
                        apply_windows(dispatcher, to_apply)
                        to_apply = None
                    report = dispatcher.flush(stop=stopping)
                    if report.unreadable:
                        log.error("%s", unreadable_message(report.unreadable))
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

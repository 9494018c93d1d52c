"""The one scheduler process: APScheduler jobs (rounds, reminders, closing, alerts, retention) and the dispatcher."""

from .lock import AlreadyRunning, SchedulerLock
from .runner import run_scheduler

__all__ = ["AlreadyRunning", "SchedulerLock", "run_scheduler"]

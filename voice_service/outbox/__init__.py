"""The persistent outbox: queue in the caller's transaction, send later with `dispatch`."""

from .queue import enqueue

__all__ = ["enqueue"]

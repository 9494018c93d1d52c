"""One transaction with one retry: the answer to a concurrent writer winning a unique key.

A webhook retried by Twilio while the first is still running, a double-tapped Send, a new
number texting twice at once, or two schedulers launching the same occurrence: the loser
hits a unique constraint (IntegrityError), rolls back, and runs its work once more, when it
finds the winner's row and answers from it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

T = TypeVar("T")


def retry_on_conflict(engine: Engine, work: Callable[[Session], T], *, attempts: int = 2) -> T:
    """Run `work(session)` in a transaction of its own and commit; on IntegrityError roll back and run it again.

    The last attempt's IntegrityError is raised. `work` must be safe to run twice (it is in a fresh
    transaction each time, so nothing of the failed attempt remains).
    """
    for attempt in range(1, attempts + 1):
        with Session(engine, expire_on_commit=False) as session:
            try:
                result = work(session)
                session.commit()
                return result
            except IntegrityError:
                session.rollback()
                if attempt == attempts:
                    raise
    raise ValueError("attempts must be at least 1")

"""Key rotation (`voice-service privacy rotate-key`): re-encrypt every stored number under the new `phone_key`.

Configure the new key as `phone_key` and the one it replaces in `old_phone_keys`, and restart
`serve` and `scheduler`; both keys decrypt while the rotation runs, so the service keeps working
(the command refuses while a process on this machine predates the change: `processes.py`). Rows are re-encrypted in
batches, each committed on its own: if the command is interrupted, running it again skips
every row already under the new key and carries on. When it reports nothing left under an
old key, remove `old_phone_keys`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from ..models import OutboxMessage, Participant
from .vault import PhoneVault

log = logging.getLogger(__name__)

# (model, primary key, encrypted column): every place a number or contact address is stored encrypted.
ENCRYPTED = (
    (Participant, col(Participant.id), "phone_encrypted"),
    (OutboxMessage, col(OutboxMessage.id), "to_encrypted"),
)


@dataclass
class RotationReport:
    """How many stored values were re-encrypted, were already under the new key, or could not be read."""

    rotated: int = 0
    already_current: int = 0
    unreadable: int = 0
    batches: int = 0

    @property
    def finished(self) -> bool:
        """True when every stored value is under the new key (the old keys can be removed)."""
        return self.unreadable == 0


def rotate_keys(
    *,
    engine: Engine,
    vault: PhoneVault,
    batch_size: int = 500,
    after_batch: Callable[[RotationReport], None] | None = None,
) -> RotationReport:
    """Re-encrypt every stored number under the vault's current key, committing after each batch.

    `after_batch` is called with the running totals once each batch has committed (the
    command prints progress with it; tests interrupt the rotation from it).
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    report = RotationReport()
    for model, key, column in ENCRYPTED:
        last_id = 0
        while True:
            with Session(engine) as session:
                rows = list(
                    session.exec(
                        select(model)
                        .where(key > last_id, getattr(model, column).is_not(None), getattr(model, column) != "")
                        .order_by(key)
                        .limit(batch_size)
                    )
                )
                if not rows:
                    break
                for row in rows:
                    token = getattr(row, column)
                    if vault.is_current(token):
                        report.already_current += 1
                        continue
                    try:
                        setattr(row, column, vault.rotate(token))
                    except ValueError:
                        report.unreadable += 1  # a key is missing from the configuration: say so, never guess
                        continue
                    report.rotated += 1
                last_id = _id(rows[-1])
                session.commit()
            report.batches += 1
            if after_batch is not None:
                after_batch(report)
    log.info(
        "key rotation: %s re-encrypted, %s already under the new key, %s unreadable",
        report.rotated,
        report.already_current,
        report.unreadable,
    )
    return report


def _id(row: Any) -> int:
    return int(row.id)


__all__ = ["ENCRYPTED", "RotationReport", "rotate_keys"]

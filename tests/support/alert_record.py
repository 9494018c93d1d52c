"""An alert's notes as one text, one a line, oldest first (`safeguarding.history.notes`): what tests compare."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session

from voice_service.models import Alert
from voice_service.safeguarding.history import notes


def notes_of(database: Engine | Session, alert_id: int | None) -> str | None:
    """Every note on the alert, one a line (None when there is none), read in the test's own session when it has
    one open (SQLite would wait on a second connection while it writes), else a new one."""
    if isinstance(database, Session):
        return _notes(database, alert_id)
    with Session(database) as session:
        return _notes(session, alert_id)


def _notes(session: Session, alert_id: int | None) -> str | None:
    alert = session.get(Alert, alert_id)
    assert alert is not None
    return "\n".join(notes(session=session, alert=alert)) or None

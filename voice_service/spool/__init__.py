"""The inbound spool: a young person's message is never lost because the database was down.

`guard.install(app)` puts the inbound views under a database deadline and spools what the
database cannot take; `replay.replay(services)` stores it later (run by the scheduler and
`voice-service spool replay`); `store.Spool` is the file itself; `early.start` tells the duty team at once of a
worrying message spooled, without the database.
"""

from .store import Depth, Record, Spool, SpoolError

__all__ = ["Depth", "Record", "Spool", "SpoolError"]

"""Gunicorn access logging without secrets: chat session ids, invite tokens and /r/ page tokens in paths are blanked.

The service's format (`cli/serve.py`) names six atoms, and its lines are built from those alone
(`_line_atoms`): gunicorn's own `atoms()` puts every request header, response header and WSGI
environ variable into a dictionary and escapes each of them, on every request. When the access log
goes only to gunicorn's own handler (`--access-logfile`: standard output or a file, the service's
settings), the line is written to it directly (`_plain_handler`): a LogRecord made for each request,
with the caller's frame looked up, and handed through the logging machinery cost the workers more
than the line itself. Any other logging set-up (syslog, a logging config, a filter) gets a record, as before.
"""

from __future__ import annotations

import functools
import logging
import re
import traceback

from gunicorn.glogging import Logger

# /chat/<invite>, /api/chat/sessions/<session id>[/messages]: bearer credentials; /r/<token>: the
# unguessable link to a round's young people's page.
TOKEN_PATHS = re.compile(r"^(/chat/|/api/chat/sessions/|/r/)(?!start$|send$|leave$)[^/]+")


def redact_path(path: str) -> str:
    """The path with any token segment replaced by `<token>`."""
    return TOKEN_PATHS.sub(r"\1<token>", path)


class RedactingLogger(Logger):
    """Gunicorn's logger with token-bearing path segments blanked before the access line is written."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["U"] = redact_path(atoms.get("U", ""))
        # The request line "GET /path?query HTTP/1.1": keep method and protocol, drop the query, blank tokens.
        parts = atoms.get("r", "").split(" ")
        if len(parts) == 3:
            atoms["r"] = f"{parts[0]} {redact_path(parts[1].split('?', 1)[0])} {parts[2]}"
        return atoms

    def access(self, resp, req, environ, request_time):
        """As gunicorn's `access`; for a format of only the atoms `_LINE_ATOMS` works out (the service's own),
        without gunicorn's dictionary of every header and environ variable."""
        if not self.access_log_enabled:
            return
        form = self.cfg.access_log_format
        if not _only_line_atoms(form):
            super().access(resp, req, environ, request_time)
            return
        try:
            atoms = _line_atoms(resp, environ, request_time)
            handler = _plain_handler(self.access_log)
            if handler is None:
                self.access_log.info(form, atoms)
                return
            line = form % atoms  # what the record's getMessage() gives, and the "%(message)s" formatter
            with handler.lock:  # as Handler.handle takes it; gunicorn's reopen_files swaps the stream under it
                stream = handler.stream
                if stream is not None:
                    stream.write(line + handler.terminator)
                    stream.flush()
                    return
            self.access_log.info(form, atoms)  # a file handler closed meanwhile: its emit opens it again
        except Exception:
            self.error(traceback.format_exc())


def _plain_handler(logger: logging.Logger) -> logging.StreamHandler | None:
    """The one handler an INFO record on `logger` would go to, when it is gunicorn's own (a stream or file
    handler with its "%(message)s" formatter, no filters, nothing passed on to other loggers), so that writing
    the line to its stream is all that handing it a record would do; else None."""
    if len(logger.handlers) != 1 or logger.propagate or logger.filters or not logger.isEnabledFor(logging.INFO):
        return None
    handler = logger.handlers[0]
    if not isinstance(handler, logging.StreamHandler) or (
        type(handler) not in (logging.StreamHandler, logging.FileHandler)
        or not getattr(handler, "_gunicorn", False)
        or handler.filters
        or handler.level > logging.INFO
        or handler.stream is None  # a file handler opened lazily: its own emit opens it
        or handler.lock is None
    ):
        return None
    formatter = handler.formatter
    if type(formatter) is not logging.Formatter or type(formatter._style) is not logging.PercentStyle:
        return None
    return handler if formatter._fmt == "%(message)s" else None


_LINE_ATOMS = frozenset("hmUsbL")


def _line_atoms(resp, environ: dict, request_time) -> dict:
    """The atoms h, m, U, s, b and L as `RedactingLogger.atoms` gives them, escaped as gunicorn's SafeAtoms does."""
    status = resp.status
    if isinstance(status, str):
        status = status.split(None, 1)[0]
    sent = getattr(resp, "sent", None)
    atoms = {
        "h": environ.get("REMOTE_ADDR", "-"),
        "m": environ.get("REQUEST_METHOD"),
        "U": redact_path(environ.get("PATH_INFO", "")),
        "s": status,
        "b": sent is not None and str(sent) or "-",
        "L": f"{request_time.seconds:d}.{request_time.microseconds:06d}",
    }
    return {name: value.replace('"', '\\"') if isinstance(value, str) else value for name, value in atoms.items()}


class _Names(dict):
    """Records the atoms a format asks for (any value will do for %s, %d or %f)."""

    def __missing__(self, name: str) -> int:
        self[name] = 0
        return 0


@functools.lru_cache(maxsize=8)
def _only_line_atoms(form: str) -> bool:
    """True when the access log format names only atoms in `_LINE_ATOMS`."""
    names = _Names()
    try:
        form % names
    except Exception:  # gunicorn's own way formats (or reports) it
        return False
    return bool(names) and set(names) <= _LINE_ATOMS

"""Gunicorn access logging without secrets: chat session ids, invite tokens and /r/ page tokens in paths are blanked.

The service's format (`cli/serve.py`) names six atoms, and its lines are built from those alone
(`_line_atoms`): gunicorn's own `atoms()` puts every request header, response header and WSGI
environ variable into a dictionary and escapes each of them, on every request.
"""

from __future__ import annotations

import functools
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
            self.access_log.info(form, _line_atoms(resp, environ, request_time))
        except Exception:
            self.error(traceback.format_exc())


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

"""Gunicorn access logging without secrets: chat session ids, invite tokens and /r/ page tokens in paths are blanked."""

from __future__ import annotations

import re

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

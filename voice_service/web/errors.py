"""App-wide error answers for addresses no blueprint handles: JSON under `/api/`, a plain friendly
page in the young people's layout elsewhere. The dashboard (`/admin/...`) keeps its own error pages
and the Twilio webhooks (`/sms/...`) their plain-text answers (`web.sms.routes.plain_error`), for an
address there no route took too (a GET is a 405 before any route, so before any blueprint)."""

from __future__ import annotations

from flask import Flask, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from .chat.security import csrf_token, finish_response
from .sms.routes import plain_error

NOT_FOUND_TITLE = "Sorry, we can't find that page"
PROBLEM_TITLE = "Sorry, there is a problem"
PROBLEM_TEXT = "Something went wrong with that. Please try again."


def _kept_as_they_are(path: str) -> bool:
    """Addresses whose errors are the dashboard's."""
    return path == "/admin" or path.startswith("/admin/")


def json_error(error: HTTPException):
    """An HTTP error as the JSON API's `{"error": code, "message": text}`, with its Allow header on a 405."""
    code = error.code or 500
    response = jsonify(error=error.name.lower().replace(" ", "_"), message=error.description or error.name)
    response.status_code = code
    allowed = dict(error.get_headers()).get("Allow")
    if allowed:
        response.headers["Allow"] = allowed
    return finish_response(response)


def friendly_page(error: HTTPException):
    """An HTTP error as a plain page in the young people's layout, with help numbers in the footer."""
    code = error.code or 500
    config = current_app.extensions["voice"].config
    title = NOT_FOUND_TITLE if code == 404 else PROBLEM_TITLE
    body = render_template(
        "chat/not_found.html" if code == 404 else "chat/error.html",
        title=title,
        message=PROBLEM_TEXT,
        csrf=csrf_token(),
        council=config.app.council_name,
        exit_url=config.webchat.exit_url,
    )
    response = current_app.make_response((body, code))
    allowed = dict(error.get_headers()).get("Allow")
    if allowed:
        response.headers["Allow"] = allowed
    return finish_response(response)


def install(app: Flask) -> None:
    """Answer errors no blueprint answered; call after every blueprint is registered, so a handler the
    dashboard registered for unrouted `/admin/...` addresses is still the one used there."""
    previous = app.error_handler_spec[None][None].get(HTTPException)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        """JSON under /api/, a friendly page for the public's unrouted addresses, the rest as before."""
        if request.path == "/api" or request.path.startswith("/api/"):
            return json_error(error)
        if request.path.startswith("/sms/"):
            return plain_error(error)
        if request.blueprint is None and not _kept_as_they_are(request.path):
            return friendly_page(error)
        return previous(error) if previous is not None else error

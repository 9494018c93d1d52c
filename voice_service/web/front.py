"""The front page `/`: two doors, the chat for young people and the sign-in for staff; and `/favicon.ico`."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, send_from_directory

from .admin.security import SECURITY_HEADERS

bp = Blueprint("front", __name__)


def number_to_text(config) -> str:
    """The number young people can text, or "" when the council has none (texts go nowhere but the console):
    the one rule for every page that offers texting, as "text us" with no number helps nobody."""
    return config.twilio.from_number if config.sms.provider == "twilio" else ""


@bp.get("/")
def front_page():
    """A plain page pointing young people to the chat and staff to the sign-in."""
    config = current_app.extensions["voice"].config
    number = number_to_text(config)
    response = current_app.make_response(render_template("front.html", council=config.app.council_name, number=number))
    for name, value in SECURITY_HEADERS.items():
        response.headers[name] = value
    # Nothing private here: the page may be cached, unlike the dashboard.
    response.headers["Cache-Control"] = "public, max-age=300"
    del response.headers["Pragma"]
    return response


@bp.get("/favicon.ico")
def favicon():
    """The service's icon where browsers look for it unasked (pages also link it from static)."""
    response = send_from_directory(
        current_app.static_folder or "static", "favicon.ico", mimetype="image/x-icon", max_age=86400
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response

"""The workers' dashboard at `/admin`: sign-in, the duty team's alerts, participation pages, audit.

One blueprint, a module per page area. Every view is either `@requires(...)` (signed in,
with a role) or `@public` (the sign-in page); a test checks none is forgotten. Every POST
is CSRF-checked before its view runs. Templates extend `admin/base.html` (GOV.UK Design
System) and get `council`, `service_name`, `user`, `has_role`, `csrf_field` and `nav`.

To add a page area: a module here that imports `bp`, calls `nav_item(...)` for its link,
and is imported at the bottom of this file.
"""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, current_app, make_response, render_template, request
from jinja2 import pass_context
from jinja2.runtime import Context
from werkzeug.exceptions import HTTPException

from ... import dates
from ...models import Role, utcnow
from . import words
from .nav import nav_item, visible_nav
from .security import check_csrf, csrf_field, current_user, finish_response, has_role, load_user, requires

SERVICE_NAME = "Voice Service"

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.before_request(load_user)
bp.before_request(check_csrf)
bp.after_request(finish_response)


def page_globals() -> dict:
    """What every dashboard template gets: council, service name, the account, its roles and menu."""
    from flask import g

    return {
        "council": current_app.extensions["voice"].config.app.council_name,
        "service_name": SERVICE_NAME,
        "user": current_user(),
        "roles": g.get("roles", frozenset()),
        "has_role": has_role,
        "csrf_field": csrf_field,
        "nav": visible_nav(g.get("roles", frozenset())) if current_user() else [],
    }


bp.context_processor(page_globals)


def _timezone() -> str:
    return str(current_app.extensions["voice"].config.app.timezone)


@bp.app_template_filter("local_time")
def _local_time(value, seconds: bool = False) -> str:
    """A UTC timestamp in the council's time zone, for people (e.g. "29 Nov 2026 14:05")."""
    return dates.uk_date_time(value, _timezone(), seconds=seconds)


@bp.app_template_filter("local_date")
def _local_date(value) -> str:
    """The day of a UTC timestamp in the council's time zone, or a date (e.g. "29 November 2026")."""
    return dates.uk_date(value, _timezone())


@bp.app_template_filter("planned_if_closed_early")
def _planned_if_closed_early(round_):
    """The day a round closed early was planned to close (`rounds.membership.planned_if_closed_early`), or None."""
    from ...rounds.membership import planned_if_closed_early

    return planned_if_closed_early(round_, _timezone())


@bp.app_template_filter("local_day_time")
@pass_context
def _local_day_time(context: Context, value) -> str:
    """A UTC timestamp in the council's time zone where space is short (e.g. "Sun 29 Nov 14:05"), with its year
    when that is not this year ("Tue 1 Dec 2026 14:05" read in 2027). This year is the page's clock: the `now`
    its view rendered it with (every duty page has it, with the banner), else the time now."""
    now = context.get("now")
    return dates.uk_day_time(value, _timezone(), now=now if isinstance(now, datetime) else utcnow())


bp.add_app_template_filter(words.channel_name, "channel_name")


@bp.app_template_filter("alert_categories")
def _alert_categories(alert, capital: bool = False) -> str:
    """An alert's categories in words (`words.alert_categories`)."""
    return words.alert_categories(alert.categories, alert.reasons, capital=capital)


@bp.app_template_filter("survey_title")
def _survey_title(survey_id: str) -> str:
    """A survey's title ("How are things?") for its file id ("pulse"); the id when no loaded survey has it."""
    from ...surveys.loader import SurveyError

    try:
        survey = current_app.extensions["voice"].catalogue.surveys.get(survey_id)
    except SurveyError:  # a broken survey folder must not take every page down with it
        survey = None
    return survey.title if survey is not None and survey.title else survey_id


ERROR_TEXT = {
    400: ("Sorry, there is a problem with that request", "Go back, reload the page and try again."),
    403: ("You do not have access to this page", "Your account does not have the role this page needs. Ask an admin."),
    404: ("Page not found", "Check the address, or go back to the dashboard home page."),
    405: ("Sorry, there is a problem with that request", "Go back and try again."),
    413: (
        "What you sent is too long",
        "Nothing was saved. Go back, shorten what you typed and try again.",
    ),
}
CSRF_TEXT = (
    "Sorry, this form has expired",
    "For your security, forms only work for a while after the page opened. Go back, reload the page and try again.",
)


# Who a page is for, in the words the accounts page uses, for an admin's 403.
ROLE_PEOPLE = {"admin": "admins", "duty": "the duty team", "worker": "participation workers", "panel": "the panel"}


def _admin_denied_text() -> str:
    """A 403 for an admin: they cannot ask an admin, they are one. Name whom the page is for, and the way in."""
    view = current_app.view_functions.get(request.endpoint or "")
    needed = sorted(getattr(view, "required_roles", None) or ())
    people = " or ".join(ROLE_PEOPLE.get(role, role) for role in needed) or "another role"
    return (
        f"This page is for {people}. Your admin account does not have that role. Sign in with an account that "
        "has it, or make one on the Accounts page."
    )


def _error_page(error: HTTPException):
    code = error.code or 500
    title, body = CSRF_TEXT if error.description == "csrf" else ERROR_TEXT.get(code, ("Sorry, there is a problem", ""))
    if code == 403 and error.description != "csrf" and has_role(Role.ADMIN):
        body = _admin_denied_text()
    return render_template("admin/error.html", title=title, body=body, code=code, **page_globals()), code


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException):
    """Errors on dashboard pages, as GOV.UK-style pages with the right status."""
    return _error_page(error)


def _is_dashboard_path(path: str) -> bool:
    return path == "/admin" or path.startswith("/admin/")


@bp.app_errorhandler(HTTPException)
def _unrouted_error(error: HTTPException):
    """An `/admin/...` address no view matched (404, or 405 for the wrong method) gets the dashboard's
    own error page and its strict headers; Flask skips the blueprint's handlers and hooks for these,
    since no route, so no blueprint, was found. Other addresses keep their default error."""
    if request.blueprint is not None or not _is_dashboard_path(request.path):
        return error
    load_user()
    body, code = _error_page(error)
    response = make_response(body, code)
    if error.code == 405:
        allowed = dict(error.get_headers()).get("Allow")
        if allowed:
            response.headers["Allow"] = allowed
    return finish_response(response)


# Each module registers its routes and nav item.
from . import (  # noqa: E402,F401
    accounts,
    actions,
    alerts,
    audit_log,
    auth,
    home,
    inbox,
    participants,
    responses,
    rounds,
    summaries,
    surveys,
)

__all__ = ["bp", "nav_item", "requires"]

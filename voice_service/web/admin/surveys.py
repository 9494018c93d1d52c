"""Surveys pages: the list, each survey previewed as a conversation, and the problems `surveys check` finds."""

from __future__ import annotations

from flask import abort, render_template

from ...models import Role
from . import bp
from .nav import nav_item
from .security import audit, requires, services
from .surveys_service import preview_survey, survey_files

nav_item("admin.surveys", "Surveys", roles=(Role.WORKER,), order=35, active_prefix="admin.survey")


@bp.get("/surveys")
@requires(Role.WORKER)
def surveys():
    """Every survey file: the ones that load, and every problem in any of them."""
    files = survey_files(services().conversations_dir)
    audit("survey.list", subject_type="survey")
    return render_template("admin/surveys.html", files=files)


@bp.get("/surveys/<survey_id>")
@requires(Role.WORKER)
def survey(survey_id: str):
    """One survey as the conversation a young person would have, texts exactly as sent."""
    files = survey_files(services().conversations_dir)
    found = files.surveys.get(survey_id)
    if found is None:
        abort(404)
    try:
        catalogue = services().catalogue
    except Exception:  # a broken pledges file: preview without the pledge names rather than fail
        catalogue = None
    audit("survey.view", subject_type="survey", subject_id=survey_id)
    return render_template(
        "admin/survey.html",
        preview=preview_survey(found, catalogue, council=services().config.app.council_name),
        files=files,
    )

"""A skipped question says nothing about its theme: the skip is stored as skipped, with no themes (it had its
question's pledges' themes, so the Responses page's theme and pledge-theme filters found it as if it were about
them), while an answer to the same kind of question still carries them. Through the signed webhook, on both
databases."""

from __future__ import annotations

from sqlmodel import Session, select

from tests.conftest import SmsPhone
from tests.factories import add_participants, launch, phone_number, small_survey
from voice_service.models import Response
from voice_service.surveys.scoring import question_themes
from voice_service.web.admin.responses_service import ResponseFilter, filter_responses


def _responses(services) -> dict[str, Response]:
    with Session(services.engine) as session:
        return {row.question_id: row for row in session.exec(select(Response)).all() if row.question_id}


def test_a_skip_is_tagged_with_no_theme_and_no_theme_filter_finds_it(client, services):
    add_participants(services, [{"phone": phone_number(47)}])
    launch(services)
    phone = SmsPhone(client, phone_number(47))
    phone.send("yes")
    phone.send("SKIP")  # safe_home, a scale question for pledge 1
    phone.send("yes")  # listened, a yes/no question for pledge 9: answered
    responses = _responses(services)
    skipped, answered = responses["safe_home"], responses["listened"]
    assert skipped.skipped and skipped.themes == [] and skipped.sentiment is None
    assert not answered.skipped and answered.themes  # an answer still evidences its question's themes

    skip_themes = question_themes(small_survey().question("safe_home"), services.catalogue)
    assert skip_themes  # the test means something only if the skipped question has themes
    with Session(services.engine) as session:
        for theme in {*answered.themes, *skip_themes}:
            found = filter_responses(
                session=session, catalogue=services.catalogue, filters=ResponseFilter(theme=theme), disclosures=True
            )
            assert skipped.id not in {row.response.id for row in found.rows}

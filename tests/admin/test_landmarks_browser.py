"""Every dashboard page's content is inside a landmark and no two landmarks share a name (axe best-practice
`region` and `landmark-unique`, trial finding 35): the phase banner is in the header, the back link in <main>,
and each actions table has its own name."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from tests.admin.conftest import DESKTOP
from tests.factories import add_participants, launch, phone_number
from voice_service.models import Action

pytestmark = pytest.mark.browser


def test_banner_back_link_and_actions_tables_are_in_named_landmarks(signed_in_page, services, axe):
    add_participants(services, [{"phone": phone_number(1), "first_name": "Ava", "age": 14}])
    round_id = launch(services)
    with Session(services.engine) as session:
        session.add(Action(round_id=round_id, pledge=1, said="Say one", did="Did one"))
        session.add(Action(round_id=round_id, pledge=2, said="Say two", did="Did two"))
        session.add(Action(round_id=round_id, theme="carers", said="Say three", did="Did three"))
        session.commit()

    page = signed_in_page("worker", path="/admin/", viewport=DESKTOP)
    assert page.locator("header .govuk-phase-banner").count() == 1
    axe(page)

    page.goto(f"{page.url.split('/admin')[0]}/admin/rounds/{round_id}")
    assert page.locator("main .govuk-back-link").count() == 1
    axe(page)

    page.goto(f"{page.url.split('/admin')[0]}/admin/actions")
    names = [region.get_attribute("aria-label") for region in page.locator("main [role=region]").all()]
    assert names == [
        "Actions for pledge 1 (scrolls sideways)",
        "Actions for pledge 2 (scrolls sideways)",
        "Actions about a top-ten message or a theme (scrolls sideways)",
    ]
    axe(page)

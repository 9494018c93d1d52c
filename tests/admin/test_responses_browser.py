"""A participation worker in Chromium corrects a tag, records an action, and downloads the summary;
axe-core runs on every page, screenshots are saved, and each step is in the audit log."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from tests.admin.conftest import DESKTOP, MOBILE
from tests.conftest import SmsPhone
from tests.factories import add_participants, launch, phone_number
from voice_service.models import Action, AuditEvent, Response

pytestmark = pytest.mark.browser

# The follow-up answer is no disclosure: a message that raises an alert is never a survey answer (4995068).
PULSE_ANSWERS = ("yes", "1", "more time with my social worker would help me feel safer")


def test_correct_a_tag_record_an_action_download_the_summary(signed_in_page, client, services, axe, shot, tmp_path):
    add_participants(services, [{"phone": phone_number(1), "first_name": "Ava", "age": 14}])
    source = services.survey_source("pulse")[1]
    launch(services, survey_source=source)
    texter = SmsPhone(client, phone_number(1))
    for text in PULSE_ANSWERS:
        texter.send(text)
    with Session(services.engine) as session:
        answer = session.exec(select(Response).where(Response.question_id == "safe_help")).one()
        machine = list(answer.themes)
    assert machine != ["carers", "having_a_say"]  # so the correction below is a change

    page = signed_in_page("worker", path="/admin/responses?round=1", viewport=DESKTOP)
    assert "more time with my social worker" in page.inner_text("#responses")
    axe(page)
    shot(page, "responses-list")
    page.get_by_role("link", name="more time with my social worker would help me feel safer").click()
    page.wait_for_url(f"**/admin/responses/{answer.id}")
    axe(page)
    for theme in machine:
        page.uncheck(f"#theme-{theme}")
    page.check("#theme-carers")
    page.check("#theme-having_a_say")
    page.check("#sentiment-negative")
    page.get_by_role("button", name="Save correction").click()
    assert "Correction saved" in page.inner_text(".govuk-notification-banner")
    assert "By " in page.inner_text("#human")
    axe(page)
    shot(page, "response-corrected")
    with Session(services.engine) as session:
        corrected = session.get(Response, answer.id)
        assert corrected.human_themes == ["carers", "having_a_say"] and corrected.themes == machine

    page.get_by_role("link", name="Actions").first.click()
    page.get_by_role("link", name="Add an action").click()
    page.select_option("#round", "1")
    page.select_option("#pledge", "1")
    page.fill("#said", "Some of you do not feel safe at home")
    page.fill("#did", "Every home had a safety visit within a month")
    page.fill("#owner", "Head of children's homes")
    page.check("#status-done")
    page.fill("#due-day", "31")
    page.fill("#due-month", "Jan")
    page.fill("#due-year", "27")
    page.get_by_role("button", name="Save action").click()
    assert "The due date must have the year in full" in page.inner_text(".govuk-error-summary")
    axe(page)
    shot(page, "action-form-error")
    page.fill("#due-year", "2027")
    page.get_by_role("button", name="Save action").click()
    page.wait_for_url("**/admin/actions?round=1")
    assert "Every home had a safety visit" in page.inner_text("main")
    axe(page)
    shot(page, "actions-list")
    with Session(services.engine) as session:
        action = session.exec(select(Action)).one()
        assert action.status == "done" and action.done_at is not None and action.owner == "Head of children's homes"
        assert str(action.due_on) == "2027-01-31"

    page.goto("/".join(page.url.split("/")[:3]) + "/admin/summaries/1")
    axe(page)
    shot(page, "summary-page")
    for label, suffix in (
        ("Download the summary as PDF", ".pdf"),
        ("Download its figures as CSV", ".csv"),
        ("Download it as HTML", ".html"),
    ):
        # The PDF is rendered by WeasyPrint while the browser waits: at a load of 20 on 2 cores that
        # took over 30 s (playwright's default), so the wait is the suite's usual 90 s.
        with page.expect_download(timeout=90_000) as caught:
            page.get_by_role("link", name=label).click()
        saved = tmp_path / caught.value.suggested_filename
        caught.value.save_as(saved)
        assert saved.suffix == suffix and saved.stat().st_size > 100
        if suffix == ".pdf":
            assert saved.read_bytes().startswith(b"%PDF")
    refused = []
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    page.get_by_role("link", name="Read the summary").click()
    page.wait_for_url("**/admin/summaries/1/summary.html")  # the page with the link says "You said" too
    assert "You said" in page.inner_text("body")
    assert page.evaluate("getComputedStyle(document.querySelector('h1')).fontFamily") != "", "styles applied"
    assert refused == [], refused  # every style the summary uses is allowed by its hash, and nothing else
    shot(page, "summary-read")

    with Session(services.engine) as session:
        actions = [(e.action, e.subject_id) for e in session.exec(select(AuditEvent)).all()]
    assert ("response.correct", str(answer.id)) in actions
    assert ("action.add", str(action.id)) in actions
    assert [a for a, _ in actions].count("summary.download") == 3


def test_search_answers_by_their_words_with_a_filter(signed_in_page, client, services, axe, shot):
    """T23: the worker types words in the search box; the answers containing them show, the words stay in the
    box and the address (a link can be shared or bookmarked), a filter narrows the search, and a search with
    no answers says so and offers a way back."""
    add_participants(services, [{"phone": phone_number(1)}, {"phone": phone_number(2)}])
    launch(services)
    for index, (scale, why) in enumerate((("1", "my carers SHOUT at me"), ("2", "the bus pass ran out"))):
        texter = SmsPhone(client, phone_number(index + 1))
        for text in ("yes", scale, why):
            texter.send(text)
    page = signed_in_page("worker", path="/admin/responses", viewport=MOBILE)
    page.get_by_label("Search answers").fill("shout carers")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/admin/responses?q=shout+carers*")
    assert page.get_by_label("Search answers").input_value() == "shout carers"
    assert page.inner_text("#count") == "1 answer containing “shout carers”."
    assert "my carers SHOUT at me" in page.inner_text("#responses")
    assert "bus pass" not in page.inner_text("#responses")
    axe(page)
    shot(page, "responses-search-mobile")

    page.select_option("#risk", "yes")  # the search and the filters go together
    with page.expect_navigation():
        page.get_by_role("button", name="Filter").click()
    assert "q=shout+carers" in page.url and "risk=yes" in page.url
    assert "No answers contain “shout carers” with these filters." in page.inner_text("#no-match")
    axe(page)
    shot(page, "responses-search-none-mobile")
    with page.expect_navigation():  # this page has a #count too
        page.get_by_role("link", name="Search all answers for “shout carers”").click()
    assert "risk=" not in page.url and page.inner_text("#count") == "1 answer containing “shout carers”."

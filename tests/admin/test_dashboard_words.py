"""The dashboard says things one way, in people's words: local times, channel names, why an alert was
raised, whether someone can be texted, how a round went, and a useful home for each role."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlmodel import col, select

from tests.admin.conftest import duty_config
from tests.factories import add_participants, launch, phone_number
from voice_service.cli import main
from voice_service.db import session_scope
from voice_service.models import Alert, Message, Participant, Round, RoundStatus, Run, RunStatus
from voice_service.web.admin.words import alert_reasons, channel_name, local_time

REPO = Path(__file__).resolve().parents[2]
# A summer afternoon: 16:23 UTC is 17:23 in London (BST), so a page that still shows UTC is caught.
SUMMER = datetime(2026, 7, 1, 16, 23, tzinfo=UTC)


@pytest.fixture
def config(database_url):
    return duty_config(database_url)


def _chatter(services, *, first_name: str = "Kai") -> tuple[int, str]:
    """Someone with no phone number who writes to us in the web chat; returns (participant id, chat token)."""
    from voice_service.web.chat.sessions import deliver, start_chat

    with session_scope(services.engine) as session:
        person = Participant(first_name=first_name, source="webchat", status="in_care")
        session.add(person)
        session.flush()
        started = start_chat(session=session, services=services, invited=person)
        pid, token = person.id, started.token
    assert pid is not None
    deliver(services=services, token=token, text="is anyone there? i need to talk about my placement", client_id="c1")
    return pid, token


# --- 1. replying in a web chat is not a text ------------------------------------------------------


def test_a_web_chat_reply_box_gives_no_text_message_advice_and_says_where_it_goes(services, admin_client):
    pid, _ = _chatter(services)
    worker = admin_client("worker")
    page = worker.get(f"/admin/inbox/{pid}").get_data(as_text=True)
    assert "Your reply in their web chat" in page
    assert "160 characters" not in page and "reply-count" not in page and "sms-counter" not in page
    assert "send window" not in page
    assert "the next time they open the chat" in page and "more than 90 days" in page
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    sent = worker.post_form(f"/admin/inbox/{pid}/reply", {"reply": "Hi Kai, it's Jo. I'm here.", "token": token})
    assert sent.status_code == 303
    after = worker.get(sent.location).get_data(as_text=True)
    assert "Reply added to their web chat" in after and "send window" not in after


def test_a_text_reply_box_still_counts_texts(services, admin_client, client):
    from tests.conftest import SmsPhone

    add_participants(services, [{"phone": phone_number(1), "first_name": "Ava"}])
    SmsPhone(client, phone_number(1)).send("can someone call me about my placement")
    page = admin_client("worker").get("/admin/inbox/1").get_data(as_text=True)
    assert "Your reply by text" in page and "One text is 160 characters" in page and 'id="reply-count"' in page


# --- 2. one way to write times and channels -------------------------------------------------------


def test_local_time_and_channel_name_are_the_one_way_to_say_them():
    assert local_time(SUMMER, "Europe/London") == "1 Jul 2026 17:23"
    assert local_time(SUMMER.replace(tzinfo=None), "Europe/London") == "1 Jul 2026 17:23", "naive means UTC"
    assert local_time(None, "Europe/London") == ""
    assert channel_name("sms") == "text message" and channel_name("webchat") == "web chat"


def test_home_and_inbox_show_the_councils_time_and_channel_words(services, admin_client, disclose):
    raised = disclose("I want to hurt myself tonight")
    pid, _ = _chatter(services)
    with session_scope(services.engine) as session:
        session.get(Alert, raised.alert_id).created_at = SUMMER
        for message in session.exec(select(Message).where(col(Message.participant_id) == pid)):
            message.created_at = SUMMER
    both = admin_client("duty", "worker")
    home = both.get("/admin/").get_data(as_text=True)
    assert "raised 1 Jul 2026 17:23 by text message" in home
    assert "UTC" not in home and "by sms" not in home
    listing = both.get("/admin/inbox").get_data(as_text=True)
    assert "1 Jul 2026 17:23" in listing and "UTC" not in listing
    thread = both.get(f"/admin/inbox/{pid}").get_data(as_text=True)
    assert "1 Jul 2026 17:23" in thread and "UTC" not in thread


def test_the_audit_log_shows_local_times_and_filters_by_local_days(services, admin_client):
    from voice_service.audit import record

    with session_scope(services.engine) as session:
        # 23:30 UTC on 30 June is 00:30 on 1 July in London; 23:30 UTC on 1 July is 2 July there.
        for at in (datetime(2026, 6, 30, 23, 30, tzinfo=UTC), datetime(2026, 7, 1, 23, 30, tzinfo=UTC)):
            record(session=session, actor="someone@council.test", action="round.view", subject_id=7, now=at)
    page = admin_client("admin").get("/admin/audit?from=2026-07-01&to=2026-07-01").get_data(as_text=True)
    assert "1 Jul 2026 00:30:00" in page and "2 Jul 2026 00:30:00" not in page and "(UTC)" not in page


# --- 3. why an alert was raised, in a duty worker's words -----------------------------------------


def test_alert_reasons_in_words_and_the_model_only_when_it_counted():
    stored = ["lexicon: self_harm (dont see the point anymore)", "model: 0.68"]
    assert alert_reasons(stored, model_threshold=0.8) == ["Words about self-harm: 'dont see the point anymore'"]
    assert alert_reasons(stored, model_threshold=0.5) == [
        "Words about self-harm: 'dont see the point anymore'",
        "The screening model also judged it likely (score 0.68)",
    ]
    assert alert_reasons(["model: 0.91"], model_threshold=0.5) == [
        "The screening model judged it likely to be a risk (score 0.91), with no warning words"
    ]
    assert alert_reasons(["lexicon: abuse, someone else at risk (my sister: he hits her)"], model_threshold=0.5) == [
        "Words about abuse for someone else (my sister): 'he hits her'"
    ]
    assert alert_reasons(["lexicon: unsafe_home"], model_threshold=0.5) == ["Words about not being safe at home"]


def test_the_alert_page_gives_reasons_in_words(services, admin_client, disclose):
    from voice_service.analysis.model import risk_model

    below = round(risk_model().low - 0.01, 2)
    raised = disclose("I want to hurt myself tonight")
    with session_scope(services.engine) as session:
        session.get(Alert, raised.alert_id).reasons = [
            "lexicon: self_harm (dont see the point anymore)",
            f"model: {below:.2f}",
        ]
    html = admin_client("duty").get(f"/admin/alerts/{raised.alert_id}").get_data(as_text=True)
    reasons = re.search(r'<ul class="govuk-list" id="reasons">(.*?)</ul>', html, re.S).group(1)
    assert "Words about self-harm: &#39;dont see the point anymore&#39;" in reasons
    assert "model" not in reasons and "lexicon" not in reasons


# --- 4. whether someone can be texted ---------------------------------------------------------------


def test_a_web_chat_person_who_said_stop_is_shown_as_opted_out_not_textable(services, admin_client):
    from tests.factories import small_survey
    from voice_service.web.chat.sessions import deliver

    pid, token = _chatter(services)
    survey = small_survey()
    with session_scope(services.engine) as session:
        round_ = session.get(Round, launch(services))
        session.add(
            Run(
                participant_id=pid,
                round_id=round_.id,
                survey_version_id=round_.survey_version_id,
                channel="webchat",
                status=RunStatus.ACTIVE,
                current_question=survey.questions[0].id,
            )
        )
    deliver(services=services, token=token, text="STOP", client_id="c2")
    worker = admin_client("worker")
    page = worker.get(f"/admin/participants/{pid}").get_data(as_text=True)
    assert "Can be texted" not in page
    assert "No phone number" in page and "Opted out" in page and "said STOP in the web chat" in page
    listing = worker.get("/admin/participants?q=Kai").get_data(as_text=True)
    assert "Can be texted" not in listing.split('id="participants"')[1] and "Opted out" in listing
    assert "Kai" in worker.get("/admin/participants?opted_out=yes").get_data(as_text=True)
    assert "Kai" not in worker.get("/admin/participants?opted_out=no").get_data(as_text=True)


def test_a_web_chat_person_who_never_said_stop_has_no_texting_line(services, admin_client):
    pid, _ = _chatter(services)
    page = admin_client("worker").get(f"/admin/participants/{pid}").get_data(as_text=True)
    assert "Can be texted" not in page and "Opted out" not in page and "No phone number" in page
    # Their language is English by default, never said to come from an import's column they had no row in (trial).
    assert "English unless the Language column of a participants import says Welsh" in page
    assert "Set by the Language column" not in page


# --- 5. rounds -------------------------------------------------------------------------------------


def test_rounds_are_named_by_survey_title_and_a_closed_round_says_when_it_closed(services, admin_client):
    pulse = (REPO / "conversations" / "surveys" / "pulse.toml").read_text(encoding="utf-8")
    add_participants(services, [{"phone": phone_number(i), "age": 14} for i in range(3)])
    round_id = launch(services, survey_source=pulse)
    with session_scope(services.engine) as session:
        round_ = session.get(Round, round_id)
        round_.status, round_.closed_at = RoundStatus.CLOSED, SUMMER
        runs = session.exec(select(Run).where(col(Run.round_id) == round_id).order_by(col(Run.id))).all()
        # One answered to the end, one said no to the invitation, one never replied.
        runs[0].status, runs[0].started_at, runs[0].ended_at = RunStatus.FINISHED, SUMMER, SUMMER
        runs[1].status, runs[1].ended_at = RunStatus.FINISHED, SUMMER
    worker = admin_client("worker")
    one = worker.get(f"/admin/rounds/{round_id}").get_data(as_text=True)
    assert '<span class="govuk-caption-l">How are things? · ' in one
    page = worker.get("/admin/rounds").get_data(as_text=True)
    row = re.search(rf"<tr class=\"govuk-table__row\">\s*<td[^>]*><a[^>]*>Round {round_id}: .*?</tr>", page, re.S)
    assert row, page
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(0), re.S)
    assert "How are things?" in cells[0] and "pulse" not in cells[0]
    assert [c.strip() for c in cells[3:8]] == ["3", "1", "1", "1", "0"], "invited, started, finished, said no, STOP"
    assert cells[8].strip() == "Closed 1 July 2026" and "When closed" not in page


# --- 6. small slips ----------------------------------------------------------------------------------


def test_the_worker_role_description_mentions_the_inbox(admin_client):
    page = admin_client("admin").get("/admin/accounts").get_data(as_text=True)
    assert "Participation worker: participants, surveys, rounds, responses, actions, the inbox" in page


def test_the_inbox_list_has_no_stray_comma(services, admin_client):
    pid, _ = _chatter(services, first_name="")
    with session_scope(services.engine) as session:
        session.get(Participant, pid).first_name = None
    page = admin_client("worker").get("/admin/inbox").get_data(as_text=True)
    assert "Name not given <span" not in page and " ," not in re.sub(r"<[^>]+>", "", page)


def test_a_panel_member_gets_links_to_the_latest_summaries(services, admin_client):
    round_id = launch(services)
    page = admin_client("panel").get("/admin/").get_data(as_text=True)
    assert (
        f'href="/admin/summaries/{round_id}">Round {round_id}: Quick check-in</a>' in page and "All summaries" in page
    )
    assert "Use the menu" not in page


def test_action_add_help_points_to_a_file_that_exists():
    shown = CliRunner().invoke(main, ["action", "add", "--help"]).output
    assert "themes.md" not in shown and "conversations/themes.toml" in shown
    assert (REPO / "conversations" / "themes.toml").exists()


def test_docs_point_to_no_file_outside_the_repo():
    assert "design.md" not in (REPO / "docs" / "risk-screen.md").read_text(encoding="utf-8")


def test_every_dashboard_template_writes_times_through_the_one_filter():
    templates = REPO / "voice_service" / "web" / "templates" / "admin"
    for path in templates.glob("*.html"):
        text = path.read_text(encoding="utf-8")
        for found in re.findall(r"\{\{[^}]*\}\}", text):
            assert "strftime" not in found and "astimezone" not in found, (
                f"{path.name}: {found} (use |local_time, |local_date or |local_day_time)"
            )
        assert " UTC" not in text, path.name

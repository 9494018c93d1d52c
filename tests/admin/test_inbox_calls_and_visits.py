"""A worker records a call or visit on a young person's thread ("I phoned them"): the inbox had no way to, so a
thread whose young person asked for a person and could only be phoned (they had said STOP) stayed "Needs a reply"
after the call, or was closed with nothing to show the call was made (trial finding).

A call they answered, or a visit, answers the thread as a written reply does, until they write again; a call nobody
answered is kept and the thread still needs an answer. Each record shows in the conversation where it happened,
with who made it and their note, and is audited. Bad forms are refused with the reason on the field, and nothing is
stored. The young person texts through the signed Twilio webhook; the clocks are pinned."""

from __future__ import annotations

import re
import sys
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from tests.admin.conftest import MOBILE, audit_rows
from tests.conftest import SmsPhone
from tests.factories import add_participants, phone_number
from tests.support.alert_record import notes_of
from tests.support.clock import PinnedClock
from voice_service.inbox import inbox, thread
from voice_service.models import Contact, Participant, Response, as_utc

# Thursday 3 December 2026, 14:40 UTC: the young person texts; the worker acts an hour later, then again.
WHEN = datetime(2026, 12, 3, 14, 40, tzinfo=UTC)
LATER = WHEN + timedelta(hours=1)
ASKS = "can someone call me about my placement"
OFFER = "Show their number to call them"
NOTE = "Rang at 3.30. Wants to talk about moving nearer school; meeting Tuesday."


@pytest.fixture
def clock(monkeypatch):
    clock = PinnedClock(WHEN)
    # The package's `receive` (the function) hides the module of that name from a dotted path.
    monkeypatch.setattr(sys.modules["voice_service.inbound.receive"], "utcnow", clock)
    monkeypatch.setattr("voice_service.web.admin.inbox.utcnow", clock)
    monkeypatch.setattr("voice_service.inbox.threads.utcnow", clock)
    return clock


def _young_person(services, client, n: int, *texts: str) -> tuple[SmsPhone, int]:
    add_participants(services, [{"phone": phone_number(n), "first_name": "Ash"}])
    phone = SmsPhone(client, phone_number(n))
    for text in texts:
        phone.send(text)
    with Session(services.engine) as session:
        person = session.exec(
            select(Participant).where(Participant.phone_hash == services.vault.hash(phone_number(n)))
        ).one()
    assert person.id is not None
    return phone, person.id


def _state(services, pid: int):
    with Session(services.engine) as session:
        [row] = [row for row in inbox(session=session) if row.participant_id == pid]
        return row, thread(session=session, participant_id=pid, config=services.config)


def _record(client, path: str, form: dict[str, str]):
    """Send the form as the page does: with its one-off token."""
    return client.post_form(path, {"token": uuid.uuid4().hex} | form)


def _contacts(services) -> list[tuple[str, str | None, str]]:
    with Session(services.engine) as session:
        return [(c.outcome, c.note, c.recorded_by) for c in session.exec(select(Contact).order_by(Contact.id))]


def test_a_call_nobody_answered_is_kept_and_one_they_answered_answers_the_thread(services, client, admin_client, clock):
    phone, pid = _young_person(services, client, 41, "STOP", ASKS)
    worker = admin_client("worker")
    page = worker.get(f"/admin/inbox/{pid}").get_data(as_text=True)
    assert "Record a call or visit" in page and "Then record the call below" in page and OFFER in page

    clock.now = LATER
    tried = _record(worker, f"/admin/inbox/{pid}/contact", {"outcome": "no_answer", "note": "Went to voicemail"})
    assert tried.status_code == 303
    row, current = _state(services, pid)
    assert row.unanswered and current.unanswered and not current.answered_by_contact
    page = worker.get(f"/admin/inbox/{pid}").get_data(as_text=True)
    assert "Recorded: you phoned them but could not reach them" in page  # the banner
    assert "phoned them but could not reach them." in page and "Went to voicemail" in page
    assert "Needs a reply" in page and OFFER in page  # still theirs to phone

    clock.now = LATER + timedelta(minutes=20)
    assert _record(worker, f"/admin/inbox/{pid}/contact", {"outcome": "spoke", "note": NOTE}).status_code == 303
    row, current = _state(services, pid)
    assert not row.unanswered and not current.unanswered and current.answered_by_contact
    assert current.conversation is not None and current.conversation.assigned_to == worker.account.email
    page = worker.get(f"/admin/inbox/{pid}").get_data(as_text=True)
    assert "Needs a reply" not in page and "phoned them and spoke with them, " in page
    assert "waiting for them to write back" in page and NOTE in page
    # The call kept what they were told, so their number is no longer offered, nor shown.
    assert OFFER not in page and worker.post_form(f"/admin/inbox/{pid}/reveal").status_code == 403
    # The request for a person was answered by the call, not a reply (trial: it said "… has replied to them").
    assert f"They asked to talk to a person. {worker.account.email} phoned them and spoke with them." in page
    # Both calls sit after the messages, in order, and each was audited.
    assert page.index(ASKS) < page.index("Went to voicemail") < page.index(NOTE)
    assert [row for row in audit_rows(services, prefix="conversation.contact")] == [
        (worker.account.email, "conversation.contact", str(current.conversation.id))
    ] * 2
    assert [outcome for outcome, *_ in _contacts(services)] == ["no_answer", "spoke"]

    clock.now = LATER + timedelta(hours=2)
    phone.send("thanks for ringing. can you ring again tomorrow")  # written after the call: it waits again
    row, current = _state(services, pid)
    assert row.unanswered and current.unanswered and not current.answered_by_contact


def test_a_visit_answers_a_thread_a_text_could_also_reach(services, client, admin_client, clock):
    _, pid = _young_person(services, client, 42, ASKS)
    worker = admin_client("worker")
    clock.now = LATER
    assert _record(worker, f"/admin/inbox/{pid}/contact", {"outcome": "met"}).status_code == 303
    row, current = _state(services, pid)
    assert not row.unanswered and current.answered_by_contact
    page = worker.get(f"/admin/inbox/{pid}").get_data(as_text=True)
    assert "saw them in person, " in page and "a visit" in page
    assert _contacts(services) == [("met", None, worker.account.email)]


@pytest.mark.parametrize(
    "form, field, words",
    [
        pytest.param({"note": "rang them"}, "outcome", "Say how it went", id="no outcome"),
        pytest.param({"outcome": "emailed"}, "outcome", "Say how it went", id="unknown outcome"),
        pytest.param({"outcome": "spoke", "note": "x" * 2001}, "contact-note", "at most 2,000", id="note too long"),
    ],
)
def test_a_bad_form_is_refused_on_its_field_and_nothing_is_stored(
    services, client, admin_client, clock, form, field, words
):
    _, pid = _young_person(services, client, 43, ASKS)
    worker = admin_client("worker")
    refused = _record(worker, f"/admin/inbox/{pid}/contact", form)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and words in html
    assert f'href="#{field}"' in html and f'id="{field}-error"' in html
    if "note" in form:
        assert form["note"][:50] in html  # what they wrote is kept for them to mend
    assert _contacts(services) == [] and audit_rows(services, prefix="conversation.contact") == []
    assert worker.post(f"/admin/inbox/{pid}/contact", data={"outcome": "spoke"}).status_code == 400  # no CSRF token
    assert _contacts(services) == []


def test_nothing_waiting_and_other_accounts_are_refused(services, client, admin_client, clock):
    _, quiet = _young_person(services, client, 44)  # on the list, has written nothing
    worker = admin_client("worker")
    refused = _record(worker, f"/admin/inbox/{quiet}/contact", {"outcome": "spoke"})
    assert refused.status_code == 400 and "There is nothing waiting from this young person" in refused.get_data(
        as_text=True
    )
    _, pid = _young_person(services, client, 45, ASKS)
    assert _record(admin_client("panel"), f"/admin/inbox/{pid}/contact", {"outcome": "spoke"}).status_code == 403
    # The duty team: only while the young person has a live alert (they have none here).
    assert _record(admin_client("duty"), f"/admin/inbox/{pid}/contact", {"outcome": "spoke"}).status_code == 403
    assert _record(worker, "/admin/inbox/999999/contact", {"outcome": "spoke"}).status_code == 404
    assert _contacts(services) == []


def test_a_form_sent_twice_records_once_and_line_breaks_count_once(services, client, admin_client, clock):
    """Trial: a double click made two identical records; a 1,999-character note over ten lines was refused as
    2,008, as the browser sends each line break as two characters."""
    _, pid = _young_person(services, client, 47, ASKS)
    worker = admin_client("worker")
    note = "\r\n".join(["x" * 190] * 10) + "y" * 9  # 1,999 characters as typed
    form = {"token": "the-same-form", "outcome": "met", "note": note}
    assert worker.post_form(f"/admin/inbox/{pid}/contact", form).status_code == 303
    assert worker.post_form(f"/admin/inbox/{pid}/contact", form).status_code == 303
    assert _contacts(services) == [("met", note.replace("\r\n", "\n"), worker.account.email)]
    assert len(audit_rows(services, prefix="conversation.contact")) == 2  # each send is audited, one is kept
    refused = worker.post_form(f"/admin/inbox/{pid}/contact", {"outcome": "met"})  # no token: an old page
    assert refused.status_code == 400 and "This form is out of date" in refused.get_data(as_text=True)


def test_after_a_call_they_answered_their_next_text_goes_to_that_person_not_the_survey(
    services, client, admin_client, clock
):
    """Trial: after a call recorded mid-survey, their "5" was taken as a survey answer and "thanks for ringing"
    got "Sorry, we didn't get that", as if nobody had spoken with them. A call they answered is the team answering
    them, as a reply is: what they write next is for that person (until GO ON), and the page says they wrote since."""
    from tests.factories import launch

    add_participants(services, [{"phone": phone_number(48), "first_name": "Sam"}])
    phone = SmsPhone(client, phone_number(48))
    launch(services)
    phone.send("yes")
    phone.send("can someone call me about my placement")  # at the first number question
    with Session(services.engine) as session:
        pid = session.exec(select(Participant).where(Participant.first_name == "Sam")).one().id
    worker = admin_client("worker")
    clock.now = LATER
    assert _record(worker, f"/admin/inbox/{pid}/contact", {"outcome": "spoke"}).status_code == 303
    clock.now = LATER + timedelta(minutes=5)
    answer = " ".join(phone.send("5"))
    assert "didn" not in answer.lower()  # not read as a survey answer gone wrong
    with Session(services.engine) as session:
        kept = session.exec(select(Response).where(Response.answer == "5")).one()
    assert kept.question_id is None  # kept for the worker, not as an answer to the survey
    row, current = _state(services, pid)
    assert row.unanswered and current.unanswered
    page = worker.get(f"/admin/inbox/{pid}").get_data(as_text=True)
    assert "They have written since" in page and "phoned them and spoke with them, " in page


DISCLOSURE = "my carer hits me when hes drunk"
DUTY_NOTE = "Called Alex, safe tonight at friends, strategy discussion tomorrow"


def test_a_duty_workers_call_picks_up_the_alert_shows_on_it_and_its_note_is_withheld_from_workers(
    services, client, admin_client, clock
):
    """Trial: a call a duty worker recorded left the alert "Not acknowledged", its clock running, with no sign of
    the call on the alert page; and the note showed in full to a worker, beside the disclosure withheld from them."""
    from voice_service.models import Alert, AlertStatus

    _, pid = _young_person(services, client, 49, DISCLOSURE)
    with Session(services.engine) as session:
        alert = session.exec(select(Alert).where(Alert.participant_id == pid)).one()
    assert alert.status == AlertStatus.OPEN
    duty = admin_client("duty")
    page = duty.get(f"/admin/inbox/{pid}").get_data(as_text=True)
    assert "only the duty team will see this note" in page  # the writer is told who reads it
    clock.now = LATER
    assert _record(duty, f"/admin/inbox/{pid}/contact", {"outcome": "spoke", "note": DUTY_NOTE}).status_code == 303
    with Session(services.engine) as session:
        alert = session.get(Alert, alert.id)
        assert alert.status == AlertStatus.ACKNOWLEDGED and alert.acknowledged_by == duty.account.email
        assert "Picked up by recording a call or visit on their conversation: phoned them and spoke with them" in (
            notes_of(session, alert.id) or ""
        )
    shown = duty.get(f"/admin/alerts/{alert.id}").get_data(as_text=True)
    assert 'id="calls-and-visits"' in shown and "phoned them and spoke with them" in shown and DUTY_NOTE in shown
    assert "In hand" in shown and "Not acknowledged" not in shown
    assert DUTY_NOTE in duty.get(f"/admin/inbox/{pid}").get_data(as_text=True)
    worker_page = admin_client("worker").get(f"/admin/inbox/{pid}").get_data(as_text=True)
    assert DUTY_NOTE not in worker_page and "Note withheld: recorded while they had a safeguarding alert" in worker_page
    assert "phoned them and spoke with them" in worker_page  # that the call was made is not withheld


@pytest.mark.browser
def test_in_chromium_a_worker_records_the_call_on_a_phone(services, client, signed_in_page, axe, shot, clock):
    _, pid = _young_person(services, client, 46, "STOP", ASKS)
    page = signed_in_page("worker", path=f"/admin/inbox/{pid}", viewport=MOBILE)
    page.get_by_role("button", name="Record it").click()  # nothing chosen
    assert "Say how it went" in page.inner_text(".govuk-error-summary")
    axe(page)
    page.get_by_label("I phoned them and we spoke").check()
    page.get_by_label("Note (optional)").fill(NOTE)
    page.get_by_role("button", name="Record it").click()
    # wait for the page the form redirects to: content() read mid-navigation is empty
    page.get_by_text("Recorded: you phoned them and spoke with them").wait_for()
    assert "Answered" in page.inner_text("#reply-state") and NOTE in page.inner_text("#messages")
    axe(page)
    shot(page, "inbox-thread-call-recorded-mobile")


def _earlier(at: datetime) -> dict[str, str]:
    """The form's date and time of `at` (UTC; the council's zone in December is UTC too)."""
    return {
        "when-date-day": str(at.day),
        "when-date-month": str(at.month),
        "when-date-year": str(at.year),
        "when-time": f"{at:%H:%M}",
    }


def _happened(services) -> list[tuple[datetime, datetime]]:
    with Session(services.engine) as session:
        return [
            (as_utc(c.happened_at), as_utc(c.created_at)) for c in session.exec(select(Contact).order_by(Contact.id))
        ]


def test_a_call_made_earlier_sits_where_it_happened_and_answers_only_what_came_before_it(
    services, client, admin_client, clock
):
    """Trial finding: a call's time could not be entered, so a call made in the evening and recorded next morning
    showed, and answered them, at the moment it was recorded. Now it sits at the time it was made, says when it was
    recorded, and a message of theirs after the call still needs an answer."""
    phone, pid = _young_person(services, client, 51, ASKS)  # 14:40
    worker = admin_client("worker")
    clock.now = WHEN + timedelta(hours=1, minutes=20)  # 16:00: they write again, after the call at 15:30
    phone.send("thanks for ringing. what about my contact with my brother")
    clock.now = WHEN + timedelta(hours=3)  # 17:40: the worker records the 15:30 call
    called = WHEN + timedelta(minutes=50)
    form = {"outcome": "spoke", "note": NOTE} | _earlier(called)
    assert _record(worker, f"/admin/inbox/{pid}/contact", form).status_code == 303
    assert _happened(services) == [(called, clock.now)]
    row, current = _state(services, pid)
    assert row.unanswered and current.unanswered and not current.answered_by_contact  # the 16:00 text waits
    page = worker.get(f"/admin/inbox/{pid}").get_data(as_text=True)
    assert page.index(ASKS) < page.index(NOTE) < page.index("what about my contact")
    assert "3 Dec 2026 15:30" in page and "(recorded 3 Dec 2026 17:40)" in page
    assert "They have written since" in page and "phoned them and spoke with them, 3 Dec 2026 15:30" in page

    # A call made earlier still, before a colleague's written reply, leaves that reply the team's latest answer.
    other = admin_client("worker")
    clock.now = WHEN + timedelta(hours=4)
    assert (
        other.post_form(
            f"/admin/inbox/{pid}/reply", {"reply": "Hi Ash, I will ring tomorrow", "token": "r1"}
        ).status_code
        == 303
    )
    _, current = _state(services, pid)
    replied = current.conversation.last_reply_at if current.conversation else None
    clock.now = WHEN + timedelta(hours=5)
    form = {"outcome": "spoke"} | _earlier(WHEN + timedelta(hours=1, minutes=50))
    assert _record(worker, f"/admin/inbox/{pid}/contact", form).status_code == 303
    row, current = _state(services, pid)
    assert current.conversation is not None and not row.unanswered
    assert (current.conversation.last_reply_at, current.conversation.last_reply_by) == (replied, other.account.email)


def test_a_time_alone_is_earlier_today(services, client, admin_client, clock):
    _, pid = _young_person(services, client, 57, ASKS)  # 14:40
    clock.now = WHEN + timedelta(hours=3)  # 17:40
    worker = admin_client("worker")
    assert _record(worker, f"/admin/inbox/{pid}/contact", {"outcome": "spoke", "when-time": "1505"}).status_code == 303
    assert _happened(services) == [(WHEN + timedelta(minutes=25), clock.now)]


def test_a_call_made_earlier_answers_them_when_nothing_came_after_it(services, client, admin_client, clock):
    _, pid = _young_person(services, client, 52, ASKS)
    worker = admin_client("worker")
    clock.now = WHEN + timedelta(days=1)  # recorded the next day: Friday 4 December 14:40
    form = {"outcome": "met"} | _earlier(WHEN + timedelta(hours=2, minutes=5))
    form["when-time"] = "4:45pm"
    assert _record(worker, f"/admin/inbox/{pid}/contact", form).status_code == 303
    row, current = _state(services, pid)
    assert not row.unanswered and current.answered_by_contact
    assert current.conversation is not None
    assert as_utc(current.conversation.last_reply_at) == WHEN + timedelta(hours=2, minutes=5)
    page = worker.get(f"/admin/inbox/{pid}").get_data(as_text=True)
    assert "saw them in person, 3 Dec 2026 16:45: waiting for them to write back" in page


@pytest.mark.parametrize(
    "when, field, words",
    [
        pytest.param({"when-time": "3:30pm"}, "when-time", "The call or visit cannot be in the future", id="today"),
        pytest.param(
            {"when-date-day": "3", "when-date-month": "12", "when-date-year": "2026"},
            "when-time",
            "Enter the time of the call or visit, or leave the date empty",
            id="no time",
        ),
        pytest.param(
            {"when-date-day": "32", "when-date-month": "12", "when-date-year": "2026", "when-time": "15:00"},
            "when-date",
            "The date of the call or visit must be a real date",
            id="no such day",
        ),
        pytest.param(
            {"when-date-day": "3", "when-date-month": "12", "when-date-year": "2026", "when-time": "25:10"},
            "when-time",
            "The time of the call or visit must be a real time",
            id="no such time",
        ),
        pytest.param(
            {"when-date-day": "3", "when-date-month": "12", "when-date-year": "2026", "when-time": "16:00"},
            "when-date",
            "The call or visit cannot be in the future",
            id="future",
        ),
        pytest.param(
            {"when-date-day": "2", "when-date-month": "12", "when-date-year": "2026", "when-time": "09:00"},
            "when-date",
            "The call or visit must be after they first wrote in this conversation, 3 Dec 2026 14:40",
            id="before they wrote",
        ),
    ],
)
def test_a_bad_time_is_refused_on_its_field_and_nothing_is_stored(
    services, client, admin_client, clock, when, field, words
):
    _, pid = _young_person(services, client, 53, ASKS)
    worker = admin_client("worker")
    clock.now = WHEN + timedelta(minutes=30)  # 15:10
    refused = _record(worker, f"/admin/inbox/{pid}/contact", {"outcome": "spoke", "note": NOTE} | when)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and words in html, html[html.find("govuk-error-summary") :][:600]
    assert f'href="#{field}"' in html and f'id="{field}-error"' in html
    assert NOTE in html  # what they gave is kept for them to mend
    for name, value in when.items():
        assert f'name="{name}" type="text"' in html and f'value="{value}"' in html
    assert _contacts(services) == [] and audit_rows(services, prefix="conversation.contact") == []


def test_a_follow_up_call_on_a_closed_thread_is_kept_and_the_thread_stays_closed(services, client, admin_client, clock):
    """Trial finding: once a thread was closed, a follow-up call could not be recorded ("There is nothing waiting").
    It is kept on the conversation it followed, which stays closed; their next message opens a new one, as ever."""
    phone, pid = _young_person(services, client, 54, ASKS)
    worker = admin_client("worker")
    clock.now = LATER
    assert (
        worker.post_form(f"/admin/inbox/{pid}/reply", {"reply": "Hi Ash, I will ring you", "token": "r2"}).status_code
        == 303
    )
    assert worker.post_form(f"/admin/inbox/{pid}/close").status_code == 303
    page = worker.get(f"/admin/inbox/{pid}").get_data(as_text=True)
    assert "Record a follow-up call or visit" in page and "which stays closed" in page
    # Who closed it and when (it read "Closed to <whoever had it>").
    assert f'id="thread-state">Closed by {worker.account.email}, 3 Dec 2026 15:40</dd>' in page

    clock.now = LATER + timedelta(days=2)
    assert _record(worker, f"/admin/inbox/{pid}/contact", {"outcome": "spoke", "note": NOTE}).status_code == 303
    with Session(services.engine) as session:
        current = thread(session=session, participant_id=pid, config=services.config)
        assert pid not in [row.participant_id for row in inbox(session=session)]  # nothing waits: not in the list
    assert current.status == "closed" and current.conversation is not None
    assert [c.conversation_id for c in current.contacts] == [current.conversation.id]
    assert as_utc(current.conversation.last_reply_at) == LATER  # the reply, not the call: the thread is closed
    page = worker.get(f"/admin/inbox/{pid}").get_data(as_text=True)
    assert "This conversation is closed" in page and NOTE in page and "Needs a reply" not in page
    assert len(audit_rows(services, prefix="conversation.contact")) == 1

    clock.now = LATER + timedelta(days=3)
    phone.send("hi its ash again")  # a new conversation, as after any close
    row, current = _state(services, pid)
    assert row.unanswered and current.status == "open" and current.contacts == []


def test_a_young_person_who_never_wrote_has_no_form_to_record_a_call(services, client, admin_client, clock):
    _, quiet = _young_person(services, client, 55)
    page = admin_client("worker").get(f"/admin/inbox/{quiet}").get_data(as_text=True)
    assert "Record a call or visit" not in page and "Record a follow-up" not in page


@pytest.mark.browser
def test_in_chromium_a_worker_records_an_earlier_call(services, client, signed_in_page, axe, shot, clock):
    _, pid = _young_person(services, client, 56, ASKS)
    clock.now = WHEN + timedelta(hours=20)  # Friday 4 December 10:40
    page = signed_in_page("worker", path=f"/admin/inbox/{pid}", viewport=MOBILE)
    page.get_by_label("I phoned them and we spoke").check()
    page.get_by_label("Day").fill("3")
    page.get_by_label("Month").fill("Dec")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("Time (optional)").fill("7pm")
    axe(page)
    page.get_by_role("button", name="Record it").click()
    # wait for the page the form redirects to: content() read mid-navigation is empty
    page.get_by_text("Recorded: you phoned them and spoke with them").wait_for()
    messages = page.inner_text("#messages")
    assert "3 Dec 2026 19:00" in messages and "(recorded 4 Dec 2026 10:40)" in messages
    assert "Answered" in page.inner_text("#reply-state")
    axe(page)
    shot(page, "inbox-thread-earlier-call-mobile")


def test_a_follow_up_form_sent_after_they_wrote_again_is_refused_not_put_on_the_new_conversation(
    services, client, admin_client, clock
):
    """Trial: a follow-up call recorded from a closed thread's page, sent after they had written again, landed on the
    new conversation, marked their new request "Answered" and took it out of "Needs a reply"."""
    phone, pid = _young_person(services, client, 58, ASKS)
    worker = admin_client("worker")
    clock.now = LATER
    assert worker.post_form(f"/admin/inbox/{pid}/close").status_code == 303
    page = worker.get(f"/admin/inbox/{pid}").get_data(as_text=True)
    shown = re.search(r'name="conversation" value="(\d+)"', page)
    assert shown is not None and "Record a follow-up call or visit" in page
    clock.now = LATER + timedelta(hours=1)
    phone.send("can i talk to someone please")  # a new conversation, while the follow-up form is open
    sent = _record(worker, f"/admin/inbox/{pid}/contact", {"outcome": "spoke", "conversation": shown[1]})
    html = sent.get_data(as_text=True)
    assert sent.status_code == 400 and "They have written again since this page was opened" in html
    assert "can i talk to someone please" in html and _contacts(services) == []
    row, current = _state(services, pid)
    assert row.unanswered and current.unanswered


def test_a_call_made_while_an_alert_was_live_is_the_duty_teams_however_late_it_is_recorded(
    services, client, admin_client, clock
):
    """Trial: a call made while the alert was live, recorded after it was closed, was missing from the alert's "Calls
    and visits" and its note showed in full to a worker, beside the disclosure withheld from them."""
    from voice_service.models import Alert
    from voice_service.safeguarding.alerts import close

    _, pid = _young_person(services, client, 59, DISCLOSURE)  # 14:40: an alert
    with Session(services.engine) as session:
        alert_id = session.exec(select(Alert.id).where(Alert.participant_id == pid)).one()
        close(
            session=session,
            vault=services.vault,
            config=services.config,
            alert_id=alert_id,
            by="Dee Duty",
            action="referred",
            now=WHEN + timedelta(minutes=30),
        )
        session.commit()
    worker = admin_client("worker")
    clock.now = LATER + timedelta(hours=1)  # 16:40, after the alert closed at 15:10
    form = {"outcome": "spoke", "note": DUTY_NOTE} | _earlier(WHEN + timedelta(minutes=10))  # made at 14:50
    assert _record(worker, f"/admin/inbox/{pid}/contact", form).status_code == 303
    with Session(services.engine) as session:
        [contact] = session.exec(select(Contact)).all()
        assert contact.safeguarding
    shown = admin_client("duty").get(f"/admin/alerts/{alert_id}").get_data(as_text=True)
    assert 'id="calls-and-visits"' in shown and DUTY_NOTE in shown
    assert "3 Dec 2026 14:50 (recorded 3 Dec 2026 16:40)" in shown
    worker_page = admin_client("worker").get(f"/admin/inbox/{pid}").get_data(as_text=True)
    assert DUTY_NOTE not in worker_page and "Note withheld" in worker_page

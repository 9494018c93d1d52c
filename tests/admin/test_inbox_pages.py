"""Inbox pages over HTTP: a text-in appears, a worker replies once, assigns, refers, closes; all audited."""

from __future__ import annotations

import re

from sqlmodel import Session, select, update

from tests.conftest import SmsPhone
from tests.factories import add_participants, phone_number
from voice_service.models import AuditEvent, OutboxMessage, Response


def _actions(services) -> list[str]:
    with Session(services.engine) as session:
        return [e.action for e in session.exec(select(AuditEvent).order_by(AuditEvent.id)).all()]


def test_text_in_reply_assign_close(services, admin_client, client, users):
    add_participants(services, [{"phone": phone_number(1), "first_name": "Ava"}])
    SmsPhone(client, phone_number(1)).send("can someone call me about my placement")
    worker = admin_client("worker")
    listing = worker.get("/admin/inbox")
    assert listing.status_code == 200 and b"Ava" in listing.data and b"Needs a reply" in listing.data
    thread = worker.get("/admin/inbox/1")
    assert b"can someone call me about my placement" in thread.data and "••••201".encode() in thread.data
    token = re.search(rb'name="token" value="([^"]+)"', thread.data).group(1).decode()
    for _ in range(2):
        sent = worker.post_form(
            "/admin/inbox/1/reply", {"reply": "Hi Ava, it's Jo. I'll call you at 5.", "token": token}
        )
        assert sent.status_code == 303
    with Session(services.engine) as session:
        assert len(session.exec(select(OutboxMessage).where(OutboxMessage.kind == "reply")).all()) == 1
    assert b"Answered" in worker.get("/admin/inbox").data
    empty = worker.post_form("/admin/inbox/1/reply", {"reply": "", "token": "x"})
    assert empty.status_code == 400 and b"Write a reply" in empty.data
    colleague = users("worker", email="jo@council.test")
    assert worker.post_form("/admin/inbox/1/assign", {"to": colleague.email}).status_code == 303
    assert worker.post_form("/admin/inbox/1/assign", {"to": "stranger@x.test"}).status_code == 400
    assert b"jo@council.test" in worker.get("/admin/inbox?show=assigned").data
    no_advocacy = worker.post_form("/admin/inbox/1/advocacy", {"note": "wants an advocate"})
    assert no_advocacy.status_code == 400 and b"advocacy" in no_advocacy.data
    assert worker.post_form("/admin/inbox/1/close").status_code == 303
    assert b"Nothing is waiting" in worker.get("/admin/inbox").data
    assert {
        "conversation.list",
        "conversation.view",
        "conversation.reply",
        "conversation.assign",
        "conversation.close",
    } <= set(_actions(services))


def test_a_thread_with_nothing_waiting_offers_no_reply(services, admin_client):
    add_participants(services, [{"phone": phone_number(1), "first_name": "Ava"}])
    page = admin_client("worker").get("/admin/inbox/1")
    assert page.status_code == 200
    assert b"Nothing from them is waiting" in page.data and b"Send reply" not in page.data


def test_a_request_for_a_person_is_tagged_in_the_list_and_the_thread(services, admin_client, client):
    add_participants(services, [{"phone": phone_number(1), "first_name": "Ava"}])
    SmsPhone(client, phone_number(1)).send("can someone call me please")
    worker = admin_client("worker")
    assert b"Asked for a person" in worker.get("/admin/inbox").data
    assert b"They asked to talk to a person" in worker.get("/admin/inbox/1").data


def _state(page: bytes) -> tuple[str, ...]:
    html = page.decode()
    state = re.search(r'id="thread-state">(.*?)</dd>', html, re.S).group(1)
    reply = re.search(r'id="reply-state">(.*?)</dd>', html, re.S).group(1)
    return tuple(" ".join(re.sub(r"<[^>]+>", " ", html).split()) for html in (state, reply))


def _reply(client, text: str) -> None:
    page = client.get("/admin/inbox/1")
    token = re.search(rb'name="token" value="([^"]+)"', page.data).group(1).decode()
    assert client.post_form("/admin/inbox/1/reply", {"reply": text, "token": token}).status_code == 303


def test_after_a_reply_the_thread_is_answered_theirs_and_waiting_on_the_young_person(
    services, admin_client, client, users
):
    """What a duty worker expects after replying: the thread no longer needs a reply, it shows who has it
    (the replier, if nobody had), and it needs a reply again as soon as the young person writes back."""
    add_participants(services, [{"phone": phone_number(1), "first_name": "Ava"}])
    phone = SmsPhone(client, phone_number(1))
    phone.send("can someone call me about my placement")
    duty = admin_client("duty", "worker")
    state, reply = _state(duty.get("/admin/inbox/1").data)
    assert state == "Open, not assigned" and reply.startswith("Needs a reply")
    assert b"will get back to them" in duty.get("/admin/inbox/1").data
    _reply(duty, "Hi Ava, it's Sam from the duty team. I'll call you at 5.")
    page = duty.get("/admin/inbox/1").data
    state, reply = _state(page)
    me = duty.account.email
    assert state == f"Assigned to {me}"
    assert reply.startswith(f"Answered {me} replied,") and reply.endswith("waiting for them to write back.")
    assert b"Needs a reply" not in page and f"{me} has replied to them".encode() in page
    listing = duty.get("/admin/inbox?show=mine").data
    assert b"Ava" in listing and b"Answered" in listing and b"Needs a reply" not in listing
    phone.send("ok thanks, 5 is good")
    state, reply = _state(duty.get("/admin/inbox/1").data)
    assert state == f"Assigned to {me}" and reply.startswith("Needs a reply They have written since")
    assert b"Needs a reply" in duty.get("/admin/inbox").data
    # A reply from someone else keeps the thread with whoever has it.
    colleague = admin_client("worker")
    _reply(colleague, "Hi Ava, Sam will call at 5.")
    state, reply = _state(colleague.get("/admin/inbox/1").data)
    assert state == f"Assigned to {me}" and reply.startswith(f"Answered {colleague.account.email} replied,")


def test_a_duty_worker_who_took_a_thread_on_by_replying_keeps_it_when_the_form_is_sent_unchanged(
    services, admin_client, client
):
    add_participants(services, [{"phone": phone_number(1), "first_name": "Ava"}])
    SmsPhone(client, phone_number(1)).send("can someone call me about my placement")
    duty = admin_client("duty", "panel")  # not on the workers' list the assign form offers
    with Session(services.engine) as session:
        from voice_service.inbox import reply

        reply(session=session, services=services, participant_id=1, text="Hi Ava.", by=duty.account.email, token="t1")
        session.commit()
    worker = admin_client("worker")
    page = worker.get("/admin/inbox/1").get_data(as_text=True)
    assert f'<option value="{duty.account.email}" selected>' in page
    assert worker.post_form("/admin/inbox/1/assign", {"to": duty.account.email}).status_code == 303
    assert worker.post_form("/admin/inbox/1/assign", {"to": "stranger@x.test"}).status_code == 400


def _headers(page: bytes) -> dict[str, str]:
    """Each message on a thread page, by its words: the line above it (who, when, and any note), as read."""
    html = page.decode()
    items = re.findall(
        r'<p class="govuk-body-s[^"]*">(.*?)</p>\s*<p class="govuk-body app-message[^"]*">(.*?)</p>', html, re.S
    )
    return {body.strip(): " ".join(re.sub(r"<[^>]+>", " ", head).split()) for head, body in items}


def test_a_message_says_which_survey_it_came_in_during_judged_when_it_came_in(services, admin_client, client):
    """The thread says a message came in during a survey only when that young person had it in progress then
    (started, not finished, stopped or closed), names the survey, and says which question an answer was to;
    a message before the survey started, or after it ended, says nothing of a survey (tester T10)."""
    from tests.factories import launch
    from voice_service.db import session_scope
    from voice_service.rounds.launch import close_round

    add_participants(services, [{"phone": phone_number(1), "first_name": "Ava"}])
    phone = SmsPhone(client, phone_number(1))
    phone.send("can someone call me please")  # no survey yet: the thread starts here
    round_id = launch(services)
    phone.send("yes")  # starts it
    phone.send("4")  # answers "How safe do you feel where you live?"
    phone.send("can someone call me about my placement")  # mid-survey, to the team
    with session_scope(services.engine) as session:
        close_round(session=session, round_id=round_id)  # ended now, but in progress when they wrote
    phone.send("STOP")  # no survey in progress any more: the old page said "(during a survey)"
    page = admin_client("worker").get("/admin/inbox/1")
    assert page.status_code == 200
    heads = _headers(page.data)
    survey = f"round {round_id} of the survey “Quick check-in”"
    assert "survey" not in heads["can someone call me please"]
    assert heads["yes"].endswith(f"(sent while they had {survey} in progress)")
    assert heads["4"].endswith(f"(their answer to “Safe home” in {survey})")
    assert heads["can someone call me about my placement"].endswith(
        f"(sent while they had {survey} in progress, at the question “Listened”) Asked for a person"
    )
    assert "survey" not in heads["STOP"]
    assert b"during a survey" not in page.data


def test_a_message_mid_survey_says_the_question_they_were_on(services, admin_client, client):
    """A message that was not an answer, sent mid-survey, says which question they were on (trial finding: a
    disclosure at a number question said only "sent while they had … in progress"): the question the survey was
    waiting on, kept with the message, so it stays once they carry on or the round closes."""
    from tests.factories import launch
    from voice_service.db import session_scope
    from voice_service.rounds.launch import close_round

    add_participants(services, [{"phone": phone_number(2), "first_name": "Bo"}])
    phone = SmsPhone(client, phone_number(2))
    round_id = launch(services)
    phone.send("yes")  # starts it: "How safe do you feel where you live?" is asked
    phone.send("can someone call me about my placement")  # to the team, at that number question
    survey = f"round {round_id} of the survey “Quick check-in”"
    at = f"(sent while they had {survey} in progress, at the question “Safe home”) Asked for a person"
    heads = _headers(admin_client("worker").get("/admin/inbox/1").data)
    assert heads["can someone call me about my placement"].endswith(at)
    with Session(services.engine) as session:
        kept = session.exec(select(Response).where(Response.answer == "can someone call me about my placement")).one()
    assert (kept.question_id, kept.during_question) == (None, "safe_home")  # kept with the message
    phone.send("4")  # they carry on and answer it: the note still names it
    heads = _headers(admin_client("worker").get("/admin/inbox/1").data)
    assert heads["can someone call me about my placement"].endswith(at)
    assert heads["4"].endswith(f"(their answer to “Safe home” in {survey})")
    with session_scope(services.engine) as session:
        close_round(session=session, round_id=round_id)  # the run keeps no question now (trial: the note lost it)
    heads = _headers(admin_client("worker").get("/admin/inbox/1").data)
    assert heads["can someone call me about my placement"].endswith(at)
    with session_scope(services.engine) as session:  # a row kept before migration 0025 held no question
        session.exec(update(Response).where(Response.id == kept.id).values(during_question=None))
    heads = _headers(admin_client("worker").get("/admin/inbox/1").data)
    assert heads["can someone call me about my placement"].endswith(at)  # the answer after it names it


def test_a_wrong_worker_is_shown_on_the_assign_list_not_the_reply_box(services, admin_client, client):
    """Trial 11, T11-7: "Choose a worker from the list" sat under the reply box, and the summary linked to #reply."""
    add_participants(services, [{"phone": phone_number(1), "first_name": "Ava"}])
    SmsPhone(client, phone_number(1)).send("can someone call me about my placement")
    refused = admin_client("worker").post_form("/admin/inbox/1/assign", {"to": "99999"})
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert '<a href="#to">Choose a worker from the list</a>' in page and 'href="#reply"' not in page
    select_tag = re.search(r'<select [^>]*id="to"[^>]*>', page).group(0)
    assert "govuk-select--error" in select_tag and 'aria-describedby="to-error"' in select_tag
    assert re.search(r'<p id="to-error" class="govuk-error-message">', page)
    reply_box = re.search(r'<textarea [^>]*id="reply"[^>]*>', page).group(0)
    assert "error" not in reply_box and "reply-error" not in page


def test_a_close_refused_is_said_in_the_summary_not_on_the_reply_box(services, admin_client):
    """Trial 11, T11-7: Close's error linked to #reply. Close is refused only when nothing is waiting (closed
    meanwhile), and then neither the reply box nor the Close form is on the page: the summary links nowhere."""
    add_participants(services, [{"phone": phone_number(1), "first_name": "Ava"}])
    refused = admin_client("worker").post_form("/admin/inbox/1/close")
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "<li>There is nothing waiting from this young person</li>" in page
    assert 'href="#reply"' not in page and "reply-error" not in page and 'id="nothing-waiting"' in page


def test_a_referral_with_no_advocacy_address_links_to_no_form(services, admin_client, client):
    """With no [advocacy] email there is no referral form, so the error summary says why with no link."""
    add_participants(services, [{"phone": phone_number(1), "first_name": "Ava"}])
    SmsPhone(client, phone_number(1)).send("i want an advocate")
    refused = admin_client("worker").post_form("/admin/inbox/1/advocacy", {"note": "wants an advocate"})
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "No advocacy service address is set up" in page and 'id="note"' not in page
    assert 'href="#note"' not in page and 'href="#reply"' not in page and "reply-error" not in page
    reply_box = re.search(r'<textarea [^>]*id="reply"[^>]*>', page).group(0)
    assert "error" not in reply_box

"""POST /sms/inbound and /sms/status, signed with twilio's RequestValidator."""

from pytest import mark
from sqlalchemy import func, select
from sqlmodel import Session

from tests.conftest import PUBLIC_URL, SmsPhone
from tests.factories import SMALL_SURVEY, add_participants, launch, phone_number
from tests.fake_twilio import AUTH_TOKEN
from voice_service.context import Services
from voice_service.models import Alert, Message, OptOut, OutboxMessage, Participant, Response, Run
from voice_service.outbox.dispatch import build_dispatcher

# /healthz on safeguarding notices when none has waited past [safeguarding] unsent_notice_minutes.
NO_UNSENT = {"unsent": 0, "oldest_minutes": 0, "after_minutes": 2}


def count(services, model, *where):
    with Session(services.engine) as session:
        return session.exec(select(func.count()).select_from(model).where(*where)).scalar_one()


def test_missing_signature_is_403(client):
    response = client.post("/sms/inbound", data={"MessageSid": "SM1", "From": "+447700900123", "Body": "hi"})
    assert response.status_code == 403


def test_forged_signature_is_403_and_stores_nothing(client, services):
    from twilio.request_validator import RequestValidator

    form = {"MessageSid": "SM1", "From": "+447700900123", "Body": "hi"}
    forged = RequestValidator("not-the-token").compute_signature(PUBLIC_URL + "/sms/inbound", form)
    assert client.post("/sms/inbound", data=form, headers={"X-Twilio-Signature": forged}).status_code == 403
    # Signed for another URL (a proxy mix-up or a replay against another path) is also refused.
    other = RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC_URL + "/elsewhere", form)
    assert client.post("/sms/inbound", data=form, headers={"X-Twilio-Signature": other}).status_code == 403
    assert count(services, Message) == 0


def test_bad_sender_is_400(client):
    phone = SmsPhone(client, "not-a-number")
    phone.send("hello", expect=400)


def test_full_survey_by_text_with_awkward_answers(client, services):
    add_participants(services, [{"phone": phone_number(1), "first_name": "Amira", "age": 14}])
    round_id = launch(services)
    phone = SmsPhone(client, phone_number(1))
    assert "safe" in phone.send("yeah go on")[0].lower()
    assert phone.send("idk")[0].startswith("Sorry")  # one kind re-ask
    assert "safer" in phone.send("2/5 tbh")[0].lower()
    with Session(services.engine) as session:
        run = session.exec(select(Run)).scalars().one()
        assert run.current_question == "safe_home_why"  # 2 branched to the follow-up
    # (An answer no version of the risk screen reads as a disclosure: that path is tests/web/test_disclosure.py.)
    assert "listened" in phone.send("more privacy")[0].lower()
    phone.send("nah")  # listened: no
    phone.send("2")  # contact: About right
    replies = phone.send("more trips out pls")
    assert "thank" in replies[0].lower()
    with Session(services.engine) as session:
        answers = {
            r.question_id: r for r in session.exec(select(Response).where(Response.round_id == round_id)).scalars()
        }
        run = session.exec(select(Run)).scalars().one()
    assert run.status == "finished" and run.ended_at is not None
    assert answers["safe_home"].value_number == 2
    assert answers["listened"].value_text == "no"
    assert answers["contact"].value_text == "About right"
    assert answers["one_thing"].answer == "more trips out pls"
    assert "safety" in answers["safe_home"].themes


def test_replayed_message_sid_gets_same_reply_and_stores_nothing_twice(client, services):
    add_participants(services, [{"phone": phone_number(2)}])
    launch(services)
    phone = SmsPhone(client, phone_number(2))
    phone.send("yes")
    first = phone.send("4", sid="SMreplayed")
    again = phone.send("4", sid="SMreplayed")
    assert first == again
    assert count(services, Message, Message.provider_sid == "SMreplayed") == 1
    assert count(services, Response) == 1


def test_skip_and_help_mid_survey(client, services):
    add_participants(services, [{"phone": phone_number(3)}])
    launch(services)
    phone = SmsPhone(client, phone_number(3))
    phone.send("yes")
    assert "STOP" in phone.send("HELP")[0]
    phone.send("skip")
    with Session(services.engine) as session:
        response = session.exec(select(Response)).scalars().one()
    assert response.skipped and response.question_id == "safe_home"


def test_stop_opts_out_and_a_second_round_sends_nothing(client, services, fake_twilio):
    add_participants(services, [{"phone": phone_number(4)}, {"phone": phone_number(5)}])
    launch(services)
    config = services.config.with_overrides(sms={"provider": "twilio"}, twilio={"api_base_url": fake_twilio.url})

    def send_all():
        return build_dispatcher(Services.from_config(config, engine=services.engine)).flush()

    send_all()
    phone = SmsPhone(client, phone_number(4))
    phone.send("yes")
    assert phone.send("STOP")  # a confirmation
    assert count(services, OptOut) == 1
    with Session(services.engine) as session:
        assert (
            session.exec(
                select(Run).join(Participant).where(Participant.phone_hash == services.vault.hash(phone_number(4)))
            )
            .scalars()
            .one()
            .status
            == "stopped"
        )
    # A round of another survey (one survey's open round keeps its own people out of a second round of it).
    launch(services, survey_source=SMALL_SURVEY.replace('id = "check-in"', 'id = "check-in-2"'))
    send_all()
    # Round 1 invitations went before STOP; round 2 only to the other number.
    assert len(fake_twilio.to(phone_number(4))) == 1
    assert len(fake_twilio.to(phone_number(5))) == 2
    # START opts back in.
    assert phone.send("START")
    assert count(services, OptOut) == 0


def test_unknown_number_is_onboarded_consent_first(client, services):
    phone = SmsPhone(client, "+447700900777")
    first = phone.send("hi my social worker keeps changing")
    assert "STOP" in " ".join(first) and "YES" in " ".join(first)
    phone.send("yes")
    phone.send("2")  # care leaver
    phone.send("3")  # 18-21
    with Session(services.engine) as session:
        participant = session.exec(select(Participant)).scalars().one()
        kept = session.exec(select(Response)).scalars().all()
    assert participant.source == "text_in" and participant.status == "care_leaver" and participant.age_band == "18-21"
    # Their first words were kept, not the menu answers.
    assert [r.answer for r in kept] == ["hi my social worker keeps changing"]


def test_risky_text_gets_help_and_an_alert_even_after_stop(client, services):
    add_participants(services, [{"phone": phone_number(6)}])
    phone = SmsPhone(client, phone_number(6))
    phone.send("STOP")
    replies = phone.send("i dont want to be here anymore")
    assert any("Childline" in r and "116 123" in r and "85258" in r and "999" in r for r in replies)
    assert count(services, Alert) == 1


def test_risk_alert_notifies_every_route_without_the_message_text(services, database_url):
    from tests.conftest import make_config
    from voice_service.context import Services
    from voice_service.web import create_app

    config = make_config(
        database_url,
        safeguarding={
            "duty_phones": ["+447700900555"],
            "duty_emails": ["duty@council.test"],
            "webhook_url": "http://127.0.0.1:9/hook",
        },
    )
    config = config.with_overrides(privacy=services.config.as_dict()["privacy"])
    client = create_app(services=Services.from_config(config, engine=services.engine)).test_client()
    replies = SmsPhone(client, phone_number(7)).send("he hits me when hes drunk")
    assert "Childline" in replies[0]
    with Session(services.engine) as session:
        rows = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "alert")).scalars().all()
    assert sorted(r.channel for r in rows) == ["email", "sms", "webhook"]
    for row in rows:
        assert "hits" not in row.body and "7700900207" not in row.body
        assert row.respect_window is False


def test_status_callback_updates_the_outbox(client, services, fake_twilio):
    from twilio.request_validator import RequestValidator

    add_participants(services, [{"phone": phone_number(8)}])
    launch(services)
    config = services.config.with_overrides(sms={"provider": "twilio"}, twilio={"api_base_url": fake_twilio.url})
    build_dispatcher(Services.from_config(config, engine=services.engine)).flush()
    sent = fake_twilio.messages[0]
    assert sent["status_callback"].startswith(PUBLIC_URL + "/sms/status?outbox=")
    form = {"MessageSid": sent["sid"], "MessageStatus": "delivered"}
    path = sent["status_callback"][len(PUBLIC_URL) :]
    signature = RequestValidator(AUTH_TOKEN).compute_signature(sent["status_callback"], form)
    assert client.post(path, data=form, headers={"X-Twilio-Signature": signature}).status_code == 204
    assert client.post(path, data=form).status_code == 403
    with Session(services.engine) as session:
        assert session.exec(select(OutboxMessage)).scalars().one().status == "delivered"


def test_healthz(client, services):
    from voice_service.models import utcnow
    from voice_service.scheduler.heartbeat import record_heartbeat

    record_heartbeat(services.engine, utcnow())  # the scheduler is running beside this server
    assert client.get("/healthz").get_json() == {
        "status": "ok",
        "database": "ok",
        "spool": {"pending": 0, "failed": 0, "worrying": 0, "unwarned": 0},
        "duty_notices": NO_UNSENT,
        "scheduler": {"last_run_minutes": 0, "after_minutes": 5},
    }


def test_a_run_stays_on_the_survey_version_it_started_with(client, services):
    from tests.factories import SMALL_SURVEY, small_survey
    from voice_service.db import session_scope
    from voice_service.surveys.registry import store_version

    add_participants(services, [{"phone": phone_number(9)}])
    launch(services)
    phone = SmsPhone(client, phone_number(9))
    phone.send("yes")
    # The council edits the survey file mid-round: a new version is stored.
    edited = SMALL_SURVEY.replace("Do you feel listened to at your reviews?", "Are you listened to?")
    with session_scope(services.engine) as session:
        store_version(session=session, survey=small_survey(edited), source=edited)
    # The run goes on with the wording it started with.
    assert phone.send("4") == ["Do you feel listened to at your reviews? Reply YES or NO."]


def test_a_resumed_run_days_later_picks_up_where_it_was(client, services):
    add_participants(services, [{"phone": phone_number(10)}])
    launch(services)
    phone = SmsPhone(client, phone_number(10))
    phone.send("yes")
    phone.send("5")
    # Days later they come back with an answer to the waiting question.
    assert "family" in phone.send("yep")[0].lower()
    with Session(services.engine) as session:
        assert [r.question_id for r in session.exec(select(Response).order_by(Response.id)).scalars()] == [
            "safe_home",
            "listened",
        ]


def test_an_empty_body_mid_survey_is_reasked_and_stores_no_answer(client, services):
    """A picture message with no text (Body="") is not an answer: the kind re-ask, nothing stored, no moving on."""
    add_participants(services, [{"phone": phone_number(1), "first_name": "Amira", "age": 14}])
    launch(services)
    phone = SmsPhone(client, phone_number(1))
    phone.send("yes")
    for _ in range(3):  # however often: a blank is never kept as the answer
        replies = phone.send("")
        assert len(replies) == 1 and "didn't get that" in replies[0]
    assert count(services, Response) == 0
    with Session(services.engine) as session:
        run = session.exec(select(Run)).scalars().one()
        assert run.current_question == "safe_home"


@mark.parametrize(
    "replies",
    [[], ["Thanks for telling us."], ["a & b < c > d \" e ' f", "é 😀 and 0800 1111"], ["<Message>x</Message>"]],
)
def test_twiml_is_what_twilio_s_library_writes(replies):
    from twilio.twiml.messaging_response import MessagingResponse

    from voice_service.web.sms.routes import twiml_text

    expected = MessagingResponse()
    for reply in replies:
        expected.message(reply)
    assert twiml_text(replies) == str(expected)

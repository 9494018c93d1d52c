"""A message the screen cannot read (not English) goes to a person, and the young person is told so.

Tester finding F2: a Welsh or Arabic disclosure got "Sorry, we didn't get that" and no alert. Now it raises
a low-priority alert ("not in English: a person should read this") and gets a short warm reply; a Welsh
answer to a Welsh survey's free-text question is kept as the answer (the survey goes on), and a person
is asked to read it too.
"""

from __future__ import annotations

from sqlmodel import Session, select

from tests.conftest import SmsPhone
from tests.factories import add_participants, launch, phone_number
from voice_service.analysis import NOT_ENGLISH_REASON
from voice_service.engine import texts
from voice_service.models import Alert, Participant, Response

WELSH = "Mae arnaf ofn, mae e'n fy nychryn i"  # I'm afraid, he frightens me: no Welsh word of harm the screen reads
ARABIC = "أنا خائف من الرجل في البيت، يضربني"  # I'm afraid of the man in the house, he hits me
# I'm afraid to go home, he hits me: Welsh words of harm the screen reads (trial 8, H1), a disclosure as in English.
WELSH_HARM = "Mae arnaf ofn mynd adref, mae e'n fy nharo i"


def _alerts(services) -> list[Alert]:
    with Session(services.engine) as session:
        return list(session.exec(select(Alert)).all())


def test_a_disclosure_in_welsh_or_arabic_reaches_a_person(client, services):
    add_participants(services, [{"phone": phone_number(90)}, {"phone": phone_number(91)}])
    launch(services)
    welsh, arabic = SmsPhone(client, phone_number(90)), SmsPhone(client, phone_number(91))
    welsh.send("yes")
    # Never the answer to the number question waiting: a person will read it, and the question still waits (H7).
    assert welsh.send(WELSH)[1:] == [texts.QUESTION_WAITS]
    arabic.send("yes")
    arabic.send("5")
    said = arabic.send(ARABIC)
    assert texts.is_unread_reply(said[0]) and len(said) == 2  # a person reads it; the survey waits (told so)
    alerts = _alerts(services)
    assert len(alerts) == 2
    assert all(a.priority == "low" and a.reasons == [NOT_ENGLISH_REASON] for a in alerts)
    assert sorted(a.excerpt for a in alerts) == sorted([WELSH, ARABIC])
    # The survey waits where it was: the question is not re-asked, and a number still answers it.
    assert not texts.is_unread_reply(welsh.send("4")[0]) and not any("didn't get that" in r for r in welsh.send("yes"))


def test_welsh_words_of_harm_are_a_disclosure_as_english_ones_are(client, services):
    add_participants(services, [{"phone": phone_number(94)}])
    launch(services)
    welsh = SmsPhone(client, phone_number(94))
    welsh.send("yes")
    (said,) = welsh.send(WELSH_HARM)  # the help reply, alone
    assert texts.is_disclosure_reply(said)
    (alert,) = _alerts(services)
    assert alert.priority == "high" and set(alert.categories) == {"abuse", "unsafe_home"}


def test_unread_reply_is_one_sms_segment_in_both_channels():
    for said in (texts.unread_reply(None), texts.unread_reply("at 10:30am today")):
        assert texts.sms_segments(said) == 1
        assert texts.for_channel(said, "webchat") == said  # no texting words to change


def test_a_welsh_answer_in_a_welsh_survey_is_kept_and_read_by_a_person(client, services):
    add_participants(services, [{"phone": phone_number(92)}])
    with Session(services.engine) as session:
        for participant in session.exec(select(Participant)).all():
            participant.language = "cy"
            session.add(participant)
        session.commit()
    launch(services)
    phone = SmsPhone(client, phone_number(92))
    phone.send("yes")
    assert phone.send("2") == ["Sorry to hear that. What would help you feel safer?"]
    answer = "Dw i eisiau siarad â rhywun am fy ngofalwr"  # I want to talk to someone about my carer
    after = phone.send(answer)
    # Their answer, and a person reads it; nobody here can read it, so the next question never comes alone: first
    # the reply that a person will read it, with where help is (trial 8, H1); then the survey goes on.
    assert texts.is_unread_reply(after[0]) and "didn't get that" not in after[0]
    assert len(after) == 2 and not texts.is_unread_reply(after[1])
    with Session(services.engine) as session:
        kept = session.exec(select(Response).where(Response.question_id == "safe_home_why")).one()
        assert kept.answer == answer and kept.risk
    (alert,) = _alerts(services)
    assert alert.priority == "low" and alert.reasons == [NOT_ENGLISH_REASON]


def test_ordinary_english_slang_is_not_sent_to_a_person(client, services):
    add_participants(services, [{"phone": phone_number(93)}])
    launch(services)
    phone = SmsPhone(client, phone_number(93))
    phone.send("yes")
    assert not texts.is_unread_reply(phone.send("ngl its peak here innit")[0])
    assert _alerts(services) == []


# Trial 13 (T13-1): Spanish whose everyday words English lists also hold ("tengo", "noches", "las").
SPANISH = "no me siento seguro en casa, mi padrastro me grita todas las noches y tengo miedo"
SPANISH_SHORT = "tengo miedo de mi padrastro"  # I'm scared of my stepfather


def test_a_disclosure_in_spanish_reaches_a_person_mid_survey_and_as_a_first_text(client, services):
    add_participants(services, [{"phone": phone_number(95)}])
    launch(services)
    phone = SmsPhone(client, phone_number(95))
    phone.send("yes")
    said = phone.send(SPANISH)  # at a number question: once "Sorry, we didn't get that", and no alert
    assert not any("didn't get that" in r for r in said)
    assert said[1:] == [texts.QUESTION_WAITS]
    stranger = SmsPhone(client, phone_number(96))  # a number nobody imported: once the English welcome alone
    assert texts.is_unread_reply(stranger.send(SPANISH_SHORT)[0])
    alerts = _alerts(services)
    assert len(alerts) == 2
    assert all(a.priority == "low" and a.reasons == [NOT_ENGLISH_REASON] for a in alerts)

"""A plea for help in Welsh pauses the survey as an English speaker's plea does (trial 6b).

An English speaker's disclosure pauses their survey, so their "I need help" after it gets the help reply alone, with
no next question and, in the web chat, no survey buttons; a "3" is told the survey is paused, and GO ON carries on.
A Welsh speaker's disclosure is text the screen cannot read: flagged for a person, the survey going on. Their
"helpa fi plis" after it was added to that alert and the duty team told, but the survey's buttons stayed on
screen and a "3" was taken as the answer. Now the plea is the first thing the service reads as their needing help,
and from it they are answered exactly as the English speaker is. A Welsh message that is no plea still does not
pause. Through the signed webhook and the chat's API, on both databases.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlmodel import Session, select

from tests.conftest import SmsPhone
from tests.factories import launch, phone_number
from tests.inbound.test_welsh_disclosure_reaches_a_person import HITS_ME
from tests.support.people import import_people
from tests.web.test_chat_api import ChatUser
from tests.web.test_welsh_answer_is_no_disclosure import NOW, SURVEY
from voice_service.engine import texts
from voice_service.inbound.office import office_reopens
from voice_service.models import AlertMessage, Participant, Run, utcnow
from voice_service.safeguarding.alerts import PLEA
from voice_service.web.chat.invites import invite_link

# Each speaker: how they say yes, what they disclose (read by the screen in English; in Welsh, only flagged for a
# person) and the question the survey paused at, as they are asked it.
SPEAKERS = {
    "English": ("yes", "he hits me every night", "How are you? Reply 1 (low) to 5 (good)."),
    "Cymraeg": ("ie", HITS_ME, "Sut wyt ti? Ateba 1 (isel) i 5 (da)."),
}
LANGUAGE = {"English": "en", "Cymraeg": "cy"}


def _words(text: str, language: str, channel: str = "sms") -> str:
    """A fixed text as this young person gets it (imported with no date of birth: their age is not known)."""
    return texts.for_person(text, channel, adult=None, language=language)


def _plea_reply(services, send: Callable[[], list[str]], language: str, channel: str = "sms") -> list[str]:
    """Send a plea; its reply is the one a plea after a disclosure gets, alone, at the office's hours either
    side of the send (so a test running across 9am or 5pm still agrees)."""

    def reply(back):
        return [_words(texts.wants_person_reply(back, after_disclosure=True), language, channel)]

    before = office_reopens(services.config, utcnow())
    got = send()
    assert got in (reply(before), reply(office_reopens(services.config, utcnow()))), got
    return got


def _run(services) -> tuple[str, str | None]:
    with Session(services.engine) as session:
        run = session.exec(select(Run)).one()
    return run.status, run.current_question


def _pleas(services) -> list[str]:
    """The messages added to their alert as pleas."""
    with Session(services.engine) as session:
        return [
            reasons
            for reasons in session.exec(select(AlertMessage.reasons).order_by(AlertMessage.id)).all()
            if PLEA in reasons
        ]


def _speaker(services, language: str) -> None:
    import_people(services, (75, "Cai", language))
    launch(services, survey_source=SURVEY, now=NOW)


@pytest.mark.parametrize(
    ("language", "plea"),
    [("English", "I need help"), ("Cymraeg", "helpa fi plis"), ("Cymraeg", "dw i angen help"), ("Cymraeg", "help me")],
)
def test_by_text_a_plea_after_a_disclosure_pauses_the_survey_in_either_language(client, services, language, plea):
    yes, disclosure, question = SPEAKERS[language]
    _speaker(services, language)
    phone = SmsPhone(client, phone_number(75))
    assert phone.send(yes) == [question]
    phone.send(disclosure)
    _plea_reply(services, lambda: phone.send(plea), LANGUAGE[language])
    assert _run(services) == ("paused", "mood") and len(_pleas(services)) == 1  # the duty team was told
    assert phone.send("3") == [_words(texts.SURVEY_PAUSED, LANGUAGE[language])]  # not taken as the answer
    assert _run(services) == ("paused", "mood")
    assert phone.send("GO ON") == [question]  # their choice: the question they were on, again
    assert _run(services) == ("active", "mood")


@pytest.mark.parametrize(("language", "plea"), [("English", "please help me"), ("Cymraeg", "helpa fi plis")])
def test_in_the_chat_a_plea_after_a_disclosure_leaves_no_survey_buttons(client, services, language, plea):
    yes, disclosure, _ = SPEAKERS[language]
    _speaker(services, language)
    with Session(services.engine) as session:
        participant_id = session.exec(select(Participant.id)).one()
    user = ChatUser(client)
    user.start(invite=invite_link(services, participant_id).rsplit("/", 1)[1])
    assert [q["value"] for q in user.say(yes)["quick_replies"]] == ["1", "2", "3", "4", "5"]
    user.say(disclosure)
    turn: dict = {}

    def say() -> list[str]:
        turn.update(user.say(plea))
        return [message["text"] for message in turn["messages"]]

    _plea_reply(services, say, LANGUAGE[language], "webchat")
    assert turn["quick_replies"] == []
    assert client.get(f"/api/chat/sessions/{user.session}").get_json()["quick_replies"] == []  # reopened, too
    paused = user.say("3")
    assert [m["text"] for m in paused["messages"]] == [_words(texts.SURVEY_PAUSED, LANGUAGE[language], "webchat")]
    assert paused["quick_replies"] == [] and _run(services) == ("paused", "mood")


def test_a_welsh_message_that_is_no_plea_is_flagged_but_does_not_pause(client, services):
    _speaker(services, "Cymraeg")
    phone = SmsPhone(client, phone_number(75))
    phone.send("ie")
    (flagged, waits) = phone.send(HITS_ME)
    assert texts.is_unread_reply(flagged) and _run(services) == ("active", "mood")
    assert waits == _words(texts.QUESTION_WAITS, "cy")  # the question still waits, and they are told so
    assert phone.send("3") == ["Pam hynny?"]  # the survey goes on: nothing was read as a disclosure
    assert _pleas(services) == []

"""Every chat button sends its own words, and the engine understands them as if typed: a tap of each, in an English
run and in a Welsh one (whose buttons are Welsh: "Ie", "Na", "Hepgor hwn"...), moves the conversation on as its
words say, the transcript shows what was tapped (a scale's face: its number), and no tap is left for a person to
read as text the screen cannot (no alert). Through the chat's API, on both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from tests.factories import add_participants, launch, phone_number
from tests.web.test_chat_api import ChatUser
from tests.web.test_disclosure import RISKY, _close_alerts
from voice_service.engine import texts
from voice_service.models import Alert, Participant, Response
from voice_service.web.chat.invites import invite_link

SURVEY = """
id = "buttons"
title = "How are things?"
intro = "Hi {first_name}, it's the Voice team at {council}. Reply YES to start, or STOP to opt out."
intro_cy = "Helo {first_name}, Tim Voice {council} sydd yma. Ateba IE i ddechrau, neu STOP i stopio."
outro = "Thank you! You can text us any time."
outro_cy = "Diolch! Anfona neges aton ni unrhyw bryd."

[[questions]]
id = "mood"
kind = "scale"
text = "How are you? Reply 1 (low) to 5 (good)."
text_cy = "Sut wyt ti? Ateba 1 (isel) i 5 (da)."
min = 1
max = 5
optional = true

[[questions]]
id = "home"
kind = "yes_no"
text = "Do you like where you live? Reply YES or NO."
text_cy = "Wyt ti'n hoffi lle rwyt ti'n byw? Ateba IE neu NA."
optional = true

[[questions]]
id = "school"
kind = "yes_no"
text = "Do you like school? Reply YES or NO."
text_cy = "Wyt ti'n hoffi'r ysgol? Ateba IE neu NA."
optional = true

[[questions]]
id = "listened"
kind = "choice"
text = "Do you feel listened to? Reply 1 Always, 2 Sometimes or 3 Never."
text_cy = "Wyt ti'n teimlo bod pobl yn gwrando? Ateba 1 Bob amser, 2 Weithiau neu 3 Byth."
choices = ["Always", "Sometimes", "Never"]
choices_cy = ["Bob amser", "Weithiau", "Byth"]

[[questions]]
id = "why"
kind = "text"
text = "Why is that?"
text_cy = "Pam hynny?"
optional = true
"""
# Each run's buttons, and how each question's text begins, in each language.
RUNS = {
    "en": {
        "name": "Amy",
        "buttons": {"start": "Yes, let's start", "not now": "Not now", "yes": "Yes", "no": "No"},
        "skip": "Skip this one",
        "carry on": "Carry on with the survey",
        "choices": ["Always", "Sometimes", "Never"],
        "ends": ["1 - low", "5 - good"],
        "asks": [
            "How are you?",
            "Do you like where",
            "Do you like school",
            "Do you feel",
            "Why is that?",
            "Thank you!",
        ],
    },
    "cy": {
        "name": "Cai",
        "buttons": {"start": "Ie, dechrau", "not now": "Dim nawr", "yes": "Ie", "no": "Na"},
        "skip": "Hepgor hwn",
        "carry on": "Parhau gyda'r arolwg",
        "choices": ["Bob amser", "Weithiau", "Byth"],
        "ends": ["1 - isel", "5 - da"],
        "asks": [
            "Sut wyt ti?",
            "Wyt ti'n hoffi lle",
            "Wyt ti'n hoffi'r ysgol",
            "Wyt ti'n teimlo",
            "Pam hynny?",
            "Diolch!",
        ],
    },
}


class Tapper:
    """A young person's chat that only taps the buttons it is shown."""

    def __init__(self, client, services, *, name: str | None = None):
        self.user = ChatUser(client)
        invite = None
        if name is not None:
            with Session(services.engine) as session:
                wanted = session.exec(select(Participant.id).where(Participant.first_name == name)).scalars().one()
            invite = invite_link(services, wanted).rsplit("/", 1)[1]
        self.buttons = self.user.start(invite=invite)["quick_replies"]
        self.tapped: list[str] = []

    def labels(self) -> list[str]:
        return [button["label"] for button in self.buttons]

    def tap(self, label: str) -> str:
        """Tap the button that says `label` (it sends those words); the one reply."""
        [button] = [button for button in self.buttons if button["label"] == label]
        assert button["value"] == label  # what the young person sees is what is sent
        return self._send(label)

    def tap_face(self, number: int) -> str:
        """Tap a scale's face: it sends its number (its words would be screened as a disclosure: "1 - not safe")."""
        [button] = [button for button in self.buttons if button["value"] == str(number)]
        assert button["label"].startswith(button["emoji"]) and str(number) in button["label"]
        return self._send(button["value"])

    def _send(self, words: str) -> str:
        turn = self.user.say(words)
        self.tapped.append(words)
        self.buttons = turn["quick_replies"]
        [reply] = [message["text"] for message in turn["messages"]]
        return reply

    def reopen(self) -> None:
        """Open the chat again (its buttons as they are now)."""
        self.buttons = self.user.client.get(f"/api/chat/sessions/{self.user.session}").get_json()["quick_replies"]

    def transcript_says(self) -> list[str]:
        """What the chat shows they said."""
        messages = self.user.client.get(f"/api/chat/sessions/{self.user.session}").get_json()["messages"]
        return [message["text"] for message in messages if message["from"] == "you"]


def _people(services, *names: str) -> None:
    """Young people called `names`, English and Welsh in turn, invited to the survey."""
    people = [(name, ("en", "cy")[n % 2]) for n, name in enumerate(names)]
    add_participants(
        services,
        [
            {"phone": phone_number(90 + n), "first_name": name, "language": language}
            for n, (name, language) in enumerate(people)
        ],
    )
    launch(services, survey_source=SURVEY)


def _alerts(services) -> int:
    with Session(services.engine) as session:
        return session.exec(select(func.count()).select_from(Alert)).scalar_one()


def _answers(services, name: str) -> dict[str, object]:
    with Session(services.engine) as session:
        rows = session.exec(
            select(Response)
            .join(Participant, Participant.id == Response.participant_id)
            .where(Participant.first_name == name)
        ).scalars()
        return {
            row.question_id: "skipped" if row.skipped else row.value_text or row.value_number
            for row in rows
            if row.question_id
        }


@pytest.mark.parametrize("language", ["en", "cy"])
def test_every_survey_button_is_understood_in_english_and_in_welsh(client, services, language):
    run = RUNS[language]
    buttons, skip, asks = run["buttons"], run["skip"], run["asks"]
    _people(services, "Amy", "Cai")
    chat = Tapper(client, services, name=run["name"])
    assert chat.labels() == [buttons["start"], buttons["not now"]]
    assert chat.tap(buttons["start"]).startswith(asks[0])
    assert [button["spoken"] for button in chat.buttons][:5:4] == run["ends"]  # the ends in the run's words
    assert chat.labels()[-1] == skip
    assert chat.tap_face(4).startswith(asks[1])
    assert chat.labels() == [buttons["yes"], buttons["no"], skip]
    assert chat.tap(buttons["yes"]).startswith(asks[2])
    assert chat.tap(buttons["no"]).startswith(asks[3])
    assert chat.labels() == run["choices"]  # not optional: no Skip
    assert chat.tap(run["choices"][1]) == asks[4]
    assert chat.labels() == [skip]
    assert chat.tap(skip).startswith(asks[5])
    assert chat.transcript_says() == chat.tapped  # what they tapped, word for word
    answers = {"mood": 4, "home": "yes", "school": "no", "listened": "Sometimes", "why": "skipped"}
    assert _answers(services, run["name"]) == answers
    assert _alerts(services) == 0  # no tap was text for a person to read


@pytest.mark.parametrize("language", ["en", "cy"])
def test_not_now_then_the_way_back_and_carrying_on_after_a_disclosure(client, services, language):
    run = RUNS[language]
    buttons, asks = run["buttons"], run["asks"]
    _people(services, "Amy", "Cai", "Eve", "Ffi")
    declining = Tapper(client, services, name=run["name"])
    said = declining.tap(buttons["not now"])
    assert said == texts.for_person(texts.DECLINED, "webchat", adult=False, language=language)
    assert declining.labels() == [buttons["start"]]  # the way back, while the round is open
    assert declining.tap(buttons["start"]).startswith(asks[0])
    assert declining.transcript_says() == declining.tapped

    pausing = Tapper(client, services, name={"en": "Eve", "cy": "Ffi"}[language])
    pausing.tap(buttons["start"])
    assert texts.is_disclosure_reply(pausing.user.replies(RISKY)[0])
    _close_alerts(services)  # the survey waits for them to choose to carry on
    pausing.reopen()
    assert pausing.labels() == [run["carry on"]]
    assert pausing.tap(run["carry on"]).startswith(asks[0])  # the question it paused at
    assert pausing.transcript_says() == [buttons["start"], RISKY, run["carry on"]]
    assert _alerts(services) == 1  # the disclosure's: the tap raised nothing for a person to read


def test_every_onboarding_button_is_understood(client, services):
    """Onboarding is in English (a newcomer's language is not known): its buttons too."""
    ask_status = texts.for_channel(texts.ASK_STATUS, "webchat")
    agreeing = Tapper(client, services)
    assert agreeing.labels() == ["Yes, go on", "No thanks"]
    assert agreeing.tap("Yes, go on") == ask_status
    agreeing.tap("In care")
    assert agreeing.labels()[-1] == "Skip this one"
    assert agreeing.tap("Skip this one") == texts.for_channel(texts.ONBOARDING_DONE, "webchat")
    assert agreeing.transcript_says() == agreeing.tapped

    changing = Tapper(client, services)
    assert changing.tap("No thanks") == texts.for_channel(texts.ONBOARDING_DECLINED, "webchat")
    assert changing.labels() == ["I've changed my mind"]
    assert changing.tap("I've changed my mind") == ask_status
    assert changing.transcript_says() == changing.tapped

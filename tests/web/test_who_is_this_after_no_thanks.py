"""After "No thanks" (to a survey's invitation, or to a newcomer's welcome), "who is this?" and its variants ("who r
u", "whos this", "pwy sy 'na?") get who is asking, as they do at an invitation, a question or the welcome (8e58d51,
f5b7701), never the generic "Thanks for your message" nor silence. Kept for a worker; a later YES still takes the
invitation or the welcome up. Through the signed webhook and the web chat, on both databases."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from tests.conftest import SmsPhone
from tests.factories import add_participants, launch, phone_number
from tests.web.test_chat_api import ChatUser
from voice_service.engine import texts
from voice_service.engine.onboarding import ASK_STATUS
from voice_service.models import Response

COUNCIL = "Testshire County Council"
FIRST_QUESTION = "How safe do you feel where you live? 1 = not safe, 5 = totally safe"
ASKS = ["who is this?", "who r u", "whos this", "Who’s this??", "pwy sy 'na?", "Pwy sy na"]


@pytest.mark.parametrize("asked", ASKS)
def test_sms_who_is_this_after_no_thanks_to_an_invitation(client, services, asked):
    add_participants(services, [{"phone": phone_number(71)}])
    launch(services)
    phone = SmsPhone(client, phone_number(71))
    assert phone.send("no thanks") == [texts.DECLINED]
    assert phone.send(asked) == [texts.WHO_WE_ARE.format(council=COUNCIL)]
    with Session(services.engine) as session:
        assert asked in [r.answer for r in session.exec(select(Response))]  # kept for a worker
    assert phone.send("yes") == [FIRST_QUESTION]  # the change of mind still works


@pytest.mark.parametrize("asked", ASKS[:3])
def test_sms_who_is_this_after_no_thanks_to_the_welcome(client, services, asked):
    phone = SmsPhone(client, phone_number(72))
    phone.send("hi")
    assert phone.send("no thanks") == [texts.ONBOARDING_DECLINED]
    assert phone.send(asked) == [texts.WHO_WE_ARE_WELCOME.format(council=COUNCIL)]
    assert phone.send("yes") == [ASK_STATUS]  # as the answer says: YES goes on


def test_chat_who_is_this_after_no_thanks_to_the_welcome(client, services):
    """In the chat the one button then reads "I've changed my mind", so the answer names it, not the welcome's
    "Yes, go on" and "No thanks", which are no longer shown (trial 13)."""
    user = ChatUser(client)
    user.start()
    user.say("no thanks")
    turn = user.say("who is this?")
    (reply,) = [m["text"] for m in turn["messages"]]
    assert reply == texts.WHO_WE_ARE_DECLINED_CHAT.format(council=COUNCIL)
    assert [q["label"] for q in turn["quick_replies"]] == [texts.CHANGED_MIND_BUTTON]
    assert reply.endswith(f"tap {texts.CHANGED_MIND_BUTTON}.") and "No thanks" not in reply and "YES" not in reply

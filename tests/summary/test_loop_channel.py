"""A round's thank-you goes to each young person on the channel they last answered on in it, not the one their run
began on: invited by text and answered in the chat, they are told in the chat; started in the chat and answered by
text, they are told by text. An opt-out still means nothing is sent."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from tests.conftest import SmsPhone
from tests.factories import add_participants, launch, phone_number
from tests.web.test_chat_api import ChatUser
from voice_service.models import Message, OptOut, OutboxMessage, Participant, Round, Run
from voice_service.summary.loop import chat_text, close_and_tell, close_preview
from voice_service.web.chat.invites import invite_link


def _chat(client, services, participant_id: int) -> ChatUser:
    user = ChatUser(client)
    user.start(invite=invite_link(services, participant_id).rsplit("/", 1)[1])
    return user


def test_the_thank_you_goes_by_the_channel_of_their_last_answer(client, services):
    add_participants(services, [{"phone": phone_number(i), "first_name": "Sam", "age": 14} for i in range(3)])
    round_id = launch(services)  # everyone invited by text: every run begins as "sms"
    with Session(services.engine) as session:
        ids = [
            session.execute(
                select(Participant.id).where(Participant.phone_hash == services.vault.hash(phone_number(i)))
            ).scalar_one()
            for i in range(3)
        ]
    to_chat, to_text, opted = ids
    # Started by text, then finished in the chat.
    phone = SmsPhone(client, phone_number(0))
    phone.send("YES")
    phone.send("4")
    chat = _chat(client, services, to_chat)
    for answer in ("yes", "2", "skip"):
        chat.say(answer)
    # Started in the chat, then finished by text.
    chat = _chat(client, services, to_text)
    for answer in ("yes", "4"):
        chat.say(answer)
    phone = SmsPhone(client, phone_number(1))
    for answer in ("yes", "2", "skip"):
        phone.send(answer)
    # Finished in the chat, then opted out by text: told nowhere.
    phone = SmsPhone(client, phone_number(2))
    phone.send("YES")
    chat = _chat(client, services, opted)
    for answer in ("4", "yes", "2", "skip"):
        chat.say(answer)
    phone.send("STOP")

    with Session(services.engine) as session:
        runs = session.execute(select(Run.participant_id, Run.channel).where(Run.round_id == round_id)).all()
        assert {channel for _, channel in runs} == {"sms"}  # where each run began: not what decides
        assert session.execute(
            select(OptOut).where(OptOut.phone_hash == services.vault.hash(phone_number(2)))
        ).scalar_one_or_none()
        preview = close_preview(services, session=session, round_id=round_id)
    assert (preview.texts, preview.chats) == (1, 1)

    told = close_and_tell(services, round_id).told
    assert (told.texts, told.chats) == (1, 1)
    key = f"loop:{round_id}:"
    with Session(services.engine) as session:
        link = services.config.app.public_url.rstrip("/") + "/r/" + session.get(Round, round_id).public_token
        texts = session.execute(select(OutboxMessage).where(OutboxMessage.kind == "loop")).scalars().all()
        assert [t.key for t in texts] == [f"{key}{to_text}"]
        assert services.vault.decrypt(texts[0].to_encrypted) == phone_number(1)
        assert texts[0].body.endswith(link) and "for taking part" in texts[0].body
        chats = (
            session.execute(select(Message).where(Message.channel == "webchat", Message.provider_sid.startswith(key)))
            .scalars()
            .all()
        )
        assert [(m.participant_id, m.direction, m.provider_sid) for m in chats] == [(to_chat, "out", f"{key}{to_chat}")]
        # The chat's words, not the text's: nothing to "reply" to, the link in full. Two answered, so what they said
        # is kept private on the page, and the chat promises only what we are doing (a trial found "what you told
        # us" promised over a page that kept it private).
        assert chats[0].body.startswith(chat_text(link, said=False).split(":")[0]) and link in chats[0].body
        assert "what you told us" not in chats[0].body

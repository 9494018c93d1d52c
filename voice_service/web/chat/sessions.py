"""Web chat over the one inbound path: start a chat, find it again, send a message, read it back.

No Flask here: the routes translate HTTP to these functions, and these call
`inbound.receive` with channel "webchat" exactly as the SMS webhook does, so
screening, alerts, keywords, onboarding and surveys behave the same in both; the chat's
id goes with each message, so it and its replies are stored as that chat's. What a
chat is waiting for (its buttons) comes from the same routing facts
(`engine.routing.awaiting`), never from a copy of the routing order.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from ...chat_transcript import CHANNEL, chat_is_open, say_in_chat
from ...engine import texts
from ...engine.conversation import intro_text
from ...engine.onboarding import begin_onboarding
from ...engine.routing import Awaiting, awaiting
from ...inbound import load_sender, receive
from ...inbound.receive import talk_for
from ...inbound.situation import load_last_run, saved_id
from ...models import ChatSession, Direction, Message, Participant, as_utc, utcnow
from ...transactions import retry_on_conflict
from .invites import participant_for_invite
from .quick_replies import (
    QuickReply,
    declined_hint,
    declined_replies,
    invitation_replies,
    onboarding_hint,
    onboarding_replies,
    paused_replies,
    question_hint,
    question_replies,
)

TOKEN_BYTES = 32
MAX_TOKEN_LENGTH = 100
# Twilio's own ceiling for one message, and the chat page's box's: a longer chat message is refused, not cut
# short, unless the screen finds it worrying (`security.clean_text`): a limit refuses chatter, never a disclosure.
MAX_TEXT = 1600
# How much of a worrying message over MAX_TEXT is screened and kept: five times the box, more than anyone types in
# one go (only another client, or a page with stale script, sends more than the box holds).
MAX_LONG_TEXT = 8000


@dataclass
class Waiting:
    """What a chat is waiting for: the prompt to re-ask ("" if nothing), its quick replies, the hint under
    the message box ("" for none) and the language the chat page's own words are in (`texts.chat_page_language`:
    its run's, as its buttons and hint are, else theirs; English during onboarding, whose texts are English)."""

    prompt: str = ""
    quick_replies: list[QuickReply] = field(default_factory=list)
    hint: str = ""
    language: str = "en"


@dataclass
class StartedChat:
    """A new chat: the token for the device (shown once, never stored) and the opening messages."""

    chat: ChatSession
    token: str
    replies: list[str]
    quick_replies: list[QuickReply]
    hint: str = ""
    language: str = "en"


@dataclass
class ChatTurn:
    """The service's answer to one message from the young person."""

    replies: list[str]
    quick_replies: list[QuickReply]
    duplicate: bool = False
    alert: bool = False
    hint: str = ""
    language: str = "en"


def hash_token(token: str) -> str:
    """The stored form of a chat token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def waiting_of(expected: Awaiting) -> Waiting:
    """The chat's prompt, buttons, hint and page language for what the conversation is waiting for."""
    if expected.kind == "onboarding":
        step = expected.onboarding_step or ""
        return Waiting(expected.prompt, onboarding_replies(step), onboarding_hint(step))
    waiting = _waiting_in(expected, expected.language)
    waiting.language = texts.chat_page_language(expected.language)
    return waiting


def _waiting_in(expected: Awaiting, language: str) -> Waiting:
    """`waiting_of` past onboarding: the buttons and hint in `language`, the run's (or theirs)."""
    if expected.kind == "invitation":
        return Waiting(expected.prompt, invitation_replies(language))
    if expected.kind == "question" and expected.question is not None:
        replies = question_replies(expected.question, language)
        return Waiting(expected.prompt, replies, question_hint(expected.question, language))
    if expected.kind == "paused":
        return Waiting(expected.prompt, paused_replies(language))
    if expected.kind == "declined":
        return Waiting(expected.prompt, declined_replies(language), declined_hint(language))
    if expected.talking:  # a worker's thread: nothing asked, nothing said back, and the box says who reads it
        return Waiting(expected.prompt, hint=texts.in_language(texts.TALKING_HINT, language))
    # Nothing asked (a text-in, a live safeguarding alert): no SKIP or STOP under the box.
    return Waiting(expected.prompt)


def _awaiting(
    session: Session, services, participant_id: int, now: datetime | None = None
) -> tuple[Awaiting, Participant]:
    """What this participant's next message will answer, read as the inbound path reads it."""
    now = now or utcnow()
    sender = load_sender(session, participant_id=participant_id, lock=False, now=now)
    if sender is None:
        raise LookupError(f"there is no participant {participant_id}")
    situation = sender.situation(
        channel=CHANNEL, council=services.config.app.council_name, now=now, talk_for=talk_for(services.config)
    )
    if situation.run is None and situation.onboarding is None:
        # Nothing waiting: an invitation they said no to may still be taken up (the chat offers it again).
        load_last_run(session, sender, now=now)
        situation = sender.situation(
            channel=CHANNEL, council=services.config.app.council_name, now=now, talk_for=talk_for(services.config)
        )
    return awaiting(situation), sender.model(session)


def waiting_for(*, session: Session, services, participant: Participant) -> Waiting:
    """What the participant's next message will answer, with its buttons."""
    expected, _ = _awaiting(session, services, saved_id(participant))
    return waiting_of(expected)


def _live(chat: ChatSession, config, now: datetime) -> bool:
    """True while a chat can still be carried on from the device holding its token: used within `[webchat]
    session_max_age_days`. A chat left with "Leave this page" counts: leaving told the device to forget it, and one
    that still holds it (the leave's answer never arrived) carries on in it, and it reads as open again (`resume`,
    `send`). Whether what is said in it reaches them is `chat_reach`'s question."""
    return chat_is_open(chat.last_seen_at, now=now, max_age=timedelta(days=config.webchat.session_max_age_days))


@dataclass
class ChatReach:
    """Whether what is said into a young person's web chat now reaches them (`chat_reach`).

    `open`: their most recently used chat that is still open (`chat_is_open`: not left, not run out), or None.
    `left`: the chat they last left with "Leave this page" (its `left_at` says when), when that came after every use
    of an open one: the page was taken off that device, and nothing said in it shows there now."""

    open: ChatSession | None = None
    left: ChatSession | None = None


def chat_reach(*, session: Session, config, participant_id: int, now: datetime | None = None) -> ChatReach:
    """Their web chats as the inbox reads them: the one a reply would reach, if any, and the one they left, if they
    left one since (`ChatReach`). The one home of "is this chat reachable" for staff pages.

    A device that cleared its cookies, or was lost, still counts as open until the chat runs out: nothing tells us.
    "Leave this page" does (`leave_chat`)."""
    now = now or utcnow()
    max_age = timedelta(days=config.webchat.session_max_age_days)
    chats = session.exec(
        select(ChatSession)
        .where(col(ChatSession.participant_id) == participant_id, col(ChatSession.last_seen_at) >= now - max_age)
        .order_by(col(ChatSession.last_seen_at).desc(), col(ChatSession.id).desc())
    ).all()
    live = [chat for chat in chats if chat_is_open(chat.last_seen_at, now=now, max_age=max_age, left_at=chat.left_at)]
    reach = ChatReach(open=live[0] if live else None)
    left = [(as_utc(chat.left_at), chat) for chat in chats if chat.left_at is not None]
    if left:
        left_at, chat = max(left, key=lambda pair: pair[0])
        if reach.open is None or left_at > as_utc(reach.open.last_seen_at):
            reach.left = chat
    return reach


def open_chat_of(*, session: Session, config, participant_id: int, now: datetime | None = None) -> ChatSession | None:
    """The young person's most recently used chat that is still open, or None (`chat_reach`)."""
    return chat_reach(session=session, config=config, participant_id=participant_id, now=now).open


def leave_chat(*, services, token: str | None, now: datetime | None = None) -> bool:
    """ "Leave this page" pressed in the chat this token opens, in its own transaction: it is recorded as left now
    (`ChatSession.left_at`, a time only), so the inbox says so and a reply does not go where nobody can see it.
    False when the token opens no chat."""
    now = now or utcnow()
    with Session(services.engine) as session:
        chat = find_chat(session=session, config=services.config, token=token, now=now)
        if chat is None:
            return False
        chat.left_at = now
        session.commit()
    return True


def start_chat(
    *, session: Session, services, invited: Participant | None = None, now: datetime | None = None
) -> StartedChat:
    """Start a chat: anonymous (a new participant, consent first) or bound to an invited participant."""
    now = now or utcnow()
    if invited is None:
        state, welcome = begin_onboarding(council=services.config.app.council_name)
        opening = texts.for_person(welcome, CHANNEL, adult=False)  # nothing is known of them yet
        participant = Participant(source=CHANNEL, onboarding=state.to_dict(), created_at=now, updated_at=now)
        session.add(participant)
        session.flush()
        expected, _ = _awaiting(session, services, saved_id(participant))
    else:
        participant = invited
        expected, _ = _awaiting(session, services, saved_id(participant))
        opening = _opening(expected, participant, now, services.config.app.council_name)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    chat = ChatSession(
        token_hash=hash_token(token),
        participant_id=saved_id(participant),
        via_invite=invited is not None,
        created_at=now,
        last_seen_at=now,
    )
    session.add(chat)
    session.flush()  # the chat's id: its opening is said in it alone
    say_in_chat(session=session, participant_id=saved_id(participant), text=opening, now=now, chat_id=chat.id)
    session.flush()
    waiting = waiting_of(expected)
    return StartedChat(
        chat=chat,
        token=token,
        replies=[opening],
        quick_replies=waiting.quick_replies,
        hint=waiting.hint,
        language=waiting.language,
    )


def _opening(expected: Awaiting, participant: Participant, now: datetime, council: str) -> str:
    """The first message of an invited chat: their survey's invitation, where they were (a survey paused after
    a disclosure: the offer to carry on), or a hello (the chat's own words, in the run's language)."""
    adult = participant.adult_on(now.date())
    if expected.kind == "invitation" and expected.survey is not None:
        intro = intro_text(expected.survey, participant.first_name, council, participant.language)
        return texts.for_person(intro, CHANNEL, adult=adult, language=participant.language)
    if expected.kind == "paused":
        return _chat_words(texts.CHAT_HELLO, expected, adult) + expected.prompt
    if expected.kind == "declined":
        return _chat_words(texts.CHAT_DECLINED_HELLO, expected, adult)
    return expected.prompt or _chat_words(texts.CHAT_GREETING, expected, adult)


def _chat_words(text: str, expected: Awaiting, adult: bool | None) -> str:
    """One of the chat's own words (`texts.CHAT_GREETING`...) as this young person gets them: in their run's
    language, as its prompt and buttons are."""
    return texts.for_person(text, CHANNEL, adult=adult, language=expected.language)


# A chat reopened this long or more after it was last used is greeted "Welcome back!"; sooner (a reload), not.
AWAY = timedelta(minutes=30)


class InviteExpired(LookupError):
    """The chat link is unknown or has run out."""


def open_chat(*, services, invite: str | None, now: datetime | None = None) -> StartedChat:
    """Start a chat in its own transaction, from a chat link (`invite`) or anonymously; InviteExpired if bad.

    The one way the JSON API and the no-JavaScript form start a chat.
    """
    with Session(services.engine, expire_on_commit=False) as session:
        invited = None
        if invite:
            invited = participant_for_invite(session=session, config=services.config, token=invite)
            if invited is None:
                raise InviteExpired("that chat link is unknown or too old")
        started = start_chat(session=session, services=services, invited=invited, now=now)
        session.commit()
    return started


def find_chat(*, session: Session, config, token: str | None, now: datetime | None = None) -> ChatSession | None:
    """The live chat this token opens, or None (unknown, or unused for longer than the session lifetime)."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    chat = session.exec(select(ChatSession).where(col(ChatSession.token_hash) == hash_token(token))).first()
    if chat is None:
        return None
    return chat if _live(chat, config, now or utcnow()) else None


def deliver(
    *,
    services,
    token: str | None,
    text: str,
    client_id: str | None,
    received_at: datetime | None = None,
    early_notice: str | None = None,
) -> ChatTurn | None:
    """Send one message to the chat this token opens, in its own transaction; None if the chat has ended.

    A retry of the same client id racing the first (a double-tapped Send) loses on the unique
    message id, and is then answered with what the first one stored. `received_at`: when a message
    stored late (the spool's replay) arrived, and `early_notice`, what became of its early notice, as `receive()`
    takes them.
    """

    def work(session: Session) -> ChatTurn | None:
        chat = find_chat(session=session, config=services.config, token=token)
        if chat is None:
            return None
        return send(
            session=session,
            services=services,
            chat=chat,
            text=text,
            client_id=client_id,
            received_at=received_at,
            early_notice=early_notice,
        )

    return retry_on_conflict(services.engine, work)


def send(
    *,
    session: Session,
    services,
    chat: ChatSession,
    text: str,
    client_id: str | None = None,
    now: datetime | None = None,
    received_at: datetime | None = None,
    early_notice: str | None = None,
) -> ChatTurn:
    """Handle one message typed or tapped in a chat; a retried `client_id` gets the same replies
    (`received_at`: when a message stored late arrived, and `early_notice`, as `receive()` takes them)."""
    now = now or utcnow()
    participant_id = chat.participant_id
    # Scoped to the chat, so two devices can't collide on the same client id.
    sid = f"chat{chat.id}:{client_id or secrets.token_hex(12)}"
    result = receive(
        session=session,
        services=services,
        channel=CHANNEL,
        text=text,
        provider_sid=sid,
        participant_id=participant_id,
        now=now,
        received_at=received_at,
        chat_id=chat.id,
        early_notice=early_notice,
    )
    if result.duplicate:
        # Read again, not taken from the inbound path: a double tap racing the first Send read the sender before
        # the first one committed, so what it read may be what waited before that message.
        expected, _ = _awaiting(session, services, participant_id)
        waiting = waiting_of(expected)
        return ChatTurn(
            replies=result.replies,
            quick_replies=waiting.quick_replies,
            duplicate=True,
            hint=waiting.hint,
            language=waiting.language,
        )
    chat.last_seen_at = now
    chat.left_at = None  # they are back in it on the device that left it: it reads as open again
    session.flush()
    expected = result.awaiting
    if expected.kind == "nothing":
        # The inbound path reads their last run only for a message that could take it up: whether a survey
        # they said no to (this message, or before) may still be started is read here, for its button.
        expected, _ = _awaiting(session, services, participant_id)
    waiting = waiting_of(expected)
    return ChatTurn(
        replies=list(result.replies),
        quick_replies=waiting.quick_replies,
        alert=result.alert_id is not None,
        hint=waiting.hint,
        language=waiting.language,
    )


def _shown_in(chat: ChatSession, after: int = 0):
    """The query for this chat's messages with an id above `after`.

    What was said in this chat (their messages, the replies to them, its opening), and what the service said
    to every chat of theirs (a worker's reply, an invitation) since it started; never what was typed in
    another chat of theirs, on another device, or the replies to that."""
    return select(Message).where(
        col(Message.participant_id) == chat.participant_id,
        col(Message.channel) == CHANNEL,
        col(Message.created_at) >= chat.created_at,
        col(Message.id) > after,
        # A message of theirs without a chat (stored before chats were recorded, migration 0018) is shown
        # in none: only what the service says to all their chats has none.
        or_(
            col(Message.chat_session_id) == chat.id,
            and_(col(Message.chat_session_id).is_(None), col(Message.direction) == Direction.OUT),
        ),
    )


def _row(message: Message) -> dict:
    return {"id": message.id, "from": "service" if message.direction == Direction.OUT else "you", "text": message.body}


def _rows(session: Session, chat: ChatSession, after: int = 0) -> list[dict]:
    """This chat's messages with an id above `after`, oldest first: `{"id", "from": "service" | "you", "text"}`
    (`_shown_in` says which)."""
    return [_row(message) for message in session.exec(_shown_in(chat, after).order_by(col(Message.id)))]


def _last_said(session: Session, chat: ChatSession) -> str | None:
    """The words of the last message this chat shows when the service said it, else None."""
    last = session.exec(_shown_in(chat).order_by(col(Message.id).desc()).limit(1)).first()
    return last.body if last is not None and last.direction == Direction.OUT else None


def transcript(*, session: Session, chat: ChatSession) -> list[dict]:
    """The chat so far, oldest first: `{"from": "service" | "you", "text": ...}`."""
    return [{"from": row["from"], "text": row["text"]} for row in _rows(session, chat)]


@dataclass
class ChatNews:
    """What an open chat page checking for news is told: the messages it has not shown (a duty worker's reply, say)
    and what the chat waits for now, with its buttons and hint. That can change with no message in the chat: a duty
    worker closing their alert lets a survey paused after a disclosure go on, and its "Carry on" button belongs on
    the open page (trial 9, T9-17: it came only with a reload). `prompt` is the words saying what waits ("" when
    nothing does, or they are the last thing said), for the page to show if the buttons it shows change."""

    messages: list[dict]
    waiting: Waiting
    prompt: str = ""


def news(*, services, token: str | None, after: int, now: datetime | None = None) -> ChatNews | None:
    """What this chat has said since message `after`, and what it waits for now, read in its own transaction;
    None if the chat has ended. Only reads: checking for news does not keep a chat alive."""
    now = now or utcnow()
    with Session(services.engine) as session:
        chat = find_chat(session=session, config=services.config, token=token, now=now)
        if chat is None:
            return None
        messages = _rows(session, chat, after)
        expected, participant = _awaiting(session, services, chat.participant_id, now)
        waiting = waiting_of(expected)
        needed = _asks_again(waiting, expected, participant, now, services, _last_said(session, chat))
        return ChatNews(messages, waiting, waiting.prompt if needed else "")


def _asks_again(
    waiting: Waiting, expected: Awaiting, participant: Participant, now: datetime, services, last_said: str | None
) -> bool:
    """True when what the chat waits for should be said again: something waits, and neither its words nor the
    opening that asks it (an invitation's intro) was the last thing said. One rule for a reopened chat (`resume`)
    and an open one checking for news (`news`)."""
    if not waiting.prompt:
        return False
    return last_said not in (waiting.prompt, _opening(expected, participant, now, services.config.app.council_name))


def resume(*, session: Session, services, chat: ChatSession, now: datetime | None = None) -> tuple[list[dict], Waiting]:
    """Reopening a chat: the transcript (with ids), with the waiting question asked again if it isn't the last
    thing said (that one has no id: it is not stored).

    The chat's own opening (an invitation's intro) already asks what is waiting, so a first visit gets
    that one greeting; "Welcome back" is only for someone who has said something in this chat before.
    """
    now = now or utcnow()
    away = now - as_utc(chat.last_seen_at) >= AWAY
    chat.last_seen_at = now
    chat.left_at = None  # back on the device that left it (the leave's answer never arrived): open again
    messages = _rows(session, chat)
    expected, participant = _awaiting(session, services, chat.participant_id, now)
    waiting = waiting_of(expected)
    last_said = messages[-1]["text"] if messages and messages[-1]["from"] == "service" else None
    if _asks_again(waiting, expected, participant, now, services, last_said):
        been_here = any(message["from"] == "you" for message in messages)
        back = _back_words(expected, away=away) if been_here else ""
        prompt = (
            _chat_words(back, expected, participant.adult_on(now.date())) + waiting.prompt if back else waiting.prompt
        )
        messages.append({"from": "service", "text": prompt, "resumed": True})
    return messages, waiting


def _back_words(expected: Awaiting, *, away: bool) -> str:
    """What comes before the question asked again in a reopened chat. "Welcome back!" only for someone who was
    away (`AWAY`), not after a reload (a trial finding). "Here's where we were" only part way through a survey: not
    before the invitation to one not yet begun (trial 13, T13-9), nor before words that are no question (a paused
    survey: trial 9, T9-17)."""
    if expected.kind == "question":
        return texts.CHAT_WELCOME_BACK if away else texts.CHAT_WHERE_WE_WERE
    return texts.CHAT_WELCOME_BACK_PLAIN if away else ""

"""The web chat JSON API: start, send, resume, idempotent retries, invites, screening; over SQLite and PostgreSQL."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import func, select
from sqlmodel import Session

from tests.factories import add_participants, launch, phone_number
from tests.support.chat import step_away
from voice_service.engine.texts import is_disclosure_reply
from voice_service.models import Alert, ChatSession, Message, Participant, Response, Run
from voice_service.surveys.loader import parse_survey
from voice_service.web.chat.invites import invite_link

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


class ChatUser:
    """Plays a young person's browser against the API: gets the page's CSRF token, then posts JSON."""

    def __init__(self, client):
        self.client = client
        page = client.get("/chat")
        assert page.status_code == 200
        self.csrf = CSRF_META.search(page.get_data(as_text=True)).group(1)
        self.session: str | None = None

    def post(self, path: str, body=None, *, expect: int | None = None, headers=None, **kwargs):
        """POST to the API with this browser's CSRF token."""
        all_headers = {"X-CSRF-Token": self.csrf, **(headers or {})}
        if body is not None:
            kwargs["json"] = body
        response = self.client.post(path, headers=all_headers, **kwargs)
        if expect is not None:
            assert response.status_code == expect, response.get_data(as_text=True)
        return response

    def start(self, invite: str | None = None) -> dict:
        """Start a chat; returns the JSON."""
        data = self.post("/api/chat/sessions", {"invite": invite} if invite else {}, expect=201).get_json()
        self.session = data["session"]
        return data

    def say(self, text: str, *, id: str | None = None, expect: int = 200) -> dict:
        """Send a message; returns the JSON."""
        body = {"text": text, "id": id or uuid.uuid4().hex}
        return self.post(f"/api/chat/sessions/{self.session}/messages", body, expect=expect).get_json()

    def replies(self, text: str) -> list[str]:
        """Send a message; returns the service's reply texts."""
        return [m["text"] for m in self.say(text)["messages"]]


def count(services, model, *where):
    with Session(services.engine) as session:
        return session.exec(select(func.count()).select_from(model).where(*where)).scalar_one()


def test_anonymous_chat_starts_with_consent_then_status_and_age(client, services):
    user = ChatUser(client)
    data = user.start()
    assert data["messages"][0]["from"] == "service"
    assert "Tap Yes" in data["messages"][0]["text"] and "Testshire" in data["messages"][0]["text"]
    assert [q["value"] for q in data["quick_replies"]] == ["Yes, go on", "No thanks"]
    assert len(data["session"]) >= 40
    with Session(services.engine) as session:
        chat = session.exec(select(ChatSession)).scalars().one()
        participant = session.get(Participant, chat.participant_id)
    assert chat.token_hash != data["session"] and len(chat.token_hash) == 64  # only the hash is kept
    assert participant.source == "webchat" and participant.phone_hash is None

    status = user.say("yes")
    assert "care leaver" in status["messages"][0]["text"]
    assert [q["value"] for q in status["quick_replies"]] == ["In care", "Care leaver", "Rather not say"]
    age = user.say("Care leaver")
    assert "how old" in age["messages"][0]["text"].lower()
    assert "18-21" in [q["value"] for q in age["quick_replies"]]
    done = user.say("18-21")
    assert "that's everything" in done["messages"][0]["text"]
    with Session(services.engine) as session:
        participant = session.get(Participant, chat.participant_id)
    assert (participant.status, participant.age_band) == ("care_leaver", "18-21")


def test_anonymous_chatter_is_offered_the_open_round_that_fits(client, services):
    round_id = launch(services)  # the small test survey, for anyone
    user = ChatUser(client)
    user.start()
    user.say("yes")
    user.say("2")  # care leaver, typed as a number
    done = user.say("skip")
    texts = [m["text"] for m in done["messages"]]
    assert "that's everything" in texts[0] and "Tap Yes to start" in texts[1]
    assert "Hi there" in texts[1]
    first = user.say("yes")
    assert "How safe" in first["messages"][0]["text"]
    faces = first["quick_replies"]
    assert [q["value"] for q in faces] == ["1", "2", "3", "4", "5", "Skip this one"]
    assert faces[0]["spoken"] == "1 - not safe" and faces[0]["emoji"]
    assert faces[4]["spoken"] == "5 - totally safe"
    with Session(services.engine) as session:
        run = session.exec(select(Run)).scalars().one()
    assert run.round_id == round_id and run.channel == "webchat" and run.status == "active"


def test_anonymous_chatter_is_not_joined_to_a_round_for_named_people_only(client, services):
    from voice_service.rounds.launch import Cohort

    add_participants(services, [{"phone": phone_number(41)}])
    with Session(services.engine) as session:
        named = session.exec(select(Participant)).scalars().one().id
    launch(services, cohort=Cohort(participant_ids=(named,)))
    user = ChatUser(client)
    user.start()
    user.say("yes")
    user.say("2")
    done = user.say("skip")
    assert len(done["messages"]) == 1 and "that's everything" in done["messages"][0]["text"]
    with Session(services.engine) as session:
        assert [r.participant_id for r in session.exec(select(Run)).scalars()] == [named]


def test_invited_chat_answers_a_whole_survey(client, services):
    add_participants(services, [{"phone": phone_number(40), "first_name": "Amira", "age": 14}])
    round_id = launch(services)
    with Session(services.engine) as session:
        participant = session.exec(select(Participant)).scalars().one()
    link = invite_link(services, participant.id)
    assert link.startswith("http://voice.test/chat/")
    user = ChatUser(client)
    opening = user.start(invite=link.rsplit("/", 1)[1])
    assert opening["messages"][0]["text"].startswith("Hi Amira")
    assert [q["value"] for q in opening["quick_replies"]] == ["Yes, let's start", "Not now"]
    assert "How safe" in user.replies("Yes")[0]
    assert "safer" in user.replies("2")[0]
    assert "listened" in user.replies("more say in where i live")[0]
    contact = user.say("No")
    assert [q["value"] for q in contact["quick_replies"]] == ["Not enough", "About right", "Too much", "Skip this one"]
    user.say("About right")
    assert "Thank you" in user.replies("more trips out")[0]
    with Session(services.engine) as session:
        answers = {
            r.question_id: r for r in session.exec(select(Response).where(Response.round_id == round_id)).scalars()
        }
        run = session.exec(select(Run)).scalars().one()
    assert run.status == "finished"
    assert answers["safe_home"].value_number == 2
    assert answers["listened"].value_text == "no"
    assert answers["contact"].value_text == "About right"
    assert answers["one_thing"].answer == "more trips out"


def test_expired_or_forged_invite_is_404(client):
    user = ChatUser(client)
    response = user.post("/api/chat/sessions", {"invite": "not-a-real-token"}, expect=404)
    assert response.get_json()["error"] == "invite_not_found"
    assert client.get("/chat/not-a-real-token").status_code == 404


def test_retried_client_id_gets_the_same_replies_and_stores_once(client, services):
    user = ChatUser(client)
    user.start()
    first = user.say("yes", id="msg-1")
    again = user.say("yes", id="msg-1")
    assert again["messages"] == first["messages"] and again["duplicate"] is True
    assert count(services, Message, Message.direction == "in") == 1
    # The same id from another chat is another message.
    other = ChatUser(client.application.test_client())
    other.start()
    assert other.say("yes", id="msg-1")["duplicate"] is False


def test_risky_message_gets_help_and_raises_an_alert(client, services):
    user = ChatUser(client)
    user.start()
    replies = user.replies("i want to kill myself")
    assert len(replies) == 1 and is_disclosure_reply(replies[0])  # in or out of office hours, alone
    assert "Childline" in replies[0] and "999" in replies[0]
    with Session(services.engine) as session:
        alert = session.exec(select(Alert)).scalars().one()
    assert alert.channel == "webchat"


def test_resume_shows_transcript_and_reasks_waiting_question(client, services):
    add_participants(services, [{"phone": phone_number(41), "first_name": "Jo"}])
    launch(services)
    with Session(services.engine) as session:
        participant = session.exec(select(Participant)).scalars().one()
    token = invite_link(services, participant.id).rsplit("/", 1)[1]
    user = ChatUser(client)
    user.start(invite=token)
    user.say("yes")
    user.say("no idea")  # a re-ask, so the question is no longer the last thing said
    step_away(services)  # back after a while: "Welcome back" (a reload straight away: test_chat_browser.py)
    data = client.get(f"/api/chat/sessions/{user.session}").get_json()
    texts = [m["text"] for m in data["messages"]]
    assert texts[0].startswith("Hi Jo") and texts[1] == "yes"
    assert texts[-1].startswith("Welcome back") and "How safe" in texts[-1]
    assert [q["value"] for q in data["quick_replies"]][:5] == ["1", "2", "3", "4", "5"]
    # The page shows the same, from the cookie the API set; opened straight after, it is no return.
    page = client.get("/chat").get_data(as_text=True)
    assert "Hi Jo" in page and "Here&#39;s where we were: How safe" in page and "Welcome back" not in page


def test_unknown_session_is_404_json(client):
    user = ChatUser(client)
    user.session = "x" * 43
    data = user.say("hello", expect=404)
    assert data["error"] == "session_not_found"


def test_a_chat_on_one_device_is_not_shown_on_another(client, services):
    add_participants(services, [{"phone": phone_number(42), "first_name": "Kai"}])
    with Session(services.engine) as session:
        participant = session.exec(select(Participant)).scalars().one()
    token = invite_link(services, participant.id).rsplit("/", 1)[1]
    first = ChatUser(client)
    first.start(invite=token)
    first.say("my secret thing")
    second_client = client.application.test_client()
    second = ChatUser(second_client)
    second.start(invite=token)
    texts = [m["text"] for m in second_client.get(f"/api/chat/sessions/{second.session}").get_json()["messages"]]
    assert "my secret thing" not in texts


# Words that only make sense on a phone (the help reply's "text SHOUT" is about their phone, so it stays).
PHONE_ONLY = re.compile(r"\b(texts?|texting|reply|replies)\b|\bSTOP\b", re.IGNORECASE)


def test_the_chat_never_talks_about_texts_or_stop(client, services):
    """Onboarding, re-asks, HELP, the invitation nudge, STOP and START, all in the chat's own words."""
    user = ChatUser(client)
    said = [m["text"] for m in user.start()["messages"]]
    for text in ("maybe", "yes", "hmm", "1", "dunno", "2", "HELP", "STOP", "START"):
        said += user.replies(text)
    add_participants(services, [{"phone": phone_number(42), "first_name": "Kit", "age": 14}])
    launch(services)
    with Session(services.engine) as session:
        kit = session.exec(select(Participant).where(Participant.first_name == "Kit")).scalars().one()
    invited = ChatUser(client.application.test_client())
    invited.start(invite=invite_link(services, kit.id).rsplit("/", 1)[1])
    said += invited.replies("what is this")  # the nudge that used to say "STOP if you'd rather not get texts"
    said += [m["text"] for m in client.get(f"/api/chat/sessions/{invited.session}").get_json()["messages"]]
    said += invited.replies("yes")
    said += invited.replies("no idea")  # a re-ask
    chat_said = [text for text in said if not text.startswith("Hi Kit")]  # the survey's own intro is content
    assert len(chat_said) >= 14
    for text in chat_said:
        assert not PHONE_ONLY.search(text.replace("text SHOUT to 85258", "")), text


def _answer_for(quick_replies: list[dict], fallback: str) -> str:
    """What a young person taps: the first button that is not Skip, else some words."""
    for reply in quick_replies:
        if reply.get("value", "") != "Skip this one":
            return reply["value"]
    return fallback


def test_every_shipped_survey_reads_right_in_the_chat(client, services):
    """The surveys are written for texts; in the chat their intro, questions and outro say nothing of
    texting, replying or STOP (the content is kept: the same question, with "Tap Yes" for "Reply YES")."""
    from pathlib import Path

    for path in sorted(Path("conversations/surveys").glob("*.toml")):
        source = path.read_text()
        name = f"Kit{path.stem.replace('-', '')}"
        survey = parse_survey(source.encode(), path.name)
        status = survey.audience[0] if survey.audience else "in_care"
        age = survey.min_age or 14
        person_row = {"phone": phone_number(len(name) * 7 + 50), "first_name": name, "status": status, "age": age}
        add_participants(services, [person_row])
        launch(services, survey_source=source)
        with Session(services.engine) as session:
            person = session.exec(select(Participant).where(Participant.first_name == name)).scalars().one()
        user = ChatUser(client.application.test_client())
        started = user.start(invite=invite_link(services, person.id).rsplit("/", 1)[1])
        said = [m["text"] for m in started["messages"]]
        assert said[0].startswith(f"Hi {name}") and "Tap Yes to start" in said[0], said[0]
        data = user.say("yes")
        for _ in range(20):  # answer until the outro
            said += [m["text"] for m in data["messages"]]
            if not data.get("quick_replies") and "?" not in said[-1]:
                break
            data = user.say(_answer_for(data.get("quick_replies") or [], "it's ok i guess"))
        assert said[-1].startswith(("Thank", "Thanks")), said[-1]
        assert "message us here any time" in said[-1]
        for text in said:
            assert not PHONE_ONLY.search(text.replace("text SHOUT to 85258", "")), (path.name, text)


def _duty_reply(services, chat_token: str, text: str) -> None:
    """A duty worker answers the chat from the dashboard's inbox."""
    from voice_service.db import session_scope
    from voice_service.inbox import reply
    from voice_service.web.chat.sessions import hash_token

    with session_scope(services.engine) as session:
        chat = session.exec(select(ChatSession).where(ChatSession.token_hash == hash_token(chat_token))).scalar_one()
        reply(session=session, services=services, participant_id=chat.participant_id, text=text, by="duty", token="t1")


def test_new_messages_after_an_id_are_this_chats_only(client, services):
    young = ChatUser(client)
    young.start()
    young.say("i want to kill myself")
    other = ChatUser(client)
    other.start()
    other.say("hello")
    everything = client.get(f"/api/chat/sessions/{young.session}/messages").get_json()["messages"]
    assert everything[0]["from"] == "service" and "i want to kill myself" in [m["text"] for m in everything]
    assert "hello" not in [m["text"] for m in everything]
    last = everything[-1]["id"]
    assert client.get(f"/api/chat/sessions/{young.session}/messages?after={last}").get_json()["messages"] == []

    _duty_reply(services, young.session, "Hi, I'm Sam from the duty team. Are you safe right now?")
    news = client.get(f"/api/chat/sessions/{young.session}/messages?after={last}").get_json()["messages"]
    assert news == [
        {"id": news[0]["id"], "from": "service", "text": "Hi, I'm Sam from the duty team. Are you safe right now?"}
    ]
    assert news[0]["id"] > last
    theirs = client.get(f"/api/chat/sessions/{other.session}/messages?after={last}").get_json()["messages"]
    assert "Sam from the duty team" not in str(theirs)


def test_new_messages_refuses_bad_input_and_unknown_chats(client):
    young = ChatUser(client)
    young.start()
    for after in ("abc", "-1", "1.5", "", "1" * 19, "١"):
        response = client.get(f"/api/chat/sessions/{young.session}/messages", query_string={"after": after})
        assert response.status_code == 400 and response.get_json()["error"] == "bad_after", after
    unknown = client.get("/api/chat/sessions/not-a-real-chat/messages?after=0")
    assert unknown.status_code == 404 and unknown.get_json()["error"] == "session_not_found"


def test_a_chatter_whose_alert_is_live_is_not_joined_to_an_open_round(client, services):
    """Finishing onboarding while a safeguarding alert of theirs is live joins no round (the rule a launch
    follows: no survey until the duty team closes the alert); the chat ends with onboarding's thanks."""
    launch(services)  # the small test survey, for anyone
    user = ChatUser(client)
    user.start()
    assert is_disclosure_reply(user.replies("my stepdad touches me and says not to tell")[0])
    user.say("GO ON")  # carries on with onboarding after the help reply (a YES would be a plea)
    user.say("2")
    done = user.say("skip")
    assert len(done["messages"]) == 1 and "that's everything" in done["messages"][0]["text"]
    assert count(services, Alert) == 1 and count(services, Run) == 0


def test_a_chatter_held_back_at_onboarding_is_invited_in_their_chat_once_the_alert_closes(client, services):
    """The round they would have joined records them as held back; closing the alert invites them into it in
    their chat, in the chat's words, as a launch invites those it held back by text (one rule for both)."""
    from voice_service.db import session_scope
    from voice_service.rounds.held_back import invite_held_back
    from voice_service.safeguarding.alerts import close

    round_id = launch(services)
    user = ChatUser(client)
    user.start()
    user.replies("my stepdad touches me and says not to tell")
    for text in ("GO ON", "2", "skip"):
        user.say(text)
    assert count(services, Run) == 0
    said = client.get(f"/api/chat/sessions/{user.session}/messages").get_json()["messages"]
    with session_scope(services.engine) as session:
        alert = session.exec(select(Alert)).scalars().one()
        close(
            session=session, vault=services.vault, config=services.config, alert_id=alert.id, by="Dee", action="called"
        )
        invited = invite_held_back(
            session=session,
            vault=services.vault,
            participant_id=alert.participant_id,
            council=services.config.app.council_name,
        )
        assert invited == [round_id]
    news = client.get(f"/api/chat/sessions/{user.session}/messages?after={said[-1]['id']}").get_json()["messages"]
    assert len(news) == 1 and news[0]["from"] == "service"
    assert "Tap Yes" in news[0]["text"] and "STOP" not in news[0]["text"]
    with Session(services.engine) as session:
        run = session.execute(select(Run)).scalars().one()
        assert (run.round_id, run.channel, run.status) == (round_id, "webchat", "invited")
    started = user.replies("yes")
    assert started and "?" in started[-1]
    with Session(services.engine) as session:
        assert session.execute(select(Run.status)).scalar_one() == "active"

"""Closing the loop: tell the young people who took part what they said and what changed
(a text, or a message in their web chat, with the link to `/r/<token>`), and give the panel its
summary when a round closes. Everything that is sent goes through the outbox, once."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import exists, func, select
from sqlmodel import Session, col

from ..audit import record
from ..chat_transcript import say_in_chat
from ..engine import texts
from ..engine.gsm import fits_one_segment
from ..models import (
    Alert,
    Message,
    OutboxMessage,
    OutboxStatus,
    Participant,
    Response,
    Round,
    RoundStatus,
    Run,
    RunStatus,
    utcnow,
)
from ..models.round import new_public_token
from ..outbox import enqueue
from ..participants.opt_outs import said_stop
from ..rounds.launch import is_under_16
from ..safeguarding.alerts import with_live_alert
from .reissue import SAVED_FOR_PANEL, erased_since_given_out
from .report import ActionLine, Summary, ThemeResult

log = logging.getLogger(__name__)
TOP_THINGS = 3

# How each theme sounds to a young person: short, warm, plain, and as wide as the theme is in
# ../shared/reference/themes.md, so whoever raised it recognises what they said (trial 13: stability read
# "moving home", though it is changes of placement, school or social worker too). Short enough that the closing
# text keeps the round's top thing beside a long link (`loop_sms`).
PLAIN_THEMES = {
    "safety": "feeling safe",
    "health": "your health",
    "mental_health": "how you feel inside",
    "education": "school and college",
    "work_and_money": "jobs and money",
    "housing": "a home of your own",  # after care: a flat, a tenancy, bills
    "leaving_care": "leaving care",
    "carers": "your carers",
    "family_and_friends": "family and friends",
    "social_workers": "your social worker or PA",  # personal advisers too
    "stability": "moving and big changes",  # placement, school or worker; settling
    "having_a_say": "having your say",
    "everyday_life": "doing normal things",
    "leisure": "fun things to do",
    "love_and_belonging": "feeling loved",
    "respect_and_identity": "respect and who you are",
    "rights": "knowing your rights",
    "aspirations": "your dreams",
}


@dataclass(frozen=True)
class Thing:
    """One thing young people said, and what the council did or will do about it."""

    theme: str
    said: str
    did: list[str]
    will: list[str]
    going_well: bool = False  # raised mostly in praise: nothing to put right
    told: str = ""  # an action outside the top themes: what young people said, in the action's words

    @property
    def heading(self) -> str:
        """How it is introduced: "You talked about your carers." or, for an action of its own, what it answers."""
        return _sentence(self.told) if self.told else f"You talked about {self.said}."

    @property
    def answer(self) -> str:
        """What we say when nothing has been done or planned yet (one home for the text and the page)."""
        if self.going_well:
            return "Most of what you said about this was good. We will keep it that way."
        return "We are still working out what to do. We will tell you when we know."


_SECOND_PERSON = re.compile(r"\b(your|you)\b")


def of_young_people(said: str) -> str:
    """A theme's plain words said of young people rather than to "you", for "Young people told us most about ...":
    "having your say" -> "having their say", "how you feel inside" -> "how they feel inside" (trial 7, G8a)."""
    return _SECOND_PERSON.sub(lambda match: "their" if match[1] == "your" else "they", said)


def _plain(theme: str) -> str:
    return PLAIN_THEMES.get(theme, theme.replace("_", " "))


def top_things(summary: Summary, limit: int = TOP_THINGS) -> list[Thing]:
    """The most-raised themes that at least 5 people wrote about, with the actions that answer them."""
    actions = [
        a for sec in summary.pledges + summary.messages for a in sec.we_did + sec.we_will
    ] + summary.other_actions
    pledges: dict[str, set[int]] = {}
    for sec in summary.pledges:
        for t in sec.themes:
            pledges.setdefault(t.id, set()).add(sec.number)
    shown = [t for t in summary.themes if t.people]  # None (fewer than 5) and 0 are left out
    things = []
    for theme in shown[:limit]:
        relevant = _actions_for(theme, actions, pledges.get(theme.id, set()))
        things.append(
            Thing(
                theme=theme.id,
                said=_plain(theme.id),
                did=[a.did for a in relevant if a.status == "done"],
                will=[a.did for a in relevant if a.status != "done"],
                going_well=theme.mostly_positive,
            )
        )
    return things


# The heading of an action whose "You said" is kept private (or empty) and that answers no pledge or top-ten
# message: true of every such action, and reads well when several follow one another.
SAID_UNNAMED = "Something you told us about"


def _private_heading(action: ActionLine, summary: Summary) -> str:
    """What an action whose worker's words are kept private is about, without those words.

    Its pledge or top-ten message is named, in the council's own short words ("Our promise: Keep you safe"):
    a promise made to every child in care and care leaver, and a list every young person is shown, so naming
    it says what the council is doing, not who said what (and the action's "did", printed anyway, already
    says as much). Its theme is never named: a "You said" is kept private only where fewer than 5 answered
    the round or the theme's count is hidden (`report.said_kept_private`: fewer than 5 raised it, or its count is
    hidden to protect a smaller group; an action with no theme is kept private where each of its pledge's themes
    is so), so the theme is then a small group's topic, or one whose feelings a count would give away, and
    naming it ("About your family") tells the few who read the page what one or two of them said, as `top_things`
    never names a theme fewer than 5 raised. With no pledge or message, nothing is named."""
    if action.pledge is not None:
        for section in summary.pledges:
            if section.number == action.pledge:
                return f"Our promise: {section.short}"
    if action.message is not None:
        for section in summary.messages:
            if section.number == action.message:
                return f"Your top ten: {section.short}"
    return SAID_UNNAMED


def things_to_tell(summary: Summary) -> list[Thing]:
    """What young people are told back: the top themes (`top_things`), then every other action recorded for
    the round, each on its own (done first), so nothing the council did or is doing is left out because
    too few people raised its theme. No counts: a small group is never revealed by a number."""
    things = top_things(summary)
    shown = {text for thing in things for text in thing.did + thing.will}
    actions = [a for sec in summary.pledges + summary.messages for a in sec.we_did + sec.we_will]
    seen: set[int] = set()
    rest = []
    for action in actions + summary.other_actions:
        if action.id in seen or action.did in shown:
            continue
        seen.add(action.id)
        rest.append(action)
    rest.sort(key=lambda a: a.status != "done")  # what was done first, then what is under way or planned
    for action in rest:
        done = action.status == "done"
        things.append(
            Thing(
                theme=action.theme or "",
                said=_plain(action.theme) if action.theme else "",
                did=[action.did] if done else [],
                will=[] if done else [action.did],
                # Too few answered, or raised its theme, to print what the worker wrote they said: then what it
                # is about, as far as that names no small group (`_private_heading`).
                told=("" if action.kept_private else action.said) or _private_heading(action, summary),
            )
        )
    return things


def _actions_for(theme: ThemeResult, actions: list[ActionLine], pledges: set[int]) -> list[ActionLine]:
    seen, found = set(), []
    for action in actions:
        about = action.theme == theme.id or (action.theme is None and action.pledge in pledges)
        if about and action.id not in seen:
            seen.add(action.id)
            found.append(action)
    return found


# Words young people may not know, explained the first time they appear (reading age 9).
EXPLAIN = {
    "CAMHS": "CAMHS (the NHS team that helps with feelings and worries)",
    "PA": "PA (your personal adviser)",
    "IRO": "IRO (the person who chairs your reviews)",
    "LAC": "children in care",
    "SW": "social worker",
    "EHCP": "EHCP (your plan for extra help at school)",
}
_ACRONYM = re.compile(r"\b(" + "|".join(EXPLAIN) + r")\b")


def explain_acronyms(text: str) -> str:
    """The text with each known acronym explained the first time it appears."""
    seen: set[str] = set()

    def once(match: re.Match) -> str:
        word = match.group(1)
        if word in seen:
            return word
        seen.add(word)
        return EXPLAIN[word]

    return _ACRONYM.sub(once, text)


def _sentence(text: str) -> str:
    text = " ".join(text.split()).rstrip(".")
    return text[:1].upper() + text[1:] + "."


# One home for the words the text and the /r/ page share.
INTRO = "Here are the top things you told us about, and what we are doing."
INTRO_ACTIONS_ONLY = "Here is what we are doing."
MORE = "And here is more of what we did and are doing."
# Said when every thing is kept private: few raised each one (trial 6b, N4: "Not many people answered" when 7 of 8
# had answered read as untrue).
NOT_MANY = (
    "Only a few of you told us about each thing this time, so we will keep what you said private. "
    "It still helps us, and we will tell you what changes."
)


def young_people_text(summary: Summary, *, link: str | None = None) -> str:
    """The plain-English version for young people: under 300 words, top three things and what changed."""
    things = things_to_tell(summary)
    lines = [
        f"You said, we did: {summary.survey_title}",
        "",
        "Thank you for telling us what you think. We read every answer.",
    ]
    if all(thing.told for thing in things):
        lines += ["", NOT_MANY]
    if things:
        lines += ["", INTRO if not things[0].told else INTRO_ACTIONS_ONLY]
        for number, thing in enumerate(things, 1):
            if thing.told and number > 1 and not things[number - 2].told:
                lines += ["", MORE]
            lines += ["", f"{number}. {thing.heading}"]
            for did in thing.did:
                lines.append(f"What we did: {_sentence(did)}")
            for will in thing.will:
                lines.append(f"What we will do: {_sentence(will)}")
            if not thing.did and not thing.will:
                lines.append(thing.answer)
    # Read by those who text and those who chat: the same words as the /r/ page.
    lines += ["", "You can tell us more at any time. Just send us a text, or chat with us."]
    if link:
        lines += [f"See more at {link}"]
    return explain_acronyms("\n".join(lines)) + "\n"


def fits_one_sms(text: str) -> bool:
    """True when the text goes as one GSM-7 segment (160 characters), by the one GSM-7 rule (`engine.gsm`)."""
    return fits_one_segment(text)


def loop_sms(summary: Summary, *, first_name: str | None, link: str) -> str:
    """The short text sent to each young person when a round closes: one SMS segment, with the link.

    The warmest version that fits is chosen; the link is always there. What young people told us most comes
    before the name: everyone in a round is told the same news, and only the greeting is shorter for a long name
    (trial 6, F11: the round's top thing went to Ethan and Poppy but not to Harvey or Callum, whose names left no
    room for it). Their name is in GSM-7 where a faithful plain form exists ("Zoë" -> "Zoe": `texts.name_for`), so
    it does not make the text UCS-2.
    """
    name = texts.name_for(first_name, "sms")
    things = [thing.said for thing in top_things(summary)]
    # Said to everyone who took part, so said of everyone: what they told us most is the round's, not each person's.
    top = f" Young people told us most about {of_young_people(things[0])}." if things else ""
    hellos = ([f"Hi {name}, thanks"] if name else []) + ["Thanks"]
    # "What you said" only where the page shows it: where every thing is kept private (few answered), it shows what
    # we are doing (a trial's text promised "what you said" over a page that kept it private).
    sees = (
        ("See what you said and what we are doing", "See what we are doing") if things else ("See what we are doing",)
    )
    candidates = [f"{hello} for taking part!{top} {see}: {link}" for see in sees for hello in hellos]
    if things:
        for hello in hellos:
            candidates += [f"{hello}! See what you said and what we did: {link}"]
    for text in candidates:
        if fits_one_sms(text):
            return text
    return f"Thanks! See what we did: {link}"


# The round's page in Welsh (`/r/<token>/cy`), linked from the Welsh thank-you.
WELSH_PAGE = "/cy"


def loop_sms_in(summary: Summary, *, first_name: str | None, link: str, language: str = "en") -> str:
    """`loop_sms` in the young person's `language`: in Welsh for a Welsh speaker ("cy", as `texts.WELSH` is their
    replies; trial 13, T13-17), linking the page's Welsh version, one SMS segment with the link by the same rule.
    Machine-drafted, for the council's translator to check, as `texts.WELSH` is. Without the round's top thing:
    the themes' plain words (`PLAIN_THEMES`) are English only."""
    if language != "cy":
        return loop_sms(summary, first_name=first_name, link=link)
    link += WELSH_PAGE
    name = texts.name_for(first_name, "sms")
    hellos = ([f"Helo {name}, diolch"] if name else []) + ["Diolch"]
    sees = ("Dyma beth ddwedoch chi a beth rydyn ni'n ei wneud",) * bool(top_things(summary)) + (
        "Dyma beth rydyn ni'n ei wneud",
    )
    candidates = [f"{hello} am gymryd rhan! {see}: {link}" for see in sees for hello in hellos]
    for text in candidates:
        if fits_one_sms(text):
            return text
    return f"Diolch! Dyma beth wnaethon ni: {link}"


def round_audience(*, session: Session, round_id: int, today: date) -> str:
    """Who a round's young people's page speaks to, by the age rule every reply follows (`Participant.adult_on`,
    as `texts.for_person` uses): "adults" (all 18 or over: Samaritans), "children" (all under 18: Childline)
    or "mixed" (both lines named, with who each is for; also when the round reached nobody)."""
    invited = session.execute(
        select(Participant)
        .join(Run, col(Run.participant_id) == col(Participant.id))
        .where(col(Run.round_id) == round_id)
    ).scalars()
    ages = {participant.adult_on(today) for participant in invited}
    if ages == {True}:
        return "adults"
    if ages == {False}:
        return "children"
    return "mixed"


def reached_welsh_speakers(*, session: Session, round_id: int) -> bool:
    """True when the round invited a young person in Welsh (a run of theirs in it is Welsh): its page then offers
    its Welsh version (`/r/<token>/cy`)."""
    welsh = exists().where(col(Run.round_id) == round_id, col(Run.language) == "cy")
    return bool(session.execute(select(welsh)).scalar())


def public_link(services, round_: Round) -> str:
    """The round's young people's page, `/r/<token>` (a token is made if the round has none)."""
    if not round_.public_token:
        round_.public_token = new_public_token()
    return services.config.app.public_url.rstrip("/") + "/r/" + round_.public_token


def chat_text(link: str, *, said: bool = True) -> str:
    """What web chat users who took part see in their chat when the round closes; `said`: the page shows what they
    told us (False where every thing is kept private: `top_things` is empty), else only what we are doing."""
    if not said:
        return f"Thanks for taking part! Here is what we are doing: {link}"
    return f"Thanks for taking part! Here is what you told us, and what we are doing about it: {link}"


def chat_text_in(link: str, language: str = "en", *, said: bool = True) -> str:
    """`chat_text` in the young person's `language`: in Welsh for a Welsh speaker, linking the page's Welsh
    version, as `loop_sms_in` does."""
    if language != "cy":
        return chat_text(link, said=said)
    if not said:
        return f"Diolch am gymryd rhan! Dyma beth rydyn ni'n ei wneud: {link}{WELSH_PAGE}"
    return f"Diolch am gymryd rhan! Dyma beth ddwedoch chi wrthon ni, a beth rydyn ni'n ei wneud: {link}{WELSH_PAGE}"


def took_part(*, session: Session, round_id: int, participant_id: int | None = None) -> list[Participant]:
    """Everyone who answered at least one question in the round and has not opted out (or just `participant_id`).

    Opted out means now (an opt-out on their number, or their STOP in the web chat with no number: `said_stop`) or
    in this round (they said STOP in it: their run here was stopped), so someone who stopped the round is not
    thanked for it after they opt back in for another.
    START while the round is open offers their run again, which then is not stopped: they asked to hear from
    us again, and are thanked for the answers they gave.

    A text stored with no question (a "3" sent back to the invitation, say) is not taking part:
    the same rule as the summary's respondents and response rate.
    """
    answered = exists().where(
        col(Response.participant_id) == col(Participant.id),
        col(Response.round_id) == round_id,
        col(Response.skipped).is_(False),
        col(Response.question_id).is_not(None),
    )
    opted_out = said_stop()  # by text, or in the web chat with no number (`participants.opt_outs`)
    stopped_here = exists().where(
        col(Run.participant_id) == col(Participant.id),
        col(Run.round_id) == round_id,
        col(Run.status) == RunStatus.STOPPED,
    )
    query = select(Participant).where(answered, ~opted_out, ~stopped_here).order_by(col(Participant.id))
    if participant_id is not None:
        query = query.where(col(Participant.id) == participant_id)
    return list(session.execute(query).scalars())


@dataclass(frozen=True)
class Told:
    """Who closing a round told, and how; `held` were not told, because a safeguarding alert of theirs is
    still open (they are told when the duty team closes it: `release_held`)."""

    texts: int = 0  # thank-you texts queued to those who answered by text
    chats: int = 0  # messages written in the web chats of those who answered there
    held: int = 0

    @property
    def count(self) -> int:
        """How many young people were told (texts and chat messages)."""
        return self.texts + self.chats


def told_words(told: Told) -> str:
    """What closing told, as the dashboard's banner and `round close` both say it: texts queued, messages sent to
    web chats (they are there at once) and anyone held back, each counted on its own."""
    parts = [f"{told.texts} thank-you text{'' if told.texts == 1 else 's'} queued"]
    if told.chats:
        plural = "" if told.chats == 1 else "s"
        parts.append(f"{told.chats} thank-you message{plural} sent to their web chat{plural}")
    if told.held:
        parts.append(held_back_words(told.held))
    return "; ".join(parts)


def panel_nowhere(config) -> bool:
    """True when closing a round gives the panel's summary to nobody: no [panel] emails and no drop_dir."""
    return not config.panel.emails and not config.panel.drop_dir


# What closing says when the summary went nowhere (a trial took silence for "sent"): the command and the dashboard.
NOWHERE_WORDS = (
    "the panel's summary was not sent: [panel] emails and drop_dir are both empty; set one, or get the summary from "
    "Summaries on the dashboard or with `voice-service summary`"
)


def held_back_words(held: int) -> str:
    """Those whose thank-you waits for their safeguarding alert to close, as closing says it."""
    return f"{held} held back: an open safeguarding alert (sent when the duty team closes it)"


def _tell(
    *,
    session: Session,
    services,
    round_id: int,
    participant: Participant,
    channel: str,
    summary: Summary,
    link: str,
    now: datetime,
) -> None:
    """One young person's thank-you: a message in their web chat, or a text through the outbox, keyed
    "loop:<round>:<participant>" so it is never written twice. In the language they now prefer, as an invitation
    is (`Participant.language`: Welsh for "cy")."""
    key = f"loop:{round_id}:{participant.id}"
    today = now.date()
    language = participant.language
    body = (
        loop_sms_in(summary, first_name=participant.first_name, link=link, language=language)
        if channel == "sms"
        else ""
    )
    if channel == "webchat":
        assert participant.id is not None
        say_in_chat(
            session=session,
            participant_id=participant.id,
            text=texts.for_person(
                chat_text_in(link, language, said=bool(top_things(summary))),
                "webchat",
                adult=participant.adult_on(today),
                language=language,
            ),
            now=now,
            key=key,
        )
    else:
        enqueue(
            session=session,
            vault=services.vault,
            key=key,
            kind="loop",
            participant=participant,
            body=texts.for_person(body, "sms", adult=participant.adult_on(today), language=language),
            round_id=round_id,
            under_16=is_under_16(participant, today),
        )


def on_round_closed(*, session: Session, services, round_id: int, now: datetime | None = None) -> Told:
    """Tell everyone who took part, once each, in the caller's transaction; returns who was newly told, and how.

    Those who answered in the web chat find a message with the link in their chat; the rest get
    one text through the outbox, keyed "loop:<round>:<participant>", so closing twice sends
    nothing twice. A young person with a safeguarding alert the duty team has not closed is held
    back (the rule that pauses their survey after a disclosure): a cheery "thanks for taking part!"
    could reach a phone someone else sees before the duty team has acted. They are told when the
    alert is closed (`release_held`).
    """
    from . import summarise

    round_ = session.get(Round, round_id)
    if round_ is None:
        raise LookupError(f"there is no round {round_id}")
    link = public_link(services, round_)
    summary = summarise(session=session, services=services, round_id=round_id, now=now)
    now = now or utcnow()
    everyone = to_tell(session=session, round_id=round_id)
    held = with_live_alert(session=session, participant_ids=[p.id for p, _ in everyone if p.id is not None])
    sent_texts = sent_chats = 0
    for participant, channel in everyone:
        if participant.id in held:
            continue
        _tell(
            session=session,
            services=services,
            round_id=round_id,
            participant=participant,
            channel=channel,
            summary=summary,
            link=link,
            now=now,
        )
        if channel == "sms":
            sent_texts += 1
        else:
            sent_chats += 1
    session.flush()
    return Told(texts=sent_texts, chats=sent_chats, held=len(held))


def to_tell(*, session: Session, round_id: int, participant_id: int | None = None) -> list[tuple[Participant, str]]:
    """Who closing the round tells, and how: everyone who took part (`took_part`: not opted out, nor stopped in
    it) and has not been told yet (a text queued or a chat message written), each on the channel they last answered
    on in the round (`answered_on`): "sms" for one whose last answer was a text, even if the run began in the
    chat; "webchat" for one whose last answer was in the chat, even if they were invited by text; "webchat" too
    for anyone with no number to text."""
    channels = answered_on(session=session, round_id=round_id, participant_id=participant_id)
    prefix = f"loop:{round_id}:"
    # Already told: counted out, so a second close says 0.
    done = set(
        session.execute(select(col(OutboxMessage.key)).where(col(OutboxMessage.key).startswith(prefix))).scalars()
    ) | set(
        session.execute(
            select(col(Message.provider_sid)).where(
                col(Message.channel) == "webchat", col(Message.provider_sid).startswith(prefix)
            )
        ).scalars()
    )
    return [
        (p, "webchat" if channels.get(p.id or 0) == "webchat" or not p.phone_encrypted else "sms")
        for p in took_part(session=session, round_id=round_id, participant_id=participant_id)
        if f"{prefix}{p.id}" not in done
    ]


def answered_on(*, session: Session, round_id: int, participant_id: int | None = None) -> dict[int, str]:
    """The channel each young person last answered on in the round ("sms" or "webchat"), by participant: that of
    the message their latest answer (or SKIP) came in, so a thank-you reaches them where they were last talking to
    us, not where the run began (invited by text, answered in the chat: told in the chat). Where no answer of
    theirs has its message any more (removed by retention or erasure, or stored without one), the channel their
    run began on."""
    runs = select(col(Run.participant_id), col(Run.channel)).where(col(Run.round_id) == round_id)
    answers = (
        select(col(Response.participant_id), col(Message.channel))
        .join(Message, col(Message.id) == col(Response.message_id))
        .where(col(Response.round_id) == round_id, col(Response.question_id).is_not(None))
        .order_by(col(Response.created_at), col(Response.id))
    )
    if participant_id is not None:
        runs = runs.where(col(Run.participant_id) == participant_id)
        answers = answers.where(col(Response.participant_id) == participant_id)
    channels = {pid: channel for pid, channel in session.execute(runs).all()}
    for pid, channel in session.execute(answers).all():  # in time order: the last answer's channel stands
        channels[pid] = channel
    return channels


def held_rounds(*, session: Session, participant_id: int) -> list[int]:
    """The closed rounds whose thank-you message was held back from this young person while an alert of theirs
    was open: they took part, and closing the round did not tell them (oldest first). Only rounds closed since
    their first alert: nothing older could have been held back."""
    first_alert = session.execute(
        select(func.min(col(Alert.created_at))).where(col(Alert.participant_id) == participant_id)
    ).scalar()
    if first_alert is None:
        return []
    rounds = session.execute(
        select(col(Round.id))
        .join(Run, col(Run.round_id) == col(Round.id))
        .where(
            col(Run.participant_id) == participant_id,
            col(Round.status) == RoundStatus.CLOSED,
            col(Round.closed_at) >= first_alert,
        )
        .distinct()
        .order_by(col(Round.id))
    ).scalars()
    return [rid for rid in rounds if to_tell(session=session, round_id=rid, participant_id=participant_id)]


def release_held(*, session: Session, services, participant_id: int | None, now: datetime | None = None) -> list[int]:
    """Once the duty team closes a young person's alert, tell them about each round held back from them (in
    the caller's transaction, after the alert is closed), as their survey carries on again then; nothing
    while another alert of theirs is still open. Returns the rounds they are now told about."""
    from . import summarise

    if participant_id is None or with_live_alert(session=session, participant_ids=[participant_id]):
        return []
    now = now or utcnow()
    released = []
    for round_id in held_rounds(session=session, participant_id=participant_id):
        round_ = session.get(Round, round_id)
        assert round_ is not None
        link = public_link(services, round_)
        summary = summarise(session=session, services=services, round_id=round_id, now=now)
        for participant, channel in to_tell(session=session, round_id=round_id, participant_id=participant_id):
            _tell(
                session=session,
                services=services,
                round_id=round_id,
                participant=participant,
                channel=channel,
                summary=summary,
                link=link,
                now=now,
            )
        released.append(round_id)
    session.flush()
    return released


def held_words(rounds: list[int], *, now_sent: bool) -> str:
    """What the duty team is told about thank-you messages held back from a young person while their alert is
    open (on the alert page, before closing it) or sent now that it is closed."""
    which = " and ".join(f"round {rid}" for rid in rounds)
    messages = "message" if len(rounds) == 1 else "messages"
    if now_sent:
        goes = "goes" if len(rounds) == 1 else "go"
        return f"Their thank-you {messages} for {which}, held back while the alert was open, now {goes} to them."
    return (
        f"Their thank-you {messages} for {which} ('thanks for taking part', with a link to what young people said "
        f"and what the council is doing) {'is' if len(rounds) == 1 else 'are'} held back while this alert is open. "
        f"Closing the alert sends {'it' if len(rounds) == 1 else 'them'}."
    )


@dataclass(frozen=True)
class ClosePreview:
    """What closing a round would send, for "Check before you close"."""

    texts: int  # thank-you texts to those who answered by SMS
    chats: int  # messages in the web chats of those who answered there
    emails: int  # the panel's summary, one email per [panel] address
    drop_dir: str  # the folder the summary files are written to ("" when none)
    held: int = 0  # held back: a safeguarding alert of theirs is still open (not in `texts` or `chats`)


def close_preview(services, *, session: Session, round_id: int) -> ClosePreview:
    """How many texts, chat messages and emails closing this round would send (nothing is changed)."""
    everyone = to_tell(session=session, round_id=round_id)
    held = with_live_alert(session=session, participant_ids=[p.id for p, _ in everyone if p.id is not None])
    told = [(p, channel) for p, channel in everyone if p.id not in held]
    panel = services.config.panel
    texts = sum(1 for _, channel in told if channel == "sms")
    return ClosePreview(
        texts=texts, chats=len(told) - texts, emails=len(panel.emails), drop_dir=panel.drop_dir, held=len(held)
    )


@dataclass(frozen=True)
class Delivery:
    """Where the panel's summary went: files written, and emails queued in the outbox."""

    files: list[Path]
    emailed: list[str]
    # Of `emailed`, those queued by an earlier close of the same round (never sent twice).
    already: list[str] = field(default_factory=list)
    # Of `already`, those whose email has left (sent, or delivered); the rest are still queued or failed.
    already_sent: list[str] = field(default_factory=list)
    # `reissue.CHANGED_BY_ERASURE` (and the page's sentence) when this summary differs from one given out before
    # because someone in the round was erased since: whoever closed the round is told, as `summary` tells.
    changed: str | None = None

    def already_words(self) -> str:
        """What became of the emails an earlier close queued, truly: "already sent to 1 recipient", "already
        queued for 2 recipients (not sent yet)", or both; "" when there were none."""
        sent, waiting = len(self.already_sent), len(self.already) - len(self.already_sent)
        parts = []
        if sent:
            parts.append(f"already sent to {sent} recipient{'' if sent == 1 else 's'}")
        if waiting:
            parts.append(f"already queued for {waiting} recipient{'' if waiting == 1 else 's'} (not sent yet)")
        return " and ".join(parts)


def deliver_panel_summary(services, round_id: int, *, now: datetime | None = None) -> Delivery:
    """Give the round's summary to `[panel]`: files in panel.drop_dir, and one outbox email per
    address (keyed by round and address, so it is never sent twice), with the PDF attached."""
    from ..db import session_scope
    from . import render, summarise
    from .render_text import render_markdown

    panel = services.config.panel
    if panel_nowhere(services.config):
        return Delivery(files=[], emailed=[])
    with session_scope(services.engine) as session:
        if session.get(Round, round_id) is None:
            raise LookupError(f"there is no round {round_id}")
        summary = summarise(session=session, services=services, round_id=round_id, now=now)
        # Asked before this delivery is recorded as giving the summary out (it would count as the first).
        changed = erased_since_given_out(session=session, round_id=round_id, timezone=services.config.app.timezone)
    if changed:
        # The scheduler closes rounds with nobody to read a warning: the log says so (the round, never a person).
        log.warning("round %s: the panel's summary has changed since it was first given out (an erasure)", round_id)
    html, pdf = render(summary, "html"), render(summary, "pdf")
    stem = f"you-said-we-did-round-{round_id}"
    folder = Path(panel.drop_dir) if panel.drop_dir else Path("instance") / "summaries"
    files: list[Path] = []
    folder.mkdir(parents=True, exist_ok=True)
    for suffix, content in ((".html", html), (".pdf", pdf)):
        target = folder / (stem + suffix)
        partial = target.with_suffix(suffix + ".part")
        partial.write_bytes(content)
        partial.replace(target)  # a watcher never picks up half a file
        files.append(target)
    if panel.drop_dir:
        # Saved where the panel picks it up: given out, as a download is (`reissue.GIVEN_OUT`).
        with session_scope(services.engine) as session:
            record(session=session, actor="system", action=SAVED_FOR_PANEL, subject_type="round", subject_id=round_id)
    emailed: list[str] = []
    already: list[str] = []
    already_sent: list[str] = []
    if panel.emails:
        with session_scope(services.engine) as session:
            for address in panel.emails:
                key = f"summary:{round_id}:{services.vault.hash(address)[:16]}"
                status = session.scalar(select(col(OutboxMessage.status)).where(col(OutboxMessage.key) == key))
                if status is not None:
                    already.append(address)
                    if status in (OutboxStatus.SENT, OutboxStatus.DELIVERED):
                        already_sent.append(address)
                enqueue(
                    session=session,
                    vault=services.vault,
                    key=key,
                    kind="summary",
                    channel="email",
                    to=address,
                    round_id=round_id,
                    respect_window=False,
                    subject=f"You said, we did: {summary.survey_title}, round {round_id} ({summary.council})",
                    body=render_markdown(summary),
                    html_body=html.decode("utf-8"),
                    attachments=[
                        {"path": str(files[1].resolve()), "filename": stem + ".pdf", "content_type": "application/pdf"}
                    ],
                )
                emailed.append(address)
    return Delivery(
        files=files if panel.drop_dir else [],
        emailed=emailed,
        already=already,
        already_sent=already_sent,
        changed=changed,
    )


@dataclass(frozen=True)
class Closed:
    """What closing a round did: whether it was open, how many were newly told, and the panel's delivery
    (None with `problem` set when the summary could not be delivered; the round is closed either way)."""

    round_id: int
    was_open: bool
    told: Told
    delivery: Delivery | None
    problem: str | None = None
    closed_at: datetime | None = None  # when it was closed (before this call, when it was already closed)


def close_and_tell(services, round_id: int, *, now: datetime | None = None) -> Closed:
    """The one way a round is closed, used by `round close`, the dashboard's button and the scheduler.

    In one transaction the round is closed and everyone who took part is told (once each, see
    `on_round_closed`); then the panel's summary is delivered (its emails are keyed, so never twice).
    Closing an already closed round tells no young person anything (nobody is thanked months later, nor
    someone who has since opted back in); only the panel's summary is delivered if it has not been yet
    (its emails are keyed, so never twice).
    """
    from ..db import session_scope
    from ..rounds.launch import close_round

    with session_scope(services.engine) as session:
        round_ = session.get(Round, round_id)
        if round_ is None:
            raise LookupError(f"there is no round {round_id}")
        was_open = round_.status != RoundStatus.CLOSED
        if was_open:
            close_round(session=session, round_id=round_id, now=now)
            told = on_round_closed(session=session, services=services, round_id=round_id, now=now)
        else:  # nobody is told now; those still held back are told when their alert closes (`release_held`)
            waiting = [p.id for p, _ in to_tell(session=session, round_id=round_id) if p.id is not None]
            told = Told(held=len(with_live_alert(session=session, participant_ids=waiting)))
        closed_at = round_.closed_at
    try:
        delivery = deliver_panel_summary(services, round_id, now=now)
    except Exception as exc:  # the round is closed either way; the caller says how to send it by hand
        log.error("round %s: panel summary not delivered (%s)", round_id, type(exc).__name__)
        return Closed(round_id, was_open, told, None, f"{type(exc).__name__}: {exc}", closed_at)
    return Closed(round_id, was_open, told, delivery, closed_at=closed_at)

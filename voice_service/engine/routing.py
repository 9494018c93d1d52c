"""One routing decision per inbound message, as a typed outcome: what the text is, decided once.

`decide` is pure: given what the service knows about the sender (a `Situation`, read in
one query by `voice_service.inbound`) and the text, it classifies the keyword once and
returns one `Outcome`. Keywords (STOP, START, HELP, SKIP), onboarding and survey state
transitions are all decided here or in the engine functions it calls; the inbound path
only stores what the outcome says. `awaiting` tells a channel what the next message will
answer (for the web chat's buttons), from the same facts and in the same order.

Order, fixed: STOP; a disclosure (the screen found a risk: the caller sends the help
reply first and alone, and a waiting run pauses at its question: never a survey answer; while their alert is
live, one that also pleads, "help me hes back", is a plea as well: `pleads`); START
(opt back in, or the engine's own START inside a survey; from an opted-out SMS number YES too, as
Twilio opts it back in on YES; opting back in offers again the survey their own STOP ended, while its round is open:
`offers_again`; YES or START after saying no to an invitation whose round is still open starts that survey, a
change of mind: `ChangedMind`, checked again after the live-alert and talking-with-a-person rules below for a plain
YES); an opted-out SMS number (kept, no reply; but a request for a person
is one as from anyone: STOP stops surveys, not being heard); a picture message with no words (`Picture`:
"we can't see pictures, please type", nothing moves on; a newcomer is welcomed first); while they are talking
with a person (a worker's reply is the latest thing they were sent: see `Situation`), anything but GO
ON is a reply to that person, never a survey answer or consent; text the screen cannot read (not
English: `unread`) is kept for a person and answered with that, never "Sorry, we didn't get that",
unless it answers the waiting question (a free-text answer in a Welsh survey); after a disclosure,
while its alert is live (`disclosed`: not an alert that only flags text the screen could not read) and
nothing has resumed (no run, or a paused one), anything but a
choice to carry on, GO ON or START (what happens next and where help is, never a survey offer; a YES,
which most likely answers the help reply's "Need help now?", is a plea; an answer to the question
the survey paused at is told the survey is paused and how to carry on); while their alert
is live, HELP ("?" too) or a plea for help or a person (`keywords.pleads_for_help`), even after
they carried on and even as the answer to a free-text question; asking for a person or for help (outside
a survey answer, at any stage); a newcomer
(consent-first onboarding); onboarding in progress; the waiting survey run; otherwise a message
texted in.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from voice_service.engine import texts
from voice_service.engine.answers import acknowledges, parse_scale, says_yes
from voice_service.engine.conversation import (
    WAITING,
    can_reopen,
    change_mind,
    changes_mind,
    handle,
    pause,
    read_answer,
    reopen,
    resume_prompt,
    wants_to_carry_on,
)
from voice_service.engine.keywords import (
    Keyword,
    asks_for_a_person,
    asks_how_we_got_their_number,
    asks_who_we_are,
    classify,
    normalise,
    only_asks_to_stop,
    opts_back_in,
    pleads_for_help,
)
from voice_service.engine.onboarding import (
    PROMPTS,
    WELCOME,
    OnboardingState,
    OnboardingStep,
    answers_onboarding,
    begin_onboarding,
    carry_on,
    handle_onboarding,
    paused,
    resume,
)
from voice_service.engine.onboarding import stop as stop_onboarding
from voice_service.engine.types import RunState, Step
from voice_service.surveys.model import Question, Survey


@dataclass(frozen=True)
class Situation:
    """What the routing decision needs to know about the sender, as plain data.

    `onboarding` is set only while onboarding is in progress; `run` is the newest run
    waiting for them (in an open round), with `survey` its pinned version; `alert_live` is true
    while a safeguarding alert of theirs is open or acknowledged (not yet closed by the duty team);
    `talking_to_person` is true while a worker's (or duty worker's) reply is the latest thing they were
    sent: it ends when they send GO ON, when the worker closes the thread, when a survey message goes
    after it, or `[schedule] talk_hours` after the reply (`voice_service.inbound.situation`).
    `stopped` is their newest run when it was stopped (by their own STOP) in a round still open, read only
    for a message that could opt them back in (`could_opt_back_in`).
    `declined` is their last run when they said no to its invitation and its round is still open (with
    `declined_survey`, its pinned version), read only for a message that could take it up (`reads_last_run`).
    `declined_onboarding` is their onboarding state when they said no to its welcome (not by STOP): YES or
    START takes it up again, as the "No thanks" reply promised (`_reopens_onboarding`).
    `stopped_onboarding` is their onboarding state when STOP ended it: opting back in carries it on where it
    stopped (`_opted_in`).
    `recently_closed` is true when the survey they were last asked about was closed by its round within
    `CLOSED_REPLY_DAYS`: never while the survey they last answered, declined or were sent is still open.
    `alert_unread` is true when every live alert of theirs only flags text the screen could not read (not in
    English: a person reads it, `analysis.unread`): nothing was disclosed, so nothing pauses, no help reply is
    sent and nothing is answered as after a disclosure (`disclosed`); a plea in words still reaches the duty team,
    and makes it one for a possible disclosure (`_plea`).
    """

    channel: str
    council: str = "the council"
    opted_out: bool = False
    new_participant: bool = False
    onboarding: OnboardingState | None = None
    run: RunState | None = None
    survey: Survey | None = None
    recently_closed: bool = False
    alert_live: bool = False
    alert_unread: bool = False
    talking_to_person: bool = False
    # A member of staff has their thread (assigned): while talking with a person, their words are read there at once.
    thread_held: bool = False
    # 18 or over: their help lines are for adults; None when their age is not known (`texts.for_person`).
    adult: bool | None = False
    stopped: RunState | None = None
    declined: RunState | None = None
    declined_survey: Survey | None = None
    declined_onboarding: OnboardingState | None = None
    stopped_onboarding: OnboardingState | None = None
    # The language their fixed texts are sent in where written in it ("cy": `texts.WELSH`): their run's, else theirs.
    language: str = "en"


@dataclass(frozen=True, kw_only=True)
class Outcome:
    """What one message is and what to say back. `keep_text`: store the text as a text-in."""

    replies: tuple[str, ...] = ()
    events: tuple[str, ...] = ()
    keep_text: bool = False


@dataclass(frozen=True, kw_only=True)
class OptedOut(Outcome):
    """STOP (or another opt-out word): record the opt-out and stop every waiting run.

    `onboarding` is onboarding's new state when it was under way: declined, as onboarding's own STOP leaves it, so
    nothing asks for their consent again (an anonymous web chat has no number to hold the opt-out, so it is what
    keeps "hi" after STOP a message, not a new consent question)."""

    already: bool = False
    onboarding: OnboardingState | None = None


@dataclass(frozen=True, kw_only=True)
class OptedIn(Outcome):
    """START outside a survey: remove the opt-out, welcome them back.

    `reopened` is the stopped run's new state when the welcome offers its survey again (`offers_again`);
    `onboarding` is onboarding's new state when STOP had ended it: it carries on where it stopped (`resume`)."""

    reopened: RunState | None = None
    onboarding: OnboardingState | None = None


@dataclass(frozen=True, kw_only=True)
class ChangedMind(Outcome):
    """YES (or START) after saying no to an invitation whose round is still open: the declined run starts
    (`step.state`), and the reply is its first question."""

    step: Step


@dataclass(frozen=True, kw_only=True)
class OnboardingBegun(Outcome):
    """Someone new: keep what they said, then ask consent before anything else."""

    state: OnboardingState


@dataclass(frozen=True, kw_only=True)
class Onboarded(Outcome):
    """One step of onboarding; `step.profile` is set when it has just finished."""

    step: OnboardingStep


@dataclass(frozen=True, kw_only=True)
class SurveyStep(Outcome):
    """The waiting run moved on (or not): its new state, and the answer to store if there is one.

    `unread`: the answer is words the screen cannot read (not English) at a free-text question: the caller
    replies first that a person will read it, with where help is, then what the run says next."""

    step: Step
    unread: bool = False


@dataclass(frozen=True, kw_only=True)
class Disclosure(Outcome):
    """The screen found a risk: the caller replies with help, alone.

    `paused` is the waiting run's new state (paused at the question it was on: the message is never its answer);
    `onboarding` is onboarding's new state when it had carried on after an earlier disclosure (it waits again);
    `plea`: their alert is live and the message is, or opens as, a plea for help too ("help me hes back",
    `_pleads`): the duty team is told at once, as for any plea (`pleads`).
    """

    paused: RunState | None = None
    onboarding: OnboardingState | None = None
    plea: bool = False


@dataclass(frozen=True, kw_only=True)
class WantsPerson(Outcome):
    """They asked to talk to someone: the message is flagged for a worker, and the caller says when.

    `after_disclosure`: their alert is live, so the caller's reply names the emergency options too (`_plea`).
    `paused`: the waiting run's new state when the plea is the first thing from them the service reads as needing
    help (their live alert only flagged text the screen could not read): it pauses as after a disclosure."""

    after_disclosure: bool = False
    paused: RunState | None = None


@dataclass(frozen=True, kw_only=True)
class AfterDisclosure(Outcome):
    """A message while their alert is live and nothing has resumed: kept, and answered by the caller with
    what happens next and where help is (never a survey offer, a re-ask or onboarding).

    `survey_paused`: it reads as an answer to the question their survey paused at ("3", SKIP), so the reply
    says instead that the survey is paused and how to carry on (GO ON), with where help is.

    `onboarding_paused`: likewise for an answer to one of onboarding's questions ("1", "I'm 15"): they wait, and the
    reply says how to carry on (GO ON), with where help is.

    `nothing_waiting`: GO ON with no survey or onboarding paused to carry on with (never a plea: it is not the YES
    to the help reply's "Need help now?"), so the reply says nothing is waiting, then what happens next.

    `who_we_are`: the council to name first, when the message asked who is texting them ("who is this?",
    `keywords.asks_who_we_are`): someone whose first text was a disclosure was never told. `texted_first`: such a
    newcomer asked how we got their number, and the truth is that they texted us."""

    survey_paused: bool = False
    onboarding_paused: bool = False
    nothing_waiting: bool = False
    who_we_are: str = ""
    texted_first: bool = False


@dataclass(frozen=True, kw_only=True)
class ToPerson(Outcome):
    """A reply to the worker who wrote to them last: kept on their thread for that worker, no automatic
    answer (a person is answering), and the survey or onboarding stays where it was.

    `unheld`: nobody has their thread now (it was handed back: closing an alert does that), so the caller answers
    that a person will read it, with where help is (`texts.unread_reply`: its words fit), rather than nothing."""

    unheld: bool = False


@dataclass(frozen=True, kw_only=True)
class Unread(Outcome):
    """Text the screen cannot read (not in English) that the engine does not read as the answer waiting: kept for a
    person (the caller raises its low-priority alert), answered with that; onboarding or the survey stays where it
    was. `question_waits`: a survey question is waiting, and a second reply says it still waits (trial 8, H7)."""

    question_waits: bool = False


@dataclass(frozen=True, kw_only=True)
class Picture(Outcome):
    """A picture message (MMS) with no words: never an answer or consent. Answered with "we can't see
    pictures, please type", and nothing moves on (the invitation, question or onboarding step still waits).
    While their alert is live the caller adds it to that alert, so the duty team knows something was sent."""


@dataclass(frozen=True, kw_only=True)
class TextIn(Outcome):
    """A message outside any question: kept and analysed, answered with thanks, HELP, or nothing."""


# Every chat button's words, in every language they are written in, as a message is read (`understood`).
_BUTTON_WORDS = frozenset(
    normalise(texts.button(label, language)) for label in texts.BUTTONS for language in ("en", *texts.BUTTONS_IN)
)


def understood(text: str) -> bool:
    """True for a message the engine reads in full though the English screen cannot (not English): asking who we
    are, in Welsh ("Helo, pwy sy 'na?", `keywords.asks_who_we_are`), a chat button's own words in Welsh
    ("Parhau gyda'r arolwg": `texts.WELSH_BUTTONS`), or asking us to stop and nothing more ("dim diolch, stopia":
    `keywords.only_asks_to_stop`). It is answered as in English, and nothing in it is left for a person to read
    (trial 5, F5: "who is this" in Welsh raised a duty alert at 04:26; trial 13, T13-16: "dim diolch, stopia" did)."""
    return asks_who_we_are(text) or normalise(text) in _BUTTON_WORDS or only_asks_to_stop(text)


def pending_onboarding(onboarding: dict | None) -> OnboardingState | None:
    """A participant's stored onboarding state, if onboarding is still in progress (not done or declined)."""
    if onboarding is None or onboarding.get("step") in ("done", "declined"):
        return None
    return OnboardingState.from_dict(onboarding)


def declined_onboarding(onboarding: dict | None) -> OnboardingState | None:
    """A participant's stored onboarding state when they said no to its welcome (step "declined", not by STOP:
    after STOP only START, the opt-in, says anything more)."""
    if onboarding is None or onboarding.get("step") != "declined" or onboarding.get("stopped"):
        return None
    return OnboardingState.from_dict(onboarding)


def stopped_onboarding(onboarding: dict | None) -> OnboardingState | None:
    """A participant's stored onboarding state when STOP ended it (START carries it on: `_opted_in`)."""
    if onboarding is None or onboarding.get("step") != "declined" or not onboarding.get("stopped"):
        return None
    return OnboardingState.from_dict(onboarding)


def decide(situation: Situation, text: str, *, risk: bool = False, unread: bool = False, pictures: int = 0) -> Outcome:
    """The one routing decision for an inbound text (already screened: `risk` is the screen's verdict,
    `unread` that it could not read the text: not English; `pictures`: how many pictures it carried, MMS).

    While their alert is live, every re-ask ("Sorry, we didn't get that") says where help is, as every other reply
    then does (`texts.while_alert_live`; trial 11, T11-9), on either channel."""
    outcome = _decide(situation, text, risk=risk, unread=unread, pictures=pictures)
    if not situation.alert_live or not outcome.replies:
        return outcome
    replies = tuple(texts.while_alert_live(reply) for reply in outcome.replies)
    return outcome if replies == outcome.replies else replace(outcome, replies=replies)


def _decide(situation: Situation, text: str, *, risk: bool, unread: bool, pictures: int) -> Outcome:
    """`decide`, but for the re-asks' words while their alert is live."""
    keyword: Keyword | None = classify(text)
    run, survey = situation.run, situation.survey
    if keyword == "stop" and not risk:
        # A risky message is never taken as STOP ("stop texting me he hurts me"): the help reply comes first and
        # alone, as for any disclosure. A bare STOP word is never risky, so Twilio's own opt-out is unaffected.
        # While their alert is live, help replies still come after STOP: the reply says so, with where help is.
        stopped = texts.STOP_WHILE_ALERT if situation.alert_live else texts.STOP_CONFIRMED
        # A number that said STOP is not texted again (its carrier blocks it too); in the web chat, where they are
        # talking to us on purpose, a STOP said again is answered again, never met with silence.
        replies = () if situation.opted_out and situation.channel != texts.WEBCHAT else (stopped,)
        declined = None if situation.onboarding is None else stop_onboarding(situation.onboarding)
        return OptedOut(replies=replies, events=("opted_out",), already=situation.opted_out, onboarding=declined)
    talking = situation.talking_to_person and not wants_to_carry_on(text, keyword)
    if risk:
        # Screened like every message: never a survey answer (`_disclosure`), and the survey pauses.
        disclosure = replace(_disclosure(run), plea=_pleads(situation, text, keyword))
        if situation.onboarding is not None and situation.onboarding.carried_on:
            return replace(disclosure, onboarding=paused(situation.onboarding))  # it waits again
        return disclosure
    if situation.opted_out and (keyword == "start" or (situation.channel == "sms" and opts_back_in(text))):
        return _opted_in(situation, texts.START_WELCOME_BACK)
    if _changes_mind(situation, text, keyword):
        return _changed_mind(situation)
    if _reopens_onboarding(situation, text, keyword):
        assert situation.declined_onboarding is not None  # `_reopens_onboarding`
        reopened = handle_onboarding(situation.declined_onboarding, text, keyword=keyword, council=situation.council)
        return Onboarded(step=reopened, replies=reopened.replies, events=("onboarding",))
    if keyword == "start" and not situation.new_participant and (run is None or situation.onboarding is not None):
        # Nothing waiting for them: START is either a "yes" to a survey that has since closed, or a plain opt-in.
        ended = run is None and situation.onboarding is None and situation.recently_closed
        return _opted_in(situation, texts.START_CLOSED if ended else texts.START_ALREADY)
    if situation.opted_out and situation.channel == "sms" and not (keyword is None and asks_for_a_person(text)):
        # A request for a person ("can someone call me about my placement") is not caught here: STOP stops
        # surveys, not being heard, so it takes the path below as anyone's does (flagged for a worker, answered).
        if _pleads(situation, text, keyword):
            # STOP stops surveys, not safeguarding: a plea while their alert is live ("i didnt mean stop,
            # please help") is added to that alert and the duty team told at once, as from anyone else. The
            # reply with 999 is offered too; whether it reaches a number that said STOP is the carrier's rule.
            return _plea(situation)
        # Still kept (and screened), but no more texts to someone who said STOP. In the web chat
        # they are talking to us on purpose, so the chat goes on.
        return TextIn(events=("opted_out_text",), keep_text=True)
    if pictures and not text.strip() and not (situation.new_participant and not disclosed(situation)):
        # Pictures and no words (a newcomer is welcomed as ever: consent first). Words sent with pictures
        # take the usual path below.
        return _picture(situation, talking=talking)
    if talking:
        if _pleads(situation, text, keyword) and keyword == "help":
            return _plea(situation, events=("to_person", "wants_person"))
        if keyword == "help":
            return TextIn(replies=(texts.HELP_ANY_TIME,), events=("text_in",), keep_text=True)
        events = ("to_person", "wants_person") if keyword is None and asks_for_a_person(text) else ("to_person",)
        # Nobody has their thread now (closing the alert handed it back): say a person will read it, with where help
        # is, rather than silence (trial 9, T9-1 and T9-3: "is it too late?" got no reply, for up to talk_hours).
        return ToPerson(events=events, keep_text=True, unheld=not situation.thread_held)
    if unread and not _answers_question(run, survey, text):
        if _pleads(situation, text, keyword) or (keyword is None and asks_for_a_person(text)):
            # "helpa fi plis": a plea, though the screen cannot read the rest. While their alert is live it is
            # added to it and the duty team told at once (`pleads`), as any plea is (trial 6, F1), and the survey
            # pauses as an English plea's would (`_plea`, trial 6b).
            if situation.alert_live:
                return _plea(situation)
            return WantsPerson(events=("wants_person",), keep_text=True)
        # A newcomer too (docs/risk-screen.md): a person reads it; onboarding has not begun, so they are
        # still new and are welcomed later (once their alert no longer holds it back). The caller's reply says
        # when the office is back, with where help is (`texts.unread_reply`).
        # Never taken as the answer (trial 8, H1 and H7): the question they were on still waits, and they are told so.
        waits = run is not None and run.status == "active" and run.current is not None
        said: tuple[str, ...] = (texts.UNREAD, texts.QUESTION_WAITS) if waits else (texts.UNREAD,)
        return Unread(replies=said, events=("unread",), keep_text=True, question_waits=waits)
    if unread and _answers_free_text(run, survey) and not _pleads(situation, text, keyword):
        assert run is not None and survey is not None  # `_answers_free_text`
        # Words the screen cannot read at a free-text question (a Welsh answer in a Welsh run): their answer, and a
        # person reads it (the caller's low alert). Clear Welsh words of harm are a disclosure before this (the
        # screen's Welsh lexicon); what it cannot read may still be one, so the next question or the closing thanks
        # never comes alone (trial 8, H1): first the reply that a person will read it, with where help is. The survey
        # goes on: a Welsh speaker answering in Welsh is not held up at every free-text question (trial 5, F5).
        step = handle(survey, run, text, keyword=keyword, council=situation.council)
        if step.answer is not None:
            noted: tuple[str, ...] = (*step.events, "unread")
            told: tuple[str, ...] = (texts.UNREAD, *step.replies)
            step = replace(step, replies=told, events=noted)
            return SurveyStep(step=step, replies=told, events=noted, keep_text=step.keep_text, unread=True)
        return SurveyStep(step=step, replies=step.replies, events=step.events, keep_text=step.keep_text)
    if follows_disclosure(situation) and not _goes_on(situation, text, keyword):
        if wants_to_carry_on(text, keyword) and not _pleads(situation, text, keyword):
            # GO ON with nothing paused to carry on with (trial 8, H8): not the YES to "Need help now?", so no plea.
            return AfterDisclosure(events=("after_disclosure",), keep_text=True, nothing_waiting=True)
        if _pleads(situation, text, keyword) or (keyword is None and says_yes(text) and not acknowledges(text)):
            # HELP ("Help!", "?") or a plea: the reply with 999 and the help lines, never a survey offer.
            # So is a YES: the last thing they were sent was the help reply, which asks "Need help now?";
            # the invitation's or the welcome's YES was asked before it (trial 3, F20).
            return _plea(situation)
        if keyword is None and asks_who_we_are(text):
            # Not a plea, but a child who disclosed to an unknown number is told who read it, with the help.
            texted_first = situation.new_participant and asks_how_we_got_their_number(text)
            return AfterDisclosure(
                events=("after_disclosure",), keep_text=True, who_we_are=situation.council, texted_first=texted_first
            )
        if _answers_paused(run, survey, text, keyword):
            events = ("after_disclosure", "survey_paused")
            return AfterDisclosure(events=events, keep_text=keyword is None, survey_paused=True)
        waiting = situation.onboarding
        if waiting is not None and not acknowledges(text) and answers_onboarding(waiting, text, keyword):
            # An answer to the welcome's questions ("1", "I'm 15"): they wait, and how to carry on is said (trial 9,
            # T9-J: the reply only said a worker would be in touch, and nothing told them GO ON).
            events = ("after_disclosure", "onboarding_paused")
            return AfterDisclosure(events=events, keep_text=keyword is None, onboarding_paused=True)
        return AfterDisclosure(events=("after_disclosure",), keep_text=keyword is None)
    if _pleads(situation, text, keyword):
        # Their alert is live and they carried on (the survey or onboarding resumed), yet this is a plea,
        # even if it would answer a free-text question: the reply names 999 too, and the caller adds it to
        # the live alert and tells the duty team. After an alert that only flagged unread text, the survey pauses.
        return _plea(situation)
    if keyword is None and asks_for_a_person(text) and not _answers_question(run, survey, text):
        # A plea for help or a person, from anyone at any stage (a newcomer, in onboarding, during a survey
        # unless it is the answer): flagged for a worker and answered with when, and help numbers. A
        # newcomer is welcomed with their next message.
        return WantsPerson(events=("wants_person",), keep_text=True)
    if situation.new_participant:
        state, welcome = begin_onboarding(council=situation.council, text=text)
        return OnboardingBegun(state=state, replies=(welcome,), events=("onboarding",), keep_text=True)
    if situation.onboarding is not None:
        if follows_disclosure(situation):  # and they chose to carry on (`_goes_on`)
            onboarding = carry_on(situation.onboarding, text, keyword, council=situation.council)
        else:
            onboarding = handle_onboarding(situation.onboarding, text, keyword=keyword, council=situation.council)
        events = ("declined", "onboarding") if onboarding.declined else ("onboarding",)
        # Not an answer to the onboarding question: keep it, it may matter.
        keep = onboarding.state == situation.onboarding and keyword is None
        return Onboarded(step=onboarding, replies=onboarding.replies, events=events, keep_text=keep)
    if run is not None and survey is not None:
        step = handle(survey, run, text, keyword=keyword, council=situation.council)
        return SurveyStep(step=step, replies=step.replies, events=step.events, keep_text=step.keep_text)
    if _changes_mind(situation, text, keyword):
        return _changed_mind(situation)
    if keyword == "help":
        return TextIn(replies=(texts.HELP_ANY_TIME,), events=("text_in",), keep_text=True)
    if keyword is None and asks_who_we_are(text):
        # "who is this?" with nothing waiting (after "No thanks" to an invitation or the welcome, say): who is
        # asking, as at an invitation, a question or the welcome, never "Thanks for your message". After "No
        # thanks" to the welcome, with how to go on, as its reply promised ("If you change your mind, just text YES").
        no_thanks = situation.declined_onboarding is not None
        who = texts.who_we_are_declined(situation.channel) if no_thanks else texts.WHO_WE_ARE
        return TextIn(replies=(texts.naming_council(who, situation.council),), events=("who_we_are",), keep_text=True)
    reply = texts.CLOSED if situation.recently_closed else texts.TEXT_IN_THANKS
    return TextIn(replies=(reply,), events=("text_in",), keep_text=True)


def pleads(outcome: Outcome) -> bool:
    """True when the message is, or contains, a plea for help while their alert is live: a request for a person
    after a disclosure (`WantsPerson.after_disclosure`), or a further disclosure that pleads too ("help me hes
    back": `Disclosure.plea`). The one rule the caller follows to add it to the alert as "asked for help" and
    tell the duty routes at once, whether or not the screen also found a risk in it."""
    if isinstance(outcome, WantsPerson):
        return outcome.after_disclosure
    return isinstance(outcome, Disclosure) and outcome.plea


def _plea(situation: Situation, events: tuple[str, ...] = ("wants_person",)) -> WantsPerson:
    """A plea for help or a person while their alert is live: the reply names 999 and the caller adds it to the
    alert and tells the duty team at once (`pleads`). When that alert only flags text the screen could not read (a
    Welsh message), the plea is the first thing from them it reads as needing help, and is handled as an English
    speaker's is after their disclosure: the help reply alone, the waiting survey paused at its question (no next
    question, no buttons) until they choose to carry on, and from now on the alert is one for a possible
    disclosure (`safeguarding.alerts` records the plea among its reasons). After they carried on from a disclosure
    the survey stays where it was, as they chose."""
    run = situation.run
    if not situation.alert_unread or run is None or run.status not in WAITING or pause(run) == run:
        return WantsPerson(events=events, keep_text=True, after_disclosure=True)
    return WantsPerson(events=(*events, "paused"), keep_text=True, after_disclosure=True, paused=pause(run))


def _pleads(situation: Situation, text: str, keyword: Keyword | None) -> bool:
    """True while their alert is live for the HELP keyword ("HELP", "Help!", "?") or a plea for help or a
    person (`keywords.pleads_for_help`): someone who has disclosed and then asks for help is asking for it,
    not for how the survey works, so the duty team is told (erring toward them, as with any plea)."""
    if not situation.alert_live or keyword not in (None, "help"):
        return False
    if keyword == "help":
        # A bare HELP ("?") after a disclosure is a plea; after text only flagged for a person to read (not in
        # English) it is what HELP always is, how this works, with Childline.
        return disclosed(situation)
    return pleads_for_help(text, alert_live=True)


def disclosed(situation: Situation) -> bool:
    """True while an alert of theirs for a possible disclosure is live: not one that only flags text the screen
    could not read (`Situation.alert_unread`), which a person reads without the survey pausing."""
    return situation.alert_live and not situation.alert_unread


def _picture(situation: Situation, *, talking: bool) -> Picture:
    """A picture message with no words: the reply asks for words, for the answer if something is waiting
    for one (an invitation, a question, an onboarding step), else for their message; while their alert is
    live it also says the team has been told (the caller adds it to the alert)."""
    if disclosed(situation):
        return Picture(replies=(texts.PICTURE_AFTER_DISCLOSURE,), events=("picture",))
    run = situation.run
    waiting = situation.onboarding is not None or (run is not None and run.status in ("invited", "active"))
    reply = texts.PICTURE_ANSWER if waiting and not talking else texts.PICTURE_MESSAGE
    return Picture(replies=(reply,), events=("picture",))


def could_opt_back_in(situation: Situation, text: str) -> bool:
    """True when the text may opt them back in (START; YES from an opted-out SMS number) with nothing waiting:
    only then does `decide` need `situation.stopped` (the inbound path reads it for these alone)."""
    if situation.run is not None or situation.onboarding is not None:
        return False
    return classify(text) == "start" or (situation.opted_out and situation.channel == "sms" and opts_back_in(text))


def reads_last_run(situation: Situation, text: str) -> bool:
    """True when `decide` needs their last run (`stopped`, `declined`, and whether `recently_closed` still holds):
    nothing is waiting for them, and the text may opt them back in, take up an invitation they said no to, or be
    answered "that survey has closed". The inbound path reads it for these alone (`load_last_run`)."""
    if situation.run is not None or situation.onboarding is not None:
        return False
    if could_opt_back_in(situation, text) or situation.recently_closed:
        return True
    return not situation.opted_out and changes_mind(text, classify(text), situation.language)


def _changes_mind(situation: Situation, text: str, keyword: Keyword | None) -> bool:
    """True for YES (START, "ok go on then") when they may still take up the invitation they said no to
    (`may_change_mind`)."""
    return may_change_mind(situation) and changes_mind(text, keyword, situation.language)


def may_change_mind(situation: Situation) -> bool:
    """True when the invitation they last said no to is in a round still open, nothing else is waiting, they
    have not opted out, and no alert of theirs is live and no worker is talking with them (then nothing is
    offered but help and that person): a YES would start it. Read only where `situation.declined` was."""
    return (
        situation.declined is not None
        and situation.declined_survey is not None
        and situation.run is None
        and situation.onboarding is None
        and not situation.opted_out
        and not disclosed(situation)
        and not situation.talking_to_person
    )


def _reopens_onboarding(situation: Situation, text: str, keyword: Keyword | None) -> bool:
    """True for YES (START, "ok go on then") after saying no to onboarding's welcome, as its reply promised
    ("If you change your mind, just text YES"), when nothing else is waiting, they have not opted out, and no
    alert of theirs is live and no worker is talking with them. A yes-word inside a sentence is no such choice
    (`parse_yes_no`), nor a bare "ok" or "thanks" after the reply (`changes_mind`)."""
    return (
        situation.declined_onboarding is not None
        and situation.onboarding is None
        and situation.run is None
        and not situation.new_participant
        and not situation.opted_out
        and not disclosed(situation)
        and not situation.talking_to_person
        and changes_mind(text, keyword)
    )


def _changed_mind(situation: Situation) -> ChangedMind:
    """A change of mind: the survey they said no to starts (never "this survey has closed" while it is open)."""
    assert situation.declined is not None and situation.declined_survey is not None  # `_changes_mind`
    step = change_mind(situation.declined_survey, situation.declined)
    return ChangedMind(step=step, replies=step.replies, events=step.events)


def offers_again(situation: Situation) -> bool:
    """True when opting back in offers again the survey their own STOP ended: its round is still open
    (`stopped` is read only then), it was stopped at the invitation or mid-survey (never while paused after
    a disclosure: `can_reopen`), nothing else is waiting for them, and no alert of theirs is live and no
    worker is talking with them (then nothing is offered but help and that person)."""
    return (
        situation.stopped is not None
        and can_reopen(situation.stopped)
        and situation.run is None
        and situation.onboarding is None
        and not disclosed(situation)
        and not situation.talking_to_person
    )


def _opted_in(situation: Situation, welcome: str) -> OptedIn:
    """Opting back in: `welcome`, or when `offers_again`, a welcome back that offers the survey (YES then
    starts it, or carries on where they were). Onboarding their STOP ended carries on where it stopped, the
    question they had not answered asked again (trial 9, T9-14: it was left declined, and the age question never
    came); while their alert is live and they had not carried on, it waits there unasked (`follows_disclosure`:
    GO ON asks it), as a survey does. While a worker is talking with them it stays stopped, so nothing waits
    unasked behind the talk: a START after it carries it on. A START with onboarding still waiting at one of its
    questions is welcomed back with that question, never "You're all set" above its answer buttons."""
    stopped = situation.stopped_onboarding
    if (
        stopped is not None
        and situation.onboarding is None
        and situation.run is None
        and not situation.talking_to_person
    ):
        resumed = resume(stopped, council=situation.council)
        waits = disclosed(situation) and not stopped.carried_on
        replies = (welcome,) if waits else resumed.replies
        return OptedIn(replies=replies, events=("opted_in", "onboarding"), onboarding=resumed.state)
    pending = situation.onboarding
    if pending is not None and pending.step in ("status", "age") and not follows_disclosure(situation):
        if not situation.talking_to_person:
            again = texts.WELCOME_BACK_STATUS if pending.step == "status" else texts.WELCOME_BACK_AGE
            return OptedIn(replies=(again,), events=("opted_in",))
    if situation.stopped is not None and offers_again(situation):
        reopened = reopen(situation.stopped)
        return OptedIn(replies=(texts.START_WELCOME_BACK_SURVEY,), events=("opted_in", "reoffered"), reopened=reopened)
    return OptedIn(replies=(welcome,), events=("opted_in",))


def _disclosure(run: RunState | None) -> Disclosure:
    """A risk: the help reply comes first and alone (no next question, no "reply YES"), and the survey
    waits until they choose to carry on, at the question they were on.

    A message that raises a safeguarding alert is never a survey answer, whatever the question: "i havent
    eaten in 2 days" is not "A bit" on the panel's chart, and a disclosure is not an answer to "why do you
    feel that way?" among everyone else's. Its words are kept as their message, with the alert, for the
    duty team; the question stays unanswered, and GO ON asks it again."""
    if run is None or run.status not in WAITING:
        return Disclosure(events=("disclosure",), keep_text=True)
    paused = pause(run)
    events = ("disclosure", "paused") if paused != run else ("disclosure",)
    return Disclosure(paused=paused, events=events, keep_text=True)


def follows_disclosure(situation: Situation) -> bool:
    """True while their alert is live and nothing has resumed since: no run waiting, or the one the
    disclosure paused, and onboarding (if under way) not carried on since (a new invitation, or a survey
    or onboarding they chose to carry on, is answered as usual)."""
    run, onboarding = situation.run, situation.onboarding
    if onboarding is not None and onboarding.carried_on:
        return False
    return disclosed(situation) and (run is None or run.status == "paused")


def _goes_on(situation: Situation, text: str, keyword: Keyword | None) -> bool:
    """True when, while their alert is live, they choose to carry on with the survey the disclosure paused:
    GO ON (the chat's button) or START; onboarding likewise, with GO ON (START in onboarding is answered as
    the opt-in it is, earlier). Not a YES, even the one the invitation or the welcome asked for: it came
    after the help reply's "Need help now?", and is taken as the answer to that (`decide`). A clear answer
    to one of onboarding's optional questions is not a choice to carry on either. Once the alert is closed,
    the paused invitation's YES starts the survey again (`conversation.chooses_to_carry_on`)."""
    if situation.run is not None:
        return situation.run.status == "paused" and wants_to_carry_on(text, keyword)
    return situation.onboarding is not None and wants_to_carry_on(text, keyword)


def _answers_paused(run: RunState | None, survey: Survey | None, text: str, keyword: Keyword | None) -> bool:
    """True when a message to a run paused after a disclosure reads as an answer to the question it paused at
    (a number, yes or no, a choice, or SKIP). At a free-text question, where any words would "answer" it, only
    SKIP or a bare number ("3", trial 5 F17): no answer to it, but plainly meant for the survey."""
    if run is None or survey is None or run.status != "paused" or run.current is None or not run.asked:
        return False
    question = survey.question(run.current)
    if keyword == "skip":
        return True
    if keyword is not None or acknowledges(text):
        return False  # "ok", "thanks", a thumbs up: "I read that", not an answer
    if question.kind == "text":
        return parse_scale(text, 0, 10, run.language) is not None
    return read_answer(question, text, run.language) is not None


def _answers_free_text(run: RunState | None, survey: Survey | None) -> bool:
    """True when a free-text question is waiting for an answer (any words answer it)."""
    if run is None or survey is None or run.status != "active" or run.current is None:
        return False
    return survey.question(run.current).kind == "text"


def _answers_question(run: RunState | None, survey: Survey | None, text: str) -> bool:
    """True when the text is an answer to the question waiting for it (a free-text question takes any words)."""
    if run is None or survey is None or run.status != "active" or run.current is None:
        return False
    question = survey.question(run.current)
    return question.kind == "text" or read_answer(question, text, run.language) is not None


@dataclass(frozen=True)
class Awaiting:
    """What the conversation's next message will answer: nothing, an onboarding step, an invitation (or one
    they said no to that a YES would still take up: "declined", with nothing to re-ask) or a survey question,
    with the prompt to re-ask it ("" when there is nothing to ask), and the language it is asked in (the chat's
    buttons are in it: `texts.button`). `talking`: a worker holds the conversation, so nothing is asked and
    the service says nothing to their messages (the chat says so under its box)."""

    kind: Literal["nothing", "onboarding", "invitation", "declined", "question", "paused"] = "nothing"
    prompt: str = ""
    onboarding_step: str | None = None
    question: Question | None = None
    survey: Survey | None = None
    language: str = "en"
    talking: bool = False


def awaiting(situation: Situation) -> Awaiting:
    """What the sender's next message will answer, in the order `decide` routes it (the prompt in
    the words for this person and channel)."""
    expected = replace(_awaiting(situation), language=situation.language)
    if not expected.prompt:
        return expected
    prompt = texts.for_person(expected.prompt, situation.channel, adult=situation.adult, language=situation.language)
    return replace(expected, prompt=prompt)


def _awaiting(situation: Situation) -> Awaiting:
    """`awaiting`, with the prompt in the fixed (SMS) words."""
    if situation.opted_out or situation.talking_to_person:
        # Talking with a person: no survey or consent prompt under their message.
        return Awaiting(talking=situation.talking_to_person)
    if follows_disclosure(situation):
        # Nothing is offered while the alert is live (no survey or onboarding buttons): HELP then is a plea.
        return Awaiting()
    if situation.onboarding is not None:
        step = situation.onboarding.step
        prompt = texts.naming_council(WELCOME, situation.council) if step == "consent" else PROMPTS.get(step, "")
        return Awaiting("onboarding", prompt, onboarding_step=step)
    run, survey = situation.run, situation.survey
    if run is not None and run.status == "paused":
        # Nothing is asked after a disclosure, and their alert is closed (above): the survey waits for them to
        # choose to carry on. Saying so (the chat's opening, a reopened chat) is the offer, with its button.
        return Awaiting("paused", texts.PAUSED_WAITING, survey=survey)
    if run is None or survey is None or run.status not in ("invited", "active"):
        if situation.declined_onboarding is not None and run is None:
            # They said no to the welcome: nothing is asked, but the chat offers the way back its reply promised.
            return Awaiting("onboarding", onboarding_step="declined")
        if may_change_mind(situation):
            # They said no to an invitation whose round is still open: nothing is asked, but a YES would start it.
            return Awaiting("declined", survey=situation.declined_survey)
        return Awaiting()
    prompt = resume_prompt(survey, run)
    if run.status == "invited":
        return Awaiting("invitation", prompt, survey=survey)
    return Awaiting("question", prompt, question=survey.question(run.current or ""), survey=survey)

"""One routing decision per inbound message, as a typed outcome: what the text is, decided once.

`decide` is pure: given what the service knows about the sender (a `Situation`, read in
one query by `voice_service.inbound`) and the text, it classifies the keyword once and
returns one `Outcome`. Keywords (STOP, START, HELP, SKIP), onboarding and survey state
transitions are all decided here or in the engine functions it calls; the inbound path
only stores what the outcome says. `awaiting` tells a channel what the next message will
answer (for the web chat's buttons), from the same facts and in the same order.

Order, fixed: STOP; START (opt back in, or the engine's own START inside a survey);
an opted-out SMS number (kept, no reply); a newcomer (consent-first onboarding);
onboarding in progress; the waiting survey run; otherwise a message texted in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from voice_service.engine import texts
from voice_service.engine.conversation import handle, resume_prompt
from voice_service.engine.keywords import Keyword, classify
from voice_service.engine.onboarding import (
    ASK_AGE,
    ASK_STATUS,
    WELCOME,
    OnboardingState,
    OnboardingStep,
    begin_onboarding,
    handle_onboarding,
)
from voice_service.engine.types import RunState, Step
from voice_service.surveys.model import Question, Survey


@dataclass(frozen=True)
class Situation:
    """What the routing decision needs to know about the sender, as plain data.

    `onboarding` is set only while onboarding is in progress; `run` is the newest run
    waiting for them (in an open round), with `survey` its pinned version.
    """

    channel: str
    council: str = "the council"
    opted_out: bool = False
    new_participant: bool = False
    onboarding: OnboardingState | None = None
    run: RunState | None = None
    survey: Survey | None = None
    recently_closed: bool = False


@dataclass(frozen=True, kw_only=True)
class Outcome:
    """What one message is and what to say back. `keep_text`: store the text as a text-in."""

    replies: tuple[str, ...] = ()
    events: tuple[str, ...] = ()
    keep_text: bool = False


@dataclass(frozen=True, kw_only=True)
class OptedOut(Outcome):
    """STOP (or another opt-out word): record the opt-out and stop every waiting run."""

    already: bool = False


@dataclass(frozen=True, kw_only=True)
class OptedIn(Outcome):
    """START outside a survey: remove the opt-out, welcome them back."""


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
    """The waiting run moved on (or not): its new state, and the answer to store if there is one."""

    step: Step


@dataclass(frozen=True, kw_only=True)
class TextIn(Outcome):
    """A message outside any question: kept and analysed, answered with thanks, HELP, or nothing."""


def pending_onboarding(onboarding: dict | None) -> OnboardingState | None:
    """A participant's stored onboarding state, if onboarding is still in progress (not done or declined)."""
    if onboarding is None or onboarding.get("step") in ("done", "declined"):
        return None
    return OnboardingState.from_dict(onboarding)


def decide(situation: Situation, text: str, *, risk: bool = False) -> Outcome:
    """The one routing decision for an inbound text (already screened: `risk` is the screen's verdict)."""
    keyword: Keyword | None = classify(text)
    run, survey = situation.run, situation.survey
    if keyword == "stop":
        replies = () if situation.opted_out else (texts.STOP_CONFIRMED,)
        return OptedOut(replies=replies, events=("opted_out",), already=situation.opted_out)
    if keyword == "start" and (situation.opted_out or run is None or situation.onboarding is not None):
        return OptedIn(replies=(texts.START_WELCOME_BACK,), events=("opted_in",))
    if situation.opted_out and situation.channel == "sms":
        # Still kept (and screened), but no more texts to someone who said STOP. In the web chat
        # they are talking to us on purpose, so the chat goes on.
        return TextIn(events=("opted_out_text",), keep_text=True)
    if situation.new_participant:
        state, welcome = begin_onboarding(council=situation.council)
        return OnboardingBegun(state=state, replies=(welcome,), events=("onboarding",), keep_text=True)
    if situation.onboarding is not None:
        onboarding = handle_onboarding(situation.onboarding, text, keyword=keyword)
        events = ("declined", "onboarding") if onboarding.declined else ("onboarding",)
        # Not an answer to the onboarding question: keep it, it may matter.
        keep = onboarding.state == situation.onboarding and keyword is None
        return Onboarded(step=onboarding, replies=onboarding.replies, events=events, keep_text=keep)
    if run is not None and survey is not None:
        step = handle(survey, run, text, keyword=keyword)
        return SurveyStep(step=step, replies=step.replies, events=step.events, keep_text=step.keep_text)
    if keyword == "help":
        return TextIn(replies=(texts.HELP,), events=("text_in",), keep_text=True)
    if risk:
        return TextIn(events=("text_in",), keep_text=True)  # after the help reply, a thank-you is one text too many
    reply = texts.CLOSED if situation.recently_closed else texts.TEXT_IN_THANKS
    return TextIn(replies=(reply,), events=("text_in",), keep_text=True)


@dataclass(frozen=True)
class Awaiting:
    """What the conversation's next message will answer: nothing, an onboarding step, an invitation
    or a survey question, with the prompt to re-ask it ("" when there is nothing to ask)."""

    kind: Literal["nothing", "onboarding", "invitation", "question"] = "nothing"
    prompt: str = ""
    onboarding_step: str | None = None
    question: Question | None = None
    survey: Survey | None = None


ONBOARDING_PROMPTS = {"status": ASK_STATUS, "age": ASK_AGE}


def awaiting(situation: Situation) -> Awaiting:
    """What the sender's next message will answer, in the order `decide` routes it."""
    if situation.opted_out:
        return Awaiting()
    if situation.onboarding is not None:
        step = situation.onboarding.step
        prompt = WELCOME.format(council=situation.council) if step == "consent" else ONBOARDING_PROMPTS.get(step, "")
        return Awaiting("onboarding", prompt, onboarding_step=step)
    run, survey = situation.run, situation.survey
    if run is None or survey is None or run.status not in ("invited", "active"):
        return Awaiting()
    prompt = resume_prompt(survey, run)
    if run.status == "invited":
        return Awaiting("invitation", prompt, survey=survey)
    return Awaiting("question", prompt, question=survey.question(run.current or ""), survey=survey)

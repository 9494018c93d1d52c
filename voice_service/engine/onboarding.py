"""Consent-first onboarding for a number (or anonymous web chat) the service has never seen.

Before any survey, a young person is told who we are and what happens to their
words, and says YES. Then two optional questions (in care or care leaver, and an
age band) let surveys reach the right people; both can be skipped.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from typing import Literal

from voice_service.engine import texts
from voice_service.engine.answers import numbers_in, parse_choice, parse_yes_no, says_yes
from voice_service.engine.conversation import changes_mind
from voice_service.engine.keywords import Keyword, asks_how_we_got_their_number, asks_who_we_are, classify, normalise
from voice_service.participants.groups import AGE_BAND_RANGES, AGE_BANDS, ParticipantStatus

OnboardingStepName = Literal["consent", "status", "age", "done", "declined"]

STATUS_CHOICES = ("In care", "Care leaver", "Rather not say")
STATUS_VALUES = {
    "In care": ParticipantStatus.IN_CARE,
    "Care leaver": ParticipantStatus.CARE_LEAVER,
    "Rather not say": None,
}

# The wording lives with every other fixed text (and its web chat variant) in engine/texts.py.
WELCOME = texts.WELCOME
CONSENT_REASK = texts.CONSENT_REASK
CONSENT_HELLO = texts.CONSENT_HELLO
ASK_STATUS = texts.ASK_STATUS
ASK_AGE = texts.ASK_AGE
STATUS_REASK = texts.STATUS_REASK
AGE_REASK = texts.AGE_REASK
DONE = texts.ONBOARDING_DONE
DECLINED = texts.ONBOARDING_DECLINED

# What each optional question asks (re-sent to someone carrying on after a disclosure, and the web chat's prompt).
PROMPTS = {"status": ASK_STATUS, "age": ASK_AGE}

# "who is this?" at each optional question: who is asking, then that question again (`texts`).
WHO_ASKING = {"status": texts.WHO_WE_ARE_ASKING_STATUS, "age": texts.WHO_WE_ARE_ASKING_AGE}

# The onboarding's fixed texts, for tests that check each one fits an SMS.
TEXTS = {
    "CONSENT_REASK": CONSENT_REASK,
    "CONSENT_HELLO": CONSENT_HELLO,
    "ASK_STATUS": ASK_STATUS,
    "ASK_AGE": ASK_AGE,
    "STATUS_REASK": STATUS_REASK,
    "AGE_REASK": AGE_REASK,
    "DONE": DONE,
    "DECLINED": DECLINED,
}

# A hello, in the ways young people write one: answered with a hello, not "Sorry, we didn't catch that".
GREETINGS = frozenset(
    {"hi", "hii", "hiya", "hey", "heya", "hello", "helo", "hallo", "yo", "sup", "wassup", "alright", "hi there"}
)

# Words young people use for their situation that the numbered choices don't contain.
IN_CARE_WORDS = ("foster", "fostered", "children's home", "childrens home", "residential", "kinship", "looked after")
LEAVER_WORDS = ("left care", "leaver", "leaving care", "care leaver", "moved out", "own flat", "pa")


@dataclass(frozen=True)
class OnboardingState:
    """Where a newcomer is in onboarding, and what they have told us so far.

    `carried_on` is true once, after a disclosure, they chose to carry on (GO ON; a YES then answers the
    help reply's "Need help now?", `routing.decide`; START in onboarding is the opt-in it always is):
    until then, while their alert is live, onboarding waits like a paused survey. A further disclosure
    sets it back (`paused`).

    `stopped` marks a "declined" step reached by STOP, not by "No thanks": only START, the opt-in, undoes that,
    never a YES (`routing.declined_onboarding`); `stopped_at` is the step STOP ended (None for onboarding stopped
    before it was recorded), where START carries it on (`resume`)."""

    step: OnboardingStepName = "consent"
    status: str | None = None
    age_band: str | None = None
    reasked: bool = False
    carried_on: bool = False
    stopped: bool = False
    stopped_at: OnboardingStepName | None = None

    def to_dict(self) -> dict:
        """A JSON-able dict for the database."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> OnboardingState:
        """Rebuild a state saved with `to_dict`."""
        return cls(**data)


@dataclass(frozen=True)
class OnboardingStep:
    """What onboarding decided for one inbound text; `profile` is set once onboarding is done."""

    state: OnboardingState
    replies: tuple[str, ...] = ()
    profile: dict | None = None
    declined: bool = False
    opted_out: bool = False  # STOP: the caller must record the opt-out, not just the decline


def begin_onboarding(council: str = "the council", text: str = "") -> tuple[OnboardingState, str]:
    """The first message to a newcomer: who we are, what happens to their words, reply YES; to a first `text`
    asking how we got their number, the truth (they texted us) with the same; to a first HELP ("HELP!", "?",
    "info"), the same with the help lines, 999 and how to reach a person (`texts.HELP_FIRST`, trial 12). Either
    way the welcome waits for YES."""
    if classify(text) == "help":
        welcome = texts.HELP_FIRST
    elif asks_how_we_got_their_number(text):
        welcome = texts.NUMBER_FROM_THEM
    else:
        welcome = WELCOME
    return OnboardingState(), texts.naming_council(welcome, council)


def _read_status(text: str) -> tuple[bool, str | None]:
    """(understood, status id) from "1", "care leaver", "I'm fostered"...; status None = rather not say."""
    choice = parse_choice(text, STATUS_CHOICES)
    if choice is not None:
        return True, STATUS_VALUES[choice]
    lowered = f" {normalise(text)} "
    in_care = any(f" {w}" in lowered for w in IN_CARE_WORDS)
    leaver = any(f" {w} " in lowered for w in LEAVER_WORDS)
    if in_care != leaver:
        return True, ParticipantStatus.IN_CARE if in_care else ParticipantStatus.CARE_LEAVER
    return False, None


def _read_age_band(text: str) -> str | None:
    """An age band from its option number ("2"), the band ("16-17") or an age ("I'm 19")."""
    choice = parse_choice(text, AGE_BANDS)
    if choice is not None:
        return choice
    numbers = set(numbers_in(text.lower()))
    if len(numbers) != 1:
        return None
    age = numbers.pop()
    for band, (low, high) in AGE_BAND_RANGES.items():
        if low <= age <= high:
            return band
    return None


def consents(state: OnboardingState, text: str, keyword: Keyword | None) -> bool:
    """True when the text is a clear YES (not "ok", or START) to the welcome waiting for one."""
    return state.step == "consent" and (keyword == "start" or (keyword is None and says_yes(text)))


def answers_onboarding(state: OnboardingState, text: str, keyword: Keyword | None) -> bool:
    """True when the text reads as an answer to the optional question onboarding waits at ("1", "care leaver",
    "I'm 15", SKIP): after a disclosure it is no choice to carry on, but plainly meant for those questions."""
    if keyword == "skip":
        return state.step in ("status", "age")
    if keyword is not None:
        return False
    if state.step == "status":
        return _read_status(text)[0]
    return state.step == "age" and _read_age_band(text) is not None


def stop(state: OnboardingState) -> OnboardingState:
    """Onboarding ended by STOP: declined, remembering the step it was at so START can carry it on (`resume`)."""
    at = state.step if state.step in ("consent", "status", "age") else None
    return replace(state, step="declined", reasked=False, stopped=True, stopped_at=at)


def resume(state: OnboardingState, *, council: str) -> OnboardingStep:
    """START after a STOP during onboarding (trial 9, T9-14): it carries on at the step STOP ended, so no question
    is left unasked. At a question they are welcomed back and asked it again; at the welcome (or when the step was
    not recorded) the welcome comes again, since START opts them back in but is no answer to its privacy line."""
    step: OnboardingStepName = state.stopped_at if state.stopped_at in ("status", "age") else "consent"
    resumed = replace(state, step=step, reasked=False, stopped=False, stopped_at=None)
    asked = {"status": texts.WELCOME_BACK_STATUS, "age": texts.WELCOME_BACK_AGE}
    return OnboardingStep(resumed, (asked.get(step) or texts.naming_council(WELCOME, council),))


def paused(state: OnboardingState) -> OnboardingState:
    """Onboarding after a disclosure: nothing more is asked until they choose to carry on."""
    return replace(state, carried_on=False, reasked=False)


def carry_on(state: OnboardingState, text: str, keyword: Keyword | None, *, council: str) -> OnboardingStep:
    """After a disclosure, they chose to carry on (GO ON, `routing._goes_on`): at the welcome, GO ON is its
    yes, and the first question comes; at a question, it is asked again. Either way onboarding no longer
    waits for them."""
    carried = replace(state, carried_on=True, reasked=False)
    if consents(state, text, keyword):
        return handle_onboarding(carried, text, keyword=keyword, council=council)
    prompt = texts.naming_council(WELCOME, council) if state.step == "consent" else PROMPTS.get(state.step, "")
    return OnboardingStep(carried, (prompt,))


def _finish(state: OnboardingState) -> OnboardingStep:
    """Onboarding complete: hand back the profile."""
    done = replace(state, step="done", reasked=False)
    return OnboardingStep(done, (DONE,), profile={"status": done.status, "age_band": done.age_band})


def handle_onboarding(
    state: OnboardingState, text: str, *, keyword: Keyword | None | str = "unset", council: str = "the council"
) -> OnboardingStep:
    """Handle one inbound text during onboarding (`keyword`: the text's keyword, if already classified)."""
    if keyword == "unset":
        keyword = classify(text)
    if keyword == "stop":
        return OnboardingStep(stop(state), (texts.STOP_CONFIRMED,), declined=True, opted_out=True)
    if keyword == "help":
        # At the welcome no question has been asked: who we are, how to go on, stop or reach a person.
        reply = texts.naming_council(texts.HELP_WELCOME, council) if state.step == "consent" else texts.HELP
        return OnboardingStep(state, (reply,))
    if state.step == "done":
        return OnboardingStep(state)

    if state.step in ("consent", "declined"):
        # After "No thanks", whatever changes a mind ("I've changed my mind", the chat's button) is a yes too.
        changed_mind = state.step == "declined" and changes_mind(text, classify(text))
        agreed = True if keyword == "start" or changed_mind else parse_yes_no(text)
        if agreed:
            return OnboardingStep(OnboardingState(step="status", carried_on=state.carried_on), (ASK_STATUS,))
        if state.step == "declined":
            return OnboardingStep(state)  # they said no; only a YES reopens the conversation
        if agreed is False:
            return OnboardingStep(replace(state, step="declined", reasked=False), (DECLINED,), declined=True)
        if state.step == "consent" and asks_who_we_are(text):
            # "who is this?", "wat is this": the plain answer an invitation gets, never "Sorry, I didn't catch
            # that"; "how did u get my number": they texted us. The welcome still waits for YES.
            answer = texts.NUMBER_FROM_THEM if asks_how_we_got_their_number(text) else texts.WHO_WE_ARE_WELCOME
            return OnboardingStep(replace(state, reasked=False), (texts.naming_council(answer, council),))
        if normalise(text).rstrip("!") in GREETINGS:
            return OnboardingStep(state, (CONSENT_HELLO,))
        return OnboardingStep(replace(state, reasked=True), (CONSENT_REASK,))

    if keyword is None and asks_who_we_are(text):
        # "who is this?" at a question (as at the welcome, and mid-survey: `conversation._handle_active`) is no
        # answer and no failure to understand: who is asking, then the question again, which still waits. The
        # state is unchanged, so the text is kept for a worker to see (`routing.decide`).
        return OnboardingStep(state, (texts.naming_council(WHO_ASKING[state.step], council),))

    if state.step == "status":
        understood, status = (True, None) if keyword == "skip" else _read_status(text)
        if understood or state.reasked:
            # Not understood twice: move on without it; it's optional, and nagging loses people.
            return OnboardingStep(replace(state, step="age", status=status, reasked=False), (ASK_AGE,))
        return OnboardingStep(replace(state, reasked=True), (STATUS_REASK,))

    band = None if keyword == "skip" else _read_age_band(text)
    if band is not None or keyword == "skip" or state.reasked:
        return _finish(replace(state, age_band=band))
    return OnboardingStep(replace(state, reasked=True), (AGE_REASK,))

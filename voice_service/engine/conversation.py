"""The conversation engine: given a survey, a run's state and one inbound text, decide what happens.

Pure functions over plain data: no database, no Flask, no twilio. Both the SMS
webhook and the web chat call `begin` and `handle` and store what comes back.
A Step normally carries exactly one reply, so a young person never gets a burst
of texts (and is never charged for more than they need); HELP at a question carries the question again
too, which goes in the help's own message: by text always, on a line of its own (`texts.replies_for_person`).
"""

from __future__ import annotations

from voice_service.engine import texts
from voice_service.engine.answers import (
    choose_branch,
    only_a_number,
    parse_choice,
    parse_scale,
    parse_yes_no,
    parse_yes_no_answer,
    says_yes,
    tells_us_more,
)
from voice_service.engine.keywords import Keyword, asks_who_we_are, classify, normalise
from voice_service.engine.types import Answer, RunState, Step
from voice_service.surveys.model import END, Question, Survey

FALLBACK_NAME = "there"
FALLBACK_COUNCIL = "the council"  # as `[app] council_name` reads when not set
RUNNING = ("invited", "active")
WAITING = ("invited", "active", "paused")  # a run that has not ended
_UNSET: Keyword | None | str = "unset"


def question_text(question: Question, language: str = "en") -> str:
    """The question's text in the run's language, or English when there is no translation."""
    return question.translations.get(language, question.text)


def intro_text(survey: Survey, first_name: str | None, council: str = FALLBACK_COUNCIL, language: str = "en") -> str:
    """The survey's intro (in the run's language where the file has it, `intro_cy`) with the young person's first
    name and the council's name (`[app] council_name`) filled in: the one place an invitation's placeholders are
    filled, for a text, the web chat and the preview."""
    name = (first_name or "").strip() or FALLBACK_NAME
    intro = survey.intro_translations.get(language, survey.intro)
    # str.replace, not format(): the loader allows only {first_name} and {council}, and a name with braces must
    # not break it (the council first, so a first name reading "{council}" is sent as it is).
    council = texts.council_words(council.strip()) or FALLBACK_COUNCIL
    return intro.replace("{council}", council).replace("{first_name}", name)


def outro_text(survey: Survey, language: str = "en") -> str:
    """The survey's closing message in the run's language (`outro_cy`), or English when the file has none."""
    return survey.outro_translations.get(language, survey.outro)


def begin(survey: Survey, *, first_name: str | None, language: str = "en", council: str = FALLBACK_COUNCIL) -> Step:
    """Start a run: the invitation (intro, naming the council, in their language) and a state waiting for YES."""
    state = RunState(survey_id=survey.id, survey_version=survey.version, status="invited", language=language)
    return Step(state=state, replies=(intro_text(survey, first_name, council, language),), events=("invited",))


def _check_pinned(survey: Survey, state: RunState) -> None:
    """Refuse to mix versions (a caller's mistake): question ids and branches may differ between them."""
    if survey.id != state.survey_id or survey.version != state.survey_version:
        raise ValueError(
            f"this run is pinned to {state.survey_id!r} version {state.survey_version}, "
            f"not {survey.id!r} version {survey.version}"
        )


def _ask(survey: Survey, state: RunState, question_id: str, events: tuple[str, ...], answer: Answer | None) -> Step:
    """Move to a question (or to the end) and send it."""
    if question_id == END:
        done = state.but(status="finished", current=None, reasked=False)
        return Step(
            state=done, replies=(outro_text(survey, state.language),), answer=answer, events=events + ("finished",)
        )
    question = survey.question(question_id)
    moved = state.but(status="active", current=question_id, reasked=False)
    return Step(state=moved, replies=(question_text(question, state.language),), answer=answer, events=events)


def _move_on(survey: Survey, state: RunState, question: Question, answer: Answer, events: tuple[str, ...] = ()) -> Step:
    """Store the answer and go to the branch target, else the next question in file order."""
    # A skipped or unreadable answer has value None: only a `when = "any"` branch matches it.
    target = choose_branch(question, answer.value) or survey.next_after(question.id)
    return _ask(survey, state, target, events, answer)


def current_question(survey: Survey, state: RunState) -> Question:
    """The question a run is waiting on; a caller's mistake if it is waiting on none."""
    if state.current is None:
        raise ValueError(f"this {state.status} run is not waiting on a question")
    return survey.question(state.current)


def read_answer(question: Question, text: str, language: str = "en") -> int | bool | str | None:
    """The answer's value for this kind of question, or None if it can't be read (`language`: the run's, for a
    yes or no, a number or a choice in Welsh: the question's own Welsh choices, `choices_cy`, read as its choices)."""
    if question.kind == "scale":
        if question.min is None or question.max is None:  # the loader refuses such a survey
            raise ValueError(f"scale question {question.id!r} has no min and max")
        return parse_scale(text, question.min, question.max, language)
    if question.kind == "yes_no":
        return parse_yes_no_answer(text, language)  # "ok" to a question is asked again: "ok" to what?
    if question.kind == "choice":
        return parse_choice(text, question.choices, language, question.choice_translations.get(language, ()))
    return text.strip() or None


def _handle_invited(survey: Survey, state: RunState, text: str, keyword: Keyword | None) -> Step:
    """Waiting for YES: start, decline, or nudge once."""
    # "START" in reply to "reply YES to start" means yes; "pass"/"skip" means no thanks.
    agreed = True if keyword == "start" else False if keyword == "skip" else parse_yes_no(text, state.language)
    if agreed and state.current is not None:
        # Offered again after they opted back in (`reopen`): carry on at the question they were on.
        return _ask(survey, state, state.current, ("resumed",), None)
    if agreed:
        return _ask(survey, state, survey.questions[0].id, ("started",), None)
    if agreed is False:
        done = state.but(status="finished", current=None, reasked=False)
        return Step(state=done, replies=(texts.DECLINED,), events=("declined",))
    # Neither yes nor no: keep what they said as a text-in (it may matter), unless it was a keyword.
    keep = bool(text.strip()) and keyword is None
    if not state.reasked:
        return Step(state=state.but(reasked=True), replies=(texts.INVITE_NUDGE,), events=("nudged",), keep_text=keep)
    # After one nudge, treat it as a message in its own right.
    return Step(state=state, replies=(texts.TEXT_IN_THANKS,), events=("text_in",), keep_text=keep)


def _handle_active(survey: Survey, state: RunState, text: str, keyword: Keyword | None, council: str) -> Step:
    """A question is waiting: keywords first, then the answer."""
    question = current_question(survey, state)
    if wants_to_carry_on(text, keyword) and (
        question.kind == "text" or read_answer(question, text, state.language) is None
    ):
        # START or GO ON (unless it reads as the answer, as "go on" does to a yes/no question): they are
        # already opted in and under way; the likeliest meaning is "where was I?", not a wrong answer.
        return Step(state=state, replies=(resume_prompt(survey, state),), events=("resumed",))
    if keyword == "skip":
        if not question.optional:
            return Step(state=state, replies=(texts.CANT_SKIP,), events=("cant_skip",))
        answer = Answer(question.id, question.kind, raw=text, value=None, skipped=True)
        return _move_on(survey, state, question, answer, ("skipped",))
    if keyword is None and asks_who_we_are(text):
        # "who is this?" mid-survey is no answer (not even to a free-text question) and no failure to understand:
        # who is asking, then the question again, which still waits. Kept for a worker to see, as at an invitation.
        asking = texts.in_language(texts.WHO_WE_ARE_ASKING, state.language)
        reply = asking.format(council=texts.council_words(council)) + question_text(question, state.language)
        return Step(state=state, replies=(reply,), events=("who_we_are",), keep_text=True)
    value = read_answer(question, text, state.language)
    if value is not None:
        return _move_on(survey, state, question, Answer(question.id, question.kind, raw=text, value=value))
    if not text.strip() or (question.kind in ("scale", "choice") and only_a_number(text)):
        # Nothing to read (a picture message without words, a blank text), or only a number outside the scale or
        # the choices ("7" to 1 to 5, "-1"; trial 9, T9-B: a second one was kept as the answer, "7" with no
        # value): never an answer, and no words to keep, so ask again kindly however often it happens, rather
        # than store it and move on. The re-ask says which numbers answer (and SKIP where it works).
        return Step(state=state.but(reasked=True), replies=(texts.reask(question),), events=("reasked",))
    if not state.reasked and (question.kind == "scale" or not tells_us_more(text)):
        return Step(state=state.but(reasked=True), replies=(texts.reask(question),), events=("reasked",))
    # One re-ask is enough, and at a yes-or-no or choice question none for a reply that tells us something in their
    # own words (`tells_us_more`): keep their words rather than pester them. A scale's number is asked for once
    # ("ive moved 3 times this year so not very safe tbh" then "prob 2"), as a chart of it needs the number.
    answer = Answer(question.id, question.kind, raw=text, value=None, free_text=True)
    return _move_on(survey, state, question, answer, ("free_text",))


def handle(
    survey: Survey,
    state: RunState,
    text: str,
    *,
    keyword: Keyword | None | str = _UNSET,
    council: str = "the council",
) -> Step:
    """Handle one inbound text for a run; `survey` must be the version the run is pinned to.

    `keyword` is the text's keyword when the caller has already classified it (once per message);
    `council` is who is texting, for the HELP that comes before YES and "who is this?" (at an invitation or a
    question).
    """
    _check_pinned(survey, state)
    said: Keyword | None = classify(text) if keyword == _UNSET else keyword  # type: ignore[assignment]
    if state.status == "paused":
        return _handle_paused(survey, state, text, said, council)
    if state.status not in RUNNING:
        # Finished or stopped runs are the caller's business (a text-in, or START to opt back in).
        replies = (texts.CLOSED,) if state.status == "closed" else ()
        return Step(state=state, replies=replies, events=("not_running",))
    if said == "stop":
        return Step(state=stop(state), replies=(texts.STOP_CONFIRMED,), events=("opted_out",))
    if said == "help" and state.status == "invited":
        # Before YES there is no question to reply to: who we are, how to start, stop or reach a person,
        # and the invitation stays open.
        return Step(state=state, replies=(texts.naming_council(texts.HELP_INVITED, council),), events=("help",))
    if said == "help":
        # At a question: how to answer, skip or stop and where help is, then the question again, which still waits
        # (trial 13, T13-9: without it they did not know what to answer next). By text in one message, the question
        # on a line of its own; in the chat in one where the two fit one SMS segment, else two
        # (`texts.replies_for_person`).
        asked = question_text(current_question(survey, state), state.language)
        return Step(state=state, replies=(texts.HELP, texts.question_was(asked)), events=("help",))
    if state.status == "invited" and said is None and asks_who_we_are(text):
        # "who is this?" / "how did u get my number": told plainly, kept for a worker to see, and the
        # invitation stays open (not a nudge: they have not been asked anything they did not understand).
        reply = texts.naming_council(texts.WHO_WE_ARE_INVITED, council)  # with how to start
        return Step(state=state, replies=(reply,), events=("who_we_are",), keep_text=True)
    if state.status == "invited":
        return _handle_invited(survey, state, text, said)
    return _handle_active(survey, state, text, said, council)


def stop(state: RunState) -> RunState:
    """Stop a run because its participant opted out; runs that have ended stay as they are.

    The question they were on is kept, and what the run was doing (`stopped_from`), so that opting
    back in can offer it again from there (`can_reopen`)."""
    if state.status in WAITING:
        return state.but(status="stopped", reasked=False, stopped_from=state.status)
    return state


def can_reopen(state: RunState) -> bool:
    """True for a run their own STOP ended at the invitation or mid-survey: opting back in may offer it again.

    Never a run that was paused after a disclosure (nothing is asked then until they choose to carry on,
    and a welcome back is no such choice), nor one stopped before `stopped_from` was recorded (we cannot
    tell which it was)."""
    return state.status == "stopped" and state.stopped_from in RUNNING


def reopen(state: RunState) -> RunState:
    """A stopped run offered again after they opted back in: waiting for YES, then carrying on where it was."""
    if not can_reopen(state):
        raise ValueError(f"a run stopped from {state.stopped_from!r} cannot be offered again")
    return state.but(status="invited", reasked=False, asked=True, stopped_from=None)


def change_mind(survey: Survey, state: RunState) -> Step:
    """They said no to the invitation, then YES (or START) while its round is still open: a change of mind, so the
    survey starts, as a YES to the invitation would have started it. The declined run is a finished run that never
    started (`inbound.situation.load_last_run` reads it only while its round is open)."""
    _check_pinned(survey, state)
    if state.status != "finished":
        raise ValueError(f"only a declined run can be taken up again, not a {state.status} one")
    invited = state.but(status="invited", current=None, reasked=False, asked=True, stopped_from=None)
    return _ask(survey, invited, survey.questions[0].id, ("changed_mind", "started"), None)


def changes_mind(text: str, keyword: Keyword | None, language: str = "en") -> bool:
    """True for a clear YES or START, "ok go on then" or "I've changed my mind" (`texts.CHANGED_MIND_WORDS`): what
    takes up an invitation they said no to (`language`: theirs, so a Welsh YES, the chat's "Ie, dechrau", counts).
    A bare "ok" or "thanks" after the decline's reply is no such choice (`says_yes`)."""
    if keyword == "start" or (keyword is None and normalise(text) in texts.CHANGED_MIND_WORDS):
        return True
    if keyword is not None:
        return False
    # A yes said grudgingly is still one: "ok fine yes", "fine yes", "alright yes" (a trial's "ok fine yes" was
    # thanked as a message); "fine", "ok then" and "alright" alone only say they read the reply.
    willing = " ".join(word for word in normalise(text).replace(",", " ").split() if word not in _GRUDGING) or text
    if parse_yes_no(willing, language) is not True:
        return False
    return says_yes(willing, language) or "go on" in normalise(text)


_GRUDGING = frozenset({"fine", "alright", "alrite", "then", "ok", "okay", "oh", "well"})


def close(state: RunState) -> RunState:
    """Close a run whose round has ended; finished and stopped runs stay as they are."""
    if state.status in WAITING:
        return state.but(status="closed", current=None, reasked=False)
    return state


def pause(state: RunState) -> RunState:
    """Pause a run after a disclosure: the question they were on is kept (the disclosure is never its answer:
    `routing._disclosure`), nothing more is asked until they choose to carry on."""
    if state.status in RUNNING:
        return state.but(status="paused", reasked=False)
    return state


def resumed(state: RunState) -> RunState:
    """A paused run carrying on where it was: at its question, or waiting for YES if it had not started."""
    return state.but(status="active" if state.current else "invited", reasked=False, asked=True)


def wants_to_carry_on(text: str, keyword: Keyword | None) -> bool:
    """True when someone says to carry on with the survey ("GO ON", "carry on", the chat's "Carry on with the
    survey", START)."""
    return keyword == "start" or normalise(text) in texts.GO_ON_WORDS


def chooses_to_carry_on(state: RunState, text: str, keyword: Keyword | None) -> bool:
    """True when the participant of a run paused after a disclosure chooses to carry on: GO ON (or the chat's
    "Carry on with the survey" button, read as it), START, or, paused at the invitation, the YES it asked for.

    Nothing else resumes it: not even an answer to the question they were on, because a bare "3" a moment
    after saying they are being hurt is no choice to go back to the questions.
    """
    if state.status != "paused":
        return False
    if wants_to_carry_on(text, keyword):
        return True
    return state.current is None and state.asked and keyword is None and says_yes(text)


def _handle_paused(survey: Survey, state: RunState, text: str, keyword: Keyword | None, council: str) -> Step:
    """After a disclosure: carry on only if they choose to (`chooses_to_carry_on`); at the invitation,
    GO ON or YES starts the survey."""
    if keyword == "stop":
        return Step(state=stop(state), replies=(texts.STOP_CONFIRMED,), events=("opted_out",))
    if keyword == "help":
        # No question is waiting: say how to carry on, not "reply to the question". That is the offer
        # to carry on made, so the chat shows its button. Only once their alert is closed: while it is
        # live, HELP is a plea (`routing.decide`) and never reaches here.
        reply = texts.naming_council(texts.HELP_PAUSED, council)  # who is texting, as HELP at an invitation
        return Step(state=state.but(reasked=True), replies=(reply,), events=("help",))
    if chooses_to_carry_on(state, text, keyword):
        carried = resumed(state)
        if carried.status == "invited":
            # GO ON (or YES) at the invitation means "start": ask the first question, not "reply YES" again.
            return _ask(survey, carried, survey.questions[0].id, ("resumed", "started"), None)
        return Step(state=carried, replies=(resume_prompt(survey, carried),), events=("resumed",))
    keep = bool(text.strip()) and keyword is None
    if not state.reasked:
        offered = state.but(reasked=True)
        return Step(state=offered, replies=(texts.PAUSED_OFFER,), events=("paused_text",), keep_text=keep)
    # After the one offer, thanks with a few words on how to carry on: the way back is never lost, and never pushed.
    return Step(state=state, replies=(texts.PAUSED_THANKS,), events=("paused_text",), keep_text=keep)


def resume_prompt(survey: Survey, state: RunState) -> str:
    """What to send someone coming back to a run (days later, or a reloaded web chat); "" if nothing."""
    _check_pinned(survey, state)
    if state.status == "active":
        return question_text(current_question(survey, state), state.language)
    if state.status == "invited":
        return texts.INVITE_NUDGE
    if state.status == "closed":
        return texts.CLOSED
    # Paused (nothing is asked until they choose), finished or stopped: nothing to pick up, and
    # nothing may be sent after STOP.
    return ""

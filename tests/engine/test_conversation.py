"""Whole survey walks through the pure conversation engine."""

import json
from pathlib import Path

import pytest

from voice_service.engine import texts
from voice_service.engine.conversation import begin, close, handle, pause, resume_prompt
from voice_service.engine.types import RunState
from voice_service.surveys.loader import load_survey, parse_survey

SURVEYS = Path(__file__).resolve().parents[2] / "conversations" / "surveys"

SMALL = b"""
id = "small"
title = "Small"
intro = "Hi {first_name}! Reply YES to start, or STOP to opt out."
outro = "Thanks, all done."

[[questions]]
id = "safe"
kind = "scale"
text = "How safe do you feel? 1 to 5"
min = 1
max = 5
optional = true
text_cy = "Pa mor ddiogel? 1 i 5"

  [[questions.branch]]
  when = "<= 2"
  goto = "safe_why"

  [[questions.branch]]
  when = "any"
  goto = "worker"

[[questions]]
id = "safe_why"
kind = "text"
text = "What would help?"
optional = true

[[questions]]
id = "worker"
kind = "yes_no"
text = "Do you see your social worker enough?"

  [[questions.branch]]
  when = "no"
  goto = "end"

[[questions]]
id = "listened"
kind = "choice"
text = "Listened to? 1 Always 2 Sometimes 3 Never"
choices = ["Always", "Sometimes", "Never"]
optional = true
"""


@pytest.fixture
def survey():
    return parse_survey(SMALL, "small.toml")


def walk(survey, state, *texts):
    """Send texts one after another, returning every step."""
    steps = []
    for text in texts:
        step = handle(survey, state, text)
        steps.append(step)
        state = step.state
    return steps


def test_begin_sends_intro_with_name(survey):
    step = begin(survey, first_name="Jade")
    assert step.replies == ("Hi Jade! Reply YES to start, or STOP to opt out.",)
    assert step.state.status == "invited"
    assert step.state.survey_version == survey.version
    assert step.answer is None


@pytest.mark.parametrize("name", [None, "", "   "])
def test_begin_falls_back_to_there(survey, name):
    assert begin(survey, first_name=name).replies[0].startswith("Hi there!")


def test_whole_walk_high_scores_skips_the_follow_up(survey):
    state = begin(survey, first_name="Sam").state
    start, safe, worker, listened = walk(survey, state, "yeah", "4", "yep", "2")
    assert start.events == ("started",) and start.state.status == "active"
    assert start.replies == ("How safe do you feel? 1 to 5",)
    assert safe.answer.value == 4 and safe.answer.question_id == "safe"
    assert safe.replies == ("Do you see your social worker enough?",)
    assert worker.answer.value is True
    assert listened.answer.value == "Sometimes"
    assert listened.state.status == "finished" and listened.state.current is None
    assert listened.replies == ("Thanks, all done.",)
    assert listened.events == ("finished",)


def test_low_score_branches_to_what_would_help(survey):
    state = begin(survey, first_name="Sam").state
    _, safe, why = walk(survey, state, "yes", "😢", "my carer shouts at me")
    assert safe.answer.value == 1
    assert safe.replies == ("What would help?",)
    assert why.answer.value == "my carer shouts at me"
    assert why.replies == ("Do you see your social worker enough?",)
    # exactly one reply each step, never two questions at once
    assert all(len(step.replies) == 1 for step in (safe, why))


def test_branch_to_end_finishes_early(survey):
    state = begin(survey, first_name="Sam").state
    steps = walk(survey, state, "yes", "5", "nah")
    assert steps[-1].state.status == "finished"
    assert steps[-1].answer.value is False
    assert steps[-1].replies == ("Thanks, all done.",)


def test_skip_optional_question_stores_skipped_and_follows_any(survey):
    state = begin(survey, first_name="Sam").state
    _, skipped = walk(survey, state, "yes", "skip")
    assert skipped.answer.skipped and skipped.answer.value is None
    # the "any" branch skips the low-score follow-up for someone who skipped
    assert skipped.state.current == "worker"
    assert "skipped" in skipped.events


def test_cannot_skip_a_required_question(survey):
    state = begin(survey, first_name="Sam").state
    *_, refused = walk(survey, state, "yes", "5", "pass")
    assert refused.replies == (texts.CANT_SKIP,)
    assert refused.answer is None
    assert refused.state.current == "worker"


def test_unreadable_gets_one_reask_then_is_kept_as_free_text(survey):
    state = begin(survey, first_name="Sam").state
    _, first, second = walk(survey, state, "yes", "it depends on the day", "honestly no idea")
    assert first.events == ("reasked",) and first.answer is None
    assert first.state.reasked and first.state.current == "safe"
    assert first.replies == ("Sorry, we didn't get that. Please reply with a number from 1 to 5. Or SKIP to skip it.",)
    assert second.answer.free_text and second.answer.value is None
    assert second.answer.raw == "honestly no idea"
    assert second.state.reasked is False
    assert second.state.current == "worker"


def test_reask_then_readable_answer(survey):
    state = begin(survey, first_name="Sam").state
    *_, answered = walk(survey, state, "yes", "5", "hmm", "yep")
    assert answered.answer.value is True and not answered.answer.free_text


def test_stop_mid_run(survey):
    state = begin(survey, first_name="Sam").state
    *_, stopped = walk(survey, state, "yes", "4", "STOP")
    assert stopped.state.status == "stopped"
    assert stopped.events == ("opted_out",)
    assert stopped.replies == (texts.STOP_CONFIRMED,)
    assert stopped.answer is None
    after = handle(survey, stopped.state, "4")
    assert after.replies == () and after.events == ("not_running",)


def test_stop_at_the_invitation(survey):
    step = handle(survey, begin(survey, first_name="Sam").state, "stop")
    assert step.state.status == "stopped" and step.events == ("opted_out",)


def test_help_mid_run_keeps_the_question_waiting(survey):
    state = begin(survey, first_name="Sam").state
    started, helped, answered = walk(survey, state, "yes", "HELP", "3")
    # The help, then the question again, so they know what to answer next (trial 13, T13-9).
    assert helped.replies == (texts.HELP, "Your question was: How safe do you feel? 1 to 5")
    assert helped.state == started.state and helped.state.current == "safe"
    assert answered.answer.value == 3


def test_no_at_the_invitation_declines_kindly(survey):
    step = handle(survey, begin(survey, first_name="Sam").state, "nah")
    assert step.events == ("declined",)
    assert step.state.status == "finished"
    assert step.replies == (texts.DECLINED,)


def test_unclear_reply_to_invitation_gets_one_nudge(survey):
    state = begin(survey, first_name="Sam").state
    nudged, text_in, started = walk(survey, state, "hmm", "my placement is rubbish", "ok")
    assert nudged.replies == (texts.INVITE_NUDGE,) and nudged.state.status == "invited"
    assert text_in.events == ("text_in",) and text_in.replies == (texts.TEXT_IN_THANKS,)
    assert started.events == ("started",)


def test_who_is_this_at_an_invitation_is_told_who_and_the_invitation_stays_open(survey):
    state = begin(survey, first_name="Sam").state
    told = handle(survey, state, "who is this?", council="Testshire County Council")
    assert told.replies == (texts.WHO_WE_ARE_INVITED.format(council="Testshire County Council"),) and told.keep_text
    assert told.state == state  # not a nudge: YES still starts it, and an unclear reply still gets the nudge
    assert walk(survey, told.state, "hmm")[0].replies == (texts.INVITE_NUDGE,)


def test_start_keyword_at_invitation_starts(survey):
    assert handle(survey, begin(survey, first_name="Sam").state, "START").events == ("started",)


def test_welsh_run_gets_the_translation(survey):
    step = handle(survey, begin(survey, first_name="Sam", language="cy").state, "yes")
    assert step.replies == ("Pa mor ddiogel? 1 i 5",)
    # no Welsh for the next question: English is sent instead
    assert handle(survey, step.state, "5").replies == ("Do you see your social worker enough?",)


def test_state_round_trips_through_json_and_stays_pinned(survey):
    state = begin(survey, first_name="Sam").state
    state = handle(survey, state, "yes").state
    saved = json.dumps(state.to_dict())
    restored = RunState.from_dict(json.loads(saved))
    assert restored == state
    assert restored.survey_version == survey.version
    assert handle(survey, restored, "4").answer.value == 4


def test_a_changed_survey_is_refused_for_a_pinned_run(survey):
    state = handle(survey, begin(survey, first_name="Sam").state, "yes").state
    edited = parse_survey(SMALL.replace(b"Thanks, all done.", b"Cheers!"), "small.toml")
    assert edited.version != survey.version
    with pytest.raises(ValueError, match="pinned"):
        handle(edited, state, "4")


def test_resume_prompt_resends_the_waiting_question(survey):
    state = begin(survey, first_name="Sam").state
    assert resume_prompt(survey, state) == texts.INVITE_NUDGE
    state = walk(survey, state, "yes", "5")[-1].state
    assert resume_prompt(survey, state) == "Do you see your social worker enough?"
    assert handle(survey, state, "start").replies == ("Do you see your social worker enough?",)


def test_close_and_replies_after_closing(survey):
    state = handle(survey, begin(survey, first_name="Sam").state, "yes").state
    closed = close(state)
    assert closed.status == "closed" and closed.current is None
    step = handle(survey, closed, "5")
    assert step.replies == (texts.CLOSED,) and step.answer is None and step.events == ("not_running",)
    assert resume_prompt(survey, closed) == texts.CLOSED
    finished = walk(survey, state, "5", "no")[-1].state
    assert close(finished) == finished
    assert resume_prompt(survey, finished) == ""


@pytest.mark.parametrize(
    ("answers", "expected_ids"),
    [
        (
            ["yes", "2", "school bullies", "😐", "4", "yes", "no", "1", "more say"],
            ["safe_home", "safe_help", "feeling", "school", "see_worker", "everyday", "listened", "one_thing"],
        ),
        (
            ["yes", "5", "1", "talk to someone", "skip", "skip", "skip", "skip", "skip"],
            ["safe_home", "feeling", "feeling_help", "school", "see_worker", "everyday", "listened", "one_thing"],
        ),
    ],
)
def test_shipped_pulse_walk(answers, expected_ids):
    pulse = load_survey(SURVEYS / "pulse.toml")
    state = begin(pulse, first_name="Jo").state
    seen = []
    for text in answers:
        step = handle(pulse, state, text)
        assert len(step.replies) == 1
        if step.answer:
            seen.append(step.answer.question_id)
        state = step.state
    assert seen == expected_ids
    assert state.status == "finished"


def test_shipped_care_leavers_walk():
    survey = load_survey(SURVEYS / "care-leavers.toml")
    state = begin(survey, first_name="Ali").state
    answers = ["yes", "1", "need a bigger flat", "3", "yes", "2/5", "nope", "😊", "get a job"]
    for text in answers:
        step = handle(survey, state, text)
        state = step.state
    assert state.status == "finished"
    assert step.replies == (survey.outro,)


@pytest.mark.parametrize("blank", ["", "   ", "\n"])
def test_a_blank_message_is_never_an_answer_and_is_reasked_every_time(survey, blank):
    """A picture message with no words arrives as Body="": re-ask kindly, store nothing, never move on."""
    state = begin(survey, first_name="Sam").state
    _, first, second = walk(survey, state, "yes", blank, blank)
    for step in (first, second):
        assert step.answer is None
        assert step.events == ("reasked",)
        assert step.replies == (texts.reask(survey.question("safe")),)
        assert "didn't get that" in step.replies[0]
        assert step.state.current == "safe" and step.state.status == "active"
    # After a real but unreadable answer has used the one re-ask, a blank still is not kept as an answer.
    _, unread, blank_after = walk(survey, state, "yes", "it depends", blank)
    assert unread.events == ("reasked",)
    assert blank_after.answer is None and blank_after.state.current == "safe"


def test_go_on_at_a_paused_invitation_asks_the_first_question(survey):
    """After a disclosure at the invitation, GO ON starts the survey: no second "reply YES"."""
    paused = pause(begin(survey, first_name="Sam").state)
    offer, carried = walk(survey, paused, "ok", "GO ON")
    assert offer.replies == (texts.PAUSED_OFFER,)
    assert carried.replies == ("How safe do you feel? 1 to 5",)
    assert carried.state.status == "active" and carried.state.current == "safe"
    assert "started" in carried.events
    assert texts.INVITE_NUDGE not in carried.replies


@pytest.mark.parametrize("yes", ["yes", "Yeah", "START"])
def test_yes_at_a_paused_invitation_starts_straight_away(survey, yes):
    paused = pause(begin(survey, first_name="Sam").state)
    step = handle(survey, paused, yes)
    assert step.replies == ("How safe do you feel? 1 to 5",)
    assert step.state.status == "active" and "started" in step.events


def test_no_at_a_paused_invitation_is_not_taken_as_declining(survey):
    """After a disclosure a "no" may be about anything: it is kept as a message, and the offer stands."""
    paused = pause(begin(survey, first_name="Sam").state)
    step = handle(survey, paused, "no")
    assert step.replies == (texts.PAUSED_OFFER,) and step.state.status == "paused"


@pytest.mark.parametrize("where", ["invitation", "question"])
def test_help_while_paused_says_how_to_carry_on_not_to_answer_a_question(survey, where):
    state = begin(survey, first_name="Sam").state
    if where == "question":
        state = handle(survey, state, "yes").state
    step = handle(survey, pause(state), "HELP")
    assert step.replies == (texts.naming_council(texts.HELP_PAUSED, "the council"),)  # who is texting, too
    assert "GO ON" in step.replies[0] and "question" not in step.replies[0]
    assert step.state.status == "paused"
    # The chat's words: no texts to stop there.
    chat = texts.for_channel(step.replies[0], texts.WEBCHAT)
    assert texts.CARRY_ON_BUTTON in chat and "GO ON" not in chat and "STOP" not in chat and "texts" not in chat


@pytest.mark.parametrize("answer", ["4", "four", "😊"])
def test_a_bare_answer_at_a_paused_question_does_not_resume_the_survey(survey, answer):
    """Only a choice to carry on resumes a paused run; an answer-like reply is kept as a message."""
    asked = handle(survey, begin(survey, first_name="Sam").state, "yes").state
    step = handle(survey, pause(asked), answer)
    assert step.answer is None and step.state.status == "paused" and step.keep_text
    assert step.replies == (texts.PAUSED_OFFER,)
    carried = handle(survey, step.state, "carry on")
    assert carried.replies == ("How safe do you feel? 1 to 5",) and carried.state.status == "active"


def test_go_on_while_a_question_waits_asks_it_again_without_sorry(survey):
    asked = handle(survey, begin(survey, first_name="Sam").state, "yes").state
    step = handle(survey, asked, "GO ON")
    assert step.replies == ("How safe do you feel? 1 to 5",) and step.state == asked and step.answer is None


@pytest.mark.parametrize("said", ["Who is this?", "who's this", "who r u", "whos texting me"])
@pytest.mark.parametrize("question", ["safe", "safe_why", "worker", "listened"])
def test_who_is_this_mid_survey_is_told_who_then_asked_the_question_again(survey, said, question):
    # Trial T7: "Who is this?" at a question got "Sorry, we didn't get that" (and a free-text question took it
    # for the answer).
    state = RunState(survey_id=survey.id, survey_version=survey.version, status="active", current=question)
    told = handle(survey, state, said, council="Testshire County Council")
    asked = survey.question(question).text
    assert told.replies == (f"This is the Voice team at Testshire County Council. {asked}",)
    assert told.state == state and told.answer is None and told.events == ("who_we_are",) and told.keep_text
    assert "Sorry" not in told.replies[0]


def test_who_is_this_mid_survey_repeats_the_question_in_the_runs_language(survey):
    state = RunState(survey_id=survey.id, survey_version=survey.version, status="active", current="safe", language="cy")
    told = handle(survey, state, "who is this", council="Cyngor Gwynedd")
    # Who is asking in Welsh too (texts.WELSH), not "This is the Voice team at" before a Welsh question.
    assert told.replies == ("Tim Voice Cyngor Gwynedd sydd yma. Pa mor ddiogel? 1 i 5",)
    assert handle(survey, told.state, "4").answer.value == 4  # the question still waits


def test_words_of_their_own_at_a_yes_or_no_question_are_kept_not_asked_again(survey):
    """A trial's long message about a placement, sent to a yes-or-no question, got "Is that a yes or a no?" and was
    never kept as the answer. Words enough (`answers.tells_us_more`) are kept at once, and the survey goes on; a
    short reply, a question or "not sure" is still asked again once, and a scale still asks for its number."""
    state = begin(survey, first_name="Sam").state
    at_worker = walk(survey, state, "yes", "4")[-1].state
    assert at_worker.current == "worker"
    told = handle(survey, at_worker, "my placement is ok but i wish i could see my mum more")
    assert told.answer is not None and told.answer.free_text and told.answer.value is None
    assert told.answer.raw == "my placement is ok but i wish i could see my mum more"
    assert told.state.current == "listened" and told.replies == ("Listened to? 1 Always 2 Sometimes 3 Never",)
    for unsure in ("what do you mean by enough though, like how often?", "not sure what you mean by enough there"):
        asked = handle(survey, at_worker, unsure)
        assert asked.answer is None and asked.events == ("reasked",), unsure
    at_safe = walk(survey, state, "yes")[-1].state
    counted = handle(survey, at_safe, "ive moved 3 times this year so not very safe tbh")
    assert counted.answer is None and counted.events == ("reasked",)

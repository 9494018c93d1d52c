"""Quick replies are plain data from the survey: faces with words, choices, Skip only where allowed."""

from voice_service.surveys.model import Question
from voice_service.web.chat.quick_replies import end_labels, face_for, onboarding_replies, question_replies


def test_scale_buttons_say_what_the_ends_mean_in_words():
    question = Question(
        id="q", kind="scale", text="How safe? Reply 1 (not safe) to 5 (really safe).", min=1, max=5, optional=True
    )
    replies = question_replies(question)
    assert [r.value for r in replies] == ["1", "2", "3", "4", "5", "Skip this one"]
    assert replies[0].spoken == "1 - not safe" and replies[4].spoken == "5 - really safe"
    assert replies[2].spoken == "3" and replies[2].emoji == "😐"
    assert replies[0].label.startswith(replies[0].emoji)


def test_end_labels_read_both_styles():
    assert end_labels(Question(id="q", kind="scale", text="1 = not safe, 5 = totally safe", min=1, max=5)) == {
        1: "not safe",
        5: "totally safe",
    }


def test_faces_spread_over_any_scale_length():
    assert face_for(0, 0, 10) == "😢" and face_for(10, 0, 10) == "😁" and face_for(5, 0, 10) == "😐"


def test_required_questions_offer_no_skip_and_long_scales_no_buttons():
    assert [r.value for r in question_replies(Question(id="q", kind="yes_no", text="?"))] == ["Yes", "No"]
    assert question_replies(Question(id="q", kind="scale", text="0-20?", min=0, max=20)) == []
    text = question_replies(Question(id="q", kind="text", text="Anything else?", optional=True))
    assert [r.value for r in text] == ["Skip this one"]


def test_onboarding_buttons_send_what_the_engine_reads():
    from voice_service.engine.onboarding import OnboardingState, handle_onboarding

    state = OnboardingState()
    for step, pick in (("consent", "Yes, go on"), ("status", "Care leaver"), ("age", "18-21")):
        assert state.step == step
        reply = next(r for r in onboarding_replies(step) if r.value == pick)
        state = handle_onboarding(state, reply.value).state
    assert (state.step, state.status, state.age_band) == ("done", "care_leaver", "18-21")


def test_every_button_but_a_face_sends_its_own_words_in_either_language():
    from voice_service.web.chat.quick_replies import declined_replies, invitation_replies, paused_replies

    question = Question(
        id="q",
        kind="choice",
        text="?",
        choices=("Always", "Never"),
        optional=True,
        choice_translations={"cy": ("Bob amser", "Byth")},
    )
    for language, words in (("en", ["Always", "Never", "Skip this one"]), ("cy", ["Bob amser", "Byth", "Hepgor hwn"])):
        assert [r.label for r in question_replies(question, language)] == words
    steps = ("consent", "status", "age", "declined")
    shown = [reply for step in steps for reply in onboarding_replies(step)]
    for language in ("en", "cy"):
        shown += question_replies(Question(id="q", kind="yes_no", text="?", optional=True), language)
        shown += invitation_replies(language) + declined_replies(language) + paused_replies(language)
    assert all(reply.value == reply.label == reply.spoken for reply in shown)
    assert {"Ie", "Na", "Hepgor hwn", "Ie, dechrau", "Dim nawr", "Parhau gyda'r arolwg"} <= {r.label for r in shown}

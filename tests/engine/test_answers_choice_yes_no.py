"""A bare yes or no at a choice question names no choice unless one is worded so (trial 15: "no" was stored as
"Not often", "yes" as "Yes a lot")."""

from voice_service.engine.answers import parse_choice

FREQUENCY = ["Always", "Sometimes", "Not often", "Never"]


def test_a_bare_yes_or_no_is_asked_again_at_a_choice_question():
    assert parse_choice("no", FREQUENCY) is None
    assert parse_choice("yes", FREQUENCY) is None
    assert parse_choice("yes", ["Yes a lot", "A bit", "Not really"]) is None


def test_a_choice_worded_yes_or_no_and_other_answers_still_count():
    assert parse_choice("yes", ["Yes", "No", "Not sure"]) == "Yes"
    assert parse_choice("no", ["Yes", "No", "Not sure"]) == "No"
    assert parse_choice("some", FREQUENCY) == "Sometimes"
    assert parse_choice("not often", FREQUENCY) == "Not often"
    assert parse_choice("3", FREQUENCY) == "Not often"

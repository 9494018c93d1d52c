"""Whole messages about the survey or about where the writer is (issue 10; trial 10 T10-1, trial 11 T11-3).

"stop asking me stuff" and "im in my room now" alerted from the model alone, high priority, so a young person who
asked for fewer questions, or said where they were, got the crisis reply and their survey paused. They are now
[safe] as whole messages only: with anything more than fillers around them they are read as before, and the near
misses that say where they are with what makes it unsafe alert from the lexicon. Every line is written here, none
taken from the holdout, the unseen author or the TEST split.
"""

import pytest

from voice_service.analysis import screen
from voice_service.analysis.risk import _lexicon, risk_screen
from voice_service.analysis.text import normalise


@pytest.mark.parametrize(
    "text",
    [
        # T10-1 and its kind: asking to be asked or texted less, or not wanting to answer.
        "stop asking me stuff",
        "Stop asking me stuff!!",
        "can u stop messaging me every week pls",
        "omg stop bugging me lol",
        "please stop asking so many questions",
        "can you stop asking loads of qs x",
        "i dont want to answer these questions anymore",
        "dont wanna answer any more surveys tbh",
        "im not answering anymore so stop asking",
        # T11-3 and its kind: where the writer is now, somewhere ordinary.
        "im in my room now",
        "I'm in my room rn",
        "ok im home now x",
        "am downstairs",
        "at college atm will reply later",
        "on the bus home now",
        "im back at the placement and its fine",
        "just got back from school",
    ],
)
def test_whole_ordinary_messages_do_not_alert(text):
    found = screen(text)
    assert not found.risk, found


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # The same words with a disclosure, or about someone else's asking, are read as before.
        ("stop asking me stuff he hits me", "abuse"),
        ("im in my room now cos hes drunk and smashing stuff", "unsafe_home"),
        ("im home now but there is no food again", "unsafe_home"),
        # Where they are, with what makes it unsafe: the lexicon's, not the model's.
        ("im at a flat i dont know", "missing"),
        ("im in a house and i dont know where it is", "missing"),
        ("im staying at a stranger's tonight", "missing"),
        ("im in a house with men i dont know", "exploitation"),
        ("im in my room with the door barricaded", "unsafe_home"),
    ],
)
def test_disclosures_around_those_words_still_alert(text, category):
    found = screen(text)
    assert found.risk and category in found.categories, found


@pytest.mark.parametrize(
    "text",
    [
        "he wont stop asking me stuff",
        "stop asking me stuff about my uncle",
        "my carer keeps asking me stuff about my mum",
        "im in my room now he locked me in",
        "im home now and hes back",
        # In a car or on a train, with no word of going home: left to the model (a lift from whom? a trip where?).
        "im in the car now",
        "on the train now",
    ],
)
def test_only_a_whole_message_is_blanked(text):
    """The model reads every word of a message that is more than the ordinary one."""
    norm = normalise(text)
    assert _lexicon(norm, risk_screen())[1] == norm.joined


@pytest.mark.parametrize("text", ["stop asking me stuff", "im in my room now", "just got home from training"])
def test_a_whole_ordinary_message_is_blanked(text):
    norm = normalise(text)
    assert set(_lexicon(norm, risk_screen())[1]) == {"~"}


@pytest.mark.parametrize(
    "text",
    [
        "im at a house party with people i dont know lol",
        "i played football with some lads i dont know",
        "we went to a place i dont know in town for tea",
        "barricade the door in fortnite lol",
    ],
)
def test_everyday_lines_of_the_near_misses_shapes_do_not_alert(text):
    found = screen(text)
    assert not found.risk, found

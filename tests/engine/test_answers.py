"""Answers as young people really text them, read into scale numbers, yes/no and choices."""

import pytest

from voice_service.engine.answers import (
    choose_branch,
    compile_when,
    matches_branch,
    parse_choice,
    parse_scale,
    parse_yes_no,
    says_yes,
)
from voice_service.surveys.model import Branch, Question

SCALE_1_5 = [
    ("4", 4),
    (" 4!!", 4),
    ("four", 4),
    ("Four", 4),
    ("FIVE!", 5),
    ("4/5", 4),
    ("4 / 5", 4),
    ("4 out of 5", 4),
    ("4 outta 5", 4),
    ("four/5", 4),
    ("four out of five", 4),
    ("three outta 5", 3),
    ("8 outta ten", 4),
    ("its a 4", 4),
    ("it's a 3 i guess", 3),
    ("prob a 2", 2),
    ("1", 1),
    ("5.", 5),
    ("5️⃣", 5),
    ("3⃣", 3),
    ("10/10", 5),
    ("0/10", 1),
    ("8/10", 4),
    ("5/10", 3),
    ("😭", 1),
    ("😢", 1),
    ("☹️", 2),
    ("🙁", 2),
    ("😐", 3),
    # A shrug says "don't know": asked again, never the middle of the scale (trial, 7 December).
    ("🤷", None),
    ("🤷‍♀️", None),
    ("🤷🏽‍♂️", None),
    ("🙂", 4),
    ("😊", 4),
    ("😁", 5),
    ("😍", 5),
    ("🥰", 5),
    ("😭😭😭", 1),
    ("👍🏽", 4),
    ("6", None),
    ("0", None),
    ("7/5", None),
    ("11/10", None),
    ("2 or 3", None),
    ("3-4", None),
    ("between 2 and 3", None),
    ("3.5", None),
    ("😭🥰", None),
    ("", None),
    ("dunno", None),
    ("pretty good", None),
    ("someone", None),
    ("4/5 but 2 at school", None),
]


@pytest.mark.parametrize(("text", "expected"), SCALE_1_5)
def test_parse_scale_one_to_five(text, expected):
    assert parse_scale(text, 1, 5) == expected


@pytest.mark.parametrize(
    ("text", "lo", "hi", "expected"),
    [
        ("10/10", 1, 10, 10),
        ("10", 1, 10, 10),
        ("🔟", 1, 10, 10),
        ("ten", 0, 10, 10),
        ("0", 0, 10, 0),
        ("😐", 0, 10, 5),
        ("😁", 0, 10, 10),
        ("😭", 0, 10, 0),
        ("5/5", 1, 10, 10),
        ("11", 1, 10, None),
    ],
)
def test_parse_scale_other_ranges(text, lo, hi, expected):
    assert parse_scale(text, lo, hi) == expected


YES_NO = [
    ("yes", True),
    ("Yes", True),
    ("YES!", True),
    ("y", True),
    ("Y", True),
    ("yeah", True),
    ("yea", True),
    ("ye", True),
    ("yep", True),
    ("yup", True),
    ("ya", True),
    ("yeh", True),
    ("yesss", True),
    ("yeahhh", True),
    ("sure", True),
    ("ok", True),
    ("okay", True),
    ("deffo", True),
    ("defo", True),
    ("definitely", True),
    ("of course", True),
    ("aye", True),
    ("👍", True),
    ("👍🏾", True),
    ("✅", True),
    ("yeah but the food is rubbish", True),
    ("yes i do", True),
    ("I do", True),
    ("yep!!", True),
    ("for sure", True),
    ("no", False),
    ("No.", False),
    ("n", False),
    ("nah", False),
    ("nahh", False),
    ("nope", False),
    ("naa", False),
    ("noooo", False),
    ("not really", False),
    ("no way", False),
    ("never", False),
    ("👎", False),
    ("❌", False),
    ("nah not really", False),
    ("definitely not", False),
    ("not at all", False),
    ("I don't", False),
    ("no, he never comes", False),
    ("not", False),
    ("not sure", None),
    ("dunno", None),
    ("idk", None),
    ("maybe", None),
    ("sometimes", None),
    ("kind of", None),
    ("yes and no", None),
    ("", None),
    ("hello", None),
    ("what?", None),
    ("i don't know", None),
    ("5", None),
]


@pytest.mark.parametrize(("text", "expected"), YES_NO)
def test_parse_yes_no(text, expected):
    assert parse_yes_no(text) is expected


# A profile review: "i have" inside a sentence was read as YES, so "can i have sleepovers at my mates" or
# "school is going better now i have a tutor" would have started a survey someone had said no to. As for a
# number on a scale (`test_a_number_in_a_sentence_is_not_a_scale_answer`), a yes or no counts only when the
# message IS the answer: it opens with it (after "um", "well", "actually"), whatever follows.
YES_NO_AS_THE_ANSWER = [
    ("yes", True),
    ("Yes!", True),
    ("yeah ok", True),
    ("i have", True),
    ("I have!", True),
    ("yes i have", True),
    ("yeah i have tho", True),
    ("i do yeah", True),
    ("i am", True),
    ("i can", True),
    ("yep sure", True),
    ("👍", True),
    ("👍🏽👍🏽", True),
    ("yes please", True),
    ("ye", True),
    ("ya", True),
    ("go on then", True),
    ("ok go on then", True),
    ("ok", True),
    ("um yeah", True),
    ("well ok", True),
    ("actually yes", True),
    ("no worries", True),
    ("why not", True),
    ("of course i have", True),
    ("yeah but the food is rubbish", True),
    ("no", False),
    ("nah", False),
    ("no thanks", False),
    ("um no", False),
    ("not really", False),
    ("yeah not really", False),
    ("i haven't", False),
    ("i am not", False),
    ("no i dont", False),
    ("nope 👎", False),
    ("school is going better now i have a tutor", None),
    ("can i have sleepovers at my mates", None),
    ("i have a question", None),
    ("i have 2 brothers", None),
    ("i can come on tuesday", None),
    ("i am in year 9", None),
    ("i do karate on mondays", None),
    ("the food is ok", None),
    ("my carer said yes", None),
    ("it was a good day", None),
    ("what do you do with it", None),
    ("is it ok if i stay at my mates", None),
    ("they never listen", None),
    ("i think so", None),
    ("hello", None),
]


@pytest.mark.parametrize(("text", "expected"), YES_NO_AS_THE_ANSWER)
def test_a_yes_or_no_counts_only_as_the_answer(text, expected):
    assert parse_yes_no(text) is expected


# "no idea", "no comment", "not telling" open with "no" or "not" but answer nothing: asked again (and then kept in
# their own words), never counted as a NO; later in a message they change nothing ("yes but they have no idea").
NOT_AN_ANSWER = [
    ("no idea what you mean", None),
    ("No comment", None),
    ("not telling you", None),
    ("um not saying", None),
    ("rather not say", None),
    ("prefer not to say", None),
    ("no ones business", None),
    ("no clue tbh", None),
    ("yes but they have no idea", True),
    ("no, no idea why they moved me", False),
    ("not really", False),
]


# Trial 8 (H2): answers read the wrong way round reached the panel's charts, and a "def not" to the help reply's
# "Need help now?" was recorded on the alert as asking for help.
READ_THE_RIGHT_WAY = [
    ("def not", False),
    ("deffo not", False),
    ("totally not", False),
    ("course not", False),
    ("obviously not", False),
    ("yeah no", False),
    ("ok no", False),
    ("y do u need to know", None),
    ("y r u asking", None),
    ("y r u texting me", None),
    ("n/a", None),
    ("N/A", None),
    ("never mind", None),
    ("nvm", None),
    ("not gonna lie yes", True),
    ("ngl no", False),
    ("tbh yeah", True),
    ("y", True),
    ("Y!", True),
    ("y thanks", True),
    ("n", False),
]


@pytest.mark.parametrize(("text", "expected"), READ_THE_RIGHT_WAY)
def test_yes_or_no_is_read_the_right_way_round(text, expected):
    assert parse_yes_no(text) is expected


@pytest.mark.parametrize("text", ["def not", "yeah no", "never mind", "n/a"])
def test_a_no_or_no_answer_after_the_help_reply_is_no_yes(text):
    assert says_yes(text) is False


@pytest.mark.parametrize(("text", "expected"), NOT_AN_ANSWER)
def test_no_idea_or_no_comment_is_no_answer(text, expected):
    assert parse_yes_no(text) is expected


LISTENED = ["Always", "Sometimes", "Not often", "Never"]


# Trial 8 (H2): "not always" was counted as "Always", and "often" as "Not often".
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("not always", None),
        ("often", None),
        ("not often", "Not often"),
        ("not very often", "Not often"),
        ("always", "Always"),
        ("nearly always", "Always"),
        ("never", "Never"),
    ],
)
def test_a_choice_is_never_named_against_its_not(text, expected):
    assert parse_choice(text, LISTENED) == expected


WHO = ["Foster carer", "Social worker", "Personal adviser (PA)", "Someone else"]


@pytest.mark.parametrize(
    ("text", "choices", "expected"),
    [
        ("2", LISTENED, "Sometimes"),
        ("2.", LISTENED, "Sometimes"),
        (" 3 ", LISTENED, "Not often"),
        ("two", LISTENED, "Sometimes"),
        ("option 4", LISTENED, "Never"),
        ("4️⃣", LISTENED, "Never"),
        ("always", LISTENED, "Always"),
        ("ALWAYS!!", LISTENED, "Always"),
        ("not often", LISTENED, "Not often"),
        ("Not often.", LISTENED, "Not often"),
        ("some", LISTENED, "Sometimes"),
        ("alw", LISTENED, "Always"),
        ("sometimes i guess", LISTENED, "Sometimes"),
        ("never tbh", LISTENED, "Never"),
        ("5", LISTENED, None),
        ("0", LISTENED, None),
        ("1 or 2", LISTENED, None),
        ("n", LISTENED, None),
        ("", LISTENED, None),
        ("my social worker", WHO, "Social worker"),
        ("social", WHO, "Social worker"),
        ("my PA", WHO, "Personal adviser (PA)"),
        ("foster", WHO, "Foster carer"),
        ("carer", WHO, "Foster carer"),
        ("teacher", WHO, None),
        ("worker or carer", WHO, None),
    ],
)
def test_parse_choice(text, choices, expected):
    assert parse_choice(text, choices) == expected


SCALE_Q = Question(id="q", kind="scale", text="1 to 5", min=1, max=5)
YES_NO_Q = Question(id="q", kind="yes_no", text="?")
CHOICE_Q = Question(id="q", kind="choice", text="?", choices=("Always", "Never"))
TEXT_Q = Question(id="q", kind="text", text="?")


@pytest.mark.parametrize(
    ("when", "question", "value", "expected"),
    [
        ("<= 2", SCALE_Q, 2, True),
        ("<= 2", SCALE_Q, 3, False),
        ("<2", SCALE_Q, 1, True),
        (">3", SCALE_Q, 4, True),
        ("> 3", SCALE_Q, 3, False),
        (">= 4", SCALE_Q, 4, True),
        ("== 5", SCALE_Q, 5, True),
        ("!= 5", SCALE_Q, 4, True),
        ("1-2", SCALE_Q, 2, True),
        ("1 - 2", SCALE_Q, 3, False),
        ("4", SCALE_Q, 4, True),
        ("<= 2", SCALE_Q, None, False),
        ("yes", YES_NO_Q, True, True),
        ("no", YES_NO_Q, True, False),
        ("No", YES_NO_Q, False, True),
        ("never", CHOICE_Q, "Never", True),
        ("Always", CHOICE_Q, "Never", False),
        ("any", TEXT_Q, "anything", True),
        ("any", SCALE_Q, None, True),
    ],
)
def test_branch_conditions(when, question, value, expected):
    assert matches_branch(Branch(when=when, goto="end"), question, value) is expected


@pytest.mark.parametrize(
    ("when", "question"),
    [("about 2", SCALE_Q), ("2-1", SCALE_Q), ("maybe", YES_NO_Q), ("Sometimes", CHOICE_Q), ("hello", TEXT_Q)],
)
def test_invalid_conditions_are_refused_in_plain_words(when, question):
    with pytest.raises(ValueError, match=r"\w"):
        compile_when(when, question)


def test_first_matching_branch_wins():
    question = Question(
        id="q",
        kind="scale",
        text="1 to 5",
        min=1,
        max=5,
        branches=(Branch("<= 2", "low"), Branch("<= 4", "middle"), Branch("any", "rest")),
    )
    assert choose_branch(question, 1) == "low"
    assert choose_branch(question, 4) == "middle"
    assert choose_branch(question, 5) == "rest"
    assert choose_branch(question, None) == "rest"
    assert choose_branch(SCALE_Q, 1) is None


# Trial finding 4: a number inside a sentence ("3 times", "in 2 days") was read as the answer. A count, a
# time or an amount in a sentence is not an answer (asked again kindly); a number given as the answer, with
# the words young people put round it, still is.
NUMBER_IN_A_SENTENCE = [
    ("3", 3),
    ("3!", 3),
    ("3 i guess", 3),
    ("prob 4", 4),
    ("i'd say 2 tbh", 2),
    ("I'd say 2 tbh", 2),
    ("id say 2", 2),
    ("number 3", 3),
    ("3 - it's ok", 3),
    ("3, its ok", 3),
    ("4 because my carer is nice", 4),
    ("its a 4", 4),
    ("i think its a 4 tbh", 4),
    ("i'd give it a 4", 4),
    ("maybe a 2", 2),
    ("hmm 3", 3),
    ("yeah 4", 4),
    ("5 stars", 5),
    ("4️⃣", 4),
    ("4️⃣ i guess", 4),
    ("three", 3),
    ("i would say three", 3),
    ("ive moved 3 times this year so not very safe tbh", None),
    ("i havent eaten in 2 days", None),
    ("in 2 days", None),
    ("3 times", None),
    ("2 days", None),
    ("since I was 5", None),
    ("since i was five", None),
    ("im in year 9", None),
    ("year 9", None),
    ("at 10pm", None),
    ("he comes back at 10 pm", None),
    ("it happened 2 weeks ago", None),
    ("one of them is mean", None),
    ("no one listens", None),
    ("i have 2 brothers", None),
    ("been in 4 placements", None),
    ("3rd time this month", None),
    ("got £5 a week", None),
    ("from 7:30", None),
    ("my carers are great so 5", None),  # the number comes after a sentence: asked again, never guessed
    ("not very safe", None),  # words are not read as a number on a scale
]


@pytest.mark.parametrize(("text", "expected"), NUMBER_IN_A_SENTENCE)
def test_a_number_in_a_sentence_is_not_a_scale_answer(text, expected):
    assert parse_scale(text, 1, 5) == expected


READY = ["Yes a lot", "A bit", "Not really"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("i cant pay my gas bill and i havent eaten in 2 days", None),
        ("moved 3 times", None),
        ("since i was 2", None),
        ("1 of my carers did", None),
        ("2", "A bit"),
        ("2!", "A bit"),
        ("number 2", "A bit"),
        ("prob 3", "Not really"),
        ("2 i guess", "A bit"),
        ("3 - not really tbh", "Not really"),
        ("two", "A bit"),
        ("2️⃣", "A bit"),
        ("not really, ive moved 3 times", "Not really"),  # the words name a choice; the count is not one
    ],
)
def test_a_number_in_a_sentence_is_not_a_choice(text, expected):
    assert parse_choice(text, READY) == expected


# Trial 8 (H9): "-1" was read as 1 ("Not safe"), which raised a concern alert and took the "sorry" branch.
@pytest.mark.parametrize("text", ["-1", "- 2", "\u22123", "\u20141", "minus 1"])
def test_a_number_below_zero_is_asked_again(text):
    assert parse_scale(text, 1, 5) is None


def test_a_number_with_a_dash_after_it_is_still_the_answer():
    assert parse_scale("4 - its ok", 1, 5) == 4
    assert parse_scale("2-", 1, 5) == 2

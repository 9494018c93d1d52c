"""A long message that names nobody and matches only a topic word is about the world, not a person.

Lines written here from the kinds of everyday text (news, reviews), never from the corpus's
TEST split or the holdout; the learned model still gets its say on every one of them.
"""

import pytest

from voice_service.analysis.risk import lexicon_screen, risk_screen
from voice_service.analysis.text import normalise


def lexicon(text: str):
    return lexicon_screen(normalise(text), risk_screen())


@pytest.mark.parametrize(
    "text,word",
    [
        ("the biggest threat to the coral reefs this decade is warmer water", "threat"),
        ("rising interest rates threaten many first time buyers across the region this spring", "threaten"),
        ("the committee heard evidence of widespread abuse by senior officials over many years", "abuse"),
        ("the inquiry found that decades of abuse went unreported across several institutions", "abuse"),
        ("the film was shot on location over six weeks in the highlands last year", "was shot"),
    ],
)
def test_a_topic_word_in_a_long_message_naming_nobody_is_set_aside(text, word):
    result = lexicon(text)
    assert not result.risk, result
    assert f"lexicon set aside: no one named: {word}" in result.reasons


@pytest.mark.parametrize(
    "text",
    [
        "abuse at home",  # short: a young person answers in few words
        "threats again tonight",
        "homeless from friday",
        # Someone is named, or a place in their life, so the topic word stands.
        "there is so much abuse going on in this house and nobody does anything",
        "my mum gets threats off her ex all the time and it scares everyone",
        "the lads from the estate keep sending threats over snap every single night",
        "being threatened on the way to school every day this week and it wont stop",
        # A text that drops its "I" is still about the writer.
        "been getting threats all week from some random account and it is getting worse",
        "keep getting abuse off them every single night now and cannot sleep",
        # A state said of oneself, or a thing carried, is never a topic word.
        "honestly homeless since the first of the month and sofa surfing everywhere",
        "started carrying a knife now because of what happened last week",
    ],
)
def test_short_messages_and_messages_naming_someone_keep_their_topic_words(text):
    assert lexicon(text).risk, text


def test_only_topic_words_are_set_aside_other_matches_stand():
    # Names nobody and is long, but "want to die" is no topic word.
    result = lexicon("honestly want to die most days now and cannot see it getting better soon")
    assert result.risk and "self_harm" in result.categories, result


@pytest.mark.parametrize(
    "text,words",
    [
        # Fifteen words or more, naming no person at all and nowhere in a young person's life.
        (
            "In the winter of 1840 a great many settlers ran away from the coast when the harvests failed twice.",
            "ran away",
        ),
        (
            "Many early mathematicians committed suicide, largely because few paid any attention to the work.",
            "suicide",
        ),
        (
            "The new version of the app keeps crashing, and turning the power off and on again does nothing useful.",
            "power off",
        ),
    ],
)
def test_a_longer_message_naming_no_person_at_all_sets_every_match_aside(text, words):
    result = lexicon(text)
    assert not result.risk, result
    assert f"lexicon set aside: no one named: {words}" in result.reasons


@pytest.mark.parametrize(
    "text",
    [
        # He, she or they: a person, maybe one in the writer's life.
        "he keeps going missing for days at a time and comes back with new trainers and loads of money",
        "she says she took an overdose last night and nobody knows about it yet so what do we do",
        # Young people named without a pronoun: "a year 9", "girls".
        "a year 9 keeps getting sent country for days at a time and comes back with loads of cash",
        "an old man keeps messaging girls on roblox asking for pictures and offering robux for every single one",
        # Text speak is the writer's own voice, even with no "I".
        "idk if this is the right place but sleeping in a stairwell tonight again and its freezing",
        "not great tbh. is it ok to carry a blade for protection on the way back pls help",
        # Fourteen words or fewer: only topic words are set aside.
        "sleeping in a stairwell tonight again because there is nowhere else to go now",
    ],
)
def test_a_person_text_speak_or_a_shorter_message_keeps_every_match(text):
    assert lexicon(text).risk, text

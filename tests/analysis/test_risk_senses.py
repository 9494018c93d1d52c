"""Second senses by structure: who or what does the thing, and where.

A business someone leaves or is thrown out of, an animal that runs off, "tired of living in" a place,
"beats me" for "I don't know", and a work's plot ("a film in which", "the idea of", "did you see ...
last night"). Lines written here, never copied from tests/data/everyday, the corpus's TEST split or
the holdout; each has a disclosure beside it that must still alert.
"""

import pytest

from voice_service.analysis.risk import lexicon_screen, risk_screen
from voice_service.analysis.text import normalise


def lexicon(text: str):
    return lexicon_screen(normalise(text), risk_screen())


@pytest.mark.parametrize(
    "text",
    [
        # A business: a review, or a night out.
        "never going back to that pizza restaurant, the service was slow and rude",
        "we got thrown out of the bowling alley for being too loud haha",
        "not coming back to this hotel again after the mess they made of our booking",
        # An animal or a thing runs off.
        "our puppy ran off in the woods but we found her by the stream",
        "the kite ran away from us in the wind and got stuck up a tree",
        # Living somewhere is not living at all.
        "tired of living in a city where the rent goes up every single year",
        # "Beats me" for "I don't know".
        "beats me why the bus is always late on a monday",
        "Beats me, I can't work out how to switch this thing on.",
    ],
)
def test_a_second_sense_shown_by_who_or_where_does_not_alert(text):
    result = lexicon(text)
    assert not result.risk, result


@pytest.mark.parametrize(
    "text,words",
    [
        ("theres a cartoon where a girl runs away from a cruel uncle to find her dad", "runs away"),
        ("the book is clever about the idea of self harm and how people hide it", "self harm"),
        ("did you see the soap on tv last night when he got stabbed outside the pub", "got stabbed"),
        ("this manga is all about a boy in a gang and the ending made everyone cry", "in a gang"),
    ],
)
def test_a_works_plot_or_subject_is_a_topic(text, words):
    result = lexicon(text)
    assert not result.risk, result
    assert f"lexicon set aside: topic only: {words}" in result.reasons


@pytest.mark.parametrize(
    "text",
    [
        # Going back home, or to a person's place, is still going missing; so is being thrown out of home.
        "im never going back to that house again, he can look for me all he wants",
        "not going back to my placement tonight and nobody knows where i am",
        "my stepdad kicked me out of the house last night and i slept at the station",
        # A person runs off, not an animal.
        "my little brother ran off again last night and still hasnt come back",
        # Tired of living, with no place after it.
        "honestly so tired of living, i just want it all to stop",
        # "Beats me" with someone doing it.
        "my dad beats me when hes had a drink",
        "he beats me if i dont do what he says",
        # A plot never hides harm done to the writer, and a show watched does not hide what happens at home.
        "did you see the soap last night, it reminded me of how my stepdad hits me",
    ],
)
def test_the_same_words_about_a_person_or_a_home_still_alert(text):
    assert lexicon(text).risk, text


@pytest.mark.parametrize(
    "text",
    [
        # Harm done by an animal, and a thing that breaks in two, are nobody's harm.
        "We were attacked by seagulls on the pier and lost all our chips.",
        "The phone screen broke in half when I dropped it on the stairs.",
    ],
)
def test_an_animal_or_a_thing_breaking_is_no_ones_harm(text):
    assert not lexicon(text).risk


@pytest.mark.parametrize(
    "text",
    [
        "we were attacked by a gang on the pier last night",
        "someone broke in the middle of the night and took my mums purse",
        "i got attacked by my stepdad again after he let the dog out",
        "he set his dog on me and i got chased by the lads from the estate",
    ],
)
def test_the_same_words_by_a_person_still_alert(text):
    assert lexicon(text).risk


@pytest.mark.parametrize(
    "text",
    [
        # A young person in the writer's life named after the topic, before the harm: about them, not the film.
        "we watched a film in class and after it my sister said her older boyfriend hits her",
        "we had a lesson on county lines and a boy in my class said his olders make him sell drugs",
    ],
)
def test_someone_else_named_after_the_topic_keeps_the_match(text):
    assert lexicon(text).risk


def test_someone_else_named_before_the_topic_leaves_it_a_topic():
    # "my mate and i" before the topic: the harm is still the essay's.
    assert not lexicon("my mate and i did a project on knife crime for school").risk

"""False alarms of a new user's trial (trial 3, F19, F25, F26) fixed by structure, never by the line.

Each rule has everyday lines it must set aside and disclosures of the same shape it must still catch:
a negated subject that reaches over "has ever"; a double negative ("dont feel unsafe"); a past marker with
a present-good clause ("years ago ... but my placement now is great"); the ones who did it expelled; "a
shot at" (a chance) and smashing an exam (doing well). Every line is written here; only a few are close
to the trial's own lines. These check the lexicon alone: the model still has its say on every message.
"""

import pytest

from voice_service.analysis import screen
from voice_service.analysis.risk import lexicon_screen, risk_screen
from voice_service.analysis.text import normalise


def lexicon(text: str):
    return lexicon_screen(normalise(text), risk_screen())


@pytest.mark.parametrize(
    "text",
    [
        # "Nobody ... has ever <risk> me": the negated subject reaches over its own "has ever".
        "nobody in my foster family has ever hit me",
        "no one at the unit has ever hurt me",
        "nobody at my new school has even threatened me",
        "none of them at the home have ever touched me",
        # A double negative: not feeling unsafe.
        "i dont feel unsafe at all",
        "i never felt unsafe with my carers",
        "honestly i dont feel unsafe here",
        # A past marker, and a present that is good now.
        "years ago i ran away loads but my placement now is great",
        "when i was 12 i went missing a lot, but now my foster home is lovely",
        "i ran away a lot at my old placement but my carers are amazing now",
        # The ones who did it sent away.
        "back in year 8 some boys threatened to stab me but they got expelled",
        # A shot at: a chance.
        "i got a shot at the trials for the under 16s",
        "ive got a real shot at getting an apprenticeship",
        "we got a shot at the league this year",
        # Smash an exam: do well in it.
        "im gonna smash my exams this year",
        "im going to smash the maths test tomorrow",
        "i will smash my driving test",
    ],
)
def test_everyday_lines_are_set_aside(text: str) -> None:
    assert not lexicon(text).risk, text


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # The negated subject stops at a verb of knowing or stopping, or another subject.
        ("he has hit me ever since i moved in", "abuse"),
        ("nobody at school knows he has hit me", "abuse"),
        ("nobody at home has ever stopped him hitting me", "abuse"),
        ("my foster dad has hit me loads", "abuse"),
        # Unsafe, not negated.
        ("i feel unsafe at all times", "unsafe_home"),
        ("i dont feel safe at home", "unsafe_home"),
        # The present is not good, or it is happening again.
        ("i ran away last night", "missing"),
        ("years ago i ran away but now my placement is great and last night i ran off again", "missing"),
        ("i used to run away but my placement is great", "missing"),  # no "now": the past is not said over
        ("years ago my dad hit me but now my dad hits my little sister", "abuse"),
        ("some boys threatened to stab me today", "violence"),
        ("some boys threatened to stab me but they got expelled", "violence"),  # no past: could be this week
        # Shot at, with no article; a shot at a person.
        ("i got shot at", "violence"),
        ("my brother got shot at outside the shop", "violence"),
        ("he got a shot at my brother", "violence"),
        # Smashing a person.
        ("im gonna smash his face in", "violence"),
        ("im gonna smash my brother", "violence"),
    ],
)
def test_disclosures_of_the_same_shape_still_alert(text: str, category: str) -> None:
    result = lexicon(text)
    assert result.risk and category in result.categories, (text, result)


# Whole messages that are ordinary statements about oneself ([safe], whole message only): the model, which
# alone raised them, reads them without those words. An opening of the same shape that goes on to a
# disclosure is read whole, as before.
@pytest.mark.parametrize(
    "text",
    [
        # The model alone raised each of these four before (0.78-0.89).
        "my sw changed again and now i have to start all over again",
        "my sw left again and i have to start over",
        "im 19 and i live in my own flat now",
        "i am 20 and live in my own place now",
        "im 20 and have my own flat",
        "I'm 18, and I live in my own place now",
        "i am 19 and at uni now",
        "my social worker changed again so now i have to explain everything again",
        "My PA has left and I have to get to know someone new 🙄",
        "our key worker changed for the third time",
    ],
)
def test_ordinary_statements_about_oneself_raise_nothing(text: str) -> None:
    assert not screen(text).risk, (text, screen(text))


@pytest.mark.parametrize(
    "text",
    [
        "im 19 and live in my own flat and my ex keeps turning up at night and hitting me",
        "im 20 and have my own flat but i want to kill myself",
        "my sw changed again and i have to tell them my stepdad hits me",
        "my sw changed again and i have to start over and i cant cope i want to end it",
    ],
)
def test_the_same_openings_with_a_disclosure_alert(text: str) -> None:
    result = screen(text)
    assert result.risk and result.priority == "high", (text, result)

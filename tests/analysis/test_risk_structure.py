"""The lexicon's structural rules, each with wording written here (never the corpus's TEST split).

Every rule has lines it must catch and lines it must leave alone, and every hit says which
rule fired: the reason names the category, and "someone else at risk" when it is not the writer.
"""

import pytest

from voice_service.analysis.risk import lexicon_screen, risk_screen
from voice_service.analysis.text import normalise


def lexicon(text: str):
    return lexicon_screen(normalise(text), risk_screen())


@pytest.mark.parametrize(
    "text,category",
    [
        ("my little sister gets slapped by her dad most nights", "abuse"),
        ("my foster brother keeps cutting his arms", "self_harm"),
        ("my bestie says she wants to kill herself", "self_harm"),
        ("a girl in my year told me her uncle touches her when nobody is in", "abuse"),
        ("my younger cousin is being made to carry drugs for some older lads", "exploitation"),
        ("my step sister has been sleeping rough since friday", "missing"),
        ("my mate said someone is going to stab him after school", "violence"),
        ("my little brother has bruises on his legs and wont say why", "abuse"),
    ],
)
def test_someone_else_at_risk_is_read_as_if_they_said_it(text, category):
    result = lexicon(text)
    assert result.risk and category in result.categories, result
    assert any(r.startswith(f"lexicon: {category}") for r in result.reasons), result


def test_the_reason_says_who_it_is_about_and_which_words():
    result = lexicon("my little brother gets punched by his stepdad")
    assert result.reasons == ("lexicon: abuse, someone else at risk (my little brother: gets punched)",)


@pytest.mark.parametrize(
    "text",
    [
        "my little sister cut her hair really short",
        "my brother beat his mate at fifa again",
        "my best friend is killing it at college",
        "my foster brother got his phone taken off him for a week",
        "my sister is dying to see her new baby niece",
    ],
)
def test_someone_else_in_everyday_life_is_not_a_disclosure(text):
    assert not lexicon(text).risk, lexicon(text)


def test_he_doing_harm_stays_the_one_doing_harm():
    # Retelling for the friend must not lose "he ... me": the first reading keeps he as he.
    result = lexicon("my mate said he grabbed her by the throat")
    assert result.risk, result

"""Plain statements from a grid (8 December): someone in the home x an act x the writer or a sibling.

A grid of the plainest disclosures found acts no pattern named ("puts his hands on me", "ties me up", "gives me
money to keep quiet"), self-harm by a method the model alone caught ("i want to slit my wrists"), and every act done
to a sibling named after the verb ("he makes my sister watch porn"), which was read with the sibling as "i" ("he
makes i watch porn") and so matched nothing. Lines written here, never copied from tests/data, the holdout or a
probe.
"""

import pytest

from voice_service.analysis import screen


@pytest.mark.parametrize(
    "text,category",
    [
        ("my stepdad puts his hands on me when mum is at work", "abuse"),
        ("he keeps putting his hand up my top", "abuse"),
        ("my carer pinned me down and wouldnt let me go", "abuse"),
        ("my uncle ties me up when im naughty", "abuse"),
        ("my foster mum spits in my face", "abuse"),
        ("he gives me money to keep quiet about what he does", "abuse"),
        ("my dad made me sleep outside in the cold again", "abuse"),
        ("i want to slit my wrists", "self_harm"),
        ("im thinking about trying to od on my meds", "self_harm"),
        ("she is going to end her life", "self_harm"),
    ],
)
def test_a_plain_statement_is_a_lexicon_match(text, category):
    result = screen(text)
    assert result.risk and result.priority == "high", result
    assert category in result.categories, result
    assert result.reasons[0].startswith(f"lexicon: {category}"), result


@pytest.mark.parametrize(
    "text,who",
    [
        ("my stepdad makes my sister watch porn", "my sister"),
        ("he pins my little brother down and hits him", "my little brother"),
        ("my mums boyfriend made my sister take her clothes off", "my sister"),
        ("the staff at my placement puts his hands on my little brother", "my little brother"),
    ],
)
def test_a_sibling_named_after_the_verb_is_read_as_me(text, who):
    result = screen(text)
    assert result.risk and result.priority == "high", result
    assert any(r.startswith(f"lexicon: abuse, someone else at risk ({who}:") for r in result.reasons), result


@pytest.mark.parametrize(
    "text",
    [
        # The writer is the one doing it ("i" in the clause): no one else's words to tell.
        "i spat on my little brother by accident lol",
        # A sibling as the subject after "and", "think" or "said" is read as before.
        "me and my sister made a den in the garden",
        "hard to pin me down on a date for the party",
        "he pins me down in judo every week and i still win",
        "the knot came undone and tied me up like a pretzel",
        "the finale was so rushed, they had 8 seasons",
        "screen protector kept trapping bubbles no matter what i did",
        "my houseplants thrive on neglect",
    ],
)
def test_everyday_lines_near_these_stay_quiet(text):
    result = screen(text)
    assert not result.risk, result

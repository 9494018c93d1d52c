"""Plain statements from a grid (8 December): someone in the home x an act x the writer or a sibling.

A grid of the plainest disclosures found acts no pattern named ("puts his hands on me", "ties me up", "gives me
money to keep quiet"), self-harm by a method the model alone caught ("i want to slit my wrists"), and every act done
to a sibling named after the verb ("he makes my sister watch porn"), which was read with the sibling as "i" ("he
makes i watch porn") and so matched nothing. Lines written here, never copied from tests/data, the holdout or a
probe.
"""

import pytest

from voice_service.analysis import screen
from voice_service.analysis.risk import lexicon_screen, risk_screen
from voice_service.analysis.text import normalise


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
        ("my ex says he will get his mates to jump me", "violence"),
        ("my mate is doing runs to other towns", "exploitation"),
        ("she gets picked up from the home at night by older men", "exploitation"),
        ("my dad deals drugs from the house", "unsafe_home"),
        ("i am hearing voices telling me to die", "self_harm"),
        ("she tied something round her neck", "self_harm"),
        ("my carer punishes me by not feeding me lol", "abuse"),
        ("staff shouts at me and throws things but its fine", "abuse"),
        ("is it normal for my foster dad to kick me", "abuse"),
        ("sometimes i make myself sick", "self_harm"),
        ("tbh i drink till i pass out most nights", "self_harm"),
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
        # "her" before a verb she is made to do is "me" ("makes her watch" -> "makes me watch"), not "my".
        ("my sister says her dad makes her watch porn", "my sister"),
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
        "i could shoot myself for forgetting my pe kit lol",
        "the llama spat on me at the farm",
        "my boss ties me up with paperwork all week",
        "my sister tied me up in fairy lights for a photo",
        "mum gave me sweets to keep quiet in the car when i was little",
        "the coach put his hands on me to show me the stance",
        "the nurse held my brother down for his vaccine",
        "my little brother will get it if he doesnt tidy his room",
        "nobody makes us dinner on fridays, we get a takeaway",
        "planning to leave early and not tell anyone, its a surprise party",
        "ill get wet if i go out now lol",
        "she tied a scarf around her neck because it was cold",
        # A review's near misses (8 December): a game, a treat, a sport.
        "hearing voices telling me to die in the horror game at night",
        "nan punishes me by not feeding me sweets",
        "mum punishes me by locking the wifi lol",
        "my dad kicked me at tennis",
        "i made myself sick eating sweets at the party",
        "i make myself sick with worry before exams",
        "i drank till i passed out at the wedding lol",
        "my sister lost her watch at school and her sleep is all over the place",
        "doing deliveries to other towns for my uncles bakery on saturdays",
    ],
)
def test_everyday_lines_near_these_match_no_pattern(text):
    # The lexicon's own say: the model may still give some a look ("ill get wet if i go out now lol": 0.96).
    result = lexicon_screen(normalise(text), risk_screen())
    assert not result.risk, result

"""A past said to be over in more ways, a lapse at home that is an everyday mishap, and a threat to
kill over a small misdeed. Each rule has lines it must set aside and lines it must not.

Every line is written here, never taken from the corpus or the holdout; the learned model still gets
its say on all of them (these check the lexicon alone).
"""

import pytest

from voice_service.analysis.risk import lexicon_screen, risk_screen
from voice_service.analysis.text import normalise


def lexicon(text: str):
    return lexicon_screen(normalise(text), risk_screen())


# [past] and [resolved], wider: said of anyone, a home of their own, the one who did it locked up, a
# spell "for a bit", and words inside the saying ("self harm free") that need no time of their own.
@pytest.mark.parametrize(
    "text",
    [
        "my cousin used to self harm but she has been doing so well for a year",
        "i was sleeping rough for a while but ive had my own place since march",
        "was homeless for a few months but i been in my own flat for ages now",
        "that teacher who groomed me got arrested and i feel safe",
        "my step brother ran away loads last year but he is settled now",
        "two years self harm free today and so proud",
        "i have been self harm free since 2022",
        "me old foster home was awful they starved me but i left years ago and im so happy now",
        "my mate used to carry a blade but he handed it in and plays football instead",
        "there was a time i wanted to die. i was 13. im 18 now and glad im still here",
        "a few years ago i took an overdose, now im at uni and loving it",
        "i used to run away but not since i moved in with my nan",
        "I used to cut my legs at my last placement, but I haven't done that in two years.",
        "I used to feel like dying every day in year 8. Things are loads better these days.",
        "back when i lived with my dad there was never any food. im with my foster family now",
        "I was sleeping rough for three months when I was 18. Now I rent a room near college.",
        "i used to want to end it all but im in such a good place now",
        "an older lad used to make me sell stuff when i was 14 but im out of all that now",
        # Trial 6, F3: the verb left out, a span of time said.
        "i used to self harm but i havent for 2 years and im proud",
        "i used to self harm but i havent in months",
    ],
)
def test_a_past_said_to_be_over_in_more_ways_is_set_aside(text):
    result = lexicon(text)
    assert not result.risk and "lexicon set aside: historical and over" in result.reasons, result


@pytest.mark.parametrize(
    "text",
    [
        "two days self harm free but i really want to do it tonight",  # days, not months: still early
        "the man who hurt me got arrested but he is out now and he came to my house",  # out again
        "the man who hurt me went to prison but he came to my house",  # a contrast takes the ending back
        "i was homeless for a bit and still am",
        "i was sofa surfing for a bit after i left care and now i sleep in a tent",
        "when i was 12 he touched me. he left but i am not safe now",  # "not safe" is no ending
        "my dad used to hit me but i feel safe at school",  # safe somewhere else says nothing of home
        "my dad hit me when i was little and he still hits me every night",  # every night outside the past
        "he used to hit me. he left but he is out of prison now",
        "i self harm but i havent for 2 days",  # no past, and days are no span of recovery
        "he used to hit me and i havent told anyone for years",  # what they have not done is tell
    ],
)
def test_the_wider_past_rule_does_not_hide_a_current_risk(text):
    assert lexicon(text).risk, lexicon(text)


# [mishap]: a lapse in what a home provides, away from home, brief, mended or a machine's.
@pytest.mark.parametrize(
    "text",
    [
        "there was no food left at the wedding by the time we sat down",
        "the bus had no heating and we were freezing the whole way",
        "the power went off on our road for an hour last night in the storm",
        "got locked out for twenty minutes till my nan got back from bingo",
        "no hot water this morning but the landlord fixed it",
        "how do i power off this machine",
    ],
)
def test_an_everyday_mishap_is_set_aside(text):
    result = lexicon(text)
    assert not result.risk and any("everyday mishap" in r for r in result.reasons), result


@pytest.mark.parametrize(
    "text",
    [
        "my dad locked me out for an hour as a punishment",  # someone did it to me
        "there is no food in the house again",  # it comes back
        "no heating for days and the baby is cold",
        "we have no food and i am starving",
        "i am locked in the house right now and my phone is dying",
        "locked out of the flat all night in the cold",
    ],
)
def test_neglect_still_alerts(text):
    result = lexicon(text)
    assert result.risk and "unsafe_home" in result.categories, result


# [joke] petty: a small misdeed as the threat's reason reads like a laugh.
@pytest.mark.parametrize(
    "text",
    [
        "my nan is going to kill me for being late again",
        "my foster mum will kill me when she sees the state of my bedroom",
        "my sister is gonna kill me cos i broke her straighteners",
        "my carer will kill me if i spill paint on the carpet again",
    ],
)
def test_a_threat_over_a_small_misdeed_is_set_aside(text):
    result = lexicon(text)
    assert not result.risk and any(r.startswith("lexicon set aside: joke") for r in result.reasons), result


@pytest.mark.parametrize(
    "text",
    [
        "my stepdad will kill me if i tell anyone",
        "he will kill me if i leave",
        "my dad will kill me when he gets home",
        "im scared my dad will kill me for being late again",  # fear is named
        "my brother said he will stab me if i break his phone",  # a weapon
    ],
)
def test_a_real_threat_still_alerts(text):
    result = lexicon(text)
    assert result.risk and "violence" in result.categories, result


@pytest.mark.parametrize(
    "text",
    [
        "they said they will kill me cos i lost the package",  # a debt, not a misdeed
        "my boyfriend will kill me if i break up with him",
        "he will kill me if he finds out i told you",
    ],
)
def test_a_threat_over_a_debt_or_a_secret_is_no_small_misdeed(text):
    result = lexicon(text)
    assert result.risk and "violence" in result.categories, result

"""lex13's round (issue 10): false alarms by shape (where or with whom one would not live, a denied plan,
thought or feeling, nobody there who does it, none of my mates, a threat over a chore with a laugh, a
detention, a pillow, a nick while shaving, an animal or a rose bush, a shooter game, a lapse that is the
season's or about to be mended by a shop), each beside a disclosure of the same shape that must still alert.
Written for this round, never from the holdout or from any corpus line; the lexicon alone is checked."""

from __future__ import annotations

import pytest

from tests.analysis.rule_cases import check_rule

# (rule, disclosure, the category it raises, an everyday line of the same shape)
CASES = [
    (
        "not wanting to live with someone",
        "i dont want to live like this anymore",
        "self_harm",
        "i dont want to live with my dad",
    ),
    (
        "not wanting to live in a place",
        "i dont want to live in this world",
        "self_harm",
        "i dont want to live in this town when i grow up",
    ),
    (
        "not wanting to go on a trip",
        "i dont want to go on anymore",
        "self_harm",
        "i dont want to go on the school trip",
    ),
    (
        "a plan denied",
        "i have plans to hurt myself",
        "self_harm",
        "i have no plans to hurt myself",
    ),
    (
        "an intention denied",
        "i am going to run away tonight",
        "missing",
        "i have no intention of running away",
    ),
    (
        "a feeling denied",
        "i have felt like killing myself",
        "self_harm",
        "i have never felt like killing myself",
    ),
    (
        "two harms denied together",
        "i am being bullied and threatened by the lads on my estate",
        "violence",
        "i am not being bullied or threatened by anyone",
    ),
    (
        "a threat over a chore, with a laugh",
        "my carer said she would kill me if i told anyone lol",
        "violence",
        "my carer said she would kill me if i didnt tidy my room lol",
    ),
    (
        "nobody there who does it",
        "there is someone at home who hurts me",
        "abuse",
        "theres no one at home who hurts me",
    ),
    (
        "none of my mates",
        "my mates all carry knives",
        "violence",
        "none of my mates carry knives",
    ),
    (
        "a feeling denied, with its i",
        "i feel like i want to die",
        "self_harm",
        "i dont feel like i want to die or anything, just tired",
    ),
    (
        "a thought denied",
        "i think someone is grooming me",
        "exploitation",
        "i dont think anyone is grooming me, she is my age",
    ),
    (
        "an animal that bit",
        "my stepdad bit me when i cried",
        "abuse",
        "the dog bit me when i stepped on his tail",
    ),
    (
        "a rose bush",
        "i got stabbed at the allotment",
        "violence",
        "i got stabbed by a rose bush at the allotment",
    ),
    (
        "a shooter game",
        "i keep getting shot at in my area",
        "violence",
        "i was getting shot at constantly in cod lol",
    ),
    (
        "a sister's laughed threat over her makeup",
        "my sister is going to strangle me when she finds out i told lol",
        "abuse",
        "my sister is going to strangle me when she finds out i used her makeup lol",
    ),
    (
        "a detention",
        "my mum threatened me with a knife",
        "violence",
        "the teacher threatened us with a detention lol",
    ),
    (
        "a pillow",
        "my stepdad hits me with a belt",
        "abuse",
        "my little brother hit me with a pillow lol",
    ),
    (
        "a nick while shaving",
        "i cut myself with a razor",
        "self_harm",
        "i cut myself shaving lol",
    ),
    (
        "heating off in summer",
        "the heating is off and its freezing, mum wont put it on",
        "unsafe_home",
        "the heating is off cos its summer",
    ),
    (
        "no food in till the shop",
        "there has been no food in the house for days and mum wont do a shop",
        "unsafe_home",
        "we have no food in, going shopping later",
    ),
]


@pytest.mark.parametrize(("rule", "disclosure", "category", "everyday"), CASES, ids=[c[0] for c in CASES])
def test_the_rule_raises_the_disclosure_and_not_the_everyday_line(rule, disclosure, category, everyday):
    check_rule(rule, disclosure, category, everyday)

"""lex13's round (issue 10): disclosures framed as a joke or a question, and neglect, for me, a friend or
sibling, and a younger child; each beside an everyday line of the same shape that must not alert. Written
for this round, never from the holdout or from any corpus line; the lexicon alone is checked."""

from __future__ import annotations

import pytest

from tests.analysis.rule_cases import check_rule

# (rule, disclosure, the category it raises, an everyday line of the same shape)
CASES = [
    (
        "a wish to vanish, asked",
        "would it be bad if i just disappeared",
        "self_harm",
        "would it be bad if i just left early",
    ),
    (
        "what happens if: read in the first person",
        "what happens if you tell someone your stepdad touches you",
        "abuse",
        "what happens if you tell someone your password",
    ),
    (
        "someone else's tablets",
        "would it be wrong if i took my mums pills",
        "self_harm",
        "would it be wrong if i took my mums car",
    ),
    (
        "to stop eating, with a laugh",
        "lol im just going to stop eating",
        "self_harm",
        "lol im going to stop eating sweets for lent",
    ),
    (
        "pictures from an older man",
        "haha i keep getting sent pics by some old guy on snap",
        "exploitation",
        "haha my nan keeps sending me pics of her dog",
    ),
    (
        "money from a man online, asked",
        "is it ok if a man from online sends me money",
        "exploitation",
        "is it ok if my nan sends me money for my birthday",
    ),
    (
        "selling found out, asked",
        "what happens if the police find out i have been selling",
        "exploitation",
        "what happens if my carer finds out i have been selling my old clothes on vinted",
    ),
    (
        "not home for days, someone",
        "what happens if someone doesnt go home for a few days",
        "missing",
        "what happens if someone doesnt go to the gym for a few days",
    ),
    (
        "a parent not home for days, asked",
        "is it normal if my mum doesnt come home for days",
        "unsafe_home",
        "is it normal if my mum doesnt come home till late on fridays",
    ),
    (
        "bills unpaid, nothing works",
        "mum hasnt paid the electric so we have no lights or hot water",
        "unsafe_home",
        "mum hasnt paid the electric yet so she is doing it online tonight",
    ),
    (
        "food kept locked",
        "my carer keeps the food locked in her room",
        "unsafe_home",
        "my carer keeps the bikes locked in the shed",
    ),
    (
        "a younger child, cupboards never stocked, with a laugh",
        "my little brother is always hungry lol theres never anything in the cupboards",
        "unsafe_home",
        "theres never anything good on telly lol",
    ),
    (
        "bruises that keep coming, a sibling, asked",
        "is it normal that my brother has bruises every week",
        "abuse",
        "is it normal that my brother has football every week",
    ),
    (
        "a laughed threat with harm before",
        "lol my stepdad is going to kill me when he gets home, he already broke my arm once",
        "violence",
        "lol my mum is going to kill me when she gets home, i broke her favourite mug",
    ),
    (
        "a laughed threat over telling",
        "my dad is gonna kill me lol he found out i told my sw about him",
        "violence",
        "my dad is gonna kill me lol he found out i ate his chocolate",
    ),
    (
        "a tent is no home of one's own",
        "haha i live in a tent now",
        "unsafe_home",
        "haha i live in my own flat now",
    ),
]


@pytest.mark.parametrize(("rule", "disclosure", "category", "everyday"), CASES, ids=[c[0] for c in CASES])
def test_the_rule_raises_the_disclosure_and_not_the_everyday_line(rule, disclosure, category, everyday):
    check_rule(rule, disclosure, category, everyday)


# The second step: banter is the other side's word for it, a head kicked in, a child not fed today, a parent passed out.
MORE = [
    (
        "banter is their word",
        "the older lads beat me up after school, they said it was banter lol",
        "violence",
        "we had a play fight and my mate bit me lol",
    ),
    (
        "messing about, they say",
        "the lads at the home keep hitting me, its just messing about they say",
        "abuse",
        "me and my brother were messing about and he hit me with a cushion",
    ),
    (
        "a head kicked in, with a laugh",
        "i got my head kicked in lol 😂 3 of them",
        "violence",
        "i got my head stuck in the railings lol 😂",
    ),
    (
        "not fed today",
        "😂😂 my carer hasnt fed us today",
        "unsafe_home",
        "😂😂 my carer hasnt fed the cat today",
    ),
    (
        "a parent passed out, a younger child",
        "my little sister hasnt been picked up from school again lol mums passed out",
        "unsafe_home",
        "my little sister hasnt been picked up yet lol mums stuck in traffic",
    ),
    (
        "pushed in the pool",
        "my stepdad pushed me down the stairs",
        "abuse",
        "haha my sister pushed me in the pool",
    ),
]


@pytest.mark.parametrize(("rule", "disclosure", "category", "everyday"), MORE, ids=[c[0] for c in MORE])
def test_the_second_step_raises_the_disclosure_and_not_the_everyday_line(rule, disclosure, category, everyday):
    check_rule(rule, disclosure, category, everyday)

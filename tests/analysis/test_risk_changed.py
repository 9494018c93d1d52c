"""lex13's round (issue 10): a past that is clearly over because the writer says what changed, and the
same past still going on. Each rule holds a disclosure (the harm still going on, or said after "now") and
a line of the same shape where the past is over, which the lexicon sets aside. Written for this round,
never from the holdout or from any corpus line; the learned model still has its say (these check the
lexicon alone)."""

from __future__ import annotations

import pytest

from tests.analysis.rule_cases import check_rule

# (rule, disclosure, the category it raises, a line of the same shape whose past is over)
CASES = [
    (
        "a way of coping now",
        "i used to self harm but now i go to my room and cut",
        "self_harm",
        "i used to self harm but now i go to the gym when i feel low",
    ),
    (
        "a way of coping now: never work for them",
        "i used to sell for them but now i work for them full time",
        "exploitation",
        "i used to sell for olders but now i work at a garage full time",
    ),
    (
        "hope now, for a friend",
        "my mate used to think about killing herself and she still does",
        "self_harm",
        "my mate used to think about killing herself but now she has hope",
    ),
    (
        "a role now",
        "I was groomed when I was 14 and he still messages me",
        "exploitation",
        "I was groomed when I was 14. Now I work with young people to help them spot the signs.",
    ),
    (
        "a role today",
        "I used to want to die. Today I still do.",
        "self_harm",
        "I used to want to die. Today I'm a social worker.",
    ),
    (
        "out of care: a published quote",
        "when i was in care my carers son abused me and he still messages me",
        "abuse",
        "When I was in care I self harmed a lot and nobody noticed.",
    ),
    (
        "grown up: as a teenager",
        "as a teenager i went missing all the time and i still do",
        "missing",
        "As a teenager I went missing all the time and slept on friends' sofas.",
    ),
    (
        "grown up: my teens",
        "I was sexually exploited at 15 and it is still going on",
        "exploitation",
        "I spent my teens in care. I was sexually exploited at 15 and nobody saw it.",
    ),
    (
        "a care leaver",
        "i was sexually exploited at 15 and he still finds me",
        "exploitation",
        "As a care leaver I can say I was sexually exploited at 15 and nobody saw it.",
    ),
    (
        "in care for years",
        "i was in care for six years and my carer hit me, she still does",
        "abuse",
        "I was in care for six years and my carer hit me.",
    ),
    (
        "a new school that is better",
        "my new placement is much better but the lads here keep making me carry stuff",
        "exploitation",
        "the kids at my last school used to threaten to stab me, my new school is much better",
    ),
    (
        "moved years ago",
        "i moved two years ago but my stepdad still turns up and hits me",
        "abuse",
        "my old foster carer used to hit us but i moved two years ago",
    ),
    (
        "a younger brother moved schools",
        "my little brother gets beaten up at school and he is scared to go",
        "violence",
        "My little brother used to get beaten up at school but he moved schools and he loves it",
    ),
    (
        "long gone",
        "when i was 10 my stepdad beat me and he is back now",
        "abuse",
        "when i was 10 my stepdad beat me, he is long gone",
    ),
]


@pytest.mark.parametrize(("rule", "disclosure", "category", "everyday"), CASES, ids=[c[0] for c in CASES])
def test_the_rule_raises_the_disclosure_and_sets_aside_the_past_that_is_over(rule, disclosure, category, everyday):
    check_rule(rule, disclosure, category, everyday)

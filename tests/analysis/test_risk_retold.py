"""Someone else's words retold in the first person ([someone_else]): the verb after the retold "i" agrees
("he dies" -> "i die", not "i dy"), and a retelling's stronger or longer match is kept even where the message's
own weaker one starts ("no one cares" is weak; "no one cares if she is dead" read as "if i am dead" is not).
Lines written here, never copied from the corpus, its TEST split or the holdout."""

from __future__ import annotations

import pytest

from voice_service.analysis import screen
from voice_service.analysis.risk import _agree, lexicon_screen, risk_screen
from voice_service.analysis.text import normalise

# (he or she ..., i ...): the verb as someone else says it, and as the retold "i" says it.
VERBS = [
    ("dies", "die"),
    ("lies", "lie"),
    ("ties", "tie"),
    ("tries", "try"),
    ("cries", "cry"),
    ("worries", "worry"),
    ("carries", "carry"),
    ("goes", "go"),
    ("undergoes", "undergo"),
    ("echoes", "echo"),
    ("does", "do"),
    ("doesnt", "dont"),
    ("has", "have"),
    ("hasnt", "havent"),
    ("is", "am"),
    ("isnt", "am not"),
    ("are", "am"),
    ("gets", "get"),
    ("wants", "want"),
    ("says", "say"),
    ("sees", "see"),
    ("hates", "hate"),
    ("uses", "use"),
    ("cuts", "cut"),
    ("plays", "play"),
    ("misses", "miss"),
    ("watches", "watch"),
    ("pushes", "push"),
    ("fixes", "fix"),
    ("buzzes", "buzz"),
    ("dyes", "dye"),
    ("canoes", "canoe"),
    # Already the first person's, or not a verb that agrees: left alone.
    ("was", "was"),
    ("wasnt", "wasnt"),
    ("died", "died"),
    ("cant", "cant"),
    ("will", "will"),
    ("kiss", "kiss"),
    ("bus", "bus"),
]


@pytest.mark.parametrize("third,first", VERBS, ids=[v[0] for v in VERBS])
def test_the_verb_after_a_retold_i_agrees(third, first):
    assert _agree(third) == first


def lexicon(text: str):
    return lexicon_screen(normalise(text), risk_screen())


def test_a_friend_dying_is_read_as_i_die_not_i_dy():
    # "who cares" is no weak hit of its own: only the verb stood between this and the rule.
    result = lexicon("my mate says who cares if he dies")
    assert result.risk and result.categories == ("self_harm",), result
    assert result.reasons == ("lexicon: self_harm, someone else at risk (my mate: who cares if he dies)",)


# Each starts with the weak "nobody cares" / "no one cares", which the message's own reading finds first.
RETOLD = [
    ("my mate says nobody cares if he dies", "my mate", "nobody cares if he dies"),
    ("my sister thinks no one cares if she is dead", "my sister", "no one cares if she is dead"),
    ("my sister says no one cares if she dies", "my sister", "no one cares if she dies"),
    (
        "my best friend said nobody would notice if she was gone",
        "my best friend",
        "nobody would notice if she was gone",
    ),
    (
        "my little brother reckons no one would care if he wasnt here",
        "my little brother",
        "no one would care if he wasnt here",
    ),
]


@pytest.mark.parametrize("text,who,words", RETOLD, ids=[r[0] for r in RETOLD])
def test_a_retold_match_stands_where_a_weaker_one_started(text, who, words):
    result = lexicon(text)
    assert result.risk and result.categories == ("self_harm",), result
    assert result.reasons == (f"lexicon: self_harm, someone else at risk ({who}: {words})",)


@pytest.mark.parametrize(
    "text", ["my mate says nobody cares if he dies", "my sister thinks no one cares if she is dead"]
)
def test_the_two_trial_follow_ups_alert_high_as_someone_else_at_risk(text):
    result = screen(text)
    assert result.risk and result.priority == "high" and "self_harm" in result.categories, result
    assert result.reasons[0].startswith("lexicon: self_harm, someone else at risk ("), result.reasons


@pytest.mark.parametrize(
    "text",
    [
        "my mate says nobody cares if he dies in fortnite",
        "my sister says no one cares if she dyes her hair pink",
        "my sister thinks no one cares if she is late",
        "my brother says nobody cares if he goes to the party",
        "my mate says no one cares if he is not here at school",
    ],
)
def test_a_friend_s_everyday_nobody_cares_raises_nothing(text):
    assert not lexicon(text).risk, lexicon(text)

"""Someone else's words retold in the first person ([someone_else]): the verb after the retold "i" agrees
("he dies" -> "i die", not "i dy"), and a retelling's stronger or longer match is kept even where the message's
own weaker one starts ("no one cares" is weak; "no one cares if she is dead" read as "if i am dead" is not).
Lines written here, never copied from the corpus, its TEST split or the holdout."""

from __future__ import annotations

import pytest

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

"""The twelfth probe (issue 10, 7 December, fifth session), and a wish said as "if".

A negation after "if" and a subject in the past tense ("if she didnt", "if he wouldnt") wishes away what is happening,
as "i wish he didnt" does: "if she didnt pull my hair when im slow it would be fine" alerts. "even if he didnt" and a
plain denial still set the match aside.
"""

import pytest

from tests.analysis.rule_cases import lexicon_categories


@pytest.mark.parametrize(
    ("text", "alerts"),
    [
        ("if she didnt pull my hair when im slow it would be fine", True),
        ("i would be happy here if he didnt hit me", True),
        ("if my stepdad wouldnt lock me in my room i would stay", True),
        ("they pull my hair and call me names", True),
        ("even if he didnt hit me i would still want to move", False),
        ("he didnt hit me", False),
        ("she didnt pull my hair, she was brushing it", False),
        ("this homework makes me want to pull my hair out", False),
    ],
)
def test_a_wish_said_as_if_is_no_denial(text, alerts):
    assert bool(lexicon_categories(text)) is alerts, text

"""Categories trial 13 found misleading (issue 10, T13-8): the duty team reads the category first.

"made me hold a knife for them" was violence alone, though being made to hold a weapon for others is criminal
exploitation; "getting kicked out of my flat friday and have nowhere to go" was missing alone, though losing a
home at short notice is a home that is not safe (the corpus labels nowhere to sleep as both).
"""

import pytest

from voice_service.analysis import screen
from voice_service.analysis.risk import lexicon_screen, risk_screen
from voice_service.analysis.text import normalise


@pytest.mark.parametrize(
    ("text", "categories"),
    [
        (
            "my brothers mates made me hold a knife for them and said theyd do me in if i didnt",
            {"exploitation", "violence"},
        ),
        ("the olders make me carry a blade for them", {"exploitation"}),
        ("im getting kicked out of my flat friday and have nowhere to go", {"missing", "unsafe_home"}),
        ("the landlord is evicting us next week", {"unsafe_home"}),
        ("we have nowhere to live after this month", {"unsafe_home"}),
    ],
)
def test_the_category_names_what_it_is(text, categories):
    found = screen(text)
    assert found.risk and categories <= set(found.categories), found


@pytest.mark.parametrize(
    "text",
    [
        "we got kicked out of the cinema for laughing",
        "she got evicted from the big brother house lol",
        # Chores: "makes me carry the" read as carrying for someone (exploitation, high) before trial 13.
        "my carer makes me carry the shopping",
        "mum made me carry the bags from the car",
        "my dad makes me hold the ladder",
    ],
)
def test_everyday_lines_of_those_shapes_raise_nothing_from_the_lexicon(text):
    assert not lexicon_screen(normalise(text), risk_screen()).risk

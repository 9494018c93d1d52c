"""What trial 12 found the screen missed or alarmed on (issue 10, T12-1 and T12-4).

Missed: trafficking and forced work in plain words ("they took my passport and i work for free"), someone following
the writer home, and a knife and blood in emoji alone. A passport kept by someone, or work without pay, is everyday
alone (a carer keeps a passport safe; volunteering is work for free), so each is a weak signal and the two together
alert; papers kept and not given back alert alone. Alarmed: a cut from sport, and running away from homework. Every
line is written here, none taken from the holdout, the unseen author or the TEST split.
"""

import pytest

from voice_service.analysis import screen
from voice_service.analysis.risk import lexicon_screen, risk_screen
from voice_service.analysis.text import normalise


def lexicon(text: str):
    return lexicon_screen(normalise(text), risk_screen())


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("they took my passport and i work for free", "exploitation"),
        ("he keeps my id and i have to work for nothing", "exploitation"),
        ("they took my passport and wont give it back", "exploitation"),
        ("the man has my papers and i dont get paid for the work", "exploitation"),
        ("someone keeps following me home", "violence"),
        ("some lads have been following me home from school", "violence"),
        ("a woman keeps following me around", "violence"),
        ("🔪🩸", "violence"),
        ("🩸🔪", "self_harm"),
    ],
)
def test_what_trial_12_found_missed_alerts(text, category):
    found = screen(text)
    assert found.risk and category in found.categories, found


@pytest.mark.parametrize(
    "text",
    [
        # Each signal alone is everyday.
        "my carer keeps my passport safe in the drawer",
        "my sw has my passport for the holiday",
        "i volunteer at the charity shop so i work for free",
        "cutting onions 🔪",
        # A cut from sport, running away from school work.
        "i got a cut on my arm from football",
        "got a graze on my knee at training lol",
        "i want to run away from all this homework haha",
        "running away from my revision again",
        # A younger brother or a dog following is no threat.
        "my little brother keeps following me around",
        "the dog keeps following me everywhere",
    ],
)
def test_everyday_lines_of_those_shapes_do_not_alert(text):
    found = lexicon(text)
    assert not found.risk, found


@pytest.mark.parametrize(
    "text",
    [
        "i cut my arm on purpose, not from football",
        "i got a cut on my arm from football and i cut myself again last night",
        "i want to run away from home",
        "i want to run away from all this homework and my stepdad hits me",
    ],
)
def test_the_everyday_readings_never_hide_a_disclosure_beside_them(text):
    assert lexicon(text).risk

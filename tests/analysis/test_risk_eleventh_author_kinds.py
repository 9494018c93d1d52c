"""Kinds an eleventh author's TUNE half showed the lexicon missed or alarmed on (issue 10, 3 December).

Every line here is written for this test, none taken from the eleventh author's lines (either half), the holdout,
the unseen author or the TEST split. See tests/data/eleventh_author/SOURCES.md.
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
        # Cutting said without an object, how deep to cut, skin scratched with something sharp, gone for good.
        ("i started cutting again last week", "self_harm"),
        ("my mate has been cutting and she wont tell anyone", "self_harm"),
        ("how deep do you have to cut to need stitches", "self_harm"),
        ("my little brother scratches his arms with a pin till they bleed", "self_harm"),
        ("sometimes i just want to vanish for good", "self_harm"),
        # A face slashed by someone; something thrown through the window.
        ("some lads slashed my arm outside the chippy", "violence"),
        ("someone put a firework through our letterbox last night", "violence"),
        ("a brick came through my window again", "violence"),
        # Trips run for others; card details handed over.
        ("the olders have got me doing runs to other towns every weekend", "exploitation"),
        ("i gave this guy my bank details and now he sends money through it", "exploitation"),
        ("a man online offered me easy money if he could use my bank account", "exploitation"),
        # Basics not had; licks from someone; a home that smells with no bedding.
        ("we dont have any hot water and its been weeks", "unsafe_home"),
        ("got proper licks off my stepdad for being late", "abuse"),
        ("the flat stinks of wee and there is no mattress for my sister", "unsafe_home"),
        # Weak signals together: a split lip beside a beating; blood coughed beside being jumped.
        ("my lip is still split from where he punched me", "violence"),
    ],
)
def test_the_kinds_alert(text, category):
    found = screen(text)
    assert found.risk and category in found.categories, found


@pytest.mark.parametrize(
    "text",
    [
        # Cutting with an object that is no harm; a carving on a desk; a haircut.
        "i used to cut grass for the neighbours",
        "she started cutting her own fringe lol",
        "he carved his name into the desk",
        "i started cutting onions for tea",
        # Runs for a coach, a sandwich cut up: no one sent anywhere, no one's body.
        "my coach has me doing runs every morning",
        "my boss has me doing deliveries on saturdays",
        "mum cut up my sandwich",
        # Card details for a shop; a card or details given to someone ordinary.
        "i gave my mum my card details for the shop order",
        "i gave him my birthday card",
        "i gave the doctor my details",
        # Each weak signal alone.
        "easy money from babysitting for my aunty",
        "no pillow on the sofa lol",
        "my nose is bleeding again from the cold",
        # A game lost, a simile, a whole "nothing else".
        "im getting battered in chess by my carer every night",
        "her nails are sharp as knives",
        "nothing else to say thanks",
        # A past that is over: the one who did it died long ago, lives abroad, or nobody bothers me now.
        "my grandad used to hit my nan when i was little, he died years ago and we are all fine",
        "i used to be scared of my uncle but he lives abroad now",
    ],
)
def test_everyday_lines_of_those_shapes_raise_nothing_from_the_lexicon(text):
    """The lexicon's side: the model may still read a line as risk by itself (a nosebleed, an uncle once feared)."""
    found = lexicon(text)
    assert not found.risk, found


def test_the_unit_a_young_person_lives_in_is_no_course_unit():
    """ "on the run from the unit" was set aside as a topic ("unit ... on"), as if the unit were a course's."""
    found = lexicon("im on the run from the unit lol on my way to my mates")
    assert found.risk and "missing" in found.categories, found
    assert not lexicon("the unit on county lines in pshe was good").risk

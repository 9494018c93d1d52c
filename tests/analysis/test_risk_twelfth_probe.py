"""The twelfth probe (issue 10, 7 December, fifth session), and a wish said as "if".

Two helpers who had not read the screen wrote the probe: 240 disclosures (neglect and unsafe conditions, behaviour
with no risk word, jokes with a laugh and road slang) and 240 near misses in the same voices, then 1,200 everyday and
public sentences. The disclosures below had no lexicon line; the near misses and everyday lines raised one. The probe
was tuned on and is not kept.

A negation after "if" and a subject in the past tense ("if she didnt", "if he wouldnt") wishes away what is happening,
as "i wish he didnt" does: "if she didnt pull my hair when im slow it would be fine" alerts. "even if he didnt" and a
plain denial still set the match aside.
"""

import pytest

from tests.analysis.rule_cases import check_high_alert, lexicon_categories


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


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("im sleeping in my mates car atm, its freezing", "unsafe_home"),
        ("i get one meal a day here, if that", "unsafe_home"),
        ("ceiling in my room came down last week and water keeps coming through the light", "unsafe_home"),
        ("cant have a shower, boiler broke in november and no ones sorted it", "unsafe_home"),
        ("nobodys been food shopping for over a week, im using my bus money to buy noodles", "unsafe_home"),
        ("my tooth has been agony for 3 weeks and no one will take me to a dentist", "unsafe_home"),
        ("my sisters baby has a really bad cough from the mould in their flat", "unsafe_home"),
        ("theres rats in our kitchen and my carer says its fine", "unsafe_home"),
        ("no clean clothes, been wearin the same trackies a week lol", "unsafe_home"),
        ("food in our fridge is all mouldy and theres nothing else", "unsafe_home"),
        ("i freeze when the front door slams cos i know whats coming next", "abuse"),
        ("they took my bank card and money goes in and out that isnt mine", "exploitation"),
        ("bare p for holdin sum ting in my room, dont tell staff innit", "exploitation"),
        ("got a new phone n creps from this man, only had to do sum favours", "exploitation"),
        ("haha im in manchester, no one knows, proper adventure", "missing"),
        ("someones been following me home from college the last 3 days", "violence"),
        ("a car keeps slowing down next to me when i walk to the bus stop", "violence"),
        ("goin op block tonite wiv the mandem, might get messy", "violence"),
        ("ngl my mate got poked up last nite, were gunna ride out", "violence"),
        ("took like 20 of my tablets lol feel well weird now", "self_harm"),
    ],
)
def test_the_twelfth_probes_disclosures_alert_high(text, category):
    check_high_alert(text, category)


@pytest.mark.parametrize(
    "text",
    [
        # Near misses in the same voices.
        "my room is freezing cos i leave the window open, my own fault",
        "man got shanked by an npc in gta lol the game is savage",
        "got a knife skin in cs2, worth like £80 lol",
        "in music we had to write a rap about knife crime and mine got played in assembly",
        "got merked at 5 a side lol nutmegged 3 times",
        "i was homeless for a bit at 17 but now ive got my own council flat",
        "ive been out of the gang stuff for 3 years, best decision i ever made",
        "had an eviction notice last year but the council sorted it and im still in my flat",
        "got kicked out of my mums at 14, thats how i ended up in care, it was for the best",
        "i dont know anyone in a gang",
        "lol im going to jump off a cliff if i have to hear that song again",
        "im starving, i havent eaten in like 2 hours lol",
        "sat in the cold at the bus stop for 10 mins, practically homeless lol",
        "carer made me eat sprouts, thats child abuse fr 😂",
        "im gonna disappear for 3 days and just sleep lol",
        # Everyday and public lines.
        "Keep your knives in a block or on a magnetic strip, not loose in a drawer.",
        "Hit me with your best shot, I'm ready.",
        "Man who threatened staff at a petrol station has been handed a suspended sentence.",
        "Knife amnesty bins see hundreds of blades handed in across the West Midlands.",
        "Call 999 if someone is unconscious, not breathing, or having a severe allergic reaction.",
        "A carbon monoxide alarm is a must if you have a gas boiler, fire or cooker.",
        "Got locked out of the work system again after too many password attempts.",
        "My partner overdosed on garlic butter and regretted it all evening.",
        "Talking about suicide does not put the idea in someone's head and can help them feel heard.",
        "I have got so many tabs open my laptop is about to take off.",
        "Score the pork skin with a sharp knife for crispy crackling.",
        "Keep all medicines in a locked cupboard, out of the sight and reach of children.",
        "That noob just jumped off the cliff on purpose, legend.",
        "He gets hit hard by the prop but offloads brilliantly.",
        "The heating at work is broken so we are all sitting in our coats.",
        "That guy is definitely hacking, he hit me through three walls.",
        "I swear this spreadsheet is trying to kill me.",
        "Domestic abuse helplines offer confidential advice to anyone who is worried about a relationship.",
        "burglars broke in next door but no one was hurt",
    ],
)
def test_the_twelfth_probes_near_misses_and_everyday_lines_raise_nothing_from_the_lexicon(text):
    assert not lexicon_categories(text), text

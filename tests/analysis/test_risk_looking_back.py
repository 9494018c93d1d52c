"""False-alarm kinds an independent set found (issue 10, screen round), fixed by structure, never by the line.

A look back that covers what came before it ("... but thats all in the past"); more ways to say a past
is over (the place now is good, here for years now, thriving, rehoused, taken in, paid off, dealt with,
far away now, clean or recovered for a long time); more words between a negation and its match ("not
planning on", "never carried", "dont think about", "nobodys asked me for"); other senses (a remark that
is a knife to the heart, a prize run off with, weather that batters, shot down by a crush, a last chance
to book something); a sparring partner in sport. Each has disclosures of the same shape that still alert.
Every line is written here. These check the lexicon alone: the model still has its say on every message.
"""

import pytest

from voice_service.analysis.risk import lexicon_screen, risk_screen
from voice_service.analysis.text import normalise


def lexicon(text: str):
    return lexicon_screen(normalise(text), risk_screen())


@pytest.mark.parametrize(
    "text",
    [
        # A look back over what came before.
        "there was never any food at my dads but thats all in the past, i eat well now",
        "my uncle used to hit me. that was years ago and i am fine",
        # The place now is good, a long time here, thriving, rehoused, taken in, better.
        "my last foster placement never fed me properly but this new one is brilliant",
        "i ran off a lot from my first carers but ive been here years now",
        "i was homeless for a month at 17 but the council rehoused me, all fine now",
        "i got chucked out at 15 but my foster family took me in and i love it there",
        "my old carer used to lock the fridge but i got moved and its loads better",
        "my childhood was hard, neglect and stuff, but im thriving now",
        "i used to owe money to some dealers but its all paid off now",
        "when i was 12 a man online asked me for pics, i told my carer and it got dealt with",
        "the lads at my old school used to threaten me but im miles away now",
        "i used to think people would be better off without me, i know now thats not true",
        # A long time clean or recovered.
        "been clean from self harm for 400 days today",
        "im 2 years recovered from self harm and an eating disorder",
        # Negations with a few more words between.
        "im not planning on running away, i like it here",
        "ive never carried a knife and never will",
        "i dont think about hurting myself at all",
        "nobodys asked me for nudes or anything",
        "i dont need to run off, i can talk to my key worker",
        # Other senses.
        "that comment was a knife to the heart haha",
        "got battered by the wind walking home",
        "got shot down by the girl i asked out",
        "this is my last chance to book my theory test",
        # Sport.
        "my sparring partner punched me in the face lol good session",
    ],
)
def test_an_everyday_shape_is_set_aside(text):
    assert not lexicon(text).risk, lexicon(text).reasons


@pytest.mark.parametrize(
    "text",
    [
        # A look back that is then taken back, or a look back at something still going on.
        "there was never any food at my dads and there still isnt",
        "he hit me when i was little, that was years ago but he still texts me",
        # A good place now, with harm still there.
        "this new placement is nice but the lad next door keeps threatening me",
        # A past with no word that it ended.
        "i used to owe money to some dealers and they say i still owe",
        "my childhood was hard, neglect and stuff",
        # Recovery for days only, or a relapse.
        "been clean from self harm for 3 days",
        "i was 2 years clean from self harm but i relapsed last night",
        # A negation that does not reach the match.
        "i dont know why but i keep thinking about hurting myself",
        "nobody knows he asked me for nudes",
        # The sense that is harm.
        "he held a knife to my throat",
        "last chance to say goodbye to everyone",
        "my boyfriend punched me in the face",
    ],
)
def test_a_disclosure_of_the_same_shape_still_alerts(text):
    assert lexicon(text).risk

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


@pytest.mark.parametrize(
    "text",
    [
        # Street words: the other side out to get me, named in a track, on a list.
        "some yutes said they tryna bang me next time they see me",
        "my name is in a drill track now and everyone knows my face",
        "im on their list fr",
        # Slang for leaving a placement; a question about not being back.
        "been ghosting the care home since friday",
        "bounced from my foster place and im on the road now",
        "do they call the police if youre not back by curfew",
        # Touching with no sexual word; dialect grammar; a door barred.
        "one of the staff rubs my leg when no ones around",
        "my mums boyfriend kissed me and put his hand down my trousers",
        "my foster dad be batterin me when hes pissed",
        "i push the chair against the door when hes home",
        # Kept in a room, a door locked from outside, left alone, fed unequally.
        "they dont let me out of my room except for school",
        "my door is locked from the outside again prison life lol",
        "carers went on holiday and left me on my own with a tenner for the week",
        "bare hungry cos the fosters eat steak and give me toast",
        # Means kept, a dose looked up, things given away.
        "got a whole collection of razors now its a hobby lol",
        "looked up how many you need to take and how long it takes",
        "gave my xbox and trainers to my little brother cos i wont need them",
    ],
)
def test_a_missed_kind_now_has_a_pattern(text):
    assert lexicon(text).risk


@pytest.mark.parametrize(
    "text",
    [
        "my dog rubs his head on my leg when he wants a walk",
        "the drill track he made is on spotify now",
        "im on the list for the trip",
        "i dont let my little brother in my room",
        "gave my old phone to my brother cos i got a new one",
        "i bought a box of razors for my dad for christmas",
        "the door locks from the outside on the shed",
        "my carers went on holiday and left me with my nan, it was fun",
    ],
)
def test_the_new_patterns_keep_to_the_risky_sense(text):
    assert not lexicon(text).risk, lexicon(text).reasons


@pytest.mark.parametrize(
    "text",
    [
        "I've been neglecting twitter. Needed to make a grand reentry!",
        "i have been neglecting my revision this week",
        "they act like kids when they are grown men",
        "it looks as if a 12 year old made it instead of a grown man",
    ],
)
def test_a_grown_man_as_an_age_and_a_thing_neglected_are_everyday(text):
    assert not lexicon(text).risk, lexicon(text).reasons


@pytest.mark.parametrize(
    "text",
    [
        "my mum has been neglecting my little brother",
        "been neglecting the baby cos im so tired",
        "a grown man keeps messaging me on snap",
        "im 14 and i talk to a grown man online",
    ],
)
def test_neglect_of_a_child_and_a_grown_man_in_a_young_persons_life_still_alert(text):
    assert lexicon(text).risk


@pytest.mark.parametrize(
    "text",
    [
        # Second round: the same kinds said other ways.
        "got ops lookin for me, i need to stay low",
        "these yutes from the other side tryna bang me",
        "the worker at the home gets too close and rubs my leg when nobody is about",
        "i lock the bathroom door and put the washing basket against it when hes home",
        "i flinch whenever he lifts his hand even for the remote",
        "told my form tutor i fell down the stairs again, second time this week",
        "lol this man down the road keeps sending me dick pics hes like 60 haha",
        "they sent me to a town i never heard of to stay in a flat for a few days",
        "cant come to football, got work away, the kind you cant say no to lol",
        "mums away on holiday and left me home alone with 10 quid",
        "my bedroom doors locked from outside again lol",
        "im washing at school cos the water at home is off",
        "been riding the night bus up and down to stay warm",
        "its 4am and im still walking round the high street",
    ],
)
def test_a_missed_kind_said_another_way_alerts(text):
    assert lexicon(text).risk


@pytest.mark.parametrize(
    "text",
    [
        "i was sofa surfing last year, but now ive got a tenancy",
        "my birth dad neglected me but that was before i can remember",
        "my old sw got me out of a really abusive home, so grateful",
        "i wanted to die at 14. at 18 i got into uni. it gets better",
        "im gonna kill my sister she ate my last yogurt",
        "im running away with this years maths prize",
        "my form tutor will shoot me if im late again",
        "the rules are dumb, no food upstairs and no phones after ten",
        "we put the bins against the wall when the wind is bad",
    ],
)
def test_a_past_over_a_petty_threat_and_a_house_rule_are_everyday(text):
    assert not lexicon(text).risk, lexicon(text).reasons


@pytest.mark.parametrize(
    "text",
    [
        "im gonna kill him he took my money and my phone",
        "he will shoot me if i tell anyone",
        "my birth dad neglected me and he still turns up drunk",
        "the other team said they will stab me after the match",
    ],
)
def test_the_same_shapes_with_real_harm_still_alert(text):
    assert lexicon(text).risk

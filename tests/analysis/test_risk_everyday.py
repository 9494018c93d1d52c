"""The lexicon's everyday round of issue 10 (the y7/y8 session): school work as a topic, a knife put to
food, a knock from a ball or a sport, staying out with leave, and more ways of saying a past is over.
Each rule has lines it must set aside and lines it must not.

Every line is written here, never taken from the corpus or the holdout; the learned model still gets
its say on all of them (these check the lexicon alone).
"""

import pytest

from voice_service.analysis.risk import lexicon_screen, risk_screen
from voice_service.analysis.text import normalise


def lexicon(text: str):
    return lexicon_screen(normalise(text), risk_screen())


# A [safe] phrase that is itself a topic ("learnt about county lines") still makes its clause a topic,
# so the next item in the list is one too.
@pytest.mark.parametrize(
    "text",
    [
        "in citizenship we learnt about county lines and grooming",
        "we had a lesson on knife crime and gangs today",
    ],
)
def test_a_topic_blanked_as_safe_still_covers_the_rest_of_its_clause(text):
    result = lexicon(text)
    assert not result.risk, result


# School and youth work as a topic: a council, a dissertation, posters, a quiz "about" or "on" a harm,
# a project "looking at" it, this week's subject, a visitor who "came in about" it.
@pytest.mark.parametrize(
    "text",
    [
        "the youth council is about knife crime this year",
        "my brother is doing his dissertation on self harm in teenagers",
        "we had to make posters bout grooming in form",
        "our pshe topic this week is county lines",
        "my geography project is looking at knife crime in cities",
        "a police officer came in about grooming today",
        "we had a talk from a local charity about running away",
        "in pshe we did a quiz on sextortion",
    ],
)
def test_school_work_about_a_harm_is_a_topic(text):
    result = lexicon(text)
    assert not result.risk and any("topic only" in r for r in result.reasons), result


@pytest.mark.parametrize(
    "text",
    [
        "my mate came in about his dad hitting him",  # a friend who came to say something, no visitor
        "the youth worker came in to talk about it because my stepdad hits me",  # harm to the writer
        "my project is about knife crime but my brother carries a knife",  # a new clause
        "my dad came in about midnight and hit me",
    ],
)
def test_a_topic_never_hides_a_disclosure_beside_it(text):
    assert lexicon(text).risk


# A knife put to food, and a knock from a ball, a sport or a fall: other senses, blanked as [safe].
@pytest.mark.parametrize(
    "text",
    [
        "you need a sharp knife before you chop the onions",
        "i used the big knife to make tea",
        "my foster mum let me use a knife in food tech",
        "got a black eye from a hockey ball at training",
        "i have bruises all over my knees from netball lol",
        "my little sister got a bruise from falling off her scooter",
    ],
)
def test_a_kitchen_knife_or_a_knock_in_sport_is_no_risk(text):
    result = lexicon(text)
    assert not result.risk, result


# Kitchen and table knives in the plural, and bread cut with one, are kitchenware too.
@pytest.mark.parametrize(
    "text",
    [
        "we bought new steak knives and they are great",
        "the kitchen knives in our flat are so blunt",
        "i cut the bread with a bread knife",
    ],
)
def test_kitchen_knives_in_the_plural_are_no_risk(text):
    result = lexicon(text)
    assert not result.risk, result


# ...but a kitchen or sharp knife someone has on them, pulls or chases with is a weapon.
@pytest.mark.parametrize(
    "text",
    [
        "he pulled a sharp knife on me",
        "he pulled a kitchen knife on me",
        "he chased me with a sharp knife",
        "my brother carries a kitchen knife",
        "my mate brings a kitchen knife to school",
        "he keeps kitchen knives under his bed",
    ],
)
def test_a_kitchen_knife_carried_or_pulled_is_a_weapon(text):
    assert "violence" in lexicon(text).categories


@pytest.mark.parametrize(
    "text",
    [
        "he held a knife to my throat while i was making dinner",
        "he pulled a knife on me at dinner",
        "i have bruises all over my legs from my stepdad",
        "my little bro has a black eye from walking into a door",  # the cover story stays an alert
        "my dad gave me a black eye at football",
    ],
)
def test_a_knife_or_an_injury_with_a_person_behind_it_alerts(text):
    assert lexicon(text).risk


# Staying out or over with leave: agreed, planned, asked, a carer who knows.
@pytest.mark.parametrize(
    "text",
    [
        "im staying at my mates on saturday and my carer knows",
        "staying out till 9 tonight its agreed",
        "my little sister is staying over at her friends but she asked and its fine",
        "im staying at my mates tonight, my foster mum spoke to her mum",
    ],
)
def test_staying_out_with_leave_is_no_risk(text):
    result = lexicon(text)
    assert not result.risk, result


@pytest.mark.parametrize(
    "text",
    [
        "im staying at my mates and my carer doesnt know",
        "i am staying out till 3am its agreed with my olders",
        "im staying at my mates for days and my carer knows",
        "im staying at my mates tonight",
    ],
)
def test_staying_out_without_leave_or_with_danger_alerts(text):
    assert lexicon(text).risk


# [resolved], more ways: help that helped, a change since, help now, a home or a tenancy of one's own.
@pytest.mark.parametrize(
    "text",
    [
        "i used to feel suicidal but counselling really helped",
        "i used to run away but that has changed since i got a new sw",
        "when i was younger i used to self harm but i get support now and im ok",
        "i was sofa surfing last year but now im in a lovely flat",
        "i used to sleep rough but i have a tenancy now",
        "i used to not come home but ive stopped since i moved placement",
    ],
)
def test_a_past_said_to_be_over_by_help_or_a_home_is_set_aside(text):
    result = lexicon(text)
    assert not result.risk and "lexicon set aside: historical and over" in result.reasons, result


@pytest.mark.parametrize(
    "text",
    [
        "therapy helped but i want to die again",
        "my sw helped me but he still hits me",
        "i cut myself last night, therapy has not helped",
        "i was homeless last year but im in a nice flat now and my ex keeps threatening me",
    ],
)
def test_help_or_a_home_does_not_end_a_present_harm(text):
    assert lexicon(text).risk


# [safe] phrases for a game lost, a road accident or a kitchen slip never hide a beating, a wish to be
# hit by a bus or a cut with a blade.
@pytest.mark.parametrize(
    "text",
    [
        "my dad beats me in my room",
        "he beat me in front of everyone",
        "my mum beats me on the head",
        "my dad battered me on sunday and i cant go to school",
        "i cut my hand with a razor on purpose",
        "i burnt my hand with a lighter on purpose",
    ],
)
def test_an_everyday_sense_never_hides_harm_beside_it(text):
    assert lexicon(text).risk


@pytest.mark.parametrize(
    "text", ["i want to get hit by a bus", "i keep wishing id be hit by a car", "i want to get run over by a train"]
)
def test_a_wish_to_be_hit_by_traffic_is_self_harm(text):
    assert "self_harm" in lexicon(text).categories


@pytest.mark.parametrize(
    "text",
    [
        "he always beats me at fifa",
        "my brother smashed me at chess lol",
        "she beat me in the race on sports day",
        "beats me at everything tbh",
        "my nan got knocked over by a bike but shes fine",
        "i cut my finger with the knife making tea",
        "i stabbed my finger with a needle in textiles lol",
    ],
)
def test_a_game_lost_a_road_accident_or_a_kitchen_slip_is_no_risk(text):
    result = lexicon(text)
    assert not result.risk, result


# Gunfire, rope made ready and nights in a car are harm; a shot at goal, the rope idiom and a nap on a
# journey are not.
@pytest.mark.parametrize(
    "text",
    [
        "someone fired shots at the house last night",
        "they took shots at the car i was in",
        "shots were fired outside our flat",
        "ive got enough rope now",
        "we slept in the car there for three nights",
    ],
)
def test_gunfire_rope_and_nights_in_a_car_alert(text):
    assert lexicon(text).risk


@pytest.mark.parametrize(
    "text",
    [
        "he took a shot at the goal and missed",
        "we took shots at the party lol",
        "give them enough rope to hang themselves",
        "i fell asleep in the car on the way home",
    ],
)
def test_a_shot_at_goal_the_rope_idiom_and_a_nap_in_the_car_are_no_risk(text):
    result = lexicon(text)
    assert not result.risk, result


# Joining or being in a gang, and pressure to pay a debt back or hold stuff, are not "me and the gang"
# or exam pressure.
@pytest.mark.parametrize(
    "text",
    [
        "my brother joined the gang",
        "im in the gang now and cant get out",
        "im under pressure to pay them back",
        "they keep putting me under pressure to hold stuff",
    ],
)
def test_joining_a_gang_or_pressure_to_pay_back_alerts(text):
    assert lexicon(text).risk


@pytest.mark.parametrize(
    "text",
    [
        "me and the gang went bowling",
        "im under pressure with exams",
        "im under pressure to do well",
        "im under pressure to run the 100m faster",
    ],
)
def test_friends_as_the_gang_and_exam_pressure_are_no_risk(text):
    result = lexicon(text)
    assert not result.risk, result


# A gun kept at home is a weapon in the house, not a weak word on its own; a water gun is a toy.
@pytest.mark.parametrize(
    "text", ["theres a gun in the house", "found a gun in the wardrobe", "i saw a gun in the kitchen drawer"]
)
def test_a_gun_kept_at_home_alerts(text):
    assert "violence" in lexicon(text).categories


def test_a_water_gun_in_the_garden_is_no_risk():
    assert not lexicon("the water gun in the garden is broken").risk


# A plea with no risk word (trial finding 34): someone made to stop, or it all made to stop, alerts; what is
# to stop named as an everyday thing (snoring, raining, the noise) or said with a laugh does not.
@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("please make him stop", "abuse"),
        ("make her stop", "abuse"),
        ("pls make them stop", "abuse"),
        ("make my stepdad stop", "abuse"),
        ("make him leave me alone", "abuse"),
        ("can you make him stop he keeps coming in my room", "abuse"),
        ("make it stop", "self_harm"),
        ("please make it all stop", "self_harm"),
        ("i just want it all to stop", "self_harm"),
    ],
)
def test_a_plea_to_make_someone_or_it_stop_alerts(text, category):
    result = lexicon(text)
    assert result.risk and category in result.categories, result


@pytest.mark.parametrize(
    "text",
    [
        "make the noise stop lol",
        "make the rain stop",
        "make it stop raining",
        "this song is awful make it stop lol",
        "make him stop snoring",
        "can you make my brother stop taking my charger",
        "make them stop lol",
    ],
)
def test_making_an_everyday_thing_stop_is_no_risk(text):
    result = lexicon(text)
    assert not result.risk, result

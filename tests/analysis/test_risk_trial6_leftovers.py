"""What trial 6 left (issue 10): restrictive eating, a topic's "about" clause after a comma, and two categories.

Eating to lose weight (not eating for days "so i can lose weight", skipping meals to be thin, being sick after meals,
purging, pro-ana sites) is self-harm, for me, a friend or sibling and a younger child, and never a diet, a food not
eaten, a meal missed for being late or a complaint about the food; a negation or a past that is over sets it aside as
it does the other rules. A clause that is only what a programme, book or lesson before it was about ("i watched top
boy on netflix, about county lines") is that topic's; any other clause after a comma stands on its own. Medicine a
carer does not give and a child left waiting at school till dark are "unsafe_home", so the alert's category is the
lexicon's, not the model's guess (self-harm, exploitation). Every line is written here; these check the lexicon alone
except where the alert's category is the point.
"""

import pytest

from voice_service.analysis.risk import lexicon_screen, risk_screen, screen
from voice_service.analysis.text import normalise


def lexicon(text: str):
    return lexicon_screen(normalise(text), risk_screen())


@pytest.mark.parametrize(
    "text",
    [
        # The trial's line, and not eating for a weight or a body hated, said other ways.
        "i dont eat for days so i can lose weight",
        "i havent eaten since monday cos i want to be skinny",
        "i barely eat anything so i can see my ribs",
        "i refuse to eat cos im fat",
        "im not eating until i lose a stone",
        "i dont eat in front of people cos im disgusting",
        "i hate my body so much i dont eat",
        "lol i dont eat for like 3 days at a time to lose weight its fine",
        "is it normal to not eat for days to lose weight",
        # Skipping meals to be thin, or on purpose.
        "i skip breakfast and lunch every day so i can get thinner",
        "i skip meals till im skinny",
        "been skipping meals on purpose and nobody has noticed",
        # Sick made after meals, purging.
        "i make myself sick after i eat",
        "i make myself throw up so i dont put on weight",
        "i put my fingers down my throat after dinner",
        "i purge after every meal",
        # Pro-ana, a few hundred calories a day, laxatives for weight.
        "i follow pro ana accounts on tiktok",
        "been looking at thinspo again",
        "i only eat 300 calories a day",
        "i take laxatives to lose weight",
        # A friend or sibling, and a younger child.
        "my best mate makes herself sick after every meal",
        "this girl at the home doesnt eat so she can lose weight",
        "my sister hasnt eaten in days, she wants to be thin",
        "my little sister wont eat cos she says shes fat",
        "my little brother is 9 and he says hes fat and wont eat his dinner",
    ],
)
def test_eating_to_lose_weight_is_self_harm(text):
    found = lexicon(text)
    assert found.risk and "self_harm" in found.categories, found


@pytest.mark.parametrize(
    "text",
    [
        "i skip meals to lose weight",
        "i havent eaten in 3 days so i can lose weight",
    ],
)
def test_not_eating_for_weight_is_not_a_home_without_food(text):
    # Hunger patterns of unsafe_home ("skip meals", "havent eaten in 3 days") give way when a weight is what it is for.
    assert lexicon(text).categories == ("self_harm",)


@pytest.mark.parametrize(
    "text",
    [
        "i havent eaten in 3 days cos there is no food",
        "i skip meals so the baby eats",
    ],
)
def test_hunger_from_a_home_without_food_is_still_unsafe_home(text):
    assert lexicon(text).categories == ("unsafe_home",)


@pytest.mark.parametrize(
    "text",
    [
        # Ordinary food talk: a food not eaten, a meal missed, a diet, a complaint, being sick from something else.
        "i dont eat meat",
        "i dont eat pork cos im muslim",
        "i skipped breakfast cos i was late",
        "im on a diet for football lol",
        "my foster carer makes me eat my veg",
        "i dont eat much at school cos the food is rubbish",
        "i dont eat breakfast cos im never hungry in the morning",
        "i didnt eat for 2 days cos i had the flu",
        "i stopped eating sugar to lose weight for prom",
        "i dont eat takeaways cos im trying to lose weight",
        "i dont eat carbs to lose weight",
        "i dont eat after 8 to lose weight",
        "im trying to lose weight by going to the gym",
        "i skipped lunch to finish my coursework",
        "i didnt eat before my fight to make weight",
        "i make myself sick with worry before exams",
        "i ate so much i made myself sick lol",
        "i feel fat after christmas dinner lol",
        "i feel fat today so im not eating dessert",
        "i think im fat and i dont eat meat",
        "my mate thinks shes fat but she eats loads",
        "my little sister doesnt eat much because she is tiny",
        # A topic, a negation, a past that is over.
        "my essay is about eating disorders and pro ana sites",
        "i would never starve myself to be skinny",
        "i dont skip meals to lose weight",
        "i used to starve myself but im doing well now",
        "i used to skip meals to lose weight years ago but ive been fine for ages",
        "my sister used to starve herself but shes recovered now",
    ],
)
def test_ordinary_food_talk_is_everyday(text):
    assert not lexicon(text).risk, lexicon(text).reasons


@pytest.mark.parametrize(
    "text",
    [
        # Recovered, then not: a relapse, a few days only, or not recovered at all.
        "i used to make myself sick after meals, i thought i was recovered now but i did it again last night",
        "i used to make myself sick after meals but ive been recovered for 3 days",
        "i used to make myself sick after meals and im not recovered now",
    ],
)
def test_a_recovery_that_is_not_over_still_alerts(text):
    assert lexicon(text).risk


@pytest.mark.parametrize(
    "text",
    [
        "i watched top boy on netflix, about county lines",
        "i watched top boy on netflix. its about county lines",
        "we had an assembly today, it was about grooming and county lines",
        "i read a book last night, which is about a girl who gets groomed",
        "we had pshe, all about county lines",
        "the lesson was boring, about knife crime",
        "we had a talk from the police, about county lines",
        "i watched a film, about a boy who wants to kill himself",
    ],
)
def test_a_clause_that_is_only_what_a_programme_was_about_is_its_topic(text):
    found = lexicon(text)
    assert not found.risk and any(r.startswith("lexicon set aside: topic only") for r in found.reasons), found


@pytest.mark.parametrize(
    "text",
    [
        # After a comma, a clause that is not only "about" the work stands on its own.
        "i watched a film, my uncle touches me",
        "we watched a documentary on county lines, my olders make me do drops",
        # An "about" clause naming the writer or someone close.
        "i watched a film, about me getting hit",
        "we did a lesson, about kids who get groomed",
        # "About" as a time, not a topic.
        "i watched a film, about 2 hours later my mate got stabbed",
        "i was on youtube, about to kill myself",
        # No work or lesson in the clause before: "talk" and "course" as a verb and a phrase, not a thing.
        "i got stabbed, about a week ago",
        "im in county lines, about to go country again",
        "can i talk to someone, about county lines",
        "yeah of course, about the county lines thing, im in it",
    ],
)
def test_a_disclosure_after_a_topic_still_alerts(text):
    assert lexicon(text).risk


@pytest.mark.parametrize(
    "text",
    [
        "my carer doesnt give me my meds",
        "my foster carer wont give my little sister her inhaler",
        "my mate says his dad doesnt give him his meds",
        "staff at the home havent given me my medication for a week",
        "i dont get my meds cos my carer wont collect them",
        "is it normal for your carer not to give you your meds",
        "waiting outside school till dark",
        "i was waiting outside school till dark nobody came to pick me up",
        "my little sister waits outside school till dark cos mum forgets her",
        "the 6 year old waits at the school gates till dark every day",
        "nobody came to pick me up from school again",
        "nobody ever comes to pick my little brother up from nursery",
    ],
)
def test_care_withheld_and_a_child_not_collected_are_unsafe_home(text):
    assert lexicon(text).categories == ("unsafe_home",)


@pytest.mark.parametrize(
    "text",
    [
        "my carer doesnt give me my meds",
        "waiting outside school till dark",
    ],
)
def test_the_alerts_category_is_the_lexicons_not_the_models_guess(text):
    # The model alone named these self_harm and exploitation (trial 6); the lexicon's category is the alert's.
    found = screen(text)
    assert found.risk and found.categories == ("unsafe_home",), found


@pytest.mark.parametrize(
    "text",
    [
        "my carer doesnt give me my meds till after tea",
        "my carer doesnt give me my meds because i do them myself now",
        "they didnt give me my prescription at the chemist",
        "she said she doesnt give me my meds at the weekend cos i go to my dads",
        "i waited outside school till dark for my mates",
        "we stayed at school till dark playing football",
        "my carer was late picking me up lol",
        "my carer never picks me up from school",
        "nobody came to pick me up so i walked home",
    ],
)
def test_a_dose_at_its_time_and_a_lift_once_late_are_everyday(text):
    assert not lexicon(text).risk, lexicon(text).reasons

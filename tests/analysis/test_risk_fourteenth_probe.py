"""The fourteenth probe (issue 10, 7 December, fifth session): a harm told in passing in a long reply, care leavers'
lives, euphemism, and a past that goes on.

A helper who had not read the screen wrote 240 disclosures (40 a category, in those four kinds) and 160 near misses
in the same kinds. The disclosures below had no lexicon line; the near misses raised one. The probe was tuned on and
is not kept.

A helper reviewed the round's rules against the code before them, and found 18 disclosures that new set-asides
silenced (a break-up said to be past while he "turns up every night", a flat or a fresh start as if the harm had
ended, a secret with a present, running away "to the park") and 74 everyday lines that new rules misread (a scarf
round the neck, head banging at a gig, "thats what im supposed to say" in an interview, a cat that tripped me down
the stairs). Those set-asides were dropped or narrowed; the rules too wide for a strong line became weak signs (two
are needed: "i dont like bath time at my uncles", the door opening at night, "its them or me", "dont ask about my
eye", sleeping wherever i can) or were dropped.
"""

import pytest

from tests.analysis.rule_cases import check_high_alert, lexicon_categories


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("theres no point making summer plans for me", "self_harm"),
        ("it got better with my counsellor but she left and ive gone back to cutting", "self_harm"),
        ("i tied something round my neck on sunday night but it snapped", "self_harm"),
        ("the head banging i used to do has come back, i did it last night till i saw stars", "self_harm"),
        ("he gives me sweets and money if i keep quiet about the sleepovers", "abuse"),
        ("when shes in one of her moods i get it worse than the others", "abuse"),
        ("my sw knows about the lads using me to carry and im still doing it", "exploitation"),
        ("i said everything was fine but im still staying out most nights", "missing"),
        ("off on an adventure tomorrow, not telling anyone where", "missing"),
        ("i hit someone with a bottle and now their older brothers are looking for me", "violence"),
        ("my carer gets drunk every night and drives us to school still drunk in the morning", "unsafe_home"),
    ],
)
def test_the_fourteenth_probes_disclosures_alert_high(text, category):
    check_high_alert(text, category)


@pytest.mark.parametrize(
    "text",
    [
        "i used to carry a knife when i was 14, but i did a course and handed it in. i dont need it anymore",
        "me and my friend are running away... to the cinema lol",
        "i got kicked out of my first flat for rent arrears but havent missed a payment since at my new place",
    ],
)
def test_the_fourteenth_probes_near_misses_raise_nothing_from_the_lexicon(text):
    assert not lexicon_categories(text), text


REVIEW_DISCLOSURES = [
    "gave it in to the teacher, i dont need it anymore, he stabs people with his",
    "i handed it in after i stabbed him, i dont need it anymore",
    "ive got a secret with my uncle and im not allowed to tell anyone, he gives me presents",
    "ive got a secret and he says i get a present if i dont tell",
    "im running away to the park",
    "im running away to the beach",
    "running away to the park 😂",
    "he moved abroad, when we broke up he said he'd kill me and he messages me threats every night",
    "the council found me a flat, when we broke up he said hed kill me and he turns up outside every night",
    "been here two years, used to cut and i cut every night",
    "a new flat, new start, when we split up he strangled me and he turns up drunk at night",
    "fresh start, used to self harm and i cut every night",
    "im settled here, when we broke up he said hed kill me and he turns up outside my flat every night",
    "i have my own flat now, when we broke up he said he would kill me and he turns up every night",
    "i live in my own flat now, when we were together he hit me and he turns up at my door drunk",
    "nobody hurts me now, when we lived together he raped me and he messages me every night",
    "when we broke up he said hed kill me and he turns up every night. im safe here though",
    "we get on well now, when we were together he choked me and he does it when hes drunk",
]

REVIEW_EVERYDAY = [
    "dont bother making plans for me this weekend, im working at the cafe",
    "no point making christmas plans for me, im at my nans this year",
    "no point in making summer plans for me till i know my exam results",
    "do not bother planning any plans for me, i'll sort my own birthday",
    "gone back to cutting my own hair since the barbers put prices up",
    "going back to cutting grass for the neighbour on saturdays for pocket money",
    "went back to cutting onions for dinner and cried lol",
    "put a scarf round my neck and went out, it was snowing",
    "they put it round my neck at the ceremony, my first medal!",
    "head banging till i saw stars at the slipknot concert",
    "banging my head to this song again its such a tune",
    "the head banging came back in the mosh pit",
    "tell miss jones im sorry i wont see her again cos im leaving school",
    "tell my mentor im sorry i will not be able to see her again, moving to leeds",
    "say to my old keyworker im sorry i never see her again, miss her",
    "tell my pen pal im sorry i wont be able to speak to her again for a while, my phone broke",
    "dont like sleepovers at my uncles cos his dog snores",
    "dont like bedtime at my grandads cos he makes us go to bed at 8",
    "do not like bath time with my foster brothers they splash everywhere lol",
    "i hate it when my bedroom door opens at night cos the cat jumps on me",
    "scared when the door opens in the night cos it creaks so loud lol",
    "hate when my door opens at night and the hall light wakes me up",
    "my sister bought me sweets so i dont tell mum she broke the vase",
    "he paid me to help him so i keep quiet about the party he is planning",
    "thats what im supposed to say in my interview apparently",
    "that is what i am told to say when i answer the phone at work",
    "thats what im meant to say at the wedding speech lol",
    "when she kicks off we get it worse detention for everyone",
    "when she is angry i get it, she has a lot on with work",
    "in one of her moods i get it, she's stressed about the move",
    "when he is angry i get it, his team lost again",
    "late night visits from my brother when he finishes work at the pub",
    "night time visits from my dad at the hospital when i broke my leg",
    "night visits from my nan and grandad at christmas",
    "mum drove me to different cities to look at unis",
    "my carer takes me to different places at weekends for days out",
    "my foster dad takes me to loads of places, the zoo, the seaside",
    "the youth club takes me to other towns for trips",
    "my mates are using me to carry their bags lol",
    "my teacher keeps using me to deliver messages to the office",
    "my little brother is using me to carry him around the shop",
    "a lad i met at the park told me about a place to stay for uni",
    "on holiday, sleeping wherever i can on the plane",
    "revision week, sleeping wherever i can lol",
    "new baby, sleeping wherever i can get an hour",
    "ive gone off again on this whole revision thing",
    "staying with a friend of a friend in london for the concert",
    "staying with a mate of a mate at uni freshers weekend",
    "party at jacks tonight, not sure where the house is exactly",
    "lost my charger, not sure where it is exactly",
    "got a new job, no idea where the flat is exactly im moving to next month",
    "not telling anyone where i hid the easter eggs",
    "their cousins are coming for me at 6 to go to the cinema",
    "his brothers are coming for me after school for xbox",
    "its them or me in the final tonight",
    "its him or me for captain this season",
    "it is them or me for the last place on the course",
    "the cat tripped me down the stairs lol",
    "problem with some boys in my class, teacher said it will be sorted one way or another",
    "know to cover my face when i sneeze",
    "dont ask about my eye, conjunctivitis again",
    "dont ask about my face i fell asleep with a face mask on",
    "dont ask me about my lip, cold sore lol",
    "dont ask about my bruises, i fell off my skateboard",
    "the taxi drove us home, we were so drunk after prom",
    "my mum drove my mates home from the party cos they were pissed",
    "my carer drove me to the hospital when i was high on the gas and air lol",
    "mostly just us kids at the party and whoever turns up",
    "just us kids and whoever comes round for the film night",
    "its just us kids at the youth club and whoever turns up",
    "sunday lunch is just us kids and whoever comes over lol",
    "no point booking plans for me this summer, ive got a job at the leisure centre",
    "put something around my neck, it was my new necklace from nan",
    "im sorry i wont be able to see you again next week,"
    " tell my sw im sorry i wont be able to see her again this month",
]


@pytest.mark.parametrize("text", REVIEW_DISCLOSURES)
def test_what_the_fourteenth_review_found_hidden_alerts(text):
    from voice_service.analysis import screen

    assert screen(text).risk, text


@pytest.mark.parametrize("text", REVIEW_EVERYDAY)
def test_everyday_lines_the_fourteenth_review_found_raise_nothing_from_the_lexicon(text):
    assert not lexicon_categories(text), text


@pytest.mark.parametrize(
    "text",
    [
        "i dont like bath time at my uncles house and he says not to tell",
        "its them or me at this point, they know my route",
        "dont ask about my eye, hes got a temper, ive learnt to cover my face",
    ],
)
def test_the_fourteenth_probes_weak_signs_alert_in_pairs(text):
    assert lexicon_categories(text), text

"""Helper 8's round: kinds, not sentences (issue 10).

Found by running the screen on a dev set written from issue 10's kinds before the lexicon was read
(tests/data/risk_corpus/pending/h8_*.txt). Each rule is checked on lines of its kind written here, most of
them not in that set, never copied from tests/data/everyday, the holdout or the corpus's TEST split; each
everyday line has a disclosure beside it that must still alert.
"""

import pytest

from tests.analysis.rule_cases import check_rule
from voice_service.analysis import screen
from voice_service.analysis.risk import lexicon_screen, risk_screen
from voice_service.analysis.text import normalise


def lexicon(text: str):
    return lexicon_screen(normalise(text), risk_screen())


# Second senses, negation scope, topic-only and "clearly over": everyday lines that must not alert.
EVERYDAY = [
    # "Smashed" or "wasted" with an object after it is the verb, not drunk.
    "she smashed the serve right past me",
    "he wasted his chance at goal again",
    "they smashed it at the talent show",
    # An overdose of something nobody swallows.
    "i got a overdose of homework this week",
    "that video was an overdose of cuteness",
    "overdosed on netflix all weekend lol",
    # "Who've" is "who have": helping kids who have been hurt is a career.
    "i'd love to help kids who've been abused when i'm older",
    # A work with who read, watched or wrote it between it and what it is about.
    "the book we're reading is about a girl whose dad hits her mum",
    "the play i'm writing for drama is about a boy who runs away",
    # A thing, not a person, that will "kill" the writer.
    "The heating bill this winter is going to kill us.",
    "exams are going to kill me",
    "honestly the suspense will be the death of me",
    # Negation over "thinking of", "considering", "about to".
    "i'm not thinking of killing myself, don't worry",
    "i have never considered hurting myself",
    # Clearly over: the one who did it in prison for years, the place now good, out and doing a course now.
    "when i was little my dad hurt my mum, but he's been in prison for years and we're fine",
    "we used to have no food at my mums, that's why i came into care, it's good here",
    "i was in a gang when i was 14 but i'm out and doing my apprenticeship now",
    # Food stabbed before it cooks.
    "we're having stabbed potatoes in the oven tonight",
    "stab the sausages with a fork before you grill them",
    # A petty reason given as the next clause, and a threat over a spoiler.
    "my sister's going to kill me, i wore her top",
    "im gonna kill you if you spoil the ending",
    # A product, a chore, a teacher, a sibling telling tales.
    "This knife set is brilliant, cuts through a tomato like nothing.",
    "the amount of homework we got is abuse honestly",
    "that teacher is lowkey out to get me",
    "i'm running away from my responsibilities today lol",
    "my brother threatened to tell mum i ate the last biscuit",
    # A thing ran away from, a runner's wall, a school sanction, sleep starved of, a thing that hurt, a knife edge.
    "my little girl ran away from the nurse with the needle",
    "i hit the wall at mile 18 and walked the rest",
    "sir threatened the whole class with a pop quiz",
    "starving myself of sleep to finish this coursework",
    "my sister's new piercing really hurt her",
    "the vote is on a knife-edge tonight",
    # A threat over a possession or the rent; an opinion died on; little cousins; food run out at a barbecue.
    "my dad threatened to unplug the xbox if i didnt do my homework",
    "our landlord keeps threatening to put the rent up",
    "honestly i want to die on this hill, chips are better than fries",
    "got jumped on by my little nephews as soon as i got in lol",
    "we ran out of food at the school bbq so we had crisps",
    # A match by its positions and halves; "no one has ever made me feel" negated.
    "their keeper got battered by our strikers in the second half",
    "no one at my placement has ever made me feel unsafe",
    # Near misses of the new disclosure rules below.
    "never ate in that restaurant, the reviews were bad",
    "i have to do favours for my nan on saturdays",
    "phones have to be off all the time in lessons",
    "text me the link or i get it from the website",
    "the cat jumped out the window after a bird",
    "if i get another detention im gonna jump out the window lol",
    "i keep razors in the bathroom cabinet",
    "we looked up how high the eiffel tower is",
    "my mum comes into the kitchen at night for a snack",
    "i have to lock the door at night because the latch is broken",
    "the teacher hit the other kids ball over the fence",
    "the lock on the shed is on the outside",
    "they put me outside in the garden to play",
    "three of us share one room at my dads",
    "all of us slept in one bed at the sleepover lol",
    "my sw told me to find somewhere else to live when i turn 18",
    "i work the line at mcdonalds on saturdays",
    "im doing trap beats on fl studio",
    "i do deliveries for the chippy on saturdays",
    "not sure how to get home from school tomorrow",
    "he got smashed at kickboxing lol and it was sick",
]


@pytest.mark.parametrize("text", EVERYDAY)
def test_an_everyday_line_of_these_kinds_does_not_alert(text):
    result = lexicon(text)
    assert not result.risk, result


# Disclosures beside them, and new kinds: each must alert in its category.
DISCLOSURES = [
    ("mum is smashed again and theres no tea", "unsafe_home"),
    ("he was wasted the whole night and screaming", "unsafe_home"),
    ("there was shouting and he smashed the telly", "violence"),
    ("my stepdad threw plates at my mum last night", "violence"),
    ("she took an overdose of paracetamol", "self_harm"),
    ("i overdosed on my meds last night", "self_harm"),
    ("i want to help kids whove been abused because my dad still hits me", "abuse"),
    ("the book i read made me see my stepdad hits me", "abuse"),
    ("the film we watched on bullying made me see i want to die", "self_harm"),
    ("my dad is going to kill me", "violence"),
    ("the man from the gym is going to kill me", "violence"),
    ("i cant stop thinking of killing myself", "self_harm"),
    ("im not ok, thinking of killing myself", "self_harm"),
    ("there is no food at my mums, it's good here though", "unsafe_home"),
    ("i used to be in a gang, its good here now but they still message me", "violence"),
    ("he got stabbed at lunch by the shops", "violence"),
    ("they are going to kill me, i lost the package", "violence"),
    ("im gonna kill you if you tell anyone", "violence"),
    ("he is out to get me and his mates have knives", "violence"),
    ("im running away from home tonight", "missing"),
    ("i ran away from the home again", "missing"),
    ("im starving myself of food so i get thin", "self_harm"),
    ("my dad hit the wall at 2am and then hit me", "abuse"),
    ("he threatened us with a knife", "violence"),
    ("no one cares that i feel unsafe at home", "unsafe_home"),
    ("my dad battered me after the match", "abuse"),
    ("he threatened to sell my pics", "violence"),
    ("my landlord is threatening to evict us tomorrow", "violence"),
    ("got jumped by my little brothers mates after school", "violence"),
    # Dropped "I", "aint": no food for days.
    ("aint ate in 2 days", "unsafe_home"),
    ("hadnt eaten in 3 days when they found me", "unsafe_home"),
    # Exploitation in its own words.
    ("they let me sleep there but i have to do favours for the men who visit", "exploitation"),
    ("he wants me to do favours for his friends to pay off the phone", "exploitation"),
    ("my phone has to stay on 24/7 or there's consequences", "exploitation"),
    ("the phone can never go off or they come looking", "exploitation"),
    ("im working the line for them every weekend", "exploitation"),
    ("my cousin is doing trap work and cant get out", "exploitation"),
    ("i do drops for some older lads and they pay me in trainers", "exploitation"),
    ("if we get stopped by the feds i have to say its mine", "exploitation"),
    ("my friend goes out with older men for money and she is 13", "exploitation"),
    ("she gets picked up in different cars after school", "exploitation"),
    ("they give us ket at the parties", "exploitation"),
    # Street threats in their own words.
    ("my ex keeps saying hell throw acid on me", "violence"),
    ("they said theyll catch me slippin", "violence"),
    ("the opps said they gonna run up in my mums house", "violence"),
    # Behaviour with no risk word, and someone else at risk.
    ("been looking up how high the multi storey is", "self_harm"),
    ("ive got a rope hidden under my bed now", "self_harm"),
    ("i keep a blade taped inside my phone case", "self_harm"),
    ("im pretending to take my tablets and saving them up", "self_harm"),
    ("my little sister keeps saying she'll jump out the window", "self_harm"),
    ("i have to be really quiet at home or i get it", "abuse"),
    ("my brother has to eat it all or he gets it bad", "abuse"),
    ("my stepdad comes into my sisters room at night", "abuse"),
    ("he sneaks in my room after everyone is asleep", "abuse"),
    ("i wear long sleeves so nobody sees the marks he leaves", "abuse"),
    ("is it normal for my uncle to make me sleep in his bed", "abuse"),
    ("i lock my door so he cant get in", "abuse"),
    ("my foster carer smacks the little ones when they cry", "abuse"),
    # Neglect and unsafe conditions.
    ("theres a bolt on the outside of my bedroom door", "unsafe_home"),
    ("the locks on my door are on the outside", "unsafe_home"),
    ("they leave me outside in the cold when they are drunk", "unsafe_home"),
    ("they only feed us when the social worker visits", "unsafe_home"),
    ("my dad told me to find somewhere else to live", "unsafe_home"),
    ("i havent slept in a bed for three nights", "unsafe_home"),
    ("the bailiffs came and took the kids beds", "unsafe_home"),
    ("five of us have to sleep in one bed cos of the damp", "unsafe_home"),
    # Stranded far from home.
    ("im at a party in another town and dont know how to get back", "missing"),
]


@pytest.mark.parametrize("text,category", DISCLOSURES)
def test_a_disclosure_of_these_kinds_alerts_in_its_category(text, category):
    result = lexicon(text)
    assert result.risk and category in result.categories, result


def test_a_threat_to_kill_the_writer_is_violence_not_the_other_ones_self_harm():
    """Read as the sister's own words, "my sister is going to kill me" holds the writer's "me": a threat, not her
    self-harm, so the categories do not bleed; a sibling who threatens both still raises both."""
    assert lexicon("my sister is going to kill me").categories == ("violence",)
    assert lexicon("my mate wants to kill me").categories == ("violence",)
    both = lexicon("my brother says he is going to kill me and himself")
    assert {"self_harm", "violence"} <= set(both.categories), both


def test_jumping_into_a_shower_is_read_without_it():
    """A [safe] sense the model reads the message without: getting into a shower, a car or a call."""
    assert not screen("i'm going to jump in the shower").risk
    assert not screen("jump on a call later?").risk
    assert screen("im gonna jump in the river").risk
    assert screen("i want to jump off the bridge").risk


@pytest.mark.parametrize(
    "rule,disclosure,category,everyday",
    [
        (
            "a drug given at a party",
            "a man gives us mdma at the parties",
            "exploitation",
            "a man gives us food at the parties",
        ),
        (
            "a height looked up",
            "i searched how far down the cliff is",
            "self_harm",
            "i searched how far down the road the shop is",
        ),
    ],
)
def test_a_rule_and_its_near_miss(rule, disclosure, category, everyday):
    check_rule(rule, disclosure, category, everyday)

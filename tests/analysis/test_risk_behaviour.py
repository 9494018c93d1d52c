"""Warning signs with no risk word, and a younger child at risk, as structured patterns.

Written for "i" and "me"; a friend, partner or younger child ([someone_else]: "the new girl at the home",
"a year 8 at my school", "my girlfriend") is read the same way. Every line is written here, never taken
from the corpus's TEST split or the holdout. Each kind has everyday lines it must leave alone.
"""

import pytest

from voice_service.analysis.risk import lexicon_screen, risk_screen
from voice_service.analysis.text import normalise


def lexicon(text: str):
    return lexicon_screen(normalise(text), risk_screen())


def _alerts(text: str, category: str) -> None:
    result = lexicon(text)
    assert result.risk and category in result.categories, result


@pytest.mark.parametrize(
    "text,category",
    [
        # Getting the means ready, looking up a method, going to the place.
        ("ive been stockpiling my tablets for a while", "self_harm"),
        ("got enough paracetamol saved now", "self_harm"),
        ("i worked out which pills to take", "self_harm"),
        ("i looked up how high the bridge is", "self_harm"),
        ("i was stood at the edge for ages last night looking down", "self_harm"),
        # Goodbyes and arrangements for when they are gone.
        ("i said goodbye to all my mates today", "self_harm"),
        ("consider this my last message", "self_harm"),
        ("i love you all so much, thanks for everything, one last time", "self_harm"),
        ("ive written letters for everyone for when im gone", "self_harm"),
        ("make sure my cat gets looked after when im gone", "self_harm"),
        ("delete my number after tonight", "self_harm"),
        ("dont bother replying i wont need it", "self_harm"),
        ("i gave my xbox to my cousin so its looked after", "self_harm"),
        # Not expecting to be here, said without a risk word.
        ("i keep thinking about not being here", "self_harm"),
        ("whats the point of waking up tomorrow", "self_harm"),
        ("everyone will be better off once im gone", "self_harm"),
        ("there is nothing left for me", "self_harm"),
        ("ill be gone soon anyway", "self_harm"),
        ("i just want to be with my nan in heaven", "self_harm"),
        ("sometimes i think about driving into a wall", "self_harm"),
        ("i dont think i will make it to 16", "self_harm"),
        # Harm done to oneself in plain words.
        ("i bang my head on the wall when it gets too much", "self_harm"),
        ("i scratch my legs till they bleed", "self_harm"),
        ("im going to end it all", "self_harm"),
    ],
)
def test_self_harm_warning_signs_with_no_risk_word(text, category):
    _alerts(text, category)


@pytest.mark.parametrize(
    "text,category",
    [
        ("my girlfriend has been saving up her tablets", "self_harm"),
        ("the new girl at the home keeps saying everyone would be better off once she is gone", "self_harm"),
        ("my little brother keeps banging his head on the floor", "self_harm"),
        ("a year 8 at my school scratches her arms till they bleed", "self_harm"),
        ("my best mate said she is going to end it", "self_harm"),
        ("the youngest at the home keeps saying he wants to go to sleep forever", "self_harm"),
    ],
)
def test_the_same_signs_in_someone_else_alert_too(text, category):
    # Through [someone_else] ("she keeps banging her head" is read "i keep banging my head"),
    # or directly where the sign needs no subject ("said goodbye to everyone").
    _alerts(text, category)


@pytest.mark.parametrize(
    "text,category",
    [
        ("ive packed a bag and im going tonight", "missing"),
        ("i keep my bag packed under the bed in case", "missing"),
        ("i havent been back to the placement since friday", "missing"),
        ("my foster sister hasnt come home since thursday", "missing"),
        ("nobody knows where i am", "missing"),
        ("i turned my location off so they cant find me", "missing"),
        ("im hiding in the woods till they stop looking", "missing"),
        ("i legged it from the placement last night", "missing"),
        ("cant find anywhere to sleep tonight", "missing"),
        ("i slept in a bus shelter last night", "missing"),
        ("dont know where i will sleep tonight", "missing"),
        ("how long before they report me missing", "missing"),
    ],
)
def test_going_missing_or_nowhere_to_sleep_with_no_risk_word(text, category):
    _alerts(text, category)


@pytest.mark.parametrize(
    "text,category",
    [
        ("the baby gets shaken when he cries", "abuse"),
        ("my little sister keeps getting smacked for nothing", "abuse"),
        ("my 5 year old brother got locked in the cupboard again", "abuse"),
        ("my mum leaves me with the baby all weekend", "unsafe_home"),
        ("the baby is left on her own while mum goes out", "unsafe_home"),
        ("im 10 and home alone every night", "unsafe_home"),
        ("there are needles on the floor in the living room", "unsafe_home"),
        ("my mum brings random men home", "unsafe_home"),
        ("a boy in my class came to school with bruises all over his arms", "abuse"),
        ("my cousin has marks on her neck and said her dad did it", "abuse"),
        ("he held my hand on the cooker", "abuse"),
        ("the adults are always passed out", "unsafe_home"),
    ],
)
def test_a_younger_child_harmed_or_left_alone(text, category):
    _alerts(text, category)


@pytest.mark.parametrize(
    "text",
    [
        "i gave my old clothes to the charity shop",
        "bye for now, ill text you when im back",
        "i love you all, see you at christmas",
        "ill be gone by the time you get home, back monday",
        "my dad hasnt come home yet, hes working late",
        "i slept in the car on the way to cornwall",
        "i bought a single ticket to london for the gig",
        "whats the point of getting up early on a sunday",
        "i hit my head on the door getting out of the car",
        "i burnt myself on the iron doing my shirt",
        "i was shaken up after the crash but fine",
        "my bike got pinched from outside college",
        "i put my socks on the radiator to dry",
        "the bikes are locked in the shed",
        "she left me in charge of the shop for an hour",
        "i live on my own now and love it",
        "i was sat on the edge of the bath",
        "the kids were hit by a ball in pe",
        "he left me alone after i asked him to",
        "they dont know where i am going on holiday yet",
        "we slept in a tent at the festival",
        "the plates go in the cupboard",
        "unix gives you enough rope to hang yourself",
    ],
)
def test_everyday_lines_near_these_signs_do_not_alert(text):
    assert not lexicon(text).risk, lexicon(text)


@pytest.mark.parametrize(
    "text,category",
    [
        ("my mate gave me her trainers and said she wont be needing them", "self_harm"),
        ("my cousin said he wont be around for his birthday", "self_harm"),
        ("my sister posted a goodbye on her story and then deleted it", "self_harm"),
        ("the lad in the room next to me keeps saying sorry for everything like he is leaving", "self_harm"),
        ("look after my dog if anything happens", "self_harm"),
        ("thinking about sewerslide again", "self_harm"),
        ("i just wanna delete myself", "self_harm"),
        ("gonna rope tonight", "self_harm"),
        ("my stepdad always says im useless and ugly", "abuse"),
        ("my carer keeps telling me nobody wants me", "self_harm"),
        ("she says ill get taken away if i tell", "abuse"),
        ("they make me go without tea as a punishment", "abuse"),
        ("i get sworn at all the time at home", "abuse"),
        ("i only get one meal a day here", "abuse"),
        ("my carers order takeaways and i get toast", "abuse"),
        ("the fridge is empty again and mum hasnt been back", "unsafe_home"),
        ("weve had nothing but cereal for four days", "unsafe_home"),
        ("i havent had a proper meal in days, there is never any food at home", "unsafe_home"),
        ("i been grafting for my olders since year 9", "exploitation"),
        ("they sent me up to a town i dont know to sell for a week", "exploitation"),
        ("im on the line tonight till 3", "exploitation"),
        ("had to plug it on the train", "exploitation"),
        ("they said theres a green light on me", "violence"),
        ("they said im a dead man", "violence"),
    ],
)
def test_slang_cruel_words_hunger_and_street_threats_in_their_own_words(text, category):
    _alerts(text, category)


@pytest.mark.parametrize(
    "text",
    [
        "i plugged it in and it still didnt charge",
        "i bottled it and didnt ask her out",
        "i wont be needing my coat today its boiling",
        "my mate says im stupid for liking that show lol",
        "the fridge is empty, need to go to tesco",
        "can we get a takeaway on friday",
        "my job is on the line if i am late again",
        "the nitty gritty of the essay is due monday",
        "i rope in my mates to help at the bake sale",
        "i checked out the new library today",
    ],
)
def test_the_same_words_in_everyday_senses_do_not_alert(text):
    assert not lexicon(text).risk, lexicon(text)


@pytest.mark.parametrize(
    "text,category",
    [
        ("my foster brother is giving away all his games and wont say why", "self_harm"),
        ("my mate has been googling the highest bridges round here", "self_harm"),
        ("i tried to end it last month and nobody came", "self_harm"),
        ("i feel like i dont deserve to live", "self_harm"),
        ("no one would notice if i disappeared", "self_harm"),
        ("i took a load of tablets on purpose last night", "self_harm"),
        ("i cut my arm with a razor on purpose", "self_harm"),
        ("i started cutting again after my contact got cancelled", "self_harm"),
        ("one of the staff used to pin me down for nothing", "abuse"),
        ("my stepdad was hurting me the whole time", "abuse"),
        ("he makes me keep secrets and gives me money after", "abuse"),
        ("my mums boyfriend tells me im sexy and im 12", "abuse"),
        ("he keeps texting me at night asking what i am wearing", "exploitation"),
        ("the lodger keeps trying to get into my bed", "abuse"),
        ("he asks me to sit on his lap when mum is at work", "abuse"),
        ("my uncle keeps rubbing my leg under the table", "abuse"),
        ("my little sister doesnt come home till the morning", "missing"),
        ("my mate got into a strangers car and hasnt come back", "missing"),
        ("my twin gets picked up every night and comes back at 5am", "missing"),
        ("my cousin goes out and wont say where she goes", "missing"),
        ("my girlfriend has to answer one of her phones day and night", "exploitation"),
        ("some men gave my boyfriend a bag to deliver", "exploitation"),
        ("my mate got arrested in a different city", "exploitation"),
        ("my little sister gets presents from a man she met online", "exploitation"),
        ("a man keeps asking my sister to go on camera", "exploitation"),
        ("the lad next door is sending pictures to a man he met on snap", "exploitation"),
        ("he said if i dont send more pics he will share the others", "exploitation"),
        ("theyll come for me if i dont pick up", "exploitation"),
    ],
)
def test_testimony_intrusion_secrets_and_exploitation_signs(text, category):
    _alerts(text, category)


@pytest.mark.parametrize(
    "text",
    [
        "my back was hurting me all day",
        "the surprise party, my mum makes me keep quiet about it",
        "my body looks good in this dress",
        "my mum was rubbing my back when i was sick",
        "mum told me to stay in bed on facetime to nan",
        "i send my mum my location whenever she asks",
        "my mum comes home at 6am from her night shift",
        "my dad doesnt come home till the morning from work",
        "my cat disappears every night",
        "she gets picked up after school every day by her nan",
        "i am missing you all so much",
        "i tried to end it with him last week, we are just friends now",
        "we got two phones on the family plan",
        "she said to delete it and start the essay again",
        "my little brother likes to sit on grandads lap",
        "i gave away my old games to my cousin",
    ],
)
def test_near_misses_of_those_signs_do_not_alert(text):
    assert not lexicon(text).risk, lexicon(text)


def test_a_weak_sign_alone_is_everyday_but_two_together_alert():
    assert not lexicon("my sister gets picked up every night").risk
    assert not lexicon("he comes back at 5am").risk
    _alerts("my sister gets picked up every night and comes back at 5am", "missing")


@pytest.mark.parametrize(
    "text",
    [
        "i only eat one meal a day when im fasting",
        "im working for him now at the garage",
        "im not going to bore you with the details",
        "the nurse said im next",
        "we checked out early from the hotel",
        "my uncle has been working the line at the factory for years",
        "they made me wait for hours at the doctors",
        "i wont be around for christmas, going to my nans",
        "people who talk in cinemas dont deserve to be happy",
        "he tried to end it but she said no",
        "my mum just gave me toast for breakfast",
        "my brother says im stupid for liking that show",
        "the doctor has to answer the phone day and night",
        "she gave me a bag to carry for her",
        "my husband went out for milk and hasnt come back yet lol",
        "im a dead man if i forget her birthday",
        "the chairs have carved legs",
        "hard to pin me down on a date",
    ],
)
def test_everyday_adult_english_near_these_patterns_does_not_alert(text):
    # Each pattern keeps to the young person's own risk: a diet, a job, a queue, a hotel, a joke.
    assert not lexicon(text).risk, lexicon(text)


@pytest.mark.parametrize(
    "text,category",
    [
        ("i told my carers i was staying at my mates but im not", "missing"),
        ("i keep getting messages saying im next", "violence"),
    ],
)
def test_a_cover_story_and_threats_sent_to_the_phone(text, category):
    _alerts(text, category)


@pytest.mark.parametrize(
    "text,category",
    [
        ("whats the quickest way to die", "self_harm"),
        ("does it hurt to drown", "self_harm"),
        ("how do i stop cutting", "self_harm"),
        ("i used to cut a lot", "self_harm"),
        ("my placement has broken down and theres nowhere for me tonight", "unsafe_home"),
        ("i got a notice to leave in 2 days", "unsafe_home"),
        ("my carer said she doesnt want me anymore and i have to pack tonight", "unsafe_home"),
        ("got sent to margate to shot", "exploitation"),
        ("i get called names every day at my placement", "abuse"),
    ],
)
def test_questions_about_a_method_losing_the_placement_and_being_sent_to_sell(text, category):
    _alerts(text, category)


@pytest.mark.parametrize(
    "text",
    [
        "whats the quickest way to get to town",
        "does it hurt to get your ears pierced",
        "we have to stop cutting down trees",
        "i used to cut a lot of onions at work",
        "i got sent to london to deliver a presentation",
    ],
)
def test_the_everyday_questions_and_errands_beside_them(text):
    assert not lexicon(text).risk, lexicon(text)


@pytest.mark.parametrize(
    "text,category",
    [
        ("i cant see a future for me", "self_harm"),
        ("you wont have to worry about me anymore", "self_harm"),
        ("this is the last time you will hear from me", "self_harm"),
        ("i have had enough of life", "self_harm"),
        ("i have a plan for tonight", "self_harm"),
        ("my mate said he has a plan to end it", "self_harm"),
        ("i know how i am going to do it", "self_harm"),
        ("im not scared of dying anymore", "self_harm"),
        ("i just want to end the pain for good", "self_harm"),
        ("ive been staying at my boyfriends and staff dont know", "missing"),
        ("the baby hasnt been fed all day", "unsafe_home"),
        ("her nappy hasnt been changed since yesterday", "unsafe_home"),
        ("my little brother was crying all night and nobody came", "unsafe_home"),
    ],
)
def test_euphemism_a_plan_made_and_a_little_one_not_cared_for(text, category):
    _alerts(text, category)


@pytest.mark.parametrize(
    "text",
    [
        "i cant see a future with him so we broke up",
        "no future for the high street shops",
        "i have had enough of this rain",
        "i have a plan for my revision",
        "paracetamol helps end the pain in my back",
        "the baby hasnt been fed yet today, its nearly time",
        "i stayed at my mates and my carers knew",
    ],
)
def test_a_future_a_plan_and_enough_in_their_everyday_senses(text):
    assert not lexicon(text).risk, lexicon(text)

"""The weak-kinds round (issue 10): neglect, disclosures wrapped in a laugh and disclosures posed as questions,
as lexicon structure. Each rule holds a disclosure (for me, a friend or sibling, or a younger child) and an
everyday line of the same shape that it does not raise. Written for this round, never from the holdout or
from any corpus line."""

from __future__ import annotations

import pytest

from tests.analysis.rule_cases import check_rule
from voice_service.analysis.risk import lexicon_screen, risk_screen
from voice_service.analysis.text import normalise

# (rule, disclosure, the category it raises, an everyday line of the same shape)
CASES = [
    (
        "food on a condition: me",
        "i dont get any tea if i havent done all my jobs",
        "abuse",
        "i dont get pocket money if i havent done my jobs",
    ),
    (
        "food on a condition: us",
        "we dont get dinner unless we have tidied our rooms",
        "abuse",
        "we dont get dessert unless we eat our veg",
    ),
    (
        "food on a condition: not a time or being out",
        "my foster brother doesnt get breakfast unless he says sorry",
        "abuse",
        "we dont get dinner if we are out at cadets, we eat there",
    ),
    (
        "food on a condition: a question",
        "is it normal to not get fed if you forget to hoover",
        "abuse",
        "is it normal to not get lunch till 1 on mondays",
    ),
    (
        "food on a condition: a younger child",
        "my little sister gets no breakfast if she wets the bed",
        "abuse",
        "my little sister gets no sweets if she is cheeky",
    ),
    (
        "meals taken away",
        "my stepmum takes my meals away for a week when i talk back",
        "abuse",
        "i lost my lunch money again on the bus",
    ),
    (
        "to bed with no tea",
        "if i get a detention i go to bed with no tea",
        "abuse",
        "went to bed without dinner cos i felt sick",
    ),
    (
        "no tea for a misdeed, with a laugh",
        "lol no tea again cos i was being gobby 💀",
        "abuse",
        "no pudding cos i was cheeky, fair enough lol",
    ),
    (
        "put out of the house",
        "my dad puts me outside on the step in the rain when hes angry",
        "abuse",
        "the coach put us out in the rain for a fire drill lol",
    ),
    (
        "told to die",
        "haha my mum told me i should just die, love that for me",
        "abuse",
        "my mum told me i should just go to bed lol",
    ),
    (
        "nobody changes a younger child",
        "lol nobody has changed the baby since this morning",
        "unsafe_home",
        "nobody changed the channel so we watched the news",
    ),
    (
        "clothes nobody washes: a friend",
        "my mate says nobody washes her school clothes so people say she smells",
        "unsafe_home",
        "nobody washed the car this week lol",
    ),
    (
        "to school in the same clothes",
        "the boy in the room next to mine goes to school in the same clothes all week",
        "unsafe_home",
        "my brother has worn the same hoodie all week lol gross",
    ),
    (
        "a dirty nappy all day",
        "my baby niece has the same nappy on all day and it leaks",
        "unsafe_home",
        "we all wore the same uniform all week at the dofe camp",
    ),
    (
        "dirty or hungry and nobody there",
        "my little cousin is always filthy and nobody does anything",
        "unsafe_home",
        "my little brother is always dirty after football",
    ),
    (
        "left to cry",
        "the baby screams every night and nobody gets up",
        "unsafe_home",
        "the baby screams every night but mum always gets up",
    ),
    (
        "so cold we sleep in coats",
        "me and my foster sister have to go to bed in our coats and hats",
        "unsafe_home",
        "we slept in our coats at the campsite it was freezing",
    ),
    (
        "breath indoors",
        "you can see my breath in my room when i wake up",
        "unsafe_home",
        "i can see my breath outside its so cold this morning",
    ),
    (
        "no water at home again",
        "haha no water at ours again, washing in the kettle",
        "unsafe_home",
        "no water again at the gym, the fountain is broken",
    ),
    (
        "no water since a month",
        "we have had no water since october and my sister is ill",
        "unsafe_home",
        "there has been no water in the school pool since june",
    ),
    (
        "nothing to drink",
        "the tap water smells funny and we have got nothing else to drink",
        "unsafe_home",
        "we had nothing to eat at the party except crisps",
    ),
    (
        "an office at night with nowhere",
        "sat in the social work office at 10pm with all my stuff in bin bags",
        "unsafe_home",
        "sitting in the office with my bags waiting for my new carer, excited",
    ),
    (
        "out tomorrow with nowhere",
        "the landlord told us to get out by monday and the council wont help",
        "unsafe_home",
        "we have to get out by monday cos the new house is ready",
    ),
    (
        "a parent gone days ago",
        "my mum went out on friday and still not back",
        "unsafe_home",
        "my mum went out yesterday and she is back now",
    ),
    (
        "an overdose with no drug named",
        "took them all like an hour ago and i feel weird",
        "self_harm",
        "i took them all to the park with my carer, the little ones loved it",
    ),
    (
        "a whole packet",
        "jk jk but i really did swallow the whole packet",
        "self_harm",
        "i had a whole packet of biscuits and feel sick lol",
    ),
    (
        "self-injury, the I dropped",
        "lol burnt again last night, whatever",
        "self_harm",
        "lol cut again by my hairdresser",
    ),
    (
        "a plan and a date: a friend",
        "is it bad if my bestie says she has a plan and a date",
        "self_harm",
        "my bestie has a date on saturday and a plan for her outfit",
    ),
    (
        "a debt with interest",
        "i owe some lad from the estate 900 and they keep adding interest",
        "exploitation",
        "i owe my sister 20 quid and she is adding it to my chores lol",
    ),
    (
        "owed to olders, with a laugh",
        "haha owe the elders 400 now 💀",
        "exploitation",
        "haha owe my nan a visit this weekend",
    ),
    (
        "a debt that grows",
        "every day i miss the debt goes up",
        "exploitation",
        "the national debt went up again on the news",
    ),
    (
        "a phone answered at once",
        "i got to pick up straight away or the money goes up",
        "exploitation",
        "i have to reply to my mum straight away when i am out or she worries",
    ),
    (
        "a burner that never stops",
        "the burner never stops buzzing and they text at 3am",
        "exploitation",
        "my work phone keeps ringing at my saturday job",
    ),
    (
        "he'd, without the apostrophe",
        "lol my stepdad said hed break my arm if i grass",
        "violence",
        "hed kill for a pizza right now",
    ),
    (
        "dead if i dont pay",
        "they said im dead if i dont bring the money by friday",
        "violence",
        "im dead if i dont finish this essay",
    ),
    (
        "a question: what an adult should do",
        "should your foster dad be allowed to slap you",
        "abuse",
        "should your carer be allowed to give you pocket money",
    ),
    (
        "a question: what you do if",
        "what do you do if your stepmum hits you with a slipper",
        "abuse",
        "what do you do if your phone gets stolen",
    ),
    (
        "a question: not having hot water for weeks",
        "is it normal to not have hot water for two weeks",
        "unsafe_home",
        "is it normal to not have a phone at 12",
    ),
    (
        "asking leave for the toilet at home",
        "is it normal to have to ask to go to the toilet at my foster home",
        "unsafe_home",
        "do i have to ask to use the toilet in class",
    ),
    (
        "allowed to eat when hungry",
        "am i even allowed to have food when i get hungry or do i wait till tea",
        "unsafe_home",
        "are we allowed to eat when hungry in lessons",
    ),
    (
        "heating not working all winter",
        "can my sw do anything if our radiators havent worked all winter",
        "unsafe_home",
        "the shower hasnt worked for a week at the gym",
    ),
    (
        "minding brothers every night",
        "i look after my brothers every night cos my dad goes out drinking",
        "unsafe_home",
        "i look after the kids every weekend cos mum goes out to work",
    ),
    (
        "new cuts beside healing scars, with a laugh",
        "my scars look loads better now haha so i made some new ones",
        "self_harm",
        "the old cuts of the film were better, they made new ones for the dvd",
    ),
    (
        "a funeral planned",
        "lol just finished planning my own funeral, very organised of me",
        "self_harm",
        "we are planning my nans funeral this week",
    ),
    (
        "waiting to die",
        "honestly cant wait to be dead lmao",
        "self_harm",
        "cant wait to die my hair pink",
    ),
    (
        "a child thrown down the stairs",
        "haha my mums fella chucked my little brother down the stairs",
        "abuse",
        "my brother kicked the ball against the wall all day",
    ),
    (
        "a bag dropped off for someone",
        "lmao got to drop a bag off for my cousins mate after school",
        "exploitation",
        "i have to drop the dog off at my nans after school",
    ),
    (
        "out for days, the I dropped",
        "been out for four nights now and staff have no clue lol",
        "missing",
        "been out all week with a cold",
    ),
    (
        "nobody home for days",
        "lol no adults have been home since friday, free house",
        "unsafe_home",
        "nobody has been home for a week cos we were all on holiday",
    ),
    (
        "a baby with no bottle",
        "the baby hasnt been given a bottle since breakfast and mum is asleep",
        "unsafe_home",
        "the baby hasnt had a bottle since morning cos shes on solids now",
    ),
    (
        "an adult at home who scares me",
        "lol not being funny but my mums boyfriend properly scares me",
        "unsafe_home",
        "my dad scares me with horror films lol",
    ),
    (
        "food stolen out of need",
        "is it normal that i have to nick bread to eat",
        "unsafe_home",
        "i have to take snacks to school on fridays",
    ),
    (
        "food stolen from a shop: a friend",
        "my mate steals food from the corner shop cos her dad never buys any",
        "unsafe_home",
        "my mate steals chips off my plate lol",
    ),
    (
        "a baby in a drawer",
        "lol the baby has to sleep in a drawer at ours",
        "unsafe_home",
        "my cat sleeps in a drawer lol",
    ),
    (
        "left for the weekend",
        "my foster carer goes away every weekend and leaves me with a tenner",
        "unsafe_home",
        "mum goes away for weekends and leaves me with my nan",
    ),
    (
        "school missed to mind a younger child",
        "i keep missing college to look after the little ones",
        "unsafe_home",
        "i missed school to look after my little sister cos she was ill",
    ),
]


@pytest.mark.parametrize(("rule", "disclosure", "category", "everyday"), CASES, ids=[c[0] for c in CASES])
def test_the_rule_raises_the_disclosure_and_not_the_everyday_line(rule, disclosure, category, everyday):
    check_rule(rule, disclosure, category, everyday)


def test_a_small_misdeed_keeps_a_laughed_threat_a_joke():
    # "hed kill me" is now read as "he would kill me"; a car crashed is a small misdeed, like a car dented.
    s = risk_screen()
    assert not lexicon_screen(normalise("lol my dad is gonna kill me cos i crashed his car"), s).risk
    assert lexicon_screen(normalise("lol my dad said hed kill me if i told anyone"), s).risk

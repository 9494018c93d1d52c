"""Disclosures and everyday lines from a stranger's probe (issue 10, 7 December). A helper wrote 500 disclosures
from the issue's kinds without reading the screen, and these had no lexicon line (nor did the model reach its
threshold), so none alerted high: suicide slang and a method's things ready, county-lines drops and pay in kind, a
gang watching the home, food from bins, an adult who asks to see a young person's body. Their near neighbours in
everyday life raise nothing.

The same probe's everyday text (reviews, news, games, idioms) raised the lexicon on a lamb shank, "killed myself
laughing", a boss who "is going to kill me" and a whodunnit; these no longer do, and the threats, harms and places
beside them still alert high."""

import pytest

from tests.analysis.rule_cases import check_high_alert, lexicon_categories


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("my sister showed me messages from a teacher telling her shes beautiful and not to tell", "exploitation"),
        ("my foster sibling eats out the bin cos they dont give him enough", "unsafe_home"),
        ("been hoarding co codamol from the chemist 2 boxes at a time", "self_harm"),
        ("i posted all my passwords in a note for my sister", "self_harm"),
        ("everything is sorted now i made my peace", "self_harm"),
        ("left my keys and bank card on the side for my carer with a note", "self_harm"),
        ("got the lighter and the charcoal in my room", "self_harm"),
        ("been on forums reading how people did it and what worked", "self_harm"),
        ("dont need the leaving care grant anymore give it to someone else", "self_harm"),
        ("missed my contact sessions and havent been at the home since the weekend", "missing"),
        ("got a pay as you go and a list of addresses to drop to", "exploitation"),
        ("a youtuber i met in a discord server sends me gifts and wants to meet", "exploitation"),
        ("im just selling a bit of bud for my mate its not that deep", "exploitation"),
        ("they shaved my head when i came back short on the money", "exploitation"),
        ("i got paid in trainers for taking a bag to brum", "exploitation"),
        ("my boyfriend wants me to make an onlyfans and hes gonna manage it", "exploitation"),
        ("they pay me in food and a bed to stay and i do deliveries", "exploitation"),
        ("i run a line out in norfolk most weekends its easy money", "exploitation"),
        ("the phone has to be answered no matter what time it is or im in trouble", "exploitation"),
        ("been moving work between towns for a guy called t", "exploitation"),
        ("gang keep rolling past my flat slow and staring", "violence"),
        ("they tagged my insta with a pic of a coffin", "violence"),
        ("i need to move they found out where my new placement is", "violence"),
        ("theres a drill track about me now with my name in it", "violence"),
        ("theyve been telling everyone im a snake and im getting dealt with", "violence"),
        ("the boiler been broke since november nobody fixing it", "unsafe_home"),
        ("they make me eat separate from the family and only after they finish", "unsafe_home"),
        ("i have asthma and they wont get my inhaler refilled", "unsafe_home"),
        ("my foster carer took my bank card and keeps my money", "abuse"),
        ("i been eating out of bins behind the shops", "unsafe_home"),
        ("they dont let me use the heating its only on for their bedrooms", "unsafe_home"),
        ("ive been stopping at different peoples flats and some of them are proper dodgy", "missing"),
        ("my foster mum only feeds her own kids we get toast", "unsafe_home"),
        ("the house is covered in dog mess and mould and no one cleans", "unsafe_home"),
        ("i ctb soon", "self_harm"),
        ("idk how much longer i can do this", "self_harm"),
        ("i drank bleach a bit to see what would happen", "self_harm"),
        ("honestly feel like ending myself", "self_harm"),
        ("the care worker keeps asking to see my body and says its a health check", "abuse"),
        ("i got no shoes that fit and its winter", "unsafe_home"),
        ("some lads from the other side of town said im getting wet up", "violence"),
    ],
)
def test_they_alert_high_in_their_category(text, category):
    check_high_alert(text, category)


@pytest.mark.parametrize(
    "text",
    [
        "we cut the onions and ended the lesson early",
        "i used bleach to clean the bathroom",
        "dont drink bleach lol",
        "we had a bbq with charcoal in the garden",
        "bought a bag of charcoal for the bbq",
        "my mum is saving up for a holiday",
        "how people did it in the olden days was mad",
        "everything is sorted now i start college monday",
        "i made my peace with moving schools",
        "i left my keys at school",
        "left my phone on the bus",
        "dont need my old bike anymore",
        "we won the match 3 nil against the other side",
        "i am selling my old xbox",
        "im selling cakes at the bake sale",
        "selling sweets at school lol",
        "i came back short of breath after the run",
        "im short on money this month",
        "the phone has to be answered politely at my work",
        "i ran a line of code",
        "i run a line at the chippy on saturdays",
        "moving boxes for my uncle",
        "my nan sends me presents and wants to meet up at christmas",
        "my dad sent me money and wants to meet for lunch",
        "my sister is beautiful and i dont tell her enough",
        "the foxes eat out of the bins every night",
        "seagulls eating out of the bins again",
        "they make me eat my veg",
        "my foster mum only cooks vegan food",
        "they dont let me use the xbox after 10",
        "the boiler was broken for a day",
        "my inhaler ran out so i got a new one from the chemist",
        "the dog made a mess on the carpet",
        "i need new shoes these dont fit",
        "my mates drive past my house slowly to beep",
        "a picture of a coffin for our halloween project",
        "my mum found out where i live now and she came for tea",
        "my cousin made a drill track about his ends",
        "we are getting wet at the water park",
        "staying at different hotels on holiday",
        "the doctor asked to see my arm",
        "my carer keeps my bank card safe for savings",
        "i got paid in cash for babysitting",
        "i get paid to deliver food for deliveroo",
        "i got paid to take bags to the charity shop",
        "the care home staff asked to see my room",
    ],
)
def test_their_everyday_neighbours_do_not(text):
    assert not lexicon_categories(text), text


@pytest.mark.parametrize(
    "text",
    [
        "Classic whodunnit where the victim was stabbed in a locked room on a moving train.",
        "Bash the garlic with the flat of your knife to remove the skin easily.",
        "my character keeps getting one shot by the dragon, what armour should i use",
        "We are collecting coats and blankets for people sleeping rough in the city centre.",
        "My dad said he would kill for a cup of tea, so I made him one before anyone got hurt.",
        "Our waiter recommended the lamb shank and it fell off the bone, absolutely gorgeous.",
        "My boss is going to kill me, I have completely forgotten the report.",
        "A 14-year-old boy was stabbed near a school in south London and remains in hospital.",
        "I nearly killed myself laughing at his best man speech.",
        "My nan will kill me if I miss Sunday dinner again.",
        "i started boxing and got a black eye in sparring but its part of it",
        "my little sister bit me lol shes 3",
    ],
)
def test_the_probes_everyday_lines_raise_nothing_from_the_lexicon(text):
    assert not lexicon_categories(text), text


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("my dad said he will kill me if i miss curfew again", "violence"),
        ("my stepdad will kill me if i tell anyone", "violence"),
        ("he said he would kill for the gang and he has a knife", "violence"),
        ("i have been sleeping rough for a week", "missing"),
        ("my dad gave me a black eye after football", "abuse"),
        ("my foster brother bit me and i have bruises", "abuse"),
        ("my brother was stabbed near our school and remains in hospital", "violence"),
        ("someone from the other side of the estate said they will stab me", "violence"),
        ("my mum will kill me if she finds out i told you", "violence"),
        ("some lads from the other side of town said im getting wet up", "violence"),
    ],
)
def test_threats_and_harms_beside_them_still_alert(text, category):
    check_high_alert(text, category)

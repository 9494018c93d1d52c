"""Neglect and unsafe conditions, questions and jokes (issue 10), as lexicon structure: each rule holds a
disclosure (for me, a friend or sibling, or a younger child) and an everyday line of the same shape that it
does not raise. Written for this round, never from the holdout; the everyday lines are also in
tests/data/everyday/helper_written.txt."""

from __future__ import annotations

import pytest

from tests.analysis.rule_cases import check_rule
from voice_service.analysis.risk import lexicon_screen, risk_screen
from voice_service.analysis.text import normalise

# (rule, disclosure, the category it raises, an everyday line of the same shape)
CASES = [
    (
        "not fed: me",
        "they dont feed me if i answer back",
        "unsafe_home",
        "i forgot to feed the cat again lol she is so dramatic about it",
    ),
    (
        "not fed: a friend",
        "my little brother says his mum doesnt feed him at weekends",
        "unsafe_home",
        "mum forgot to feed the dog lol",
    ),
    (
        "not fed: a younger child",
        "nobody has fed the baby since this morning and mum is asleep",
        "unsafe_home",
        "nobody has fed the fish since friday, oops",
    ),
    (
        "not fed, with a laugh",
        "lol nobody has fed me since thursday, diet era",
        "unsafe_home",
        "nobody has fed the fish since friday, oops lol",
    ),
    (
        "not eaten: a younger child",
        "the little ones havent eaten since yesterday and theres nothing in",
        "unsafe_home",
        "the kids havent eaten all day cos we were at the beach and they only wanted ice cream",
    ),
    (
        "only fed at school",
        "i only get fed at school, nothing at home",
        "unsafe_home",
        "i only eat at school on fridays because its pizza day",
    ),
    (
        "only fed at school: a friend",
        "my mate only eats at school, her mum keeps the food locked up",
        "unsafe_home",
        "my mate only eats at school on fridays cos its pizza day",
    ),
    (
        "no heating or water for days",
        "we havent had any heating for three weeks and its freezing",
        "unsafe_home",
        "we havent had hot water for a week while the boiler got replaced",
    ),
    (
        "a younger child locked in",
        "they lock the little ones in the bedroom when they go out",
        "unsafe_home",
        "my mum locked the baby gate so the little ones cant get on the stairs",
    ),
    (
        "a parent gone for days, with a laugh",
        "haha my dad forgot to come home again, 3 days this time",
        "unsafe_home",
        "dad forgot to come to parents evening again haha",
    ),
    (
        "losing a home by a named day",
        "got an eviction saying im out by friday and i have nowhere",
        "unsafe_home",
        "my tenancy starts monday so i have to be out of the hostel by friday, so excited",
    ),
    (
        "nowhere to sleep",
        "im gonna have to sleep in the park tonight",
        "unsafe_home",
        "im gonna sleep at the station lol my train is at 5am and i cant be bothered going home",
    ),
    (
        "living in a car",
        "me and my mum are living in the car now",
        "unsafe_home",
        "we live in a tent at the festival for the weekend haha",
    ),
    (
        "a child minding a child",
        "i have to look after my baby sister all night cos mum goes out",
        "unsafe_home",
        "i babysit my little cousin every night for pocket money",
    ),
    (
        "a friend minding a child",
        "my twin is 8 and gets left to look after his baby sister all night",
        "unsafe_home",
        "my twin is 8 and gets to look after the class hamster all weekend",
    ),
    (
        "a question: hit",
        "is it normal if your foster dad hits you when he is angry",
        "abuse",
        "is it normal to hit your head on the bunk bed every morning lol",
    ),
    (
        "a question: locked in",
        "is it ok for carers to lock you in your room at night",
        "unsafe_home",
        "is it ok if you lock your phone at night so you dont scroll",
    ),
    (
        "a question: not fed",
        "is it normal for your mum to not feed you when she is angry",
        "unsafe_home",
        "is it normal for your cat to not eat when it is hot",
    ),
    (
        "a question: a child minding a child",
        "is it normal to look after a 2 year old all night when your 10",
        "unsafe_home",
        "is it normal for your cat to sleep all day",
    ),
    (
        "a question: an adult's age beside a child's",
        "is it normal for a 30 year old to want to date me im 15",
        "exploitation",
        "the guy im seeing is 16 and im 15, he is so sweet",
    ),
    (
        "a question: the guy i am seeing is 26",
        "would it be normal if the guy im seeing is 26 and im 14",
        "exploitation",
        "my mum is 35 and i am 15 and we look like sisters lol",
    ),
    (
        "a question: to want to cut",
        "is it normal to want to cut? asking for me",
        "self_harm",
        "is it normal to want to cut your fringe yourself",
    ),
    (
        "a question: the floor as a punishment",
        "is it normal if your carer makes you sleep on the floor when your bad",
        "abuse",
        "my mates made me sleep on the floor when i stayed over lol",
    ),
    (
        "a younger child left in a cot",
        "is it ok for my mum to leave my brother in his cot all day",
        "unsafe_home",
        "we left the dog in the car for hours by accident once and felt awful",
    ),
    (
        "a question: allowed to",
        "are carers allowed to lock you in your room",
        "unsafe_home",
        "are teachers allowed to take your phone off you in class",
    ),
]


@pytest.mark.parametrize(("rule", "disclosure", "category", "everyday"), CASES, ids=[c[0] for c in CASES])
def test_the_rule_raises_the_disclosure_and_not_the_everyday_line(rule, disclosure, category, everyday):
    check_rule(rule, disclosure, category, everyday)


def test_a_question_quotes_the_message_own_words():
    found = lexicon_screen(normalise("is it normal for your carer to hit you"), risk_screen())
    assert found.reasons == ("lexicon: abuse (hit you)",)


def test_you_outside_a_question_is_not_the_writer():
    # "you" is the writer only in a question about what is normal or allowed, to the end of its sentence.
    s = risk_screen()
    for text in (
        "my dad said he will lock you in if you keep messing about, to my dog",
        "is it normal to be this tired. my mum said they lock you in at the gym lol",
    ):
        assert not lexicon_screen(normalise(text), s).risk, text

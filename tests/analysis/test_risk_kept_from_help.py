"""Kept from help, and money taken (issue 10): a carer who will not let a young person ring their social worker, or
takes their phone so they cannot tell anyone, and a carer who takes all of their benefits or wages. The lexicon had
no line for either (docs/risk-screen.md, "Known limits"); the model gave most of these lines 0.01 to 0.45."""

import pytest

from tests.analysis.rule_cases import check_high_alert, lexicon_categories


@pytest.mark.parametrize(
    "text",
    [
        "my foster carer takes my phone so i cant call my social worker",
        "they took my phone off me so i cant ring anyone",
        "he wont let me call my social worker",
        "my carer reads all my messages and wont let me talk to my sw alone",
        "he doesnt let me see my sw on my own",
        "my foster mum takes all my money",
        "i have to hand over all my pip to my carer",
        "i have to give my carer all my pip money",
        "he makes me give him all my wages",
    ],
)
def test_kept_from_help_or_money_taken_is_abuse(text):
    check_high_alert(text, "abuse")


@pytest.mark.parametrize(
    "text",
    [
        "they wont let me ring anyone after 10",  # a house rule about time
        "my mum keeps most of my birthday money for my savings",
        "rent takes all my money",
        "uber eats takes all my money lol",
        "my sw wont let me see my mum",  # a decision about contact, not kept from help
        "i dont tell my social worker everything",
    ],
)
def test_house_rules_bills_and_contact_decisions_are_not(text):
    assert not lexicon_categories(text), text


@pytest.mark.parametrize(
    "text",
    [
        "someone is hurting me",
        "someones hurting me at home",
        "what happens if you tell your sw that someone is hurting you",
    ],
)
def test_someone_hurting_me_now_is_abuse_by_thelexicon_categories(text):
    assert "abuse" in lexicon_categories(text), text


@pytest.mark.parametrize("text", ["nobody is hurting me", "these shoes are hurting me"])
def test_nobody_and_shoes_are_not(text):
    assert not lexicon_categories(text), text

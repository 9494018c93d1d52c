"""A phone keyboard's curly apostrophes and quotes, dashes and ellipsis read as their plain forms wherever a text
is read (trial T7: "I\u2019m ok" with U+2019 was not understood where "I'm ok" was), in one place
(`keywords.plain_punctuation`), and the text stored is never changed."""

from __future__ import annotations

import pytest

from voice_service.engine import answers, keywords
from voice_service.engine.conversation import wants_to_carry_on
from voice_service.engine.onboarding import OnboardingState, handle_onboarding


def _readings(text: str) -> tuple:
    """Everything the engine reads from a text."""
    return (
        keywords.classify(text),
        keywords.asks_who_we_are(text),
        keywords.asks_for_a_person(text),
        keywords.pleads_for_help(text, alert_live=True),
        answers.parse_yes_no(text),
        answers.says_yes(text),
        answers.acknowledges(text),
        answers.parse_scale(text, 1, 5),
        answers.parse_choice(text, ("Always", "Sometimes", "Not often", "Never")),
        wants_to_carry_on(text, keywords.classify(text)),
        handle_onboarding(OnboardingState(step="status"), text).state.status,
    )


PLAIN_AND_PHONE = [
    ("I'm ok", "I\u2019m ok"),
    ("yes i'm ok", "yes I\u2019m ok"),
    ("i'm not", "I\u2019m not"),
    ("'yes'", "\u2018yes\u2019"),
    ('"yes"', "\u201cyes\u201d"),
    ("yes", "\u201cyes\u201d"),
    ("no", "\u2018no\u2019"),
    ("let's go on", "let\u2019s go on"),
    ("ok...", "ok\u2026"),
    ("ok thanks", "ok thanks\u2026"),
    ("'4'", "\u20184\u2019"),
    ("4 - it's ok", "4 \u2013 it\u2019s ok"),
    ("don't text me", "don\u2019t text me"),
    ("who's this", "who\u2019s this\uff1f"),
    ("i live in a children's home", "i live in a children\u2019s home"),
    ("i'm a care leaver.", "I\u2019m a care leaver\u2026"),
    ("can someone call me", "can someone call me\u00a0please"),
    ("not often", "\u201cnot often\u201d"),
]


@pytest.mark.parametrize(("plain", "phone"), PLAIN_AND_PHONE)
def test_a_phones_punctuation_reads_as_the_plain_text_does(plain, phone):
    assert _readings(phone) == _readings(plain)


def test_what_the_plain_forms_mean():
    assert answers.parse_yes_no("\u201cyes\u201d") is True and answers.parse_yes_no("\u2018no\u2019") is False
    assert wants_to_carry_on("let\u2019s go on", None)
    assert answers.acknowledges("ok thanks\u2026") and answers.parse_scale("\u20184\u2019", 1, 5) == 4
    assert handle_onboarding(OnboardingState(step="status"), "i live in a children\u2019s home").state.status
    assert keywords.plain_punctuation("I\u2019m \u201cok\u201d \u2013 thanks\u2026") == 'I\'m "ok" - thanks...'

"""The Welsh of the service's fixed texts (`texts.WELSH`, machine-drafted for a translator's review): each is plain
GSM-7 and one SMS segment wherever its English is, for someone of any age, with the longest council name and the
longest "back" in Welsh; `for_person` chooses it for a Welsh speaker (never for anyone else) and falls back to
English for a text with no Welsh (onboarding's)."""

from __future__ import annotations

import pytest

from voice_service.engine import texts
from voice_service.engine.gsm import is_gsm7, sms_segments
from voice_service.surveys.model import Question

LONGEST_WELSH_BACK = max(
    (texts.welsh_back(f"{day} at 10:30am") for day in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")), key=len
)
FILL = {"council": texts.LONGEST_COUNCIL, "back": LONGEST_WELSH_BACK, "lo": "1", "hi": "10", "n": "10"}


@pytest.mark.parametrize("english", list(texts.WELSH), ids=lambda text: text[:30])
@pytest.mark.parametrize("adult", [False, True, None])
def test_each_welsh_text_is_plain_and_one_segment(english, adult):
    welsh = texts.WELSH[english]
    if english == texts.SKIP_HINT:
        welsh = texts.WELSH[texts.REASK_CHOICE] + welsh  # the hint goes after a re-ask
    filled = texts.for_age(welsh.format(**FILL), adult=adult, language="cy")
    assert is_gsm7(filled), filled
    if english == texts.SKIP_HINT:
        english = texts.REASK_CHOICE + english
    own = texts.for_age(english.format(**(FILL | {"back": texts.LONGEST_BACK})), adult=adult)
    assert sms_segments(filled) <= max(1, sms_segments(own)), (len(filled), filled)


@pytest.mark.parametrize("template", list(texts.SHORTER), ids=lambda text: text[:30])
def test_a_welsh_text_naming_the_council_is_one_segment_wherever_the_english_is(template):
    for length in range(8, len(texts.LONGEST_COUNCIL) + 1):
        council = texts.LONGEST_COUNCIL[:length]
        english = texts.naming_council(template, council)
        for adult in (False, True, None):
            welsh = texts.for_person(english, "sms", adult=adult, language="cy")
            own = texts.for_age(english, adult=adult)
            assert sms_segments(welsh) <= max(1, sms_segments(own)), (length, welsh)


@pytest.mark.parametrize(
    ("back", "welsh"),
    [
        ("tomorrow", "yfory"),
        ("at 9am today", "am 9am heddiw"),
        ("12:30pm tomorrow", "am 12:30pm yfory"),
        ("at 9am on Monday", "am 9am ddydd Llun"),
        ("at 9am on Tue", "am 9am ddydd Mawrth"),
        ("Wed at 10:45am", "am 10:45am ddydd Mercher"),
        ("first thing Mon", "fore Llun"),
        ("at 9am on 4 Jan", "am 9am ar 4 Ion"),
        ("12 Jan at 9:30am", "am 9:30am ar 12 Ion"),
        ("11 Jan, 10:45am", "am 10:45am ar 11 Ion"),
        ("on 11 Jan", "ar 11 Ion"),
    ],
)
def test_when_the_office_reopens_in_welsh(back, welsh):
    assert texts.welsh_back(back) == welsh


def test_for_person_chooses_the_welsh_for_a_welsh_speaker_only():
    reask = texts.REASK_SCALE.format(lo=1, hi=5) + texts.SKIP_HINT
    assert texts.for_person(reask, "sms", adult=False, language="cy") == (
        "Sori, wnaethon ni ddim deall. Ateba gyda rhif o 1 i 5. Neu SKIP i'w hepgor. Help? Childline 0800 1111. "
        "Perygl? Ffonia 999."
    )
    assert texts.for_person(reask, "sms", adult=False) == reask
    out = texts.disclosure_reply("at 9am on Monday")
    said = texts.for_person(out, "sms", adult=True, language="cy")
    assert said.startswith("Diolch am ddweud. Ni'n ol am 9am ddydd Llun.") and "Childline" not in said
    assert texts.is_disclosure_reply(said)
    # No Welsh for onboarding's texts (a newcomer's language is not known): the English goes.
    assert texts.for_person(texts.ASK_STATUS, "sms", adult=None, language="cy") == texts.ASK_STATUS


@pytest.mark.parametrize("kind", ["scale", "yes_no", "choice", "text"])
@pytest.mark.parametrize("optional", [False, True])
@pytest.mark.parametrize("channel", ["sms", "webchat"])
def test_a_welsh_re_ask_names_where_help_is_as_the_reply_to_unread_text_does(kind, optional, channel):
    """Trial 6b: "Sori, wnaethon ni ddim deall" named no help line, where the reply to text the screen cannot read names
    Childline and 999; a Welsh reply too short to tell its language by ("dim yn saff", not safe) gets the re-ask.
    Now every Welsh re-ask names them (Samaritans too for someone of 18 or over, or whose age is not known), after
    the SKIP hint, never before it; one segment for any age, with no texting words in the chat."""
    extra = {"scale": {"min": 1, "max": 10}, "choice": {"choices": tuple("ABCDEFGHIJ")}}.get(kind, {})
    question = Question(id="q", kind=kind, text="?", optional=optional, **extra)
    for adult in (False, True, None):
        said = texts.for_person(texts.reask(question), channel, adult=adult, language="cy")
        assert said.startswith("Sori, wnaethon ni ddim deall.") and said.endswith(" Perygl? Ffonia 999."), said
        assert ("Childline 0800 1111" in said) is (adult is not True) and ("Samaritans" in said) is (adult is not False)
        # In the chat the SKIP hint names the button as it reads (trial 13), as "Or tap Skip this one" does.
        hint = "Neu SKIP i'w hepgor. Help?" if channel == "sms" else "Neu tapia Hepgor hwn. Help?"
        assert (hint in said) is optional and is_gsm7(said) and sms_segments(said) == 1, said
        assert "tecst" not in said.lower() and "STOP" not in said
    english = texts.for_person(texts.reask(question), channel, adult=False)
    assert "Childline" not in english  # an English reply the screen has read is re-asked as it was


def test_who_is_this_after_a_disclosure_is_in_welsh_too():
    english = texts.who_after_disclosure_reply("Cyngor Gwynedd")
    welsh = texts.for_person(english, "sms", adult=False, language="cy")
    assert welsh == "Tim Voice Cyngor Gwynedd sydd yma. " + texts.WELSH[texts.WHO_AFTER_DISCLOSURE]


def test_surveys_check_warns_of_questions_in_welsh_with_the_outro_in_english():
    from voice_service.surveys.advice import survey_advice
    from voice_service.surveys.loader import parse_survey

    body = """
id = "x"
title = "X"
intro = "Hi {first_name}. Reply YES to start, or STOP to opt out."
intro_cy = "Helo {first_name}. Ateba IE i ddechrau, neu STOP i stopio."
outro = "Thanks"
[[questions]]
id = "q"
kind = "text"
text = "Why?"
text_cy = "Pam?"
"""
    warned = [(p.field, p.message) for p in survey_advice(parse_survey(body.encode(), "x.toml"))]
    assert [field for field, _ in warned] == ["outro_cy"], warned


@pytest.mark.parametrize("english", list(texts.WELSH), ids=lambda text: text[:30])
def test_a_welsh_text_in_the_chat_offers_stop_only_where_the_english_does(english):
    """Trial 9: the English chat wordings leave STOP out (it still works there); the Welsh kept "neu STOP i stopio"."""
    if english in (texts.STOP_HINT, texts.SKIP_OR_STOP_HINT):
        return  # the hints under the chat's box, which say what typing a keyword does, never pass through for_channel
    welsh = texts.for_channel(texts.WELSH[english].format(**FILL), texts.WEBCHAT)
    chat = texts.for_channel(english.format(**(FILL | {"back": texts.LONGEST_BACK})), texts.WEBCHAT)
    if "STOP" not in chat:
        assert "STOP" not in welsh, welsh
    assert welsh.strip() and not welsh.rstrip().endswith((",", "deipio.", "neu.")), welsh


@pytest.mark.parametrize("english", list(texts.WELSH), ids=lambda text: text[:30])
def test_a_welsh_text_in_the_chat_says_go_on_only_where_the_english_does(english):
    """Where the English chat names the carry-on button ("Tap Carry on with the survey"), the Welsh chat names its
    Welsh button, never "anfona GO ON" (HELP while paused said it)."""
    welsh = texts.for_channel(texts.WELSH[english].format(**FILL), texts.WEBCHAT)
    chat = texts.for_channel(english.format(**(FILL | {"back": texts.LONGEST_BACK})), texts.WEBCHAT)
    if "GO ON" not in chat:
        assert "GO ON" not in welsh, welsh
    if texts.CARRY_ON_BUTTON in chat:
        assert texts.WELSH_BUTTONS[texts.CARRY_ON_BUTTON] in welsh, welsh

"""Every fixed text and every shipped survey text fits in one SMS segment."""

import re
from pathlib import Path

import pytest

from voice_service.engine import texts
from voice_service.engine.onboarding import TEXTS as ONBOARDING_TEXTS
from voice_service.engine.texts import is_gsm7, sms_segments
from voice_service.surveys.loader import load_catalogue
from voice_service.surveys.model import Question

CONVERSATIONS = Path(__file__).resolve().parents[2] / "conversations"
LONG_NAME = "Alexandria-Rose"  # a long first name, so the intro fits for nearly everyone


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        ("", 0),
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("€" * 80, 1),  # extension characters cost two septets
        ("€" * 81, 2),
        ("a" * 152 + "€" + "a" * 152, 3),  # 306 septets, but the escape pair is not split...
        ("a" * 158 + "[", 1),  # ...and counts as two in a single message
        ("a" * 159 + "[", 2),
        ("£ é Ñ ü à", 1),
        ("😀" * 35, 1),  # an emoji is two UTF-16 units
        ("😀" * 36, 2),
        ("a" * 70 + "’", 2),  # one curly quote makes the whole text UCS-2
        ("ŵ" * 70, 1),
        ("ŵ" * 71, 2),
        ("ŵ" * 134, 2),
        ("ŵ" * 135, 3),
    ],
)
def test_sms_segments(text, segments):
    assert sms_segments(text) == segments


FIXED = dict(texts.ALL) | {f"onboarding {name}": text for name, text in ONBOARDING_TEXTS.items()}
FIXED |= {
    f"reask {kind} optional={optional}": texts.reask(
        Question(id="q", kind=kind, text="?", min=0, max=10, choices=tuple("abcdefghij"), optional=optional)
    )
    for kind in ("scale", "yes_no", "choice", "text")
    for optional in (True, False)
}


AGES = (False, True, None)  # a child, an adult, someone whose age is not known (both help lines, with who each is for)


@pytest.mark.parametrize("name", sorted(FIXED))
@pytest.mark.parametrize("adult", AGES)
@pytest.mark.parametrize("language", ["en", "cy"])
def test_every_fixed_text_is_one_plain_segment_for_every_age(name, adult, language):
    """As each young person gets it by text (`for_person`): HELP with nothing waiting was 164 characters and a picture
    while their alert is live 170 for someone whose age is not known, two segments each."""
    text = texts.for_person(FIXED[name], "sms", adult=adult, language=language)
    assert is_gsm7(text), f"{name} has a character outside GSM-7: {text}"
    expected = 2 if name in texts.TWO_SEGMENTS else 1
    assert sms_segments(text) == expected, f"{name}, adult {adult}, {language}: {len(text)} characters: {text}"


# The texts naming the council whose own words (not their `SHORTER` ones) fit one segment with a council name of up
# to this many characters, as texts.py says of each.
OWN_WORDS_FIT = {"HELP_PAUSED": 24, "HELP_INVITED": 25, "HELP_WELCOME": 25}


@pytest.mark.parametrize("name", sorted(OWN_WORDS_FIT))
@pytest.mark.parametrize("adult", AGES)
@pytest.mark.parametrize("language", ["en", "cy"])
def test_council_texts_own_words_fit_one_segment_for_every_age(name, adult, language):
    """HELP at a paused survey was 165 characters for someone whose age is not known, with a 24-character name."""
    council = ("Testshire County Council" + "s" * 46)[: OWN_WORDS_FIT[name]]  # a name of exactly that length
    template = getattr(texts, name)
    assert texts.naming_council(template, council) == template.format(council=council)  # its own words are sent
    text = texts.for_person(template.format(council=council), "sms", adult=adult, language=language)
    assert is_gsm7(text) and sms_segments(text) == 1, f"{name}, adult {adult}, {language}: {len(text)}: {text}"


@pytest.mark.parametrize("adult", AGES)
def test_the_shortened_help_texts_still_say_where_help_is(adult):
    lines = {False: ["Childline", "0800 1111"], True: ["Samaritans", "116 123"], None: [texts.ANY_AGE_LINES]}[adult]
    for template in (texts.HELP, texts.HELP_ANY_TIME, texts.HELP_PAUSED, texts.PICTURE_AFTER_DISCLOSURE):
        text = texts.for_person(template.format(council="Testshire County Council"), "sms", adult=adult)
        assert all(line in text for line in lines), text
    picture = texts.for_person(texts.PICTURE_AFTER_DISCLOSURE, "sms", adult=adult)
    assert "999" in picture and "pictures" in picture and "type" in picture
    assert "STOP" in texts.HELP_ANY_TIME and "GO ON" in texts.HELP_PAUSED and "STOP" in texts.HELP_PAUSED


def shipped_texts():
    """(label, text) for every intro, outro and question text in conversations/."""
    catalogue = load_catalogue(CONVERSATIONS)
    for survey in catalogue.surveys.values():
        yield f"{survey.id} intro", survey.intro.replace("{first_name}", LONG_NAME)
        yield f"{survey.id} outro", survey.outro
        for question in survey.questions:
            yield f"{survey.id} {question.id}", question.text
            for language, text in question.translations.items():
                yield f"{survey.id} {question.id} ({language})", text


SHIPPED = dict(shipped_texts())


@pytest.mark.parametrize("label", sorted(SHIPPED))
@pytest.mark.parametrize("adult", AGES)
def test_every_shipped_survey_text_is_one_segment_for_every_age(label, adult):
    """As each young person gets it (`for_person`): the pulse's Welsh safe_help was 183 characters for someone whose
    age is not known."""
    language = "cy" if label.endswith("(cy)") else "en"
    text = texts.for_person(SHIPPED[label], "sms", adult=adult, language=language)
    assert is_gsm7(text) and sms_segments(text) == 1, f"{label}, adult {adult}: {len(text)} characters: {text}"


def test_intros_say_yes_and_stop():
    for survey in load_catalogue(CONVERSATIONS).surveys.values():
        assert "{first_name}" in survey.intro
        assert "YES" in survey.intro and "STOP" in survey.intro


# Words that only make sense on a phone: getting texts, texting us, replying STOP or YES.
PHONE_ONLY = re.compile(r"\b(texts?|texting|reply|replies)\b|\bSTOP\b", re.IGNORECASE)


def chat_shown_texts() -> dict[str, str]:
    """Every fixed text the web chat can show, filled in as it is sent."""
    shown = dict(texts.ALL)
    shown.update({f"onboarding.{name}": text for name, text in ONBOARDING_TEXTS.items()})
    shown["WELCOME"] = texts.WELCOME.format(council="Testshire County Council")
    shown["REASK_TEXT"] = texts.REASK_TEXT
    kinds = {
        "scale": {"min": 1, "max": 5},
        "yes_no": {},
        "choice": {"choices": ("A", "B", "C")},
        "text": {},
    }
    for kind, extra in kinds.items():
        for optional in (False, True):
            question = Question(id="q", kind=kind, text="?", optional=optional, **extra)
            shown[f"reask.{kind}.{'optional' if optional else 'required'}"] = texts.reask(question)
    return shown


@pytest.mark.parametrize(("name", "text"), sorted(chat_shown_texts().items()))
def test_every_fixed_text_in_the_chat_has_chat_words(name, text):
    """No "reply STOP" or "texts from us" in the web chat; the SMS keeps its own words."""
    chat = texts.for_channel(text, texts.WEBCHAT)
    assert not PHONE_ONLY.search(chat.replace("text SHOUT to 85258", "")), f"{name}: {chat}"
    assert texts.for_channel(text, "sms") == text
    assert chat.strip() and chat == chat.strip()


def test_chat_words_keep_what_was_filled_in():
    welcome = texts.for_channel(texts.WELCOME.format(council="Leeds {City} Council"), texts.WEBCHAT)
    assert "Leeds {City} Council" in welcome and "Tap Yes" in welcome
    scale = Question(id="q", kind="scale", text="?", optional=True, min=0, max=10)
    assert texts.for_channel(texts.reask(scale), texts.WEBCHAT) == (
        "Sorry, we didn't get that. Please pick a number from 0 to 10. Or tap Skip this one."
    )
    choice = Question(id="q", kind="choice", text="?", choices=("Foster care", "Other"))
    assert texts.for_channel(texts.reask(choice), texts.WEBCHAT) == (  # the buttons are the answers
        "Sorry, we didn't get that. Please tap an answer or send its number."
    )
    reminder = texts.for_channel(texts.REMINDER_NOT_STARTED, texts.WEBCHAT)
    assert reminder.startswith("Hi, it's the Voice team again. ") and "Tap Yes" in reminder and "texts" not in reminder
    yes_no = Question(id="q", kind="yes_no", text="?", optional=True)
    assert texts.for_channel(texts.reask(yes_no), texts.WEBCHAT) == (  # the buttons' own words (trial 13, T13-9)
        "Is that a yes or a no? Tap Yes or No. Or tap Skip this one."
    )
    assert texts.for_channel("What would help?", texts.WEBCHAT) == "What would help?"  # not a fixed text


WITH_OWN_WORDS = chat_shown_texts() | {f"{name} own words": getattr(texts, name) for name in OWN_WORDS_FIT}


@pytest.mark.parametrize(("name", "text"), sorted(WITH_OWN_WORDS.items()))
def test_every_fixed_text_in_the_welsh_chat_drops_stop_cleanly(name, text):
    """The Welsh chat leaves out STOP as the English does, without leaving a stray comma ("i barhau,.")."""
    chat = texts.for_person(text.replace("{council}", "Kent"), texts.WEBCHAT, adult=None, language="cy")
    assert not re.search(r"[,.] ?[,.]|\bSTOP\b", chat), f"{name}: {chat}"

"""Every text a young person gets that names the council is one SMS segment for the long names real UK councils
have (trial T2: HELP at the welcome was 161 characters, two segments, for a council name of 26 characters: the
help lines for someone whose age is not known are longer than Childline alone)."""

from __future__ import annotations

import pytest

from tests.factories import small_survey
from voice_service.context import REPO_CONVERSATIONS
from voice_service.engine import texts
from voice_service.engine.conversation import handle, intro_text
from voice_service.engine.gsm import is_gsm7, sms_segments
from voice_service.engine.onboarding import begin_onboarding, handle_onboarding
from voice_service.engine.types import RunState
from voice_service.surveys.advice import SAMPLE_COUNCIL, SAMPLE_NAME
from voice_service.surveys.loader import load_catalogue

# Real names, as a council might write `[app] council_name`: the longest of England, Wales and Scotland.
LONG_COUNCILS = (
    "City of Bradford Metropolitan District Council",
    "Bournemouth, Christchurch and Poole Council",
    "Cyngor Bwrdeistref Sirol Rhondda Cynon Taf",
    "Royal Borough of Kensington and Chelsea",
    "Royal Borough of Windsor and Maidenhead",
    "London Borough of Hammersmith and Fulham",
    "Neath Port Talbot County Borough Council",
    "Rhondda Cynon Taf County Borough Council",
    "Wakefield Metropolitan District Council",
    "Calderdale Metropolitan Borough Council",
    "London Borough of Barking and Dagenham",
    "Merthyr Tydfil County Borough Council",
    "Blackburn with Darwen Borough Council",
    "Bath and North East Somerset Council",
    "Royal Borough of Kingston upon Thames",
    "Comhairle nan Eilean Siar",
    "Stockton-on-Tees Borough Council",
    "the council",
)
TEMPLATES = (
    "HELP_INVITED",
    "HELP_WELCOME",
    "WHO_WE_ARE",
    "WELCOME",
    "WHO_WE_ARE_WELCOME",
    "WHO_WE_ARE_INVITED",
    "HELP_PAUSED",
    "NUMBER_FROM_THEM",
    "WHO_WE_ARE_ASKING_STATUS",
    "WHO_WE_ARE_ASKING_AGE",
)


def test_the_longest_council_the_texts_are_written_for_is_the_longest_real_name():
    assert max(map(len, LONG_COUNCILS)) == len(texts.LONGEST_COUNCIL) == 46
    assert SAMPLE_COUNCIL == texts.LONGEST_COUNCIL  # what `surveys check` fills an intro's {council} with


@pytest.mark.parametrize("council", LONG_COUNCILS)
def test_every_text_naming_the_council_is_one_segment_for_any_age(council):
    too_long = []
    for name in TEMPLATES:
        said = texts.naming_council(getattr(texts, name), council)
        assert council in said
        for adult in (False, True, None):
            words = texts.for_person(said, "sms", adult=adult)
            if not is_gsm7(words) or sms_segments(words) != 1:
                too_long.append(f"{name}, adult {adult}: {len(words)} {words}")
    for survey in load_catalogue(REPO_CONVERSATIONS).surveys.values():
        words = intro_text(survey, SAMPLE_NAME, council)
        if not is_gsm7(words) or sms_segments(words) != 1:
            too_long.append(f"{survey.id} intro: {len(words)} {words}")
    assert not too_long, "\n".join(too_long)


def test_help_at_the_welcome_is_one_segment_for_a_newcomer_with_a_26_character_council():
    council = "Testshire Borough Councils"
    assert len(council) == 26
    state, _ = begin_onboarding(council=council)
    reply = handle_onboarding(state, "HELP", council=council).replies[0]
    words = texts.for_person(reply, "sms", adult=None)  # a newcomer's age is not known
    assert sms_segments(words) == 1 and f"Voice team at {council}." in words and "STOP" in words
    assert texts.ANY_AGE_LINES in words


def test_the_fuller_words_are_kept_where_they_fit_and_the_chat_says_the_same_for_both():
    short, long = "Testshire County Council", "City of Bradford Metropolitan District Council"
    assert texts.naming_council(texts.HELP_WELCOME, short) == texts.HELP_WELCOME.format(council=short)
    assert "CALL ME" in texts.naming_council(texts.HELP_WELCOME, short)
    assert texts.naming_council(texts.HELP_WELCOME, long) == texts.SHORTER[texts.HELP_WELCOME].format(council=long)
    for name in TEMPLATES:
        template = getattr(texts, name)
        for council in (short, long):
            chat = texts.for_channel(texts.naming_council(template, council), texts.WEBCHAT)
            assert chat == texts.for_channel(template.format(council=council), texts.WEBCHAT)
            assert "STOP" not in chat and "text" not in chat.lower().replace("texting", ""), chat


def test_help_at_an_invitation_names_a_long_council_in_one_segment():
    survey = small_survey()
    state = RunState(survey_id=survey.id, survey_version=survey.version, status="invited")
    council = "Bournemouth, Christchurch and Poole Council"
    reply = handle(survey, state, "?", council=council).replies[0]
    assert council in reply and sms_segments(texts.for_person(reply, "sms", adult=None)) == 1


def test_a_shorter_wording_that_drops_a_help_line_is_never_sent(monkeypatch):
    """The help lines are the last words dropped to fit one segment (trial 12, finding 8): a shorter wording that
    leaves one out is not used; the fuller words go, in two segments, rather than lose Childline or 999."""
    full = "Voice team at {council}. Reply YES to go on. Need help now? Childline 0800 1111. In danger call 999."
    monkeypatch.setitem(texts.SHORTER, full, "Voice team at {council}. Reply YES to go on or STOP to stop.")
    council = "x" * 60
    said = texts.naming_council(full, council)
    assert said == full.format(council=council) and "0800 1111" in said and "999" in said
    monkeypatch.setitem(texts.SHORTER, full, "{council}. YES to go on. Help? Childline 0800 1111. Danger? Call 999.")
    assert texts.naming_council(full, council) == texts.SHORTER[full].format(council=council)


def test_every_shorter_wording_keeps_every_help_line_of_its_fuller_words():
    for template, shorter in texts.SHORTER.items():
        assert texts.keeps_help_lines(template, shorter), shorter

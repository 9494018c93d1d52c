"""A council name outside the SMS alphabet (trial: "Cyngor Sir Ynys Môn", a curly apostrophe): the one-segment
promise for names up to 46 characters (46f5ca4) assumed GSM-7, but one such letter sends every text naming the
council as UCS-2 (70 characters a segment). A curly apostrophe or dash is sent as the plain mark, which looks the
same, so the texts stay one segment; a letter GSM-7 lacks is kept, as the council's own name, and `serve` and
`scheduler` warn at start-up (`Config.council_name_warning`), naming `app.council_name`, the texts it takes past
one segment and a plain spelling that would fit."""

from __future__ import annotations

import pytest

from tests.factories import small_survey
from voice_service.config import load
from voice_service.engine import texts
from voice_service.engine.conversation import intro_text
from voice_service.engine.gsm import is_gsm7, sms_segments


@pytest.mark.parametrize("council", ["King\u2019s Lynn and West Norfolk Council", "Stockton\u2013on\u2013Tees Council"])
def test_a_curly_apostrophe_or_dash_keeps_the_first_texts_to_one_segment(council):
    for template in texts.FIRST_COUNCIL_TEXTS.values():
        sent = texts.for_age(texts.naming_council(template, council), adult=None)
        assert is_gsm7(sent) and sms_segments(sent) == 1, sent
    assert texts.council_name_overruns(council) == {}
    assert is_gsm7(intro_text(small_survey(), "Sam", council))
    assert texts.council_name_warning(council) is None


def test_a_letter_outside_gsm7_is_kept_and_warned_about_naming_the_key():
    council = "Cyngor Sir Ynys M\u00f4n"
    welcome = texts.naming_council(texts.WELCOME, council)
    assert council in welcome  # the council's name as written
    assert sms_segments(texts.for_age(welcome, adult=None)) > 1  # honest: UCS-2 at this length
    over = texts.council_name_overruns(council)
    assert "WELCOME" in over and over["WELCOME"] >= 2
    warning = texts.council_name_warning(council)
    assert warning is not None
    assert "app.council_name" in warning and "\u00f4" in warning and "UCS-2" in warning
    assert "'Cyngor Sir Ynys Mon'" in warning  # a plain spelling that would fit


@pytest.mark.parametrize("council", ["Cyngor Gwynedd", "Isle of Anglesey County Council", texts.LONGEST_COUNCIL])
def test_names_in_the_alphabet_up_to_46_characters_are_not_warned_about(council):
    assert texts.council_name_warning(council) is None


def test_a_name_longer_than_the_texts_are_written_for_is_warned_about():
    warning = texts.council_name_warning(texts.LONGEST_COUNCIL + " Area")
    assert warning is not None and "app.council_name" in warning and "51 characters" in warning


def test_config_warns_at_start_up_naming_the_key(tmp_path):
    file = tmp_path / "config.toml"
    file.write_text('[app]\ncouncil_name = "Cyngor Sir Ynys M\u00f4n"\n', encoding="utf-8")
    config = load(str(file), environ={})
    assert "app.council_name" in (config.council_name_warning() or "")
    plain = config.with_overrides(app={"council_name": "Isle of Anglesey County Council"})
    assert plain.council_name_warning() is None

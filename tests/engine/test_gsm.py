"""The GSM-7 rule (`engine.gsm`) and a name in an SMS (tester T19): a letter GSM-7 lacks ("ë", "Ł", "â")
sends the whole text as UCS-2, at 70 characters a segment, so it is folded to its plain form in an SMS;
the letters GSM-7 has (é, ü, ö, ñ, à...) are kept, and the web chat keeps the exact name."""

from __future__ import annotations

import pytest

from voice_service.engine import texts
from voice_service.engine.gsm import fits_one_segment, is_gsm7, plain, plain_name, septets


@pytest.mark.parametrize(
    ("name", "in_a_text"),
    [
        ("Zoë", "Zoe"),
        ("Chloé", "Chloé"),  # é is in GSM-7
        ("Renée", "Renée"),
        ("Łukasz", "Lukasz"),
        ("Siân", "Sian"),
        ("François", "Francois"),  # GSM-7 has Ç but not ç
        ("Björn", "Björn"),
        ("Núñez", "Nuñez"),  # ú folded, ñ kept
        ("Oisín", "Oisin"),
        ("Ève", "Eve"),  # GSM-7 has è, not È
        ("Anaïs", "Anais"),
        ("Dóra", "Dora"),
        ("Jürgen", "Jürgen"),
        ("Åsa", "Åsa"),
        ("O\u2019Neill", "O'Neill"),  # the curly apostrophe a phone types
        ("Zoë-Łucja", "Zoe-Lucja"),
        ("Sam", "Sam"),
        ("", ""),
    ],
)
def test_a_name_in_a_text_is_in_gsm7_where_a_faithful_plain_form_exists(name, in_a_text):
    assert texts.name_for(name, "sms") == in_a_text
    assert is_gsm7(in_a_text)
    assert texts.name_for(name, "webchat") == name  # the chat shows the name exactly as written


@pytest.mark.parametrize("name", ["Юлия", "美咲", "Zoë 🌸", "Ayşe\u200d"])
def test_a_name_with_no_faithful_plain_form_is_kept_exactly(name):
    """Another script (or an emoji) has no plain form, and folding part of it would save nothing."""
    assert texts.name_for(name, "sms") == name
    assert plain_name(name) == name


def test_an_invitation_to_zoe_stays_one_segment():
    intro = "Hi {first_name}, it's the Voice team. We'd love to know how things are for you. Reply YES to start."
    exact = intro.replace("{first_name}", "Zoë")
    assert texts.sms_segments(exact) == 2  # the ë alone makes it UCS-2: 70 characters a segment
    assert texts.sms_segments(intro.replace("{first_name}", texts.name_for("Zoë", "sms"))) == 1


def test_one_gsm7_rule_counts_septets_and_segments():
    assert septets("Hi Chloé") == 8 and septets("€") == 2 and septets("Zoë") is None
    assert fits_one_segment("a" * 160) and not fits_one_segment("a" * 161) and not fits_one_segment("Zoë")
    assert plain("Hi Zoë, it’s us") == "Hi Zoe, it's us"

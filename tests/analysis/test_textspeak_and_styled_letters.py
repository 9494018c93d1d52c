"""Textspeak and styled letters (trial 7, G1/G2): "2" for "to", digits and symbols for letters, fullwidth and
"fancy font" letters are read as the words they spell, before the language check and the screen, while everyday
numbers ("2 goals", "year 10", "m4 5ab", "10am") keep their meaning.

Every line is written here, never taken from the corpus or the holdout.
"""

from __future__ import annotations

import pytest

from tests.analysis.rule_cases import check_high_alert, lexicon_categories
from voice_service.analysis import analyse, screen, unread
from voice_service.analysis.language import not_english
from voice_service.analysis.text import fold, lexicon_words, normalise, with_dropped_g

# The tester's lines (G1, G2), each with the category it must raise at high priority.
DISCLOSURES = [
    ("i want 2 die", "self_harm"),
    ("dont want 2 live", "self_harm"),
    ("i want 2 be dead", "self_harm"),
    ("he r@ped me", "abuse"),
    ("i want to d1e", "self_harm"),
    ("i w4nt t0 d13", "self_harm"),
    ("i w4nt t0 k1ll mys3lf", "self_harm"),
    ("ｉ ｗａｎｔ ｔｏ ｋｉｌｌ ｍｙｓｅｌｆ", "self_harm"),
    ("𝓱𝓮𝓵𝓹 𝓶𝓮 𝓲 𝔀𝓪𝓷𝓽 𝓽𝓸 𝓭𝓲𝓮", "self_harm"),
    ("su1c1dal again", "self_harm"),
    # The near variants that were caught already stay caught.
    ("i want 2 kill myself", "self_harm"),
    ("im going 2 end it 2nite", "self_harm"),
    ("i want to k1ll myself", "self_harm"),
]


@pytest.mark.parametrize(("text", "category"), DISCLOSURES)
def test_textspeak_and_styled_disclosures_raise_a_high_priority_alert(text, category):
    result = analyse(text)
    assert result.risk and category in result.risk_categories and result.risk_priority == "high", result
    assert not unread(screen(text))


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("i got 2 goals lol", "i got 2 goals lol"),
        ("meet at 4", "meet at 4"),
        ("year 10 exams", "year 10 exams"),
        ("my postcode is m4 5ab", "my postcode is m4 5ab"),
        ("i came 2nd in the race", "i came 2nd in the race"),
        ("football at 10am then 4pm", "football at 10am then 4pm"),
        ("it was £5", "it was £ 5"),
        ("my sister is in y9", "my sister is in y9"),
        ("stuck on the m25 for ages", "stuck on the m25 for ages"),
        ("i have 2 older brothers and 2 cats", "i have 2 older brothers and 2 cats"),
        ("i want 2 dogs", "i want 2 dogs"),
        ("we won 3 0", "we won 3 0"),
        ("call me on 07700 900123", "call me on 07700 900123"),
        ("i got a1 in my mock and a 5 in maths", "i got a1 in my mock and a 5 in maths"),
        # Read as words where the words either side say so.
        ("i need 2 go 2 school", "i need to go to school"),
        ("this is 4 you", "this is for you"),
        ("it was 2 much", "it was too much"),
        ("c u l8r", "see you later"),
    ],
)
def test_everyday_numbers_keep_their_meaning_and_raise_nothing(text, read):
    assert normalise(text).joined == read
    assert not screen(text).risk, screen(text)


def test_styled_letters_fold_to_plain_ones_and_accents_and_other_scripts_stay():
    assert fold("ｋｉｌｌ 𝓭𝓲𝓮 ﬁne") == "kill die fine"
    assert fold("café ŵyr") == "café ŵyr"
    assert not not_english(fold("ｉ ｗａｎｔ ｔｏ ｇｏ ｈｏｍｅ")) and not_english(fold("я хочу домой"))
    assert not_english(fold("Mae e'n fy mwrw i bob nos"))  # Welsh is still for a person to read


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # A "g" dropped (7 December): the lexicon's "-ing" lines read these with no "-in" form of their own
        # (`text.with_dropped_g`).
        ("hes been hittin me again", "abuse"),
        ("my dad keeps beatin me", "abuse"),
        ("he keeps touchin me", "abuse"),
        ("someone is followin me home", "violence"),
        ("im stayin at some mans flat", "missing"),
        ("mum keeps lockin me in my room", "unsafe_home"),
        ("i been drinkin every mornin before school", "self_harm"),
        ("my mate isnt breathin", "self_harm"),
    ],
)
def test_a_dropped_g_alerts_as_the_ing_word_does(text, category):
    assert category in lexicon_categories(text), text
    check_high_alert(text, category)


@pytest.mark.parametrize(
    ("tokens", "read"),
    [
        ("hes been hittin me", "hes been hitting me"),
        ("chillin with kevin and justin in the cabin", "chilling with kevin and justin in the cabin"),
        # English as it stands, with or without the "g": never respelt.
        ("a robin in the basin within a thin tin", "a robin in the basin within a thin tin"),
        ("win or sin a pin and an aspirin", "win or sin a pin and an aspirin"),
        ("the coffin and the heroin", "the coffin and the heroin"),
    ],
)
def test_a_dropped_g_is_read_as_the_ing_word_it_drops_it_from(tokens, read):
    assert " ".join(with_dropped_g(tuple(tokens.split()))) == read


@pytest.mark.parametrize(
    ("tokens", "read"),
    [
        ("am gannin doon the bridge", "am going down the bridge"),
        ("cannae get in the hoose , he wullnae answer", "cant get in the house , he wont answer"),
        ("been walkin all nite", "been walking all night"),
        # NEET (not in education, employment or training) is never the Geordie "night".
        ("the neet group at college", "the neet group at college"),
    ],
)
def test_the_lexicon_reads_dialect_words_and_a_dropped_g_as_english(tokens, read):
    assert " ".join(lexicon_words(tuple(tokens.split()))) == read


def test_the_model_and_the_other_analysers_read_dialect_words_as_typed():
    assert normalise("cannae get in the hoose").joined == "cannae get in the hoose"


def test_the_model_and_the_other_analysers_read_a_dropped_g_as_typed_as_they_learned_it():
    assert normalise("hes been hittin me").joined == "he is been hittin me"
    assert screen("hes been hittin me again").reasons[0] == "lexicon: abuse (hitting me; hittin read as hitting)"

"""Welsh words of harm ([welsh] in conversations/risk.toml, `analysis.risk.welsh_risk`; trial 8, H1).

The English screen cannot read Welsh: "dwi isio marw" (I want to die) in a Welsh survey was flagged only as "not in
English", low priority with no category. Clear Welsh disclosures are now read as English ones are: high priority,
with their category, their words in the reason. Mutations ("lladd"/"ladd", "brifo"/"mrifo", "taro"/"nharo"), spoken
forms ("isio", "isie", "moyn"), to bach and apostrophes are all read. A negation right before ("dwi ddim isio marw")
sets the words aside, and the message is still flagged for a person to read, as all Welsh is. Pure: no database.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from voice_service import analysis
from voice_service.analysis import NOT_ENGLISH_REASON
from voice_service.analysis.risk import welsh_fold, welsh_risk

DATA = Path(__file__).resolve().parents[1] / "data"

# (message, the categories it raises): the tester's nine lines, and more of their kind that were not in the report.
DISCLOSURES = [
    # The tester's (trial 8, H1)
    ("dwi isio marw", {"self_harm"}),
    ("isio marw", {"self_harm"}),
    ("dwi am ladd fy hun heno", {"self_harm"}),
    ("dwi am ladd fy hun", {"self_harm"}),
    ("mae o'n fy mrifo i", {"abuse"}),
    ("mae fy llystad yn fy nghuro i", {"abuse"}),
    ("dwi'n torri fy hun", {"self_harm"}),
    ("mae ofn arna i fynd adref", {"unsafe_home"}),
    # Not in the report: other mutations, dialects, spellings and marks
    ("Dw i’n isie marw", {"self_harm"}),  # a curly apostrophe, the south's "isie"
    ("Dwi eisiau marw.", {"self_harm"}),
    ("dwi'n moyn marw", {"self_harm"}),
    ("dwi isio bod yn farw", {"self_harm"}),
    ("Dwi eisiau lladd fy hunan", {"self_harm"}),
    ("dwi wedi bod yn brifo fy hun eto", {"self_harm"}),
    ("dwi isio frifo fy hun", {"self_harm"}),
    ("dwi'n meddwl am hunanladdiad", {"self_harm"}),
    ("dwi'n meddwl am hunan-niweidio", {"self_harm"}),
    ("dwi ddim isio byw dim mwy", {"self_harm"}),
    ("does dim pwynt byw", {"self_harm"}),
    ("mae fy ffrind yn torri ei hun", {"self_harm"}),
    ("Mae e'n fy mwrw i bob nos", {"abuse"}),
    ("mae hi'n fy nharo i", {"abuse"}),
    ("mae o'n taro fi pan mae o wedi meddwi", {"abuse"}),
    ("mae fy nhad yn curo fi", {"abuse"}),
    ("mae o'n fy nghicio i", {"abuse"}),
    ("dwi wedi cael fy ngham-drin", {"abuse"}),
    ("mae o am fy lladd i", {"violence"}),
    ("mae o'n bygwth fi", {"violence"}),
    ("dwi ofn mynd adra", {"unsafe_home"}),
    ("mae gen i ofn mynd adre heno", {"unsafe_home"}),
    ("dwi ddim yn saff adra", {"unsafe_home"}),
    ("Mae arnaf ofn mynd adref, mae e'n fy nharo i", {"abuse", "unsafe_home"}),
    ("DWI ISIO MARW", {"self_harm"}),
    ("dwi isio marw ffs", {"self_harm"}),
]

# Negated, or no harm: never read as a disclosure (all but the English are still flagged for a person).
NOT_DISCLOSURES = [
    "dwi ddim isio marw",
    "dydy o ddim yn fy nharo i",
    "dydy hi byth yn fy nghuro i",
    "mae'r gwaith cartref yn fy lladd i",  # homework is killing me
    "Mae'r ysgol yn iawn",
    "Mae fy ngofalwr yn garedig iawn ac rydw i'n hapus yn y ty",
    "dwi isio mynd adref",  # I want to go home
]


@pytest.mark.parametrize(("text", "categories"), DISCLOSURES)
def test_a_clear_welsh_disclosure_is_high_priority_with_its_category(text, categories):
    result = analysis.screen(text)
    assert result.risk and result.priority == "high", text
    assert set(result.categories) == categories, text
    assert not analysis.unread(result) and NOT_ENGLISH_REASON not in result.reasons
    assert all(reason.startswith("lexicon: ") for reason in result.reasons)
    assert analysis.analyse(text).risk_priority == "high"


@pytest.mark.parametrize("text", NOT_DISCLOSURES)
def test_a_negated_or_harmless_welsh_line_is_no_disclosure_but_a_person_still_reads_it(text):
    assert not welsh_risk(text).risk, text
    result = analysis.screen(text)
    assert result.priority != "high" and not result.categories, text
    assert analysis.unread(result), text  # Welsh: still flagged for a person


def test_the_reason_names_the_category_and_the_welsh_words_as_the_duty_pages_read_it():
    assert analysis.screen("dwi isio marw").reasons == ("lexicon: self_harm (isio marw)",)
    assert analysis.screen("mae fy llystad yn fy nghuro i").reasons == ("lexicon: abuse (fy nghuro)",)


def test_folding_drops_to_bach_and_apostrophes_and_breaks_clauses_at_marks():
    assert welsh_fold("Dw i’n  isie MARW!") == "dw in isie marw |"
    assert welsh_fold("tŷ, ŵyr") == "ty | wyr"


def test_a_negation_in_another_clause_does_not_set_a_disclosure_aside():
    assert welsh_risk("dwi ddim yn hapus, dwi isio marw").categories == ("self_harm",)
    assert welsh_risk("dwi ddim isio byw, dwi isio marw").categories == ("self_harm",)


def test_english_with_a_welsh_disclosure_in_it_is_read_too():
    result = analysis.screen("sorry for my english but dwi isio marw")
    assert result.priority == "high" and "self_harm" in result.categories


def test_no_english_message_in_the_corpora_raises_a_welsh_match():
    corpus = [json.loads(line)["text"] for line in (DATA / "risk_corpus.jsonl").open(encoding="utf-8") if line.strip()]
    messages = [json.loads(line)["text"] for line in (DATA / "messages.jsonl").open(encoding="utf-8")]
    everyday = (DATA / "everyday" / "train_negatives.txt").read_text(encoding="utf-8").splitlines()
    found = [text for text in (*corpus, *messages, *everyday) if welsh_risk(text).risk]
    assert found == []

"""CSV exports are safe to open in a spreadsheet."""

import io

import pytest

from voice_service.exports import safe_cell, write_csv


@pytest.mark.parametrize(
    "text, expected",
    [
        ('=HYPERLINK("http://x","click")', '\'=HYPERLINK("http://x","click")'),
        ("+44 call me", "'+44 call me"),
        ("-_- whatever", "'-_- whatever"),
        ("@jay", "'@jay"),
        ("fine thanks", "fine thanks"),
        (4, 4),
        (None, None),
    ],
)
def test_cells_that_could_start_a_formula_are_quoted(text, expected):
    assert safe_cell(text) == expected


def test_responses_csv_never_starts_a_cell_with_a_formula():
    out = io.StringIO()
    write_csv(
        [
            {
                "participant": "P-1",
                "question_id": "q",
                "answer": "=1+1",
                "value": "=1+1",
                "skipped": False,
                "themes": [],
                "sentiment": None,
                "score": None,
                "risk": False,
                "risk_categories": [],
                "created_at": "2026-11-22",
            }
        ],
        out,
    )
    assert ",=1+1" not in out.getvalue() and ",'=1+1" in out.getvalue()


def test_responses_csv_writes_each_themes_own_feeling_after_the_contracts_fields():
    out = io.StringIO()
    row = {"participant": "P-1", "themes": ["carers", "education"], "sentiment": "neutral", "not_in_english": False}
    write_csv([{**row, "theme_sentiments": {"carers": "positive", "education": "negative"}}], out)
    header, line = out.getvalue().splitlines()
    assert header.split(",")[-2:] == ["theme_sentiments", "not_in_english"]  # extensions go last, in order
    assert line.endswith(",carers:positive;education:negative,False")

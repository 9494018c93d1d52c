"""`python -m voice_service.analysis.evaluate`'s command line: --help lists its options and reads no data, an
unknown option is an error (never a file name), and each option still picks its part of the report."""

from __future__ import annotations

import pytest

from voice_service.analysis import evaluate


def _forbidden(*args, **kwargs):
    raise AssertionError("read a data set")


@pytest.fixture
def no_data(monkeypatch):
    """Every report replaced by a stand-in naming itself, so the command line is tested without the data."""
    rows = [{"id": "a", "text": "my carer is nice", "risk": False, "risk_categories": [], "family": "yp_x"}]
    calls: list[tuple[str, object]] = []
    monkeypatch.setattr(evaluate, "corpus_split", lambda split, path=None: rows)
    monkeypatch.setattr(evaluate, "holdout_report", lambda: "HOLDOUT PART")
    monkeypatch.setattr(evaluate, "unseen_author_report", lambda: "UNSEEN PART")
    monkeypatch.setattr(evaluate, "eleventh_author_report", lambda: "ELEVENTH PART")
    monkeypatch.setattr(
        evaluate, "everyday_false_alarms", lambda: {"n": 1, "alarms": [], "lexicon": 0.0, "model": 0.0, "combined": 0.0}
    )
    monkeypatch.setattr(evaluate, "evaluate", lambda path: calls.append(("file", path)) or {})
    monkeypatch.setattr(evaluate, "report", lambda metrics, verbose=False: f"older set verbose={verbose}")
    monkeypatch.setattr(evaluate, "complaints_metrics", lambda: {})
    monkeypatch.setattr(evaluate, "complaints_report", lambda metrics, verbose=False: f"complaints verbose={verbose}")
    monkeypatch.setattr(evaluate, "_theme_feelings_section", lambda verbose: None)
    return calls


def test_help_lists_every_option_and_reads_nothing(monkeypatch, capsys):
    # It used to be read as a file name: FileNotFoundError: '--help'.
    for name in ("corpus_split", "evaluate", "holdout_report", "everyday_false_alarms", "complaints_metrics"):
        monkeypatch.setattr(evaluate, name, _forbidden)
    with pytest.raises(SystemExit) as exited:
        evaluate.main(["--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: python -m voice_service.analysis.evaluate")
    for option in ("--no-holdout", "-v, --verbose", "--complaints", "file", "-h, --help"):
        assert option in out, option


def test_an_unknown_option_is_an_error_not_a_file(monkeypatch, capsys):
    monkeypatch.setattr(evaluate, "evaluate", _forbidden)
    with pytest.raises(SystemExit) as exited:
        evaluate.main(["--holdout-only"])
    assert exited.value.code == 2
    assert "unrecognized arguments: --holdout-only" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv,printed,absent",
    [
        (
            [],
            [
                "RISK, TEST split",
                "HOLDOUT PART",
                "UNSEEN PART",
                "ELEVENTH PART",
                "older set verbose=False",
                "complaints",
            ],
            [],
        ),
        (
            ["-v", "--no-holdout"],
            ["RISK, DEV split", "older set verbose=True"],
            ["HOLDOUT PART", "UNSEEN PART", "ELEVENTH PART"],
        ),
        (["--verbose", "--complaints"], ["complaints verbose=True"], ["RISK", "older set"]),
        (["tests/data/messages.jsonl", "-v"], ["older set verbose=True"], ["RISK", "complaints"]),
    ],
)
def test_each_option_picks_its_part_of_the_report(no_data, capsys, argv, printed, absent):
    assert evaluate.main(argv) == 0
    out = capsys.readouterr().out
    for part in printed:
        assert part in out, part
    for part in absent:
        assert part not in out, part


def test_a_file_is_reported_on_by_itself(no_data, capsys):
    assert evaluate.main(["tests/data/messages.jsonl"]) == 0
    assert [(kind, str(path)) for kind, path in no_data] == [("file", "tests/data/messages.jsonl")]


def test_a_file_and_complaints_together_is_an_error(no_data, capsys):
    with pytest.raises(SystemExit) as exited:
        evaluate.main(["--complaints", "tests/data/messages.jsonl"])
    assert exited.value.code == 2
    assert no_data == []

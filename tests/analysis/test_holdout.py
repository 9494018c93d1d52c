"""The holdout (tests/data/holdout/) parses, is labelled validly, stays out of training, and is reported
by figures only: `make eval` never prints its lines."""

import json
from pathlib import Path

from voice_service.analysis.evaluate import holdout_report, holdout_rows, load
from voice_service.analysis.lexicon import RISK_CATEGORIES

DATA = Path(__file__).resolve().parents[1] / "data"
HOLDOUT = DATA / "holdout"
STYLES = {"sms", "text_speak", "typos", "no_punct", "testimony", "question", "lol", "street", "online"}


def _everyday(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_disclosures_parse_with_valid_labels():
    rows = load(HOLDOUT / "disclosures.jsonl")
    assert 600 <= len(rows) <= 800
    for r in rows:
        assert set(r) == {"text", "risk", "category", "style", "kind"}, r.keys()
        assert isinstance(r["risk"], bool) and r["text"].strip() and r["kind"]
        assert r["style"] in STYLES
        # A risky line names its category; a line that is not risky names none.
        assert (r["category"] in RISK_CATEGORIES) if r["risk"] else r["category"] is None
    assert len({r["text"].lower() for r in rows}) == len(rows)
    assert {r["category"] for r in rows if r["risk"]} == set(RISK_CATEGORIES)
    assert 0.5 <= sum(r["risk"] for r in rows) / len(rows) <= 0.6


def test_everyday_text_is_big_enough_and_distinct():
    lines = _everyday(HOLDOUT / "everyday.txt")
    assert len(lines) >= 2000
    assert len(set(lines)) == len(lines)
    assert (HOLDOUT / "SOURCES.md").is_file()


def test_holdout_never_sits_in_training_or_tuning_data():
    # One- and two-word survey replies ("yes", "not sure") are everyone's; longer lines are not.
    texts = {r["text"].lower() for r in load(HOLDOUT / "disclosures.jsonl") if len(r["text"].split()) > 2}
    tuned = {r["text"].lower() for name in ("risk_corpus.jsonl", "messages.jsonl") for r in load(DATA / name)}
    assert not texts & tuned
    everyday = set(_everyday(HOLDOUT / "everyday.txt"))
    used = {line for path in (DATA / "everyday").glob("*.txt") for line in _everyday(path)}
    assert not everyday & used


def test_report_gives_figures_and_kinds_never_the_lines(tmp_path):
    rows = [
        {
            "text": "zzq he said he will hurt me tonight",
            "risk": True,
            "category": "violence",
            "style": "sms",
            "kind": "threat",
        },
        {
            "text": "zzq my carer cooked a lovely roast",
            "risk": False,
            "category": None,
            "style": "sms",
            "kind": "survey",
        },
    ]
    (tmp_path / "disclosures.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    (tmp_path / "everyday.txt").write_text("zzq the film was long\nzzq great pho\n", encoding="utf-8")
    assert [r["risk_categories"] for r in holdout_rows(tmp_path / "disclosures.jsonl")] == [["violence"], []]
    out = holdout_report(tmp_path)
    assert "never tuned on" in out
    assert "2 messages, 1 risky" in out
    assert "2 public" in out
    assert "missed by kind" in out and "missed by style" in out
    assert "zzq" not in out


def test_no_holdout_flag_reads_neither_the_holdout_nor_fortunes(monkeypatch, capsys):
    # `evaluate --no-holdout` is what model choices are measured with: it must not touch the
    # test-only sets at all (not even to compute a figure nobody prints).
    from voice_service.analysis import evaluate

    def forbidden(*args, **kwargs):
        raise AssertionError("read a test-only set")

    monkeypatch.setattr(evaluate, "holdout_report", forbidden)
    monkeypatch.setattr(evaluate, "unseen_author_report", forbidden)
    monkeypatch.setattr(evaluate, "eleventh_author_report", forbidden)
    monkeypatch.setattr(evaluate, "everyday_false_alarms", forbidden)
    rows = [
        {"id": "a", "text": "my carer is nice", "risk": False, "risk_categories": [], "family": "yp_x"},
        {"id": "b", "text": "i want to kill myself", "risk": True, "risk_categories": ["self_harm"], "family": "x"},
    ]
    monkeypatch.setattr(evaluate, "corpus_split", lambda split, path=None: rows)
    monkeypatch.setattr(evaluate, "evaluate", lambda path: {})
    monkeypatch.setattr(evaluate, "report", lambda metrics, verbose=False: "older set")
    monkeypatch.setattr(evaluate, "complaints_metrics", lambda: {})
    monkeypatch.setattr(evaluate, "complaints_report", lambda metrics, verbose=False: "complaints")
    monkeypatch.setattr(evaluate, "_theme_feelings_section", lambda verbose: None)
    assert evaluate.main(["--no-holdout"]) == 0
    out = capsys.readouterr().out
    assert "RISK, TEST split" in out and "RISK, DEV split" in out and "ordinary replies" in out
    assert "HOLDOUT" not in out and "fortunes.txt," not in out


def test_the_unseen_author_is_built_from_pending_never_learned_and_reported_by_figures_only():
    """`make eval`'s unseen author (pending/y9_*.txt): its rows are built as learned lines would be, none is a
    corpus row the model learned from or is tested on, and the report gives figures, never a line."""
    from voice_service.analysis.evaluate import UNSEEN_AUTHOR, _corpus_builder, unseen_author_report

    corpus = load(DATA / "risk_corpus.jsonl")
    rows = _corpus_builder().pending(UNSEEN_AUTHOR, corpus)
    assert len(rows) >= 2000 and 0.4 <= sum(r["risk"] for r in rows) / len(rows) <= 0.6
    assert {r["split"] for r in rows} == {"pending"}
    assert all(r["family"].startswith((UNSEEN_AUTHOR, f"yp_{UNSEEN_AUTHOR}")) for r in rows)
    assert not {r["text"].lower() for r in rows} & {r["text"].lower() for r in corpus}
    out = unseen_author_report()
    assert f"{len(rows)} messages" in out and "never learned from, never tuned on" in out
    assert not any(r["text"] in out for r in rows if len(r["text"]) > 12)


def test_the_eleventh_author_is_labelled_validly_and_reported_by_figures_only(tmp_path):
    """`make eval`'s eleventh author (tests/data/eleventh_author/): its halves are fixed by each line's MD5, none
    of its lines is learned from, and the report gives figures and kinds, never a line."""
    import hashlib

    from voice_service.analysis.evaluate import ELEVENTH_AUTHOR, eleventh_author_report

    rows = load(ELEVENTH_AUTHOR)
    assert len(rows) == 720 and sum(r["risk"] for r in rows) == 360
    for r in rows:
        assert set(r) == {"text", "risk", "category", "kind", "half"}, r.keys()
        assert (r["category"] in RISK_CATEGORIES) if r["risk"] else r["category"] is None
        assert r["half"] == ("check" if hashlib.md5(r["text"].encode()).digest()[0] % 2 else "tune")
    assert {r["category"] for r in rows if r["risk"]} == set(RISK_CATEGORIES)
    tuned = {r["text"].lower() for name in ("risk_corpus.jsonl", "messages.jsonl") for r in load(DATA / name)}
    # Stock phrases anyone writes ("idk", "i just want to go to sleep and not wake up") are also corpus rows: 5 of
    # 720, written independently (SOURCES.md names them); no more may be.
    assert len({r["text"].lower() for r in rows} & tuned) <= 5
    lines = [
        {"text": "zzq he said he will hurt me tonight", "risk": True, "category": "violence", "kind": "me_explicit"},
        {"text": "zzq my carer cooked a lovely roast", "risk": False, "category": None, "kind": "ordinary_reply"},
        {"text": "zzq tuned line i want to die", "risk": True, "category": "self_harm", "kind": "me_explicit"},
    ]
    for line in lines:
        line["half"] = "tune" if "tuned" in line["text"] else "check"
    path = tmp_path / "lines.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in lines), encoding="utf-8")
    out = eleventh_author_report(path)
    assert "never read or tuned on" in out and "2 messages, 1 risky" in out
    assert "TUNE half, which the lexicon was tuned on, not a result" in out
    assert "zzq" not in out

"""The `analyse` command's JSONL contract, including bad lines."""

import json

from click.testing import CliRunner

from voice_service.cli.analyse import analyse


def test_jsonl_in_jsonl_out():
    lines = [
        json.dumps({"id": "a", "text": "my sw is mint"}),
        json.dumps({"id": 2, "text": "i want to kill myself"}),
    ]
    result = CliRunner().invoke(analyse, input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["a", 2]
    for o in out:
        # The design.md contract, extended (never broken) with which opinion fired and why, and each
        # theme's own feeling.
        assert set(o) == {
            "id",
            "themes",
            "sentiment",
            "score",
            "risk",
            "risk_categories",
            "risk_priority",
            "risk_reasons",
            "theme_sentiments",
        }
    assert out[0]["risk_priority"] == "" and out[0]["risk_reasons"] == []
    assert out[1]["risk_priority"] == "high"
    assert out[1]["risk_reasons"][0] == "lexicon: self_harm (want to kill myself)"
    assert out[0]["themes"] == ["social_workers"] and out[0]["sentiment"] == "positive"
    assert out[0]["theme_sentiments"] == {"social_workers": "positive"}
    assert out[1]["risk"] is True and out[1]["risk_categories"] == ["self_harm"]


def test_bad_lines_are_reported_by_number_and_the_rest_still_analysed():
    lines = [
        "not json",
        json.dumps({"text": "no id"}),
        json.dumps({"id": "x"}),
        json.dumps({"id": "y", "text": 5}),
        json.dumps(["a", "list"]),
        "",
        json.dumps({"id": "ok", "text": "fine"}),
    ]
    result = CliRunner().invoke(analyse, input="\n".join(lines) + "\n")
    assert result.exit_code == 1
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["ok"]
    for number in (1, 2, 3, 4, 5):
        assert f"line {number}:" in result.stderr
    assert "no id" not in result.stderr  # never echo a young person's text


def test_files_in_and_out(tmp_path):
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text(json.dumps({"id": "1", "text": "ran away last night"}) + "\n")
    result = CliRunner().invoke(analyse, ["--input", str(src), "--output", str(dst)])
    assert result.exit_code == 0, result.output
    assert json.loads(dst.read_text())["risk_categories"] == ["missing"]

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


def test_a_byte_order_mark_crlf_and_blank_lines_lose_no_line(tmp_path):
    """A file saved by Excel or Notepad starts with a BOM and ends lines with CRLF: line 1 is still read."""
    src = tmp_path / "in.jsonl"
    lines = [json.dumps({"id": "first", "text": "i want to kill myself"}), "", json.dumps({"id": 2, "text": "ok"})]
    src.write_bytes("\ufeff".encode() + "\r\n".join(lines).encode() + b"\r\n\r\n")
    for args, stdin in ((["--input", str(src)], None), ([], src.read_bytes())):
        result = CliRunner().invoke(analyse, args, input=stdin)
        assert result.exit_code == 0, result.output
        out = [json.loads(line) for line in result.stdout.splitlines()]
        assert [o["id"] for o in out] == ["first", 2] and out[0]["risk"] is True


def test_bytes_that_are_not_utf8_do_not_stop_the_run(tmp_path):
    """One line saved in Windows-1252 ('café') is analysed with U+FFFD for the byte, named on stderr by its
    number, and the disclosure after it is still screened."""
    src = tmp_path / "in.jsonl"
    src.write_bytes(
        b'{"id": 1, "text": "caf\xe9 with my carer"}\n' + json.dumps({"id": 2, "text": "i want to die"}).encode()
    )
    result = CliRunner().invoke(analyse, ["--input", str(src)])
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == [1, 2] and out[1]["risk"] is True
    assert "line 1: not UTF-8" in result.stderr and "caf" not in result.stderr


def test_a_replacement_character_the_text_holds_is_not_called_a_bad_byte(tmp_path):
    """U+FFFD written in valid UTF-8 (a message copied from a system that lost a character) is text, not a
    byte that could not be read: no warning, by file or by stdin, and the text is analysed as it is."""
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": 1, "text": "my carer \ufffd is kind"}, ensure_ascii=False) + "\n", "utf-8")
    for args, stdin in ((["--input", str(src)], None), ([], src.read_bytes())):
        result = CliRunner().invoke(analyse, args, input=stdin)
        assert result.exit_code == 0, result.output
        assert "not UTF-8" not in result.stderr
        assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == [1]
    bad = CliRunner().invoke(analyse, [], input=b'{"id": 1, "text": "caf\xe9"}\n')
    assert bad.exit_code == 0 and "line 1: not UTF-8" in bad.stderr


def test_plain_text_lines_with_lines():
    """--lines reads one message a line (any language), each result's id its line number; without it, a first
    line that is not JSON says how to read plain text."""
    text = "my social worker never calls back\r\n\r\nchcę umrzeć\nRwy'n hapus iawn gyda fy ngofalwr maeth\n"
    result = CliRunner().invoke(analyse, ["--lines"], input=text)
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == [1, 3, 4]
    assert out[0]["themes"] == ["social_workers"] and out[1]["risk"] is True
    refused = CliRunner().invoke(analyse, input=text)
    assert refused.exit_code == 1 and "use --lines" in refused.stderr


def test_a_scale_hint_reads_a_message_as_the_answer_to_a_question_a_rating_branched_to():
    """As the inbound path stores pulse's "what would help?" after "How have you been feeling?" = 1 (T13-11)."""
    lines = [
        json.dumps({"id": "alone", "text": "my sw"}),
        json.dumps({"id": "low", "text": "my sw", "scale_hint": -1}),
        json.dumps({"id": "none", "text": "my sw", "scale_hint": None}),
        json.dumps({"id": "far", "text": "my sw", "scale_hint": 3}),
        json.dumps({"id": "word", "text": "my sw", "scale_hint": "low"}),
        json.dumps({"id": "flag", "text": "my sw", "scale_hint": True}),
    ]
    result = CliRunner().invoke(analyse, input="\n".join(lines) + "\n")
    assert result.exit_code == 1
    out = {o["id"]: o for o in map(json.loads, result.stdout.splitlines())}
    assert set(out) == {"alone", "low", "none"}
    assert out["alone"]["sentiment"] == out["none"]["sentiment"] == "neutral"
    assert out["low"]["sentiment"] == "negative"
    for number in (4, 5, 6):
        assert f"line {number}: scale_hint is not a number from -1 to 1" in result.stderr

"""`voice-service analyse`: JSONL of {"id","text"} in, themes, sentiment and risk out.

A record may also carry "scale_hint", the rating (on -1 to 1) that the answer's question was asked because of,
as the inbound path gives it (`inbound.responses.follow_up_hint`): so a worker can reproduce what was stored.
"""

from __future__ import annotations

import json
import re

import click

from voice_service.analysis import analyse as analyse_text
from voice_service.analysis import warm_up

# What a line is read as when it is not UTF-8 (a file saved in Windows-1252, say): each such byte becomes
# U+FFFD and the rest of the line is analysed, rather than the whole run stopping at that line. The file is
# read with surrogateescape, so a byte that was not UTF-8 is told apart from a U+FFFD the text really holds.
NOT_UTF8 = "\ufffd"
_UNREAD_BYTE = re.compile("[\udc80-\udcff]")


def _problem(record: object) -> str | None:
    """Say what is wrong with one parsed input record, or None if it is usable."""
    if not isinstance(record, dict):
        return "not a JSON object"
    if "id" not in record:
        return "missing id"
    if "text" not in record:
        return "missing text"
    if not isinstance(record["text"], str):
        return "text is not a string"
    hint = record.get("scale_hint")
    if hint is not None and (isinstance(hint, bool) or not isinstance(hint, int | float) or not -1 <= hint <= 1):
        return "scale_hint is not a number from -1 to 1"
    return None


@click.command("analyse")
@click.option(
    "--input",
    "input_file",
    # utf-8-sig: a file saved by Excel or Notepad starts with a byte-order mark, which is not part of line 1.
    type=click.File("r", encoding="utf-8-sig", errors="surrogateescape"),
    default="-",
    show_default=True,
    help='JSONL file of {"id", "text"}, one a line (UTF-8, with or without a byte-order mark; LF or CRLF; '
    'blank lines skipped); - for stdin. An optional "scale_hint" (-1 to 1) reads a message as the answer to '
    "a question a rating branched to, as stored.",
)
@click.option(
    "--output",
    "output_file",
    type=click.File("w", encoding="utf-8"),
    default="-",
    show_default=True,
    help="Where to write the JSONL results, one a line in the input's order; - for stdout.",
)
@click.option(
    "--lines",
    "plain_lines",
    is_flag=True,
    help="Read plain text instead, one message a line; each result's id is its line number (from 1).",
)
def analyse(input_file, output_file, plain_lines: bool) -> None:
    """Tag themes, sentiment (the message's, and each theme's own) and safeguarding risk for each JSONL line.

    Each result is {"id", "themes", "sentiment", "score", "risk", "risk_categories", "risk_priority",
    "risk_reasons", "theme_sentiments"}. A line that cannot be read is named on stderr by its number (never
    its words), the rest are still analysed, and the command then exits 1.
    """
    warm_up()  # a missing vocabulary stops us before any line is read
    bad = 0
    for number, line in enumerate(input_file, start=1):
        if not line.strip():
            continue
        line, unread = _UNREAD_BYTE.subn(NOT_UTF8, line)
        if unread:
            click.echo(f"line {number}: not UTF-8; each byte it could not read is taken as \ufffd", err=True)
        if plain_lines:
            record: object = {"id": number, "text": line.rstrip("\r\n")}
            problem: str | None = None
        else:
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                problem = f"not valid JSON ({exc.msg})"
                if number == 1:
                    problem += "; for plain text, one message a line, use --lines"
            else:
                problem = _problem(record)
        if problem is not None:
            # Line number and reason only: the text may be a young person's words.
            click.echo(f"line {number}: {problem}", err=True)
            bad += 1
            continue
        assert isinstance(record, dict)
        result = analyse_text(record["text"], scale_hint=record.get("scale_hint")).to_dict()
        output_file.write(json.dumps({"id": record["id"], **result}, ensure_ascii=False) + "\n")
    output_file.flush()
    if bad:
        click.echo(f"{bad} line(s) could not be analysed", err=True)
        raise SystemExit(1)

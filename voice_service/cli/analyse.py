"""`voice-service analyse`: JSONL of {"id","text"} in, themes, sentiment and risk out."""

from __future__ import annotations

import json

import click

from voice_service.analysis import analyse as analyse_text
from voice_service.analysis import warm_up


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
    return None


@click.command("analyse")
@click.option(
    "--input",
    "input_file",
    type=click.File("r", encoding="utf-8"),
    default="-",
    show_default=True,
    help='JSONL file of {"id", "text"}; - for stdin.',
)
@click.option(
    "--output",
    "output_file",
    type=click.File("w", encoding="utf-8"),
    default="-",
    show_default=True,
    help="Where to write the JSONL results; - for stdout.",
)
def analyse(input_file, output_file) -> None:
    """Tag themes, sentiment (the message's, and each theme's own) and safeguarding risk for each JSONL line."""
    warm_up()  # a missing vocabulary stops us before any line is read
    bad = 0
    for number, line in enumerate(input_file, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            problem: str | None = f"not valid JSON ({exc.msg})"
        else:
            problem = _problem(record)
        if problem is not None:
            # Line number and reason only: the text may be a young person's words.
            click.echo(f"line {number}: {problem}", err=True)
            bad += 1
            continue
        result = analyse_text(record["text"]).to_dict()
        output_file.write(json.dumps({"id": record["id"], **result}, ensure_ascii=False) + "\n")
    output_file.flush()
    if bad:
        click.echo(f"{bad} line(s) could not be analysed", err=True)
        raise SystemExit(1)

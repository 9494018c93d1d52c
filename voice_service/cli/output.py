"""`--out PATH` for commands that write a document: a file, or standard output for `-` (or no --out).

`responses export --out -` writes to standard output (a click.File); `summary`, `report` and `privacy export`
write whole documents through `out_option` and `write_out`, so `--out -` means the same for each of them and
never makes a file called `-`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

STDOUT = "-"


def out_option(help_text: str) -> Callable[[Any], Any]:
    """The `--out` option: a file to write, or `-` for standard output."""
    return click.option(
        "--out",
        type=click.Path(dir_okay=False, writable=True, allow_dash=True, path_type=Path),
        default=None,
        help=help_text,
    )


def to_stdout(out: Path | None) -> bool:
    """Whether the document goes to standard output: no --out, or `--out -`."""
    return out is None or str(out) == STDOUT


def refuse_pdf_to_terminal(fmt: str, out: Path | None) -> None:
    """A PDF goes to a file, or to `--out -` (into a pipe); never printed by default."""
    if fmt == "pdf" and out is None:
        raise click.BadParameter("a PDF needs --out PATH (or --out - to pipe it)", param_hint="--out")


def write_out(out: Path | None, content: bytes) -> bool:
    """Write the document to `out`, or to standard output (as bytes, so a PDF arrives whole); True for a file."""
    if to_stdout(out):
        click.echo(content, nl=False)  # bytes go to the binary stream as they are
        return False
    assert out is not None
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(content)
    return True

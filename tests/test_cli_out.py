"""Tester trial 5, F11: `--out -` means standard output for every command that writes a document (`summary`,
`report`, `privacy export`), as it does for `responses export`; it never makes a file called `-`
(`cli.output`, the one home)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.factories import add_participants, launch, phone_number
from tests.outbox.helpers import environment
from voice_service.cli import main


def _in(folder: Path, services, *args: str):
    here = os.getcwd()
    os.chdir(folder)
    try:
        result = CliRunner().invoke(main, list(args), env=environment(services.config) | {"VOICE_CONFIG": ""})
    finally:
        os.chdir(here)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def round_id(services) -> int:
    add_participants(services, [{"phone": phone_number(1)}])
    return launch(services)


@pytest.mark.parametrize(
    "args, starts",
    [
        (("summary", "--round", "{round}", "--format", "md"), "#"),
        (("summary", "--round", "{round}", "--format", "md", "--audience", "young-people"), ""),
        (("report", "--from", "2026-04-01", "--to", "2027-03-31", "--format", "json"), "{"),
        (("privacy", "export", "--phone", phone_number(1)), "{"),
    ],
)
def test_out_dash_writes_to_standard_output_not_a_file(services, round_id, tmp_path, args, starts):
    args = tuple(arg.format(round=round_id) for arg in args)
    printed = _in(tmp_path, services, *args).stdout
    assert printed.startswith(starts) and printed.strip()
    dashed = _in(tmp_path, services, *args, "--out", "-")
    assert not (tmp_path / "-").exists(), "wrote a file called -"
    assert "wrote -" not in dashed.output and "written to -" not in dashed.output
    assert dashed.stdout.startswith(starts) and dashed.stdout.strip()


def test_a_file_is_still_a_file(services, round_id, tmp_path):
    result = _in(tmp_path, services, "summary", "--round", str(round_id), "--format", "md", "--out", "s.md")
    assert (tmp_path / "s.md").read_text().startswith("#") and "wrote s.md (md, round" in result.stderr


def test_a_pdf_goes_to_a_file_or_a_pipe_never_the_terminal_by_default(services, round_id, tmp_path):
    refused = CliRunner().invoke(
        main,
        ["summary", "--round", str(round_id), "--format", "pdf"],
        env=environment(services.config) | {"VOICE_CONFIG": ""},
    )
    assert refused.exit_code == 2 and "a PDF needs --out PATH (or --out - to pipe it)" in refused.output

"""Trial 8, H3: `demo --out DIR` ran `shutil.rmtree` on whatever folder it was given, so `--out .` deleted the
repo (`.git` and all) and `--out ~/Documents` a worker's files, with exit status 0. `demo` now empties only a
folder an earlier demo wrote (its marker file, or an older demo's config.toml), uses a new path or an empty
folder as it is, and refuses any other folder, naming it and saying what to do, exiting non-zero and touching
nothing. `make demo`'s default folder works on a fresh clone and again on a second run."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from voice_service.cli import main
from voice_service.cli.demo import write_demo_config
from voice_service.config import load
from voice_service.demo_folder import MARKER, demo_folder_refusal, written_by_a_demo


def _snapshot(folder: Path) -> dict[str, bytes | None]:
    return {
        str(path.relative_to(folder)): path.read_bytes() if path.is_file() else None
        for path in sorted(folder.rglob("*"))
    }


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("VOICE_CONFIG", raising=False)
    return tmp_path


def _demo(*args: str):
    return CliRunner().invoke(main, ["demo", "--no-serve", "--participants", "1", *args])


def test_a_folder_of_a_workers_own_files_is_refused_named_and_left_as_it_was(here):
    precious = here / "precious"
    (precious / "sub").mkdir(parents=True)
    (precious / "notes.txt").write_text("my council notes")
    (precious / "sub" / "keep.txt").write_text("x")
    before = _snapshot(precious)
    result = _demo("--out", "precious")
    assert result.exit_code == 1, result.output
    assert f"precious ({precious}) is not empty and was not written by an earlier demo" in result.output
    assert "nothing deleted" in result.output and "Give --out a new or empty folder" in result.output
    assert _snapshot(precious) == before
    assert "Voice Service demo" not in result.output  # stopped before the tour, which writes nothing


def test_out_dot_in_a_repo_is_refused_and_the_repo_kept(here):
    (here / ".git").mkdir()
    (here / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (here / "README.md").write_text("# mine\n")
    before = _snapshot(here)
    result = _demo("--out", ".")
    assert result.exit_code != 0 and f". ({here}) is not empty" in result.output
    assert _snapshot(here) == before


def test_a_config_toml_of_someone_elses_is_not_taken_for_a_demos(here):
    council = here / "council"
    council.mkdir()
    (council / "config.toml").write_text('[app]\ncouncil_name = "Ours"\n')
    (council / "voice-demo.db").write_bytes(b"")  # a name alone proves nothing either
    assert not written_by_a_demo(council)
    result = _demo("--out", str(council))
    assert result.exit_code != 0 and f"{council} is not empty" in result.output
    assert (council / "config.toml").read_text() == '[app]\ncouncil_name = "Ours"\n'


def test_an_empty_folder_a_new_path_and_an_older_demos_folder_may_be_used(here):
    empty = here / "empty"
    empty.mkdir()
    assert demo_folder_refusal(empty, "empty") is None
    assert demo_folder_refusal(here / "new" / "deeper", "new/deeper") is None
    # A folder an older demo wrote has no marker; its config.toml's first line is the demo's own.
    older = here / "older"
    older.mkdir()
    write_demo_config(older, load(None, environ={}, demo=True))
    (older / "participants.csv").write_text("the last demo's\n")
    assert written_by_a_demo(older) and demo_folder_refusal(older, "older") is None


def test_the_default_folder_works_on_a_fresh_clone_and_on_a_second_run(here):
    first = _demo()
    assert first.exit_code == 0, first.output
    out = here / "demo-output"
    assert (out / MARKER).is_file() and (out / "voice-demo.db").is_file()
    (out / "left-over.txt").write_text("from the last tour")
    second = _demo()
    assert second.exit_code == 0, second.output
    assert not (out / "left-over.txt").exists() and (out / MARKER).is_file()


def test_a_tour_stopped_halfway_leaves_a_folder_the_next_demo_empties(here, database_url):
    # The marker is written before the tour, so a demo stopped before its config.toml still marked its folder.
    out = here / "demo-output"
    out.mkdir()
    (out / MARKER).write_text("written by an earlier demo\n")
    (out / "participants.csv").write_text("half a tour\n")
    result = _demo("--out", str(out), "--database", database_url)
    assert result.exit_code == 0, result.output
    assert "half a tour" not in (out / "participants.csv").read_text()
    assert (out / MARKER).is_file() and (out / "config.toml").is_file()

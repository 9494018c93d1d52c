"""An erasure leaves a mark on the number (its keyed hash and when, nothing else), so the council's next import of
a list that still holds the young person leaves them out and says so; `--include-erased` adds them back on purpose
(trial 10, T10-3)."""

from __future__ import annotations

from click.testing import CliRunner
from sqlmodel import Session, select

from tests.factories import phone_number
from tests.outbox.helpers import environment
from voice_service.cli import main
from voice_service.models import ErasedNumber, Participant

ERASED = phone_number(61)
KEPT = phone_number(62)
LIST = f"phone,first_name,status,area\n{ERASED},Nia,in_care,North\n{KEPT},Osian,in_care,North\n"


def _cli(services, *args: str):
    return CliRunner().invoke(main, list(args), env=environment(services.config) | {"VOICE_CONFIG": ""})


def _names(services) -> list[str]:
    with Session(services.engine) as session:
        return sorted(p.first_name for p in session.exec(select(Participant)).all())


def _import(services, tmp_path, *flags: str):
    path = tmp_path / "council.csv"
    path.write_text(LIST, encoding="utf-8")
    return _cli(services, "participants", "import", str(path), *flags)


def test_the_next_import_leaves_an_erased_young_person_out_and_says_so(services, tmp_path):
    assert _import(services, tmp_path).exit_code == 0
    erased = _cli(services, "privacy", "erase", "--phone", ERASED, "--yes")
    assert erased.exit_code == 0, erased.output
    with Session(services.engine) as session:
        marks = session.exec(select(ErasedNumber)).all()
    assert [mark.phone_hash for mark in marks] == [services.vault.hash(ERASED)]  # the keyed hash, never the number

    again = _import(services, tmp_path)
    assert again.exit_code == 0, again.output
    assert _names(services) == ["Osian"]
    assert "1 young person left out, erased at their request" in again.output and "--include-erased" in again.output
    assert "imported: 0 new, 0 updated, 1 unchanged, 0 rejected, 1 erased left out" in again.output
    assert "7700" not in again.output

    # A worker who means to add them back says so; the mark goes with it, so a later import updates them.
    back = _import(services, tmp_path, "--include-erased")
    assert back.exit_code == 0, back.output
    assert "imported: 1 new, 0 updated, 1 unchanged, 0 rejected" in back.output
    assert _names(services) == ["Nia", "Osian"]
    with Session(services.engine) as session:
        assert session.exec(select(ErasedNumber)).all() == []
    assert "erased left out" not in _import(services, tmp_path).output


def test_forget_opt_out_keeps_no_mark_either(services, tmp_path):
    _import(services, tmp_path)
    assert _cli(services, "privacy", "erase", "--phone", ERASED, "--yes", "--forget-opt-out").exit_code == 0
    with Session(services.engine) as session:
        assert session.exec(select(ErasedNumber)).all() == []
    assert "imported: 1 new" in _import(services, tmp_path).output


def test_a_subject_access_export_shows_the_mark(services, tmp_path):
    import json

    _import(services, tmp_path)
    _cli(services, "privacy", "erase", "--phone", ERASED, "--yes")
    held = json.loads(_cli(services, "privacy", "export", "--phone", ERASED).output)
    assert held["found"] is False and set(held["erased"]) == {"erased_at"}

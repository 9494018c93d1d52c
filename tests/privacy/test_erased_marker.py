"""An erasure leaves a mark on the number (its keyed hash and when, nothing else), so the council's next import of
a list that still holds the young person leaves them out and says so; `--include-erased` adds them back on purpose
(trial 10, T10-3)."""

from __future__ import annotations

from click.testing import CliRunner
from sqlmodel import Session, select

from tests.factories import add_participants, phone_number
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

    # A worker who means to add them back names them; the mark goes with it, so a later import updates them.
    back = _import(services, tmp_path, "--include-erased", "07700 900261")
    assert back.exit_code == 0, back.output
    assert "imported: 1 new, 0 updated, 1 unchanged, 0 rejected" in back.output
    assert _names(services) == ["Nia", "Osian"]
    with Session(services.engine) as session:
        assert session.exec(select(ErasedNumber)).all() == []
    assert "erased left out" not in _import(services, tmp_path).output


def _marks(services) -> list[str]:
    with Session(services.engine) as session:
        return sorted(mark.phone_hash for mark in session.exec(select(ErasedNumber)).all())


def test_include_erased_adds_back_only_the_numbers_it_names(services, tmp_path):
    """Run for the one who asked, it leaves every other erased young person in the file out (review finding 2)."""
    _import(services, tmp_path)
    for phone in (ERASED, KEPT):
        assert _cli(services, "privacy", "erase", "--phone", phone, "--yes").exit_code == 0
    back = _import(services, tmp_path, "--include-erased", KEPT)
    assert back.exit_code == 0, back.output
    assert _names(services) == ["Osian"]
    assert _marks(services) == [services.vault.hash(ERASED)]
    assert "imported: 1 new, 0 updated, 0 unchanged, 0 rejected, 1 erased left out" in back.output
    assert "1 young person left out, erased at their request" in back.output


def test_include_erased_refuses_a_number_it_cannot_add_back(services, tmp_path):
    """A named number that is not in the file, or not marked, is refused, masked; nothing is imported."""
    absent = phone_number(99)  # erased, and not on this list
    add_participants(services, [{"phone": absent}])
    _import(services, tmp_path)
    for phone in (ERASED, absent):
        assert _cli(services, "privacy", "erase", "--phone", phone, "--yes").exit_code == 0
    erased_marks = sorted(services.vault.hash(phone) for phone in (ERASED, absent))
    missing = _import(services, tmp_path, "--include-erased", ERASED, "--include-erased", absent)
    assert missing.exit_code == 1
    assert "--include-erased ••••299: this file has no row with that number" in missing.output
    assert "nothing imported" in missing.output and "7700" not in missing.output
    assert _names(services) == ["Osian"] and _marks(services) == erased_marks

    unmarked = _import(services, tmp_path, "--include-erased", KEPT)
    assert unmarked.exit_code == 1
    assert "--include-erased ••••262: not erased, so there is nothing to add back" in unmarked.output
    assert _names(services) == ["Osian"] and _marks(services) == erased_marks

    # The named row is there but rejected: the refusal says which line, and the row's problem is said too.
    bad = tmp_path / "bad.csv"
    bad.write_text(f"phone,status,date_of_birth\n{ERASED},in_care,31/02/2009\n{KEPT},in_care,\n", encoding="utf-8")
    rejected = _cli(services, "participants", "import", str(bad), "--include-erased", ERASED)
    assert rejected.exit_code == 1
    assert "--include-erased ••••261: its row (line 2) was rejected" in rejected.output
    assert "bad.csv:2: date_of_birth '31/02/2009' is not a date" in rejected.output
    assert _names(services) == ["Osian"] and _marks(services) == erased_marks

    wrong = _import(services, tmp_path, "--include-erased", "01632 960001")  # not a mobile: used wrongly
    assert wrong.exit_code == 2 and "Invalid value for --include-erased: phone number" in wrong.output
    assert "960001" not in wrong.output


def test_a_young_person_who_texts_in_again_is_updated_by_the_next_import(services, tmp_path):
    """A mark outlives their return: once they text in (a new participant, the same keyed hash) the mark is stale,
    so the import removes it and updates their row, not "left out" (review finding 3)."""
    from voice_service.inbound.receive import receive

    _import(services, tmp_path)
    assert _cli(services, "privacy", "erase", "--phone", ERASED, "--yes").exit_code == 0
    with Session(services.engine, expire_on_commit=False) as session:
        receive(session=session, services=services, channel="sms", text="hi", provider_sid="SMback1", phone=ERASED)
        session.commit()
    again = _import(services, tmp_path)
    assert again.exit_code == 0, again.output
    assert "erased" not in again.output
    assert "imported: 0 new, 1 updated, 1 unchanged, 0 rejected" in again.output
    assert _names(services) == ["Nia", "Osian"] and _marks(services) == []


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

"""The spool file: durable, encrypted at rest, in arrival order, each record done once."""

from __future__ import annotations

import os

import pytest
from cryptography.fernet import Fernet

from voice_service.spool import Depth, Spool, SpoolError
from voice_service.spool.store import DONE_FILE, EARLY_FILE, SPOOL_FILE, WORRYING_FILE


@pytest.fixture
def spool(tmp_path) -> Spool:
    return Spool(tmp_path / "spool", Fernet.generate_key().decode())


def test_records_come_back_in_arrival_order_until_done(spool):
    first = spool.append("sms", {"form": [["Body", "one"]]})
    second = spool.append("webchat", {"text": "two"})
    assert [r.id for r in spool.pending()] == [first.id, second.id]
    assert spool.pending()[1].data == {"text": "two"} and spool.pending()[1].channel == "webchat"
    assert spool.depth().pending == 2
    spool.mark_done(first)
    assert [r.id for r in spool.pending()] == [second.id]
    assert spool.depth().pending == 1
    assert not spool.compact()  # one still waits: nothing is removed
    spool.mark_done(second)
    assert spool.compact()
    assert spool.depth().pending == 0 and not (spool.directory / SPOOL_FILE).exists()
    assert not (spool.directory / DONE_FILE).exists()


def test_nothing_readable_at_rest(spool):
    spool.append("sms", {"form": [["From", "+447700900123"], ["Body", "my carer shouts at me"]]})
    raw = (spool.directory / SPOOL_FILE).read_bytes()
    assert b"447700900123" not in raw and b"carer" not in raw
    assert oct(os.stat(spool.directory / SPOOL_FILE).st_mode & 0o777) == "0o600"


def test_a_torn_last_line_is_not_a_record(spool):
    kept = spool.append("sms", {"form": []})
    with open(spool.directory / SPOOL_FILE, "ab") as handle:
        handle.write(b"gAAAAA-half-written")  # a write cut short: never acknowledged to anyone
    assert [r.id for r in spool.pending()] == [kept.id]
    assert spool.depth().pending == 1


def test_a_line_under_another_key_counts_as_waiting_and_is_never_dropped(spool, tmp_path):
    Spool(spool.directory, Fernet.generate_key().decode()).append("sms", {"form": []})
    assert spool.pending() == [] and spool.depth().pending == 1
    assert not spool.compact()


def test_failed_records_are_counted_and_not_retried(spool):
    record = spool.append("sms", {"form": []})
    spool.mark_failed(record)
    assert spool.pending() == [] and spool.depth().failed == 1
    assert not spool.compact()  # kept for a person to look at


def test_an_unwritable_spool_raises_spool_error(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    spool = Spool(blocker / "spool", Fernet.generate_key().decode())
    with pytest.raises(SpoolError):
        spool.append("sms", {"form": []})


def test_one_replayer_at_a_time(spool):
    with spool.replaying() as first:
        with Spool(spool.directory, Fernet.generate_key().decode()).replaying() as second:
            assert first and not second


def test_worrying_records_are_counted_until_stored_or_failed(spool):
    # Trial 13, T13-5: no duty route hears of a spooled disclosure until the replay; /healthz counts it meanwhile.
    plain = spool.append("sms", {"form": []})
    first = spool.append("sms", {"form": []}, worrying=True)
    second = spool.append("webchat", {"text": "x"}, worrying=True)
    assert (spool.depth().pending, spool.depth().worrying) == (3, 2)
    spool.mark_done(first)
    spool.mark_failed(second)  # a failed worrying record has its alert raised by the replay
    assert spool.depth().worrying == 0
    assert spool.remove({second.id}) == 1  # an erasure takes its id too
    assert (spool.directory / WORRYING_FILE).read_text() == f"{first.id}\n"
    spool.mark_done(plain)
    assert spool.compact() and not (spool.directory / WORRYING_FILE).exists()


def test_early_notices_one_a_sender_counted_until_sent_and_erased_with_their_record(spool):
    # Trial 13, T13-5: the early notice of a worrying record (`spool.early`), noted beside the spool.
    first = spool.append("sms", {"form": [["Body", "he hit me"]]}, worrying=True)
    second = spool.append("sms", {"form": [["Body", "scared tonight"]]}, worrying=True)
    assert spool.begin_early(first.id, sender="sms:abc") is None  # the first of theirs: its notice starts
    assert spool.begin_early(second.id, sender="sms:abc") == first.id  # covered by the first's
    assert spool.depth().unwarned == 1  # started, not sent yet
    spool.note_early(first.id, sender="sms:abc", route="webhook_url", channel="webhook", state="failed", error="x")
    assert spool.depth().unwarned == 1
    spool.note_early(first.id, sender="sms:abc", route="duty_phones:0", channel="sms", state="sent")
    assert spool.depth() == Depth(pending=2, failed=0, worrying=2, unwarned=0)
    raw = (spool.directory / EARLY_FILE).read_bytes()
    assert b"hit" not in raw and b"scared" not in raw
    spool.mark_done(first)
    # Once the first is stored, a later worrying text of theirs has a notice of its own.
    third = spool.append("sms", {"form": [["Body", "three"]]}, worrying=True)
    assert spool.begin_early(third.id, sender="sms:abc") is None
    assert spool.remove({second.id, third.id}) == 2
    assert {line["record"] for line in spool.early()} == {first.id}

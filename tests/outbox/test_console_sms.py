"""The console SMS provider prints each text in full (a first name, the words) instead of sending it, for the
demo and trying things out; it is not the log, which never holds names or message text (trial 6, F10: its
texts went to the scheduler's terminal beside the log lines, and nothing said they were not log lines)."""

from __future__ import annotations

import io
import logging

from click.testing import CliRunner

from tests.factories import add_participants, launch, phone_number
from tests.outbox.helpers import environment
from voice_service.cli import main
from voice_service.outbox.channels import Outgoing
from voice_service.outbox.sms import CONSOLE_NOTICE, ConsoleSms


def test_on_standard_output_its_first_text_comes_after_a_notice_that_this_is_not_the_log(services, caplog):
    add_participants(services, [{"phone": phone_number(n), "first_name": "Alfie"} for n in range(2)])
    launch(services)
    caplog.set_level(logging.DEBUG)
    env = environment(services.config) | {"VOICE_CONFIG": ""}
    result = CliRunner().invoke(main, ["outbox", "flush"], env=env)  # the console provider: tests' default
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    texts = [n for n, line in enumerate(lines) if line.startswith("  [sms to ")]
    assert len(texts) == 2 and "Alfie" in lines[texts[0]]
    assert lines.count(CONSOLE_NOTICE) == 1 and lines.index(CONSOLE_NOTICE) == texts[0] - 1
    assert "[sms to" not in result.stderr
    # Printed, never logged: no handler (a log file's included) is given a text.
    assert not [record for record in caplog.records if "Alfie" in record.getMessage()]


def test_a_stream_given_to_it_gets_the_texts_alone():
    """The demo's tour reads the texts back from its own stream, and shows them with its own words."""
    stream = io.StringIO()
    ConsoleSms(stream).send(Outgoing(outbox_id=1, kind="invite", to="+447700900201", body="Hi Alfie"))
    assert stream.getvalue() == "  [sms to ••••201] Hi Alfie\n"

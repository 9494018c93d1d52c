"""Email rows through a real SMTP server with STARTTLS: subject, HTML alternative and attachments (the panel email)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from sqlmodel import Session, select

from tests.conftest import make_config
from tests.outbox.helpers import Clock, statuses
from voice_service.context import Services
from voice_service.db import session_scope
from voice_service.models import OutboxKind, OutboxMessage
from voice_service.outbox import enqueue
from voice_service.outbox.dispatch import build_dispatcher


def test_an_email_row_carries_subject_html_and_a_pdf_and_a_missing_file_fails_it(database_url, smtp_server, tmp_path):
    mails, port, ca_file = smtp_server
    config = make_config(database_url, smtp={"host": "127.0.0.1", "port": port, "starttls": True, "ca_file": ca_file})
    services = Services.from_config(config)
    pdf = tmp_path / "summary.pdf"
    pdf.write_bytes(b"%PDF-1.4 not really a pdf")
    with session_scope(services.engine) as session:
        for index, path in enumerate((pdf, tmp_path / "gone.pdf")):
            enqueue(
                session=session,
                vault=services.vault,
                key=f"summary:1:{index}",
                kind=OutboxKind.PANEL_EMAIL,
                channel="email",
                to=f"panel{index}@council.test",
                subject="You said, we did: round 1",
                body="The summary, in plain text.",
                html_body="<p>The summary.</p>",
                attachments=[{"path": str(path), "filename": "you-said-we-did.pdf", "content_type": "application/pdf"}],
                respect_window=False,
            )
    clock = Clock()
    report = build_dispatcher(services, now=clock.now, sleep=clock.sleep, settle_seconds=0).flush()
    assert (report.sent, report.failed) == (1, 1)
    (mail,) = mails
    assert mail["To"] == "panel0@council.test" and mail["Subject"] == "You said, we did: round 1"
    parts = {part.get_content_type(): part for part in mail.walk()}
    assert "text/plain" in parts and "text/html" in parts
    assert parts["application/pdf"].get_filename() == "you-said-we-did.pdf"
    assert parts["application/pdf"].get_payload(decode=True) == b"%PDF-1.4 not really a pdf"
    assert statuses(services) == {"sent": 1, "failed": 1}
    with Session(services.engine) as session:
        failed = session.exec(select(OutboxMessage).where(OutboxMessage.status == "failed")).one()
    assert failed.error_message == "attachment you-said-we-did.pdf is missing"
    services.engine.dispose()


def test_an_email_has_a_date_from_the_clock_and_a_message_id(database_url, smtp_server):
    """RFC 5322 wants Date; council mail gateways hold mail without Date or Message-ID (a late alert)."""
    mails, port, ca_file = smtp_server
    config = make_config(
        database_url,
        smtp={
            "host": "127.0.0.1",
            "port": port,
            "starttls": True,
            "ca_file": ca_file,
            "from_address": "voice@council.test",
        },
    )
    services = Services.from_config(config)
    # Due by the test's own clock, not today's, so the test means the same on any date.
    clock = Clock(datetime(2026, 12, 25, 10, 30, tzinfo=UTC))
    with session_scope(services.engine) as session:
        for index in range(2):
            enqueue(
                session=session,
                vault=services.vault,
                not_before=clock.now(),
                key=f"alert:1:{index}:email",
                kind=OutboxKind.PANEL_EMAIL,
                channel="email",
                to=f"duty{index}@council.test",
                subject="Notice",
                body="A notice.",
                respect_window=False,
            )
    assert build_dispatcher(services, now=clock.now, sleep=clock.sleep, settle_seconds=0).flush().sent == 2
    assert [parsedate_to_datetime(mail["Date"]) for mail in mails] == [clock.now()] * 2
    ids = [mail["Message-ID"] for mail in mails]
    assert all(re.fullmatch(r"<[^@<>\s]+@council\.test>", value) for value in ids) and len(set(ids)) == 2
    services.engine.dispose()

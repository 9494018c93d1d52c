"""Email over SMTP: the one way the service sends mail (alert notices and the panel summary).

STARTTLS (when `[smtp] starttls`) always uses `smtp_ssl_context`: the system's trusted
roots, or `[smtp] ca_file` for a council's own CA. One connection serves a batch.
"""

from __future__ import annotations

import mimetypes
import smtplib
import ssl
from collections.abc import Callable
from datetime import datetime
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime, make_msgid
from pathlib import Path

from ..config import PLACEHOLDER_COUNCIL_NAME
from ..models import utcnow
from .channels import Outgoing, PermanentFailure, Sent, TransientFailure
from .notice_email import email_body


def smtp_ssl_context(smtp) -> ssl.SSLContext:
    """The TLS context for STARTTLS: the system's trusted roots, or `[smtp] ca_file` for a council's own CA."""
    return ssl.create_default_context(cafile=smtp.ca_file or None)


class OneLineHeaders(EmailPolicy):
    """`email.policy.SMTP` (CRLF line ends), whose headers are folded only past RFC 5322's hard limit of 998
    characters, not at 78 (trial finding T10).

    At 78, a Subject or Message-ID a little too long for its first line was moved whole onto a continuation line
    (a line break straight after "Subject:"): legal, but a parser that keeps the folding (Python's default, many mail
    filters) read a value starting with a line break, and some mail clients show an empty subject. The body is
    still encoded for 78-character lines (`max_line_length` is unchanged; only headers are folded wider)."""

    def fold(self, name: str, value: str) -> str:
        """The header folded as `email.policy.SMTP` folds it, at 998 characters."""
        return EmailPolicy.fold(self.clone(max_line_length=998), name, value)

    def fold_binary(self, name: str, value: str) -> bytes:
        """The header folded as `email.policy.SMTP` folds it, at 998 characters."""
        return EmailPolicy.fold_binary(self.clone(max_line_length=998), name, value)


MAIL_POLICY = OneLineHeaders(linesep="\r\n")


def compose(
    message: Outgoing, *, from_address: str, now: datetime, council: str = PLACEHOLDER_COUNCIL_NAME
) -> EmailMessage:
    """The email for one row: plain text, an HTML alternative when given, and its attachments.

    Date (`now`, when it is sent) and Message-ID are set, as RFC 5322 asks: council mail gateways
    score or hold mail without them, and a held safeguarding notice is a late one.
    Raises PermanentFailure when an attachment's file is gone (sending again will not bring it back).
    `council` (`[app] council_name`) is named in a safeguarding notice's few plain sentences (`email_body`).
    """
    email = EmailMessage(policy=MAIL_POLICY)
    email["From"] = from_address
    email["To"] = message.to
    email["Subject"] = message.subject or "Voice Service"
    email["Date"] = format_datetime(now)
    domain = from_address.rpartition("@")[2].strip(" >") or None
    email["Message-ID"] = make_msgid(idstring=f"outbox-{message.outbox_id}", domain=domain)
    email.set_content(email_body(message.kind, message.body, council=council))
    if message.html_body:
        email.add_alternative(message.html_body, subtype="html")
    for attachment in message.attachments:
        try:
            content = Path(attachment.path).read_bytes()
        except OSError:
            raise PermanentFailure(f"attachment {attachment.filename} is missing") from None
        content_type = attachment.content_type or mimetypes.guess_type(attachment.filename)[0]
        maintype, _, subtype = (content_type or "application/octet-stream").partition("/")
        email.add_attachment(content, maintype=maintype, subtype=subtype, filename=attachment.filename)
    return email


class EmailSender:
    """Sends email by SMTP ([smtp]): STARTTLS with the configured trust, one connection per batch."""

    channel = "email"

    def __init__(
        self,
        smtp,
        *,
        timeout: float = 10.0,
        now: Callable[[], datetime] = utcnow,
        council: str = PLACEHOLDER_COUNCIL_NAME,
    ):
        self._smtp = smtp
        self._council = council
        self._timeout = timeout
        self._now = now
        self._ssl_context = smtp_ssl_context(smtp) if smtp.host and smtp.starttls else None
        self._connection: smtplib.SMTP | None = None

    @property
    def configured(self) -> bool:
        """True when [smtp] host is set."""
        return bool(self._smtp.host)

    def _connect(self) -> smtplib.SMTP:
        try:
            connection = smtplib.SMTP(self._smtp.host, self._smtp.port, timeout=self._timeout)
            connection.ehlo()
            if self._ssl_context is not None:
                connection.starttls(context=self._ssl_context)
                connection.ehlo()
            if self._smtp.username:
                connection.login(self._smtp.username, self._smtp.password)
        except smtplib.SMTPAuthenticationError as exc:
            raise TransientFailure(f"smtp login refused ({exc.smtp_code})") from None
        except (OSError, smtplib.SMTPException) as exc:
            raise TransientFailure(f"smtp {type(exc).__name__}") from None
        return connection

    def send(self, message: Outgoing) -> Sent:
        """Send one email, reusing the open connection; a refused recipient is permanent."""
        if not self.configured:
            raise TransientFailure("smtp.host is not set")
        email = compose(message, from_address=self._smtp.from_address, now=self._now(), council=self._council)
        if self._connection is None:
            self._connection = self._connect()
        try:
            self._connection.send_message(email)
        except smtplib.SMTPRecipientsRefused:
            raise PermanentFailure("smtp recipient refused") from None
        except (OSError, smtplib.SMTPException) as exc:
            self.close()
            raise TransientFailure(f"smtp {type(exc).__name__}") from None
        return Sent()

    def find_sent(self, message: Outgoing, since: datetime) -> list[str]:
        """SMTP keeps no record we can ask; a repeated email is harmless."""
        return []

    def close(self) -> None:
        """Close the connection if one is open."""
        if self._connection is not None:
            try:
                self._connection.quit()
            except (OSError, smtplib.SMTPException):
                pass
            self._connection = None

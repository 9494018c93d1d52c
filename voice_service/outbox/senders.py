"""The dispatcher's routes out: SMS through a provider, alert email over SMTP, alert webhooks over HTTP.

Each sender raises `TransientFailure` (worth another go later) or `PermanentFailure`
(will never work for this destination). SMS senders can also say whether a message
was already accepted by the provider, which is how an interrupted send is reconciled
instead of being sent again.
"""

from __future__ import annotations

import json
import logging
import smtplib
import ssl
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

from ..sending import PermanentFailure, Provider, SendResult, TransientFailure, TwilioProvider

log = logging.getLogger(__name__)

# twilio's HTTP client logs query parameters (phone numbers) at INFO; our logs carry no numbers.
logging.getLogger("twilio.http_client").setLevel(logging.WARNING)

# Twilio's clock and ours may differ a little; a message created just before our claim still counts.
CLOCK_SKEW = timedelta(minutes=2)


class SmsSender:
    """Sends SMS through a provider; with Twilio it can also look up what was already accepted."""

    def __init__(self, provider: Provider, *, timeout: float | None = None):
        self.provider = provider
        client = getattr(provider, "_client", None) if isinstance(provider, TwilioProvider) else None
        self._client = client
        if client is not None and timeout is not None:
            client.http_client.timeout = timeout
        session = getattr(getattr(client, "http_client", None), "session", None)
        if session is not None and not _environment_shapes_requests():
            # requests re-reads proxy settings from the environment on every send (a third of the
            # per-message cost); with none set, skipping that changes nothing else.
            session.trust_env = False

    def send(self, *, to: str, body: str, outbox_id: int) -> SendResult:
        """Send one message; raises TransientFailure or PermanentFailure."""
        return self.provider.send(to=to, body=body, outbox_id=outbox_id)

    def find_sent(self, *, to: str, body: str, since: datetime) -> list[str]:
        """Sids of messages with this body that Twilio accepted for `to` since `since`, oldest first.

        Twilio keys nothing on our id, so the body and time are the match; the caller skips sids
        already recorded on other outbox rows, so one message never answers for two rows.
        """
        if self._client is None:
            return []
        from twilio.base.exceptions import TwilioRestException

        since = since - CLOCK_SKEW
        try:
            messages = self._client.messages.list(to=to, date_sent_after=since.date(), limit=200)
        except TwilioRestException as exc:
            raise TransientFailure(f"twilio list {exc.status} {exc.code}") from None
        except Exception as exc:  # connection errors and time-outs from requests
            raise TransientFailure(f"twilio list {type(exc).__name__}") from None
        found = []
        for message in messages:
            created = message.date_created or message.date_sent
            if created is not None and created.tzinfo is None:
                created = created.replace(tzinfo=UTC)
            if message.body == body and (created is None or created >= since):
                found.append((created or since, message.sid))
        return [sid for _, sid in sorted(found)]


def _environment_shapes_requests() -> bool:
    """True when proxy or CA-bundle variables are set, which requests must keep reading."""
    import os

    return bool(urllib.request.getproxies()) or any(
        os.environ.get(name) for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "SSL_CERT_FILE")
    )


def smtp_ssl_context(smtp) -> ssl.SSLContext:
    """The TLS context for STARTTLS: the system's trusted roots, or `[smtp] ca_file` for a council's own CA."""
    return ssl.create_default_context(cafile=smtp.ca_file or None)


class EmailSender:
    """Sends alert notices by SMTP ([smtp]): STARTTLS when configured, one connection per batch."""

    def __init__(self, smtp, *, timeout: float = 10.0, ssl_context: ssl.SSLContext | None = None):
        self._smtp = smtp
        self._timeout = timeout
        self._ssl_context = ssl_context
        self._connection: smtplib.SMTP | None = None

    @property
    def configured(self) -> bool:
        """True when [smtp] host is set."""
        return bool(self._smtp.host)

    def _connect(self) -> smtplib.SMTP:
        try:
            connection = smtplib.SMTP(self._smtp.host, self._smtp.port, timeout=self._timeout)
            connection.ehlo()
            if self._smtp.starttls:
                connection.starttls(context=self._ssl_context or ssl.create_default_context())
                connection.ehlo()
            if self._smtp.username:
                connection.login(self._smtp.username, self._smtp.password)
        except smtplib.SMTPAuthenticationError as exc:
            raise TransientFailure(f"smtp login refused ({exc.smtp_code})") from None
        except (OSError, smtplib.SMTPException) as exc:
            raise TransientFailure(f"smtp {type(exc).__name__}") from None
        return connection

    def send(self, *, to: str, subject: str, body: str) -> None:
        """Send one email, reusing the open connection; a refused recipient is permanent."""
        if not self.configured:
            raise TransientFailure("smtp.host is not set")
        if self._connection is None:
            self._connection = self._connect()
        message = EmailMessage()
        message["From"] = self._smtp.from_address
        message["To"] = to
        message["Subject"] = subject
        message.set_content(body)
        try:
            self._connection.send_message(message)
        except smtplib.SMTPRecipientsRefused:
            raise PermanentFailure("smtp recipient refused") from None
        except (OSError, smtplib.SMTPException) as exc:
            self.close()
            raise TransientFailure(f"smtp {type(exc).__name__}") from None

    def close(self) -> None:
        """Close the connection if one is open."""
        if self._connection is not None:
            try:
                self._connection.quit()
            except (OSError, smtplib.SMTPException):
                pass
            self._connection = None


class WebhookSender:
    """POSTs a JSON notice (ids and categories, never message text) to the duty team's webhook."""

    def __init__(self, *, timeout: float = 10.0):
        self._timeout = timeout

    def send(self, *, url: str, payload: dict) -> None:
        """POST one notice; any non-2xx answer or network error is worth retrying."""
        data = json.dumps(payload).encode("utf-8")
        request = urllib.request.Request(
            url, data=data, method="POST", headers={"Content-Type": "application/json", "User-Agent": "voice-service"}
        )
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as response:
                response.read()
        except urllib.error.HTTPError as exc:
            raise TransientFailure(f"webhook {exc.code}") from None
        except (TimeoutError, urllib.error.URLError, OSError) as exc:
            raise TransientFailure(f"webhook {type(exc).__name__}") from None

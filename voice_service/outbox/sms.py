"""SMS: through twilio's REST client (with a look-up of what Twilio already accepted), or the console for the demo."""

from __future__ import annotations

import itertools
import logging
import os
import sys
import threading
from datetime import UTC, datetime, timedelta
from typing import Any, TextIO

from ..privacy.phones import mask
from .channels import PERMANENT_ERROR_CODES, Outgoing, PermanentFailure, Sent, TransientFailure
from .keepalive import KeepAliveHttp

log = logging.getLogger(__name__)

# twilio's HTTP client logs query parameters (phone numbers) at INFO; our logs carry no numbers.
logging.getLogger("twilio.http_client").setLevel(logging.WARNING)

# Twilio's clock and ours may differ a little; a message created just before our claim still counts.
CLOCK_SKEW = timedelta(minutes=2)


class TwilioSms:
    """Sends through the real `twilio.rest.Client`, pointed at `[twilio] api_base_url` when set.

    Each thread gets its own client (and so its own keep-alive HTTP connection, `KeepAliveHttp`), so
    sends can overlap.
    """

    channel = "sms"

    def __init__(self, config, *, timeout: float = 15.0):
        twilio = config.twilio
        if not twilio.account_sid:
            raise ValueError("twilio.account_sid is not set")
        if not (twilio.from_number or twilio.messaging_service_sid):
            raise ValueError("set twilio.from_number or twilio.messaging_service_sid")
        self._twilio = twilio
        self._timeout = timeout
        self._from = twilio.from_number
        self._service = twilio.messaging_service_sid
        self._callback = config.app.public_url.rstrip("/") + "/sms/status" if twilio.status_callback else None
        self._local = threading.local()

    def _client(self) -> Any:
        client = getattr(self._local, "client", None)
        if client is None:
            from twilio.rest import Client

            client = Client(self._twilio.account_sid, self._twilio.auth_token, http_client=self._http())
            if self._twilio.api_base_url:
                client.api.base_url = self._twilio.api_base_url.rstrip("/")
            self._local.client = client
        return client

    def _http(self) -> Any:
        """This thread's HTTP client for twilio: a lean keep-alive one, or requests' when a proxy is set."""
        from requests.utils import get_environ_proxies

        base = (self._twilio.api_base_url or "https://api.twilio.com").rstrip("/")
        if get_environ_proxies(base):
            from twilio.http.http_client import TwilioHttpClient

            return TwilioHttpClient(timeout=self._timeout)
        bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
        return KeepAliveHttp(timeout=self._timeout, ca_certs=bundle or None)

    def send(self, message: Outgoing) -> Sent:
        """Create one message; map Twilio's errors onto transient and permanent failures."""
        from twilio.base.exceptions import TwilioRestException

        kwargs = {"to": message.to, "body": message.body}
        if self._service:
            kwargs["messaging_service_sid"] = self._service
        else:
            kwargs["from_"] = self._from
        if self._callback and message.outbox_id:  # an early notice (`spool.early`) has no row to report on
            # The outbox id lets a delivery report find a row whose send was interrupted before its sid was saved.
            kwargs["status_callback"] = f"{self._callback}?outbox={message.outbox_id}"
        try:
            created = self._client().messages.create(**kwargs)
        except TwilioRestException as exc:
            if exc.code in PERMANENT_ERROR_CODES:
                raise PermanentFailure(f"twilio {exc.status} {exc.code}", code=exc.code) from None
            raise TransientFailure(f"twilio {exc.status} {exc.code}", status=exc.status, answered=True) from None
        except Exception as exc:  # connection errors and time-outs from requests
            raise TransientFailure(f"{type(exc).__name__}") from None
        return Sent(provider_id=created.sid)

    def find_sent(self, message: Outgoing, since: datetime) -> list[str]:
        """Sids of messages with this body that Twilio accepted for this number since `since`, oldest first.

        Twilio keys nothing on our id, so the body and time are the match; the caller skips sids
        already recorded on other outbox rows, so one message never answers for two rows.
        """
        from twilio.base.exceptions import TwilioRestException

        since = since - CLOCK_SKEW
        try:
            listed = self._client().messages.list(to=message.to, date_sent_after=since.date(), limit=200)
        except TwilioRestException as exc:
            raise TransientFailure(f"twilio list {exc.status} {exc.code}") from None
        except Exception as exc:  # connection errors and time-outs from requests
            raise TransientFailure(f"twilio list {type(exc).__name__}") from None
        found = []
        for item in listed:
            created = item.date_created or item.date_sent
            if created is not None and created.tzinfo is None:
                created = created.replace(tzinfo=UTC)
            if item.body == message.body and (created is None or created >= since):
                found.append((created or since, item.sid))
        return [sid for _, sid in sorted(found)]

    def close(self) -> None:
        """Connections stay open for the next batch (one per sending thread)."""


# Printed once on standard output, before the console provider's first text there.
CONSOLE_NOTICE = (
    "[console SMS provider: each text below is printed in full (first names and all) instead of being sent, "
    "for the demo and trying things out. This is not the service's log, which never holds names or message "
    "text: do not keep or collect this output as a log.]"
)


class ConsoleSms:
    """Prints messages instead of sending them (the demo's provider, and for trying things out): the number
    masked, the text in full, since showing it is what the provider is for. So it is no log: printed to standard
    output (or the stream given), never through `logging`, whose lines (on the commands' standard error) hold no
    name or message text; on standard output, which a terminal shows beside the log and which may be kept, its
    first text comes after `CONSOLE_NOTICE`, saying so."""

    channel = "sms"

    def __init__(self, stream: TextIO | None = None):
        self._stream = stream or sys.stdout
        self._notice = stream is None  # not into a stream a caller reads back (the demo's tour)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def send(self, message: Outgoing) -> Sent:
        """Print the message with the number masked (after the notice, before the first on standard output)."""
        with self._lock:
            if self._notice:
                self._notice = False
                print(CONSOLE_NOTICE, file=self._stream)
            sid = f"CONSOLE{next(self._ids):08d}"
            print(f"  [sms to {mask(message.to)}] {message.body}", file=self._stream)
        return Sent(provider_id=sid)

    def find_sent(self, message: Outgoing, since: datetime) -> list[str]:
        """The console keeps no record: nothing printed is ever looked up."""
        return []

    def close(self) -> None:
        """Nothing held."""


def sms_sender(config, *, stream: TextIO | None = None) -> TwilioSms | ConsoleSms:
    """The SMS sender `[sms] provider` names."""
    if config.sms.provider == "twilio":
        return TwilioSms(config)
    return ConsoleSms(stream)

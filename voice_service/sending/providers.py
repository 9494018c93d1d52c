"""Send one SMS: through twilio's REST client, or printed to the console for the demo."""

from __future__ import annotations

import itertools
import sys
from dataclasses import dataclass
from typing import Protocol, TextIO

from ..privacy.phones import mask

# Twilio error codes for a number that cannot take texts: stop messaging it.
INVALID_NUMBER_CODES = {21211, 21214, 21217, 21219, 21408, 21612, 21614}
OPTED_OUT_CODES = {21610}
# Codes that will never succeed on retry for this number; any other 4xx (a bad token, a
# misconfigured sender) is our mistake to fix, so the message waits rather than failing.
PERMANENT_ERROR_CODES = INVALID_NUMBER_CODES | OPTED_OUT_CODES | {21606, 30003, 30005, 30006}


@dataclass(frozen=True)
class SendResult:
    """What the provider said: its message id and initial status."""

    sid: str
    status: str = "queued"


class TransientFailure(Exception):
    """Worth retrying later (429, 5xx, time-outs).

    `status` is the provider's HTTP status when it answered; `answered` is False when no
    answer came back (a time-out), so the message may have been accepted after all.
    """

    def __init__(self, message: str, *, status: int | None = None, answered: bool = False):
        super().__init__(message)
        self.status = status
        self.answered = answered


class PermanentFailure(Exception):
    """Will not succeed for this number (invalid, unreachable, opted out at the carrier)."""

    def __init__(self, message: str, code: int | None = None):
        super().__init__(message)
        self.code = code

    @property
    def opted_out(self) -> bool:
        """True when the carrier says the number has opted out (Twilio 21610)."""
        return self.code in OPTED_OUT_CODES

    @property
    def invalid_number(self) -> bool:
        """True when the number cannot take texts at all."""
        return self.code in INVALID_NUMBER_CODES


class Provider(Protocol):
    """Anything that can send one SMS."""

    def send(self, *, to: str, body: str, outbox_id: int) -> SendResult:
        """Send one message; raise TransientFailure or PermanentFailure."""


class ConsoleProvider:
    """Prints messages instead of sending them (the demo's provider); shows only a masked number."""

    def __init__(self, stream: TextIO | None = None):
        self._stream = stream or sys.stdout
        self._ids = itertools.count(1)

    def send(self, *, to: str, body: str, outbox_id: int) -> SendResult:
        """Print the message with the number masked."""
        sid = f"CONSOLE{next(self._ids):08d}"
        print(f"  [sms to {mask(to)}] {body}", file=self._stream)
        return SendResult(sid=sid, status="sent")


class TwilioProvider:
    """Sends through the real `twilio.rest.Client`, pointed at `api_base_url` when set."""

    def __init__(self, config):
        from twilio.http.http_client import TwilioHttpClient
        from twilio.rest import Client

        twilio = config.twilio
        if not twilio.account_sid:
            raise ValueError("twilio.account_sid is not set")
        if not (twilio.from_number or twilio.messaging_service_sid):
            raise ValueError("set twilio.from_number or twilio.messaging_service_sid")
        self._client = Client(twilio.account_sid, twilio.auth_token, http_client=TwilioHttpClient(timeout=15))
        if twilio.api_base_url:
            self._client.api.base_url = twilio.api_base_url.rstrip("/")
        self._from = twilio.from_number
        self._service = twilio.messaging_service_sid
        self._callback = config.app.public_url.rstrip("/") + "/sms/status" if twilio.status_callback else None

    def send(self, *, to: str, body: str, outbox_id: int) -> SendResult:
        """Create one message; map Twilio's errors onto transient and permanent failures."""
        from twilio.base.exceptions import TwilioRestException

        kwargs = {"to": to, "body": body}
        if self._service:
            kwargs["messaging_service_sid"] = self._service
        else:
            kwargs["from_"] = self._from
        if self._callback:
            # The outbox id lets a delivery report find a row whose send was interrupted before its sid was saved.
            kwargs["status_callback"] = f"{self._callback}?outbox={outbox_id}"
        try:
            message = self._client.messages.create(**kwargs)
        except TwilioRestException as exc:
            if exc.code in PERMANENT_ERROR_CODES:
                raise PermanentFailure(f"twilio {exc.status} {exc.code}", code=exc.code) from None
            raise TransientFailure(f"twilio {exc.status} {exc.code}", status=exc.status, answered=True) from None
        except Exception as exc:  # connection errors and time-outs from requests
            raise TransientFailure(f"{type(exc).__name__}") from None
        return SendResult(sid=message.sid, status=message.status or "queued")


def make_provider(config, *, stream: TextIO | None = None) -> Provider:
    """The provider `[sms] provider` names."""
    if config.sms.provider == "twilio":
        return TwilioProvider(config)
    return ConsoleProvider(stream)

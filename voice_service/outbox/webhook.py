"""Alert notices as JSON POSTed to the duty team's webhook: ids, categories, priority, channel, time and link (and,
for a "new message" notice, how many messages it tells of), never what was said and never a phone number.

Each POST is signed: `X-Voice-Signature: sha256=<hex>` is the HMAC-SHA256 of the exact body bytes under
`[safeguarding] webhook_secret`, so the receiver can tell a genuine notice from a forged one (compare
with a constant-time comparison, e.g. Python's `hmac.compare_digest`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.request
from datetime import UTC, datetime

from ..models.outbox import OutboxKind
from ..safeguarding.alerts import messages_told_of
from .channels import Outgoing, Sent, TransientFailure

# The webhook's "event" for each kind of outbox row.
EVENTS = {
    "alert": "safeguarding_alert",
    "alert_update": "safeguarding_alert_new_message",
    "escalation": "safeguarding_alert_escalated",
    "alert_changed": "safeguarding_alert_updated",
    "alert_acknowledged": "safeguarding_alert_acknowledged",
    "alert_closed": "safeguarding_alert_closed",
    "alert_early": "safeguarding_alert_early",
}
SIGNATURE_HEADER = "X-Voice-Signature"


def payload(message: Outgoing, public_url: str) -> dict:
    """The JSON a webhook receives for one row; a "new message" notice also says how many messages it tells of
    (`new_messages`: one notice can tell of several that came inside `renotify_minutes`, as its SMS and email say)."""
    alert = message.alert
    base = public_url.rstrip("/")
    raised = alert.raised_at if alert else None
    # An early notice has no alert yet (`alert_id` null): its url is the alerts page, where it will be.
    url = base if alert is None else f"{base}/admin/alerts" + (f"/{alert.id}" if alert.id is not None else "")
    count = {"new_messages": messages_told_of(message.body)} if message.kind == OutboxKind.ALERT_UPDATE else {}
    return {
        "event": EVENTS.get(message.kind, message.kind),
        "alert_id": alert.id if alert else None,
        "attempt": alert.attempt if alert else None,
        # Which notice of the alert this is, for a receiver: 0 the first, then each reminder's number; None for every
        # other event (whose "attempt" only keeps each notice of an alert apart).
        "reminder": alert.attempt if alert and message.kind == OutboxKind.ALERT else None,
        "categories": list(alert.categories) if alert else [],
        "priority": alert.priority if alert else None,
        "channel": alert.channel if alert else None,
        "raised_at": raised.astimezone(UTC).isoformat(timespec="seconds") if raised else None,
        "out_of_hours": alert.out_of_hours if alert else None,
        "delayed": alert.delayed if alert else None,
        "early_notice": alert.early_notice if alert else None,
        "url": url,
        "outbox_id": message.outbox_id,
        **count,
    }


def signature(body: bytes, secret: str) -> str:
    """The `X-Voice-Signature` value for a body: "sha256=" and the hex HMAC-SHA256 under `secret`."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


class WebhookSender:
    """POSTs one signed JSON notice per row to the row's URL; any non-2xx answer or network error is retried."""

    channel = "webhook"

    def __init__(self, *, public_url: str, secret: str = "", timeout: float = 10.0):
        self._public_url = public_url
        self._secret = secret
        self._timeout = timeout

    def send(self, message: Outgoing) -> Sent:
        """POST one notice."""
        data = json.dumps(payload(message, self._public_url)).encode("utf-8")
        headers = {"Content-Type": "application/json", "User-Agent": "voice-service"}
        if self._secret:  # outside the demo, start-up refuses a webhook_url without a real secret
            headers[SIGNATURE_HEADER] = signature(data, self._secret)
        request = urllib.request.Request(message.to, data=data, method="POST", headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as response:
                response.read()
        except urllib.error.HTTPError as exc:
            raise TransientFailure(f"webhook {exc.code}", status=exc.code, answered=True) from None
        except (TimeoutError, urllib.error.URLError, OSError) as exc:
            raise TransientFailure(f"webhook {type(exc).__name__}") from None
        return Sent()

    def find_sent(self, message: Outgoing, since: datetime) -> list[str]:
        """A webhook keeps no record we can ask; a repeated notice is harmless."""
        return []

    def close(self) -> None:
        """Nothing held between sends."""

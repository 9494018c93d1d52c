"""Alert notices as JSON POSTed to the duty team's webhook: ids, categories, priority and link, never what was said."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from datetime import datetime

from .channels import Outgoing, Sent, TransientFailure

# The webhook's "event" for each kind of outbox row.
EVENTS = {
    "alert": "safeguarding_alert",
    "alert_update": "safeguarding_alert_new_message",
    "escalation": "safeguarding_alert_escalated",
}


def payload(message: Outgoing, public_url: str) -> dict:
    """The JSON a webhook receives for one row."""
    alert = message.alert
    base = public_url.rstrip("/")
    return {
        "event": EVENTS.get(message.kind, message.kind),
        "alert_id": alert.id if alert else None,
        "attempt": alert.attempt if alert else None,
        "categories": list(alert.categories) if alert else [],
        "priority": alert.priority if alert else None,
        "url": f"{base}/admin/alerts/{alert.id}" if alert else base,
        "outbox_id": message.outbox_id,
    }


class WebhookSender:
    """POSTs one JSON notice per row to the row's URL; any non-2xx answer or network error is retried."""

    channel = "webhook"

    def __init__(self, *, public_url: str, timeout: float = 10.0):
        self._public_url = public_url
        self._timeout = timeout

    def send(self, message: Outgoing) -> Sent:
        """POST one notice."""
        data = json.dumps(payload(message, self._public_url)).encode("utf-8")
        request = urllib.request.Request(
            message.to,
            data=data,
            method="POST",
            headers={"Content-Type": "application/json", "User-Agent": "voice-service"},
        )
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

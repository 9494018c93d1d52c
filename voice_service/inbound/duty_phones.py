"""A text from one of the duty team's own numbers (`[safeguarding] duty_phones`, `escalation_phones`): never a
young person's (trial 13, T13-15).

Replying to an alert text is the first thing many on-call workers do ("ok on it, calling her now", "ACK 6").
Those numbers only receive alerts: what comes back from them is not onboarded, stored or screened as a young
person's message. It is answered once, with where an alert is acknowledged (its page), and nothing of it is
kept or logged. It acknowledges nothing: acknowledging stops the reminders and the escalation and names the
person who took the alert on, so it is done signed in, on the alert's page, not by a sender's number (which a
shared phone, or a forged sender, says nothing about).
"""

from __future__ import annotations

import re

from ..config import Config
from ..engine.gsm import fits_one_segment

EVENT = "duty_phone"  # `InboundResult.events` (and so the webhook's log line): no number, no words

# "ACK 6", "ack #6", "alert 6", "#6": the alert a duty worker means, for a link straight to its page.
_ALERT_NUMBER = re.compile(r"(?:\back\w*|\balert)\s*#?\s*(\d{1,9})\b|#\s*(\d{1,9})\b", re.IGNORECASE)


def is_duty_phone(config: Config, phone: str | None) -> bool:
    """True when `phone` (E.164, as the webhook reads it) is a duty or escalation number in the config (kept in
    E.164 too: `config._check_routes`)."""
    guard = config.safeguarding
    return phone is not None and (phone in guard.duty_phones or phone in guard.escalation_phones)


def duty_phone_reply(config: Config, text: str) -> str:
    """The one reply to a text from a duty number: that nobody reads it, and where to acknowledge (the alert's
    own page when the text names its number, else the alerts page). One SMS wherever the link allows."""
    base = config.app.public_url.rstrip("/") + "/admin/alerts"
    named = _ALERT_NUMBER.search(text or "")
    number = (named.group(1) or named.group(2)).lstrip("0") if named else ""
    if number:
        how = f"To acknowledge alert #{number}, sign in at {base}/{number}"
    else:
        how = f"To acknowledge, open the alert's link or sign in at {base}"
    reply = f"Replies here reach nobody: this number only sends alerts. {how}"
    return reply if fits_one_segment(reply) else f"This number only sends alerts. {how}"

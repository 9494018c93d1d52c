"""A text from one of the duty team's own numbers (`[safeguarding] duty_phones`, `escalation_phones`): never a
young person's (trial 13, T13-15).

Replying to an alert text is the first thing many on-call workers do ("ok on it, calling her now", "ACK 6").
Those numbers only receive alerts: what comes back from them is not onboarded, stored or screened as a young
person's message. It is answered once (`safeguarding.duty_replies`: where an alert is acknowledged, and what is
true now of the alert it names), and nothing of it is kept or logged. It acknowledges nothing: acknowledging stops
the reminders and the escalation and names the person who took the alert on, so it is done signed in, on the
alert's page, not by a sender's number (which a shared phone, or a forged sender, says nothing about).
"""

from __future__ import annotations

from ..config import Config

EVENT = "duty_phone"  # `InboundResult.events` (and so the webhook's log line): no number, no words


def is_duty_phone(config: Config, phone: str | None) -> bool:
    """True when `phone` (E.164, as the webhook reads it) is a duty or escalation number in the config (kept in
    E.164 too: `config._check_routes`)."""
    guard = config.safeguarding
    return phone is not None and (phone in guard.duty_phones or phone in guard.escalation_phones)

"""The one reply to a text from a duty or escalation phone (`inbound.duty_phones`): "ok on it", "ACK 6".

Those numbers only receive alerts, so the reply says replies reach nobody, and where an alert is acknowledged: signed
in, on its page (a text acknowledges nothing: a sender's number names no one, and may be forged). When the text names
an alert ("ACK 6", "alert #6"), the reply says what is true of it now: still to acknowledge (its page), acknowledged
already or closed already (when, in the council's time; who did it is on its page, never in a text that any sender
could draw), or no such alert (the alerts page, never a link to a page that is not there). One SMS segment wherever
the link allows; nothing of the text is kept or logged.
"""

from __future__ import annotations

import re

from sqlmodel import Session

from ..config import Config
from ..dates import uk_date_time
from ..engine.gsm import fits_one_segment
from ..models import Alert, AlertStatus

NOBODY = "Replies here reach nobody: this number only sends alerts. "
ONLY_SENDS = "This number only sends alerts. "

# "ACK 6", "ack #6", "alert 6", "#6": the alert a duty worker means.
_ALERT_NUMBER = re.compile(r"(?:\back\w*|\balert)\s*#?\s*(\d{1,9})\b|#\s*(\d{1,9})\b", re.IGNORECASE)


def named_alert(text: str | None) -> int | None:
    """The alert number a duty worker's text names ("ACK 6", "ack #06", "alert 6", "#6"), or None."""
    found = _ALERT_NUMBER.search(text or "")
    if found is None:
        return None
    return int(found.group(1) or found.group(2))


def alert_words(alerts_url: str, number: int | None, alert: Alert | None, timezone: str) -> str:
    """What the reply says of the alert a text names (`number`, None when it names none; `alert`, its row, None
    when there is no such alert), linking only to pages there are: `alerts_url` (the queue) or the alert's own."""
    if number is None:
        return f"To acknowledge, open the alert's link or sign in at {alerts_url}"
    if alert is None:
        return f"There is no alert #{number}. To see the alerts, sign in at {alerts_url}"
    page = f"{alerts_url}/{number}"
    if alert.status == AlertStatus.CLOSED:
        return f"Alert #{number} is closed already ({uk_date_time(alert.closed_at, timezone)}). See it at {page}"
    if alert.status == AlertStatus.ACKNOWLEDGED:
        when = uk_date_time(alert.acknowledged_at, timezone)
        return f"Alert #{number} was acknowledged already ({when}). See it at {page}"
    return f"To acknowledge alert #{number}, sign in at {page}"


def reply_for(config: Config, text: str | None, alert: Alert | None) -> str:
    """The reply to `text` from a duty number, given the alert it names (`alert`: its row, or None when there is
    none): that nobody reads it, and the alert's state with where to see it (`alert_words`). One SMS segment
    wherever the link allows."""
    alerts_url = config.app.public_url.rstrip("/") + "/admin/alerts"
    how = alert_words(alerts_url, named_alert(text), alert, config.app.timezone)
    # The fullest words that fit one segment: at a long address, who reads replies is said shorter, then not at all
    # (what is true of the alert, and its link, matter more).
    return next((reply for reply in (NOBODY + how, ONLY_SENDS + how) if fits_one_segment(reply)), how)


def duty_phone_reply(config: Config, text: str | None, *, session: Session) -> str:
    """The one reply to a text from a duty or escalation number, the alert it names looked up (`reply_for`)."""
    number = named_alert(text)
    alert = session.get(Alert, number) if number is not None else None
    return reply_for(config, text, alert)

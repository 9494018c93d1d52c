"""The few plain sentences a safeguarding notice carries by email, after its one line (trial 3, F22).

The SMS notice is one line to fit a segment; an email has room to tell a worker who has never used the service
(an emergency duty team, say) what Voice Service is, where the young person's words are, what the channel
means and what to do. Never what was said, a phone number or a name: those stay behind the link.
"""

from __future__ import annotations

from ..config import PLACEHOLDER_COUNCIL_NAME
from ..models import OutboxKind

# {council}: `[app] council_name`, as the council's staff know it ("Testshire County Council").
ABOUT = (
    "Voice Service is how {council} hears from children in care and care leavers, by text message ('sms') "
    "or in the web chat on its website ('webchat'); a message that may mean a young person is at risk raises "
    "an alert like this one. What they said, and how to reach them, is behind the link: sign in with your duty "
    "account to read it. This email never carries their words, their number or their name."
)

TO_DO = {
    OutboxKind.ALERT: (
        "What to do: open the link and acknowledge the alert on its page when you pick it up, so the rest of the "
        "duty team knows it is in hand; until someone does, reminders follow and it may be escalated."
    ),
    OutboxKind.ESCALATION: (
        "It has come to you because the duty team had not acknowledged it in time, or the duty desk is closed. "
        "What to do: open the link and acknowledge the alert on its page when you pick it up, so the day team "
        "knows it is in hand and nobody acts on it twice."
    ),
    OutboxKind.ALERT_CHANGED: (
        "What to do: open the link to read what changed; if nobody has acknowledged the alert yet, acknowledge "
        "it on its page when you pick it up, so the rest of the team knows it is in hand."
    ),
    OutboxKind.ALERT_UPDATE: (
        "What to do: open the link to read the new message; if nobody has acknowledged the alert yet, "
        "acknowledge it on its page when you pick it up, so the rest of the team knows it is in hand."
    ),
    OutboxKind.ALERT_EARLY: (
        "Nobody can read the message, or see who sent it, until the service's database is back: that is for the "
        "council's IT to restore. The young person had the service's help reply at once, saying where to get "
        "help now and to call 999 in an emergency. As soon as the database is back, the full alert, with the "
        "message, is on the dashboard and its usual notices follow, saying this early notice was sent. What to "
        "do: open the link then and acknowledge the alert on its page when you pick it up."
    ),
}


def email_body(kind: str, body: str, *, council: str = PLACEHOLDER_COUNCIL_NAME) -> str:
    """An outbox row's email text: a safeguarding notice's line, then what the service is (naming `council`,
    `[app] council_name`) and what to do; any other email (the panel's summary) as it was written."""
    to_do = TO_DO.get(kind)
    about = ABOUT.format(council=council.strip() or PLACEHOLDER_COUNCIL_NAME)
    return body if to_do is None else f"{body}\n\n{about}\n\n{to_do}\n"

"""Safeguarding: the help reply to a young person, alerts to the duty team and what they did about them."""

from .alerts import (
    AlreadyAcknowledged,
    HandOver,
    NotOnDutyTeam,
    acknowledge,
    close,
    duty_account,
    duty_routes,
    escalate_overdue,
    hand_over,
    is_out_of_hours,
    notice_history,
    notify_reply,
    raise_alert,
    record_action,
    renotify_overdue,
    store_alert,
)

__all__ = [
    "AlreadyAcknowledged",
    "HandOver",
    "NotOnDutyTeam",
    "acknowledge",
    "close",
    "duty_account",
    "duty_routes",
    "escalate_overdue",
    "hand_over",
    "is_out_of_hours",
    "notice_history",
    "notify_reply",
    "raise_alert",
    "record_action",
    "renotify_overdue",
    "store_alert",
]

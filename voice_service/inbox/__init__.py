"""The conversations inbox: what young people text or chat outside a survey, and the workers' replies.

A message lands here when the inbound path stored it as a text-in (a `Response` with no
question). Threads are per young person; `Conversation` rows record who has one, the
replies, an advocacy referral, and closing. A reply goes the way the young person last wrote
(`threads.reply_way`): into their web chat while it is open, else by text through the outbox like
every other text, so opt-out and send windows hold.
"""

from .threads import (
    InboxError,
    Thread,
    ThreadSummary,
    assign,
    close,
    has_live_alert,
    inbox,
    record_contact,
    refer_to_advocacy,
    reply,
    thread,
)

__all__ = [
    "InboxError",
    "Thread",
    "ThreadSummary",
    "assign",
    "close",
    "has_live_alert",
    "inbox",
    "record_contact",
    "refer_to_advocacy",
    "reply",
    "thread",
]

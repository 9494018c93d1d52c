"""The inbound path: one message from a young person, whatever the channel (see `receive`)."""

from .receive import InboundResult, earlier_result, receive
from .situation import Sender, load_sender
from .writes import insert_inbound

__all__ = ["InboundResult", "Sender", "earlier_result", "insert_inbound", "load_sender", "receive"]

"""The inbound path: one message from a young person, whatever the channel (see `receive`)."""

from .receive import InboundResult, earlier_result, insert_inbound, receive
from .situation import Sender, load_sender

__all__ = ["InboundResult", "Sender", "earlier_result", "insert_inbound", "load_sender", "receive"]

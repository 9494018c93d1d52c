"""The inbound path: one message from a young person, whatever the channel (see `receive`)."""

from .receive import InboundResult, earlier_result, receive
from .situation import Sender, load_sender

__all__ = ["InboundResult", "Sender", "earlier_result", "load_sender", "receive"]

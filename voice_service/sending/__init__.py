"""SMS providers: the real twilio client, or the console for the demo."""

from .providers import (
    ConsoleProvider,
    PermanentFailure,
    Provider,
    SendResult,
    TransientFailure,
    TwilioProvider,
    make_provider,
)

__all__ = [
    "ConsoleProvider",
    "PermanentFailure",
    "Provider",
    "SendResult",
    "TransientFailure",
    "TwilioProvider",
    "make_provider",
]

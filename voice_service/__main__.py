"""`python -m voice_service` is the same as `voice-service`."""

from .cli import main

main()

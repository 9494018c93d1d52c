"""Access logs never carry chat session ids or invite tokens."""

import pytest

from voice_service.web.access_log import redact_path


@pytest.mark.parametrize(
    "path, expected",
    [
        ("/api/chat/sessions/AbC123xyz/messages", "/api/chat/sessions/<token>/messages"),
        ("/api/chat/sessions/AbC123xyz", "/api/chat/sessions/<token>"),
        ("/api/chat/sessions", "/api/chat/sessions"),
        ("/chat/eyJwIjoiUC0xMjM0In0.abc.def", "/chat/<token>"),
        ("/chat/start", "/chat/start"),
        ("/chat/send", "/chat/send"),
        ("/chat", "/chat"),
        ("/sms/inbound", "/sms/inbound"),
    ],
)
def test_tokens_are_blanked(path, expected):
    assert redact_path(path) == expected

"""Access logs never carry chat session ids, invite tokens or the /r/ page's token."""

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
        ("/r/N8yFClZYl45u", "/r/<token>"),
    ],
)
def test_tokens_are_blanked(path, expected):
    assert redact_path(path) == expected

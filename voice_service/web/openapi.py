"""The OpenAPI 3.1 description of the web chat's JSON API, served at `/api/openapi.json`.

It describes what `web/chat/api.py` does (and the holding reply `spool.guard` gives when
the database is unavailable); tests/web/test_openapi.py runs schemathesis against it, so
the two stay in step.
"""

from __future__ import annotations

from typing import Any

from ..engine import texts
from ..web.chat.sessions import MAX_LONG_TEXT, MAX_TEXT, MAX_TOKEN_LENGTH

_ERROR = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {
        "error": {"type": "string", "description": "A code for programs, e.g. `rate_limited`."},
        "message": {
            "type": "string",
            "description": (
                "Plain words for the young person. A refusal they can meet (too fast, too long, an empty message, no "
                "chat open here, an expired page or chat link) says where help is, in the chat's `language` where "
                "the service has read the chat (a check for news over its chat's limit), else in English; the chat "
                "page shows its own words for the `error` code in the page's language (`engine/texts.CHAT_REFUSALS`)."
            ),
        },
    },
}
_MESSAGE = {
    "type": "object",
    "required": ["from", "text"],
    "properties": {
        "id": {
            "type": "integer",
            "description": "The stored message's id, for `GET .../messages?after=` (absent on a message not stored).",
        },
        "from": {"type": "string", "enum": ["service", "you"]},
        "text": {"type": "string"},
        "resumed": {"type": "boolean", "description": "The waiting question, asked again on coming back."},
    },
}
_QUICK_REPLY = {
    "type": "object",
    "required": ["label", "value"],
    "properties": {
        "label": {"type": "string", "description": "What the button shows (may start with an emoji)."},
        "value": {"type": "string", "description": "What pressing it sends as `text`."},
        "spoken": {"type": "string", "description": "What a screen reader says."},
        "emoji": {"type": "string"},
    },
}


def _errors(*codes: int) -> dict[str, Any]:
    reasons = {
        400: "Malformed JSON or a bad field.",
        403: "From another site: a JSON request whose Origin or Referer is not this service's, or a "
        "request with no body and without the page's CSRF token.",
        404: "No such chat or invite.",
        413: f"Too long: a message over {MAX_TEXT:,} characters with nothing worrying in it, or a body over the "
        "request limit (1 MB for a message, 64 KB for anything else). Nothing is stored.",
        415: "The body is not JSON (a form post is refused as this, before any CSRF check).",
        429: "Too many requests; try again in a minute.",
        503: "The service is busy (the database is unavailable).",
    }
    return {
        str(code): {
            "description": reasons[code],
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
        for code in codes
    }


def _token_parameter() -> dict[str, Any]:
    return {
        "name": "token",
        "in": "path",
        "required": True,
        "description": "The chat's token, as `POST /api/chat/sessions` returned it.",
        "schema": {"type": "string", "minLength": 1, "maxLength": MAX_TOKEN_LENGTH},
    }


# The language the chat page's own words are in now (`sessions.Waiting.language`): it follows the chat's.
_LANGUAGE = {
    "type": "string",
    "enum": ["en", *texts.CHAT_PAGE_IN],
    "description": (
        "The language the chat page's own words (its heading, labels, Send button) are in now, as the chat's "
        'words and buttons are: "cy" for a chat in Welsh, else "en". Left out of a holding reply: keep the one shown.'
    ),
}


def spec() -> dict[str, Any]:
    """The OpenAPI document."""
    conversation = {
        "type": "object",
        "required": ["messages", "quick_replies"],
        "properties": {
            "messages": {"type": "array", "items": {"$ref": "#/components/schemas/Message"}},
            "quick_replies": {"type": "array", "items": {"$ref": "#/components/schemas/QuickReply"}},
            "hint": {
                "type": "string",
                "description": (
                    "The hint under the message box for what the chat waits for now (typing SKIP or STOP); "
                    '"" for none. Left out of a holding reply: keep the one shown.'
                ),
            },
            "language": _LANGUAGE,
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Voice Service web chat API",
            "version": "1",
            "description": (
                "The JSON API behind the web chat at /chat. A POST sent as `Content-Type: application/json` "
                "needs no token, as long as any Origin or Referer header it carries is this service's own "
                "(a cross-site page cannot send JSON without a CORS preflight, which is never granted). "
                'Any other POST needs the page\'s CSRF token (`<meta name="csrf-token">`) in `X-CSRF-Token` '
                'and the page\'s cookie. Errors are `{"error": code, "message": text}`.'
            ),
        },
        "paths": {
            "/api/chat/sessions": {
                "post": {
                    "operationId": "startChat",
                    "summary": "Start a chat: anonymous, or from an invite link's token.",
                    "security": [{}, {"csrfHeader": [], "csrfCookie": []}],
                    "requestBody": {
                        "required": False,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {"invite": {"type": "string", "maxLength": 200}},
                                }
                            }
                        },
                    },
                    "responses": {
                        "201": {
                            "description": "The chat started; keep `session` to send messages.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "allOf": [
                                            {"$ref": "#/components/schemas/Conversation"},
                                            {
                                                "type": "object",
                                                "required": ["session"],
                                                "properties": {"session": {"type": "string"}},
                                            },
                                        ]
                                    }
                                }
                            },
                        },
                        **_errors(400, 403, 404, 415, 429, 503),
                    },
                }
            },
            "/api/chat/sessions/{token}": {
                "get": {
                    "operationId": "readChat",
                    "summary": "The chat so far, and what it is waiting for.",
                    "parameters": [_token_parameter()],
                    "responses": {
                        "200": {
                            "description": "The transcript and the quick replies for the waiting question.",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Conversation"}}},
                        },
                        **_errors(404, 429, 503),
                    },
                }
            },
            "/api/chat/sessions/{token}/messages": {
                "get": {
                    "operationId": "newMessages",
                    "summary": (
                        "The chat's messages after one it has shown (a duty worker's reply, say), oldest first, "
                        "and what it waits for now."
                    ),
                    "parameters": [
                        _token_parameter(),
                        {
                            "name": "after",
                            "in": "query",
                            "required": False,
                            "description": "The newest message id the page shows; 0 (the default) for all.",
                            "schema": {"type": "string", "pattern": "^[0-9]{1,18}$", "default": "0"},
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": (
                                "The messages with an id above `after`, each with its `id`, and the buttons and hint "
                                "for what the chat waits for now: these can change with no message (a duty worker "
                                "closing an alert lets a paused survey go on), so a page shows them when they differ."
                            ),
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["messages", "quick_replies", "hint", "prompt", "language"],
                                        "properties": {
                                            "messages": {
                                                "type": "array",
                                                "items": {"$ref": "#/components/schemas/Message"},
                                            },
                                            "quick_replies": {
                                                "type": "array",
                                                "items": {"$ref": "#/components/schemas/QuickReply"},
                                            },
                                            "hint": {
                                                "type": "string",
                                                "description": 'The hint under the message box now; "" for none.',
                                            },
                                            "prompt": {
                                                "type": "string",
                                                "description": (
                                                    "The words saying what the chat waits for, when they are not the "
                                                    'last thing said in it ("" otherwise): shown with buttons that '
                                                    "appear where none were."
                                                ),
                                            },
                                            "language": _LANGUAGE,
                                        },
                                    }
                                }
                            },
                        },
                        **_errors(400, 404, 429, 503),
                    },
                },
                "post": {
                    "operationId": "sendMessage",
                    "summary": "Send one message; a retried `id` gets the same replies and is stored once.",
                    "security": [{}, {"csrfHeader": [], "csrfCookie": []}],
                    "parameters": [_token_parameter()],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["text"],
                                    "properties": {
                                        "text": {
                                            "type": "string",
                                            "minLength": 1,
                                            "maxLength": MAX_TEXT,
                                            "pattern": "\\S",
                                            "description": (
                                                "What they typed. Blank or only spaces is refused with 400 "
                                                "`empty` and nothing is stored. Longer than "
                                                f"{MAX_TEXT:,} characters (the chat page's box) is screened "
                                                "first: if it is worrying, its first "
                                                f"{MAX_LONG_TEXT:,} characters are stored and answered (the help "
                                                "reply, an alert); if not, it is refused with 413 `too_long` and "
                                                "nothing is stored."
                                            ),
                                        },
                                        "id": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,40}$"},
                                    },
                                }
                            }
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "The service's replies.",
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Reply"}}},
                        },
                        "202": {
                            "description": (
                                "Kept, to be stored when the database is back: a holding reply (with the help "
                                "reply first if the message is worrying)."
                            ),
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Reply"}}},
                        },
                        **_errors(400, 403, 404, 413, 415, 429, 503),
                    },
                },
            },
        },
        "components": {
            "schemas": {
                "Error": _ERROR,
                "Message": _MESSAGE,
                "QuickReply": _QUICK_REPLY,
                "Conversation": conversation,
                "Reply": {
                    "allOf": [
                        {"$ref": "#/components/schemas/Conversation"},
                        {
                            "type": "object",
                            "properties": {
                                "duplicate": {"type": "boolean", "description": "A retried id: answered before."},
                                "held": {"type": "boolean", "description": "Kept for later (202)."},
                            },
                        },
                    ]
                },
            },
            "securitySchemes": {
                "csrfHeader": {"type": "apiKey", "in": "header", "name": "X-CSRF-Token"},
                "csrfCookie": {"type": "apiKey", "in": "cookie", "name": "voice_chat_csrf"},
            },
        },
    }

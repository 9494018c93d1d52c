"""The chat API against its served OpenAPI description, with schemathesis: no 500s, and every answer
(status, content type, body) is one the description allows. SQLite and PostgreSQL."""

from __future__ import annotations

import re

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.web.test_fuzz_known import row_counts

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')
CHECKS = [
    schemathesis.checks.not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def test_the_description_is_served(client):
    document = client.get("/api/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == {
        "/api/chat/sessions",
        "/api/chat/sessions/{token}",
        "/api/chat/sessions/{token}/messages",
    }


def test_chat_api_conforms_to_its_description(database_url):
    from tests.conftest import make_config
    from voice_service.context import Services
    from voice_service.web import create_app

    # Limits high enough that the fuzz reaches the handlers instead of a 429 after the first minute's worth.
    lots = "100000 per minute"
    config = make_config(
        database_url,
        webchat={"rate_limit_per_address": lots, "rate_limit_per_session": lots, "sessions_per_address": lots},
    )
    services = Services.from_config(config)
    app = create_app(services=services)
    client = app.test_client()
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    # A real browser's CSRF token and cookie, and sometimes a real chat, so the fuzz gets past the first checks.
    page = client.get("/chat")
    csrf = CSRF_META.search(page.get_data(as_text=True)).group(1)
    cookie = client.get_cookie("voice_chat_csrf").value
    started = client.post("/api/chat/sessions", json={}, headers={"X-CSRF-Token": csrf})
    chat = started.get_json()["session"]
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 4

    for operation in operations:

        @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy(), real_chat=st.booleans(), with_csrf=st.booleans())
        def check(case, real_chat, with_csrf):
            if with_csrf:
                case.headers = {**(case.headers or {}), "X-CSRF-Token": csrf}
                case.cookies = {**(case.cookies or {}), "voice_chat_csrf": cookie}
            if real_chat and case.path_parameters and "token" in case.path_parameters:
                case.path_parameters["token"] = chat
            before = row_counts(services)
            response = case.call()
            case.validate_response(response, checks=CHECKS)
            if 400 <= response.status_code < 500:
                assert row_counts(services) == before

        check()
    services.engine.dispose()

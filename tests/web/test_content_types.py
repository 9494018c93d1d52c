"""Trial 3, F10: a body of the wrong type is refused as that (415), with a clear message, not misread: a
signed JSON webhook got 400 "MessageSid and From are required" (the fields were there, in JSON), and a
form post to the chat API 403 "This page has expired". The SMS webhooks' errors are one plain-text form
(werkzeug's HTML page for a missing From, plain text for a bad MessageSid, before). Twilio's own form posts,
with or without a charset, are answered as ever (by the lean edge)."""

from __future__ import annotations

import json
import uuid

import pytest
from twilio.request_validator import RequestValidator

from tests.conftest import AUTH_TOKEN, PUBLIC_URL
from tests.web.test_fuzz_known import row_counts

FORM = "application/x-www-form-urlencoded"


def _signature(path: str, form: dict) -> str:
    return RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC_URL + path, form)


def _text(number: int = 1) -> dict:
    return {"MessageSid": f"SM{uuid.uuid4().hex}", "From": f"+4477009001{number:02d}", "To": "+447700900000"}


@pytest.mark.parametrize("path", ["/sms/inbound", "/sms/status"])
def test_a_signed_json_webhook_is_415_not_missing_fields(client, services, path):
    before = row_counts(services)
    body = {**_text(), "Body": "hello", "MessageStatus": "delivered"}
    response = client.post(
        path,
        data=json.dumps(body),
        content_type="application/json",
        headers={"X-Twilio-Signature": _signature(path, {})},
    )
    assert response.status_code == 415 and response.mimetype == "text/plain", response.data
    said = response.get_data(as_text=True)
    assert FORM in said and "application/json" in said and "required" not in said
    assert row_counts(services) == before


@pytest.mark.parametrize("content_type", [FORM, f"{FORM}; charset=utf-8", f"{FORM}; charset=UTF-8"])
def test_twilios_form_posts_are_answered_with_or_without_a_charset(client, content_type):
    form = {**_text(2), "Body": "hello"}
    response = client.post(
        "/sms/inbound",
        data="&".join(f"{key}={value.replace('+', '%2B')}" for key, value in form.items()),
        content_type=content_type,
        headers={"X-Twilio-Signature": _signature("/sms/inbound", form)},
    )
    assert response.status_code == 200 and response.mimetype == "application/xml", response.data


@pytest.mark.parametrize(
    "form, status, said",
    [
        ({"MessageSid": f"SM{uuid.uuid4().hex}", "Body": "hi"}, 400, "MessageSid and From are required."),
        ({"From": "+447700900103", "Body": "hi"}, 400, "MessageSid and From are required."),
        ({"MessageSid": "", "From": "+447700900103"}, 400, "MessageSid must be 1-64 letters and digits."),
        ({"MessageSid": f"SM{uuid.uuid4().hex}", "From": "not-a-number"}, 400, "From is not a phone number we"),
        ({"MessageSid": f"SM{uuid.uuid4().hex}", "From": "+447700900103", "Body": "x" * 1601}, 413, "Body must be"),
    ],
)
def test_the_sms_webhooks_errors_are_all_plain_text(client, services, form, status, said):
    before = row_counts(services)
    response = client.post("/sms/inbound", data=form, headers={"X-Twilio-Signature": _signature("/sms/inbound", form)})
    assert response.status_code == status and response.mimetype == "text/plain", response.data
    assert response.get_data(as_text=True).startswith(said) and "<" not in response.get_data(as_text=True)
    assert row_counts(services) == before
    unsigned = client.post("/sms/inbound", data=form, headers={"X-Twilio-Signature": "bad"})
    if status == 400 and "From" in form and form.get("MessageSid"):
        assert unsigned.status_code == 403 and unsigned.mimetype == "text/plain"
        assert unsigned.get_data(as_text=True) == "Invalid Twilio signature."


@pytest.mark.parametrize("path", ["/sms/inbound", "/sms/status"])
def test_a_webhook_asked_by_another_method_says_so_in_one_plain_line(client, path):
    """Trial 6, F9: a GET was answered with Flask's HTML 405 page."""
    response = client.get(path)
    assert response.status_code == 405 and response.mimetype == "text/plain", response.data
    assert response.get_data(as_text=True) == "Twilio's webhooks are sent by POST; this request was sent by GET."
    assert "POST" in response.headers["Allow"].split(", ")


def test_a_webhook_too_large_is_refused_in_one_plain_line_of_our_own(client, services):
    """Trial 6, F9: a 3 MB post was answered with werkzeug's "The data value transmitted exceeds the capacity
    limit."; the refusal now says, in the service's words, what a webhook may be."""
    before = row_counts(services)
    form = {**_text(4), "Body": "x" * 3_000_000}
    response = client.post("/sms/inbound", data=form, headers={"X-Twilio-Signature": _signature("/sms/inbound", form)})
    assert response.status_code == 413 and response.mimetype == "text/plain", response.data
    assert response.get_data(as_text=True) == "Twilio's webhooks are at most 64 KB; this request was 2,929 KB."
    assert row_counts(services) == before


def test_an_address_under_sms_that_is_no_webhook_is_not_found_in_plain_text(client):
    response = client.post("/sms/nothing")
    assert response.status_code == 404 and response.mimetype == "text/plain", response.data
    assert response.get_data(as_text=True) == "Not found."


def test_a_form_post_to_the_chat_api_is_415_not_an_expired_page(client, services):
    before = row_counts(services)
    client.get("/chat")
    response = client.post("/api/chat/sessions", data={"invite": "x"}, headers={"Origin": PUBLIC_URL})
    assert response.status_code == 415, response.data
    assert response.get_json()["error"] == "json_required"
    # A JSON post from another site, or a bodiless one without the page's token, is still refused as CSRF.
    empty = client.post("/api/chat/sessions", headers={"Origin": PUBLIC_URL})
    assert empty.status_code == 403 and empty.get_json()["error"] == "csrf"
    assert row_counts(services) == before

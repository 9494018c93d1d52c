"""The SMS webhook's lean edge (`web/sms/fast.py`): an ordinary text is answered without Flask's request
machinery, exactly as the Flask route answers it; anything else is the Flask app's to answer."""

from __future__ import annotations

import uuid

import pytest
from flask import request, request_started
from sqlalchemy import func, select
from sqlmodel import Session
from twilio.request_validator import RequestValidator
from werkzeug.datastructures import MultiDict

from tests.conftest import PUBLIC_URL
from tests.factories import add_participants, phone_number
from tests.fake_twilio import AUTH_TOKEN
from voice_service.models import Message


def _signed(form: dict, path: str = "/sms/inbound") -> dict:
    return {"X-Twilio-Signature": RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC_URL + path, form)}


def _form(phone: str, body: str) -> dict:
    return {"MessageSid": f"SM{uuid.uuid4().hex}", "From": phone, "To": "+447700900000", "Body": body}


@pytest.fixture
def through_flask(app) -> list[str]:
    """The paths of the requests Flask itself dispatched."""
    seen: list[str] = []

    def started(sender, **extra):
        seen.append(request.path)

    request_started.connect(started, app)
    yield seen
    request_started.disconnect(started, app)


def test_an_ordinary_text_is_answered_without_flask_exactly_as_the_route_answers_it(client, services, through_flask):
    add_participants(services, [{"phone": phone_number(95)}])
    form = _form(phone_number(95), "wifi at my placement is rubbish")
    lean = client.post("/sms/inbound", data=form, headers=_signed(form))
    assert through_flask == []
    # The same webhook again (Twilio's retry), through the Flask route this time (a query string always is).
    routed = client.post("/sms/inbound?again=1", data=form, headers=_signed(form, "/sms/inbound?again=1"))
    assert through_flask == ["/sms/inbound"]
    assert (lean.status, lean.data) == (routed.status, routed.data)
    assert b"<Message>" in lean.data
    assert sorted(lean.headers.items()) == sorted(routed.headers.items())
    with Session(services.engine) as session:
        stored = session.execute(select(func.count()).where(Message.provider_sid == form["MessageSid"]))
        assert stored.scalar_one() == 1


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"signature": "forged"}, 403),
        ({"From": "not a number"}, 400),
        ({"MessageSid": "SM-with-a-dash"}, 400),
        ({"Body": "x" * 1601}, 413),
        ({"query": "a=b"}, 403),  # signed without the query string: the route checks it with
    ],
)
def test_anything_but_an_ordinary_signed_text_is_the_flask_app_s_to_answer(client, through_flask, change, status):
    form = _form(phone_number(96), "hello")
    form.update({k: v for k, v in change.items() if k not in ("signature", "query")})
    headers = _signed(form) if "signature" not in change else {"X-Twilio-Signature": change["signature"]}
    path = "/sms/inbound" + (f"?{change['query']}" if "query" in change else "")
    response = client.post(path, data=form, headers=headers)
    assert response.status_code == status
    assert through_flask == ["/sms/inbound"]


def test_a_text_signed_for_the_address_with_its_port_is_answered_too(client, through_flask):
    # twilio's validator accepts a signature over the public address with or without its port (:80 here).
    form = _form(phone_number(97), "hello")
    signature = RequestValidator(AUTH_TOKEN).compute_signature("http://voice.test:80/sms/inbound", form)
    response = client.post("/sms/inbound", data=form, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 200
    assert through_flask == []


def test_an_error_in_the_lean_edge_hands_the_text_to_the_flask_route_which_stores_it_once(
    client, services, through_flask, monkeypatch
):
    from voice_service.web.sms import fast

    def broken(services, form):
        raise RuntimeError("a fault in the lean edge")

    monkeypatch.setattr(fast, "take_text", broken)
    form = _form(phone_number(98), "more trips out in the holidays pls")
    response = client.post("/sms/inbound", data=form, headers=_signed(form))
    assert response.status_code == 200 and b"<Message>" in response.data
    assert through_flask == ["/sms/inbound"]
    with Session(services.engine) as session:
        stored = session.execute(select(func.count()).where(Message.provider_sid == form["MessageSid"]))
        assert stored.scalar_one() == 1


@pytest.mark.parametrize(
    "body",
    [
        "MessageSid=SM1&From=%2B447700900123&Body=hi+there%21+it%27s+me",
        "Body=&Flag&=empty&&a=b=c",
        "Body=caf%C3%A9+%FF+%zz+%C3+100%25",
        "Body=%E2%9C%8C%EF%B8%8F+%F0%9F%98%80;x=y&Body=second",
        "",
    ],
)
def test_the_lean_edge_reads_a_form_body_as_werkzeug_s_parser_does(body):
    """Its own reading of the fields (`form_pairs`) is parse_qsl's as werkzeug calls it, pair for pair."""
    from urllib.parse import parse_qsl

    import werkzeug.urls  # noqa: F401  (registers the "werkzeug.url_quote" error handler)

    from voice_service.web.sms.fast import form_pairs

    assert form_pairs(body) == parse_qsl(body, keep_blank_values=True, errors="werkzeug.url_quote")


@pytest.mark.parametrize(
    "form",
    [
        MultiDict([("Body", "hi"), ("From", "+447700900123"), ("MediaUrl0", "b"), ("MediaUrl0", "a"), ("X", "a")]),
        MultiDict([("Body", "café ✌️"), ("Body", "café ✌️"), ("To", "")]),
        {"Body": "plain dict", "MessageSid": "SM1"},
        MultiDict(),
    ],
)
def test_the_edge_signs_a_form_as_twilio_s_validator_does(form):
    from voice_service.web.sms.routes import twilio_signature

    url = PUBLIC_URL + "/sms/inbound"
    assert twilio_signature(AUTH_TOKEN, url, form) == RequestValidator(AUTH_TOKEN).compute_signature(url, form)


def test_a_field_given_twice_is_read_by_the_lean_edge_as_werkzeug_reads_it(client, services, through_flask):
    """An ordinary webhook (each field once) is read into a plain dict; a field given twice keeps werkzeug's
    reading (its first value), signed over both values, as Twilio signs it."""
    add_participants(services, [{"phone": phone_number(96)}])
    form = MultiDict([*_form(phone_number(96), "first words").items(), ("Body", "second words")])
    signature = RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC_URL + "/sms/inbound", form)
    answered = client.post("/sms/inbound", data=form, headers={"X-Twilio-Signature": signature})
    assert answered.status_code == 200 and through_flask == []
    with Session(services.engine) as session:
        stored = session.execute(select(Message.body).where(Message.provider_sid == form["MessageSid"]))
        assert stored.scalars().all() == ["first words"]


@pytest.mark.parametrize(
    "given",
    ["", "a", "abc=", "abd=", "abc", "abc==", "é", "\udc80", "\ud800x", "✌️", "abc\x00"],
)
@pytest.mark.parametrize("expected", ["abc=", "", "é", "\ud800x"])
def test_the_edge_compares_a_signature_as_twilio_s_compare_does(expected, given):
    """`same_signature` (one constant-time C call) agrees with twilio's character-by-character `compare`."""
    from twilio.request_validator import compare

    from voice_service.web.sms.routes import same_signature

    assert same_signature(expected, given) == compare(expected, given)

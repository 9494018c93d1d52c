"""Property: whatever arrives on any route (signed or not, any body, header, encoding, size or query
string), the answer is never a 500, and a refused request (4xx) writes nothing. SQLite and PostgreSQL."""

from __future__ import annotations

import json
import re
import urllib.parse

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator

from tests.conftest import AUTH_TOKEN, PUBLIC_URL
from tests.web.test_fuzz_known import row_counts

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')
FUZZ = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Text that includes what breaks naive code: lone surrogates, NUL, controls, right-to-left, astral emoji.
nasty_text = st.text(
    st.characters(codec=None, categories=None, exclude_categories=()),  # every code point, surrogates too
    max_size=80,
) | st.sampled_from(["", "\x00", "\ud800", "a" * 2000, "🙂" * 500, "DROP TABLE message;--", "%00", "\u202e"])
ints = st.integers(min_value=-(2**70), max_value=2**70) | st.sampled_from([0, 1, 2**31 - 1, 2**31, 2**63])


def _path_segment(value) -> str:
    if isinstance(value, int):
        return str(value)
    # Percent-encode with surrogatepass, so a lone surrogate arrives as the (invalid) UTF-8 bytes it would be.
    return urllib.parse.quote(value.encode("utf-8", "surrogatepass"), safe="")


@st.composite
def requests(draw, rules):
    """A hostile request to one of the app's routes."""
    rule, method = draw(st.sampled_from(rules))
    path = rule.rule
    for name in rule.arguments:
        converter = rule._converters[name].__class__.__name__
        value = draw(ints) if converter == "IntegerConverter" else draw(nasty_text.filter(bool) | st.just("x"))
        path = re.sub(r"<(?:[^:<>]+:)?" + name + r">", _path_segment(value), path)
    query_pairs = draw(
        st.lists(
            st.tuples(st.sampled_from(["outbox", "page", "q", "format", "round", "x"]) | nasty_text, nasty_text | ints),
            max_size=3,
        )
    )
    query = urllib.parse.urlencode(
        [(str(k).encode("utf-8", "surrogatepass"), str(v).encode("utf-8", "surrogatepass")) for k, v in query_pairs]
    )
    kind = draw(st.sampled_from(["form", "json", "raw", "empty"]))
    headers: dict[str, str] = {}
    form: dict[str, str] = {}
    data: bytes = b""
    if kind == "form":
        keys = st.sampled_from(["MessageSid", "From", "Body", "MessageStatus", "ErrorCode", "text", "id", "csrf"])
        form = draw(st.dictionaries(keys | nasty_text, nasty_text | ints.map(str), max_size=6))
        data = urllib.parse.urlencode(
            [(k.encode("utf-8", "surrogatepass"), v.encode("utf-8", "surrogatepass")) for k, v in form.items()]
        ).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    elif kind == "json":
        value = draw(
            st.recursive(
                st.none() | st.booleans() | ints | nasty_text,
                lambda children: st.lists(children, max_size=3) | st.dictionaries(nasty_text, children, max_size=3),
                max_leaves=6,
            )
            | st.fixed_dictionaries({"text": nasty_text | ints, "id": nasty_text, "invite": nasty_text | ints})
        )
        data = json.dumps(value).encode()  # ensure_ascii: a lone surrogate travels as \ud800
        headers["Content-Type"] = draw(st.sampled_from(["application/json", "application/json; charset=latin-1"]))
    elif kind == "raw":
        data = draw(st.binary(max_size=300))
        headers["Content-Type"] = draw(
            st.sampled_from(["application/octet-stream", "application/x-www-form-urlencoded", "text/plain", ""])
        )
    signed = draw(st.booleans())
    return method, path, query, data, headers, form, signed, draw(st.booleans())


def _rules(app):
    rules = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            rules.append((rule, method))
    return sorted(rules, key=lambda pair: (pair[0].rule, pair[1]))


def _csrf(client) -> str:
    page = client.get("/chat")
    return CSRF_META.search(page.get_data(as_text=True)).group(1)


def test_every_route_answers_hostile_input_without_a_500_or_a_partial_write(app, client, services):
    rules = _rules(app)
    csrf = _csrf(client)  # a real CSRF token, so the chat's routes are fuzzed past their first check
    validator = RequestValidator(AUTH_TOKEN)

    @FUZZ
    @given(requests(rules))
    def check(request):
        method, path, query, data, headers, form, signed, with_csrf = request
        target = path + (f"?{query}" if query else "")
        headers = dict(headers)
        if with_csrf:
            headers["X-CSRF-Token"] = csrf
        if signed:
            # Signed exactly as Twilio would sign what the server will read.
            params = {k: v for k, v in form.items() if isinstance(k, str)}
            try:
                headers["X-Twilio-Signature"] = validator.compute_signature(PUBLIC_URL + target, params)
            except UnicodeEncodeError:
                headers["X-Twilio-Signature"] = "bad"
        before = row_counts(services)
        response = client.open(target, method=method, data=data, headers=headers)
        assert response.status_code < 500, (method, target, response.status_code, response.get_data()[:300])
        if 400 <= response.status_code < 500:
            assert row_counts(services) == before, (method, target, response.status_code)

    check()


@pytest.mark.parametrize("path", ["/sms/inbound", "/sms/status"])
def test_signed_twilio_webhooks_with_hostile_fields_never_500(client, services, path):
    validator = RequestValidator(AUTH_TOKEN)
    fields = st.fixed_dictionaries(
        {},
        optional={
            "MessageSid": nasty_text | st.text("SMabcdef0123456789", min_size=1, max_size=90),
            "From": nasty_text | st.sampled_from(["+447700900123", "07700900123", "+1", "447700900123" * 5]),
            "Body": nasty_text,
            "MessageStatus": nasty_text | st.sampled_from(["delivered", "failed", "undelivered", "read"]),
            "ErrorCode": nasty_text | st.sampled_from(["21610", "30003", "9" * 40]),
        },
    ).map(lambda form: {k: v.encode("utf-8", "replace").decode("utf-8") for k, v in form.items()})

    @FUZZ
    @given(fields, st.sampled_from(["", "outbox=1", f"outbox={2**70}", "outbox=-1", "outbox=abc", "outbox=%00"]))
    def check(form, query):
        target = path + (f"?{query}" if query else "")
        signature = validator.compute_signature(PUBLIC_URL + target, form)
        before = row_counts(services)
        response = client.post(target, data=form, headers={"X-Twilio-Signature": signature})
        assert response.status_code < 500, (form, query, response.get_data()[:300])
        if response.status_code >= 400:
            assert row_counts(services) == before

    check()

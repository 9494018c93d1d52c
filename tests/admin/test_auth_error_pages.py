"""Error pages under `/admin` are the dashboard's own (GOV.UK style, with its strict headers), even
for addresses no view matches; and the service's favicon is served where browsers look for it."""

import pytest

from voice_service.web.admin.security import SECURITY_HEADERS


def _dashboard_page(response, title: str) -> str:
    html = response.get_data(as_text=True)
    assert response.mimetype == "text/html"
    assert f'<h1 class="govuk-heading-l">{title}</h1>' in html
    assert "govuk-frontend.min.css" in html and "Testshire County Council" in html
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, name
    return html


@pytest.mark.parametrize("path", ["/admin/no-such-page", "/admin/alerts/not-a-number", "/admin/alerts/1/nothing"])
def test_an_unknown_dashboard_address_is_the_dashboards_404_signed_out(client, path):
    response = client.get(path)
    assert response.status_code == 404
    html = _dashboard_page(response, "Page not found")
    assert "Signed in as" not in html


def test_an_unknown_dashboard_address_signed_in_keeps_the_menu(admin_client):
    client = admin_client("duty")
    response = client.get("/admin/nowhere")
    assert response.status_code == 404
    html = _dashboard_page(response, "Page not found")
    assert "Signed in as" in html and 'href="/admin/alerts"' in html
    assert 'name="csrf_token"' in html  # the sign-out form still works from here


def test_the_wrong_method_on_a_dashboard_address_is_the_dashboards_405(admin_client):
    client = admin_client("duty")
    response = client.post("/admin/alerts", data={"csrf_token": client.csrf()})
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    _dashboard_page(response, "Sorry, there is a problem with that request")


def test_403_and_400_pages_keep_the_headers(admin_client):
    panel = admin_client("panel")
    forbidden = panel.get("/admin/alerts")
    assert forbidden.status_code == 403
    _dashboard_page(forbidden, "You do not have access to this page")
    refused = panel.post("/admin/sign-out", data={})
    assert refused.status_code == 400
    _dashboard_page(refused, "Sorry, this form has expired")


def test_other_addresses_keep_their_own_404(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "govuk-frontend" not in response.get_data(as_text=True)
    assert "/admin" not in response.headers.get("Set-Cookie", "")
    # A near miss is not the dashboard either.
    assert "govuk-frontend" not in client.get("/administrator").get_data(as_text=True)


def test_the_favicon_is_served_and_linked(client, admin_client):
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200
    assert icon.mimetype == "image/x-icon"
    assert icon.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert client.get("/static/favicon.svg").status_code == 200
    for html in (
        client.get("/").get_data(as_text=True),
        client.get("/chat").get_data(as_text=True),
        client.get("/admin/sign-in").get_data(as_text=True),
        admin_client("duty").get("/admin/").get_data(as_text=True),
    ):
        assert 'rel="icon" href="/static/favicon.svg"' in html
        assert "govuk/assets/images/favicon" not in html  # the crown is GOV.UK's own, not ours


@pytest.mark.parametrize("path", ["/admin/audit?actor=%00", "/admin/audit?action=%00", "/admin/participants?q=%00"])
def test_a_value_the_database_refuses_is_the_dashboards_400_not_a_500(admin_client, path):
    # PostgreSQL refuses a NUL character in text (SQLite stores it): either way the worker gets a
    # dashboard page, never "Sorry, there is a problem" with a 500 (tester F8).
    response = admin_client("admin", "worker").get(path)
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        _dashboard_page(response, "Sorry, there is a problem with that request")

"""Dashboard words that send staff somewhere must send them to what is there (trial finding 17): an admin
refused a page is not told to ask an admin, and a new account's password panel names the menu link."""

from __future__ import annotations

import re
from html import unescape


def _text(response) -> str:
    return unescape(re.sub(r"\s+", " ", response.get_data(as_text=True)))


def test_an_admin_refused_a_workers_page_is_told_whom_it_is_for_not_to_ask_an_admin(admin_client):
    page = admin_client("admin").get("/admin/rounds")
    text = _text(page)
    assert page.status_code == 403 and "You do not have access to this page" in text
    assert "Ask an admin" not in text
    assert "This page is for participation workers" in text and "Accounts page" in text


def test_someone_else_refused_a_page_is_still_told_to_ask_an_admin(admin_client):
    page = admin_client("panel").get("/admin/rounds")
    assert page.status_code == 403 and "Ask an admin" in _text(page)


def test_the_new_password_panel_names_the_change_password_link_in_the_menu(admin_client):
    admin = admin_client("admin")
    made = admin.post_form("/admin/accounts", {"email": "nia@council.test", "name": "Nia", "roles": ["worker"]})
    text = _text(made)
    assert made.status_code == 200 and "beside their name" not in text
    assert "(Change password, in the menu at the top of every page)" in text
    menu = re.search(r'<ul class="govuk-service-navigation__list".*?</ul>', made.get_data(as_text=True), re.S)
    assert menu and ">Change password</a>" in menu.group(0)

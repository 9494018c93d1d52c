"""The inbox names colleagues as the alert page does (tester U11): by the name they go by, the email only
when no name was given. A duty worker who replied from an alert read "Assigned to duty@..." on the thread
while the alert page said "With Dee Duty"."""

from __future__ import annotations

import re

import pytest

from tests.admin.conftest import duty_config
from tests.conftest import SmsPhone
from tests.factories import add_participants, phone_number


@pytest.fixture
def config(database_url):
    return duty_config(database_url)


def _text(html: bytes, element_id: str) -> str:
    found = re.search(rb'id="' + element_id.encode() + rb'">(.*?)</dd>', html, re.S)
    assert found, element_id
    return " ".join(re.sub(rb"<[^>]+>", b" ", found.group(1)).decode().split())


def test_the_thread_and_the_inbox_name_colleagues_as_the_alert_page_does(services, admin_client, client, users):
    add_participants(services, [{"phone": phone_number(150), "first_name": "Ava"}])
    SmsPhone(client, phone_number(150)).send("he hits me when he is drunk")
    duty = admin_client("duty", account=users("duty", email="dee@council.test", name="Dee Duty"))
    thread = duty.get("/admin/inbox/1").data
    token = re.search(rb'name="token" value="([^"]+)"', thread).group(1).decode()
    assert duty.post_form("/admin/inbox/1/reply", {"reply": "Hi Ava, it's Dee. I'll call you.", "token": token})
    alert_page = duty.get("/admin/alerts/1").data
    assert b"With Dee Duty" in alert_page

    users("worker", email="jo@council.test")  # no name given: named by the email
    alex_account = users("admin", "worker", email="alex@council.test", name="Alex Admin")
    alex = admin_client(account=alex_account)
    page = alex.get("/admin/inbox/1").data
    assert _text(page, "thread-state") == "Assigned to Dee Duty"
    assert "Dee Duty replied," in _text(page, "reply-state")
    options = re.findall(rb"<option value=\"([^\"]*)\"[^>]*>([^<]*)</option>", page)
    assert (b"alex@council.test", b"Alex Admin (me)") in options
    assert (b"dee@council.test", b"Dee Duty") in options and (b"jo@council.test", b"jo@council.test") in options
    assert b"dee@council.test</td>" not in alex.get("/admin/inbox").data
    assert b"Dee Duty</td>" in alex.get("/admin/inbox").data

    assigned = alex.post_form("/admin/inbox/1/assign", {"to": "alex@council.test"}, follow_redirects=True).data
    assert b"Assigned to Alex Admin" in assigned

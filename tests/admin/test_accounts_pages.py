"""Accounts for admins: add with a password shown once, unlock, disable (signed out everywhere), enable; audited."""

import re

import pytest
from sqlmodel import Session

from tests.admin.conftest import audit_rows, sign_in
from voice_service.accounts import MAX_FAILED_LOGINS, authenticate, roles_of
from voice_service.models import User


def test_an_admin_adds_an_account_and_its_password_works(app, admin_client, services):
    admin = admin_client("admin")
    made = admin.post_form(
        "/admin/accounts", {"email": "New.Worker@Council.TEST", "name": "Nia", "roles": ["worker", "panel"]}
    )
    html = made.get_data(as_text=True)
    assert made.status_code == 200 and "Account made" in html
    password = re.search(r'id="new-password">([^<]+)<', html).group(1)
    with Session(services.engine) as session:
        result = authenticate(session=session, email="new.worker@council.test", password=password)
        assert result.ok and roles_of(session=session, user=result.user) == {"worker", "panel"}
        session.commit()
    assert password not in admin.get("/admin/accounts").get_data(as_text=True), "shown once"
    assert ("user.create") in [row[1] for row in audit_rows(services, subject_type="user")]


@pytest.mark.parametrize(
    "form, problem",
    [
        ({"email": "", "roles": ["duty"]}, "Enter their work email address"),
        ({"email": "x@council.test"}, "Select at least one role"),
        ({"email": "not an email", "roles": ["duty"]}, "is not an email address"),
        ({"email": "x@council.test", "roles": ["superuser"]}, "Select at least one role"),
    ],
)
def test_bad_new_accounts_say_what_to_fix(admin_client, services, form, problem):
    page = admin_client("admin").post_form("/admin/accounts", form)
    assert page.status_code == 400 and problem in page.get_data(as_text=True)
    with Session(services.engine) as session:
        assert session.get(User, 2) is None


def test_a_taken_email_is_refused(admin_client, users):
    existing = users("duty")
    page = admin_client("admin").post_form("/admin/accounts", {"email": existing.email.upper(), "roles": ["panel"]})
    assert page.status_code == 400 and "already an account" in page.get_data(as_text=True)


def test_unlock_disable_and_enable(app, admin_client, users, services):
    admin = admin_client("admin")
    worker = users("worker")
    victim = app.test_client()
    for _ in range(MAX_FAILED_LOGINS):
        sign_in(victim, worker, password="wrong guess")
    assert sign_in(victim, worker).status_code == 401
    assert "Locked" in admin.get("/admin/accounts").get_data(as_text=True)
    assert admin.post_form(f"/admin/accounts/{worker.id}/unlock").status_code == 303
    assert sign_in(victim, worker).status_code == 303
    assert victim.get("/admin/").status_code == 200

    assert admin.post_form(f"/admin/accounts/{worker.id}/disable").status_code == 303
    assert victim.get("/admin/").status_code == 302, "signed out everywhere at once"
    assert sign_in(victim, worker).status_code == 401
    assert admin.post_form(f"/admin/accounts/{worker.id}/enable").status_code == 303
    assert sign_in(victim, worker).status_code == 303

    me = admin.account
    assert admin.post_form(f"/admin/accounts/{me.id}/disable").status_code == 303
    assert "cannot disable your own account" in admin.get("/admin/accounts").get_data(as_text=True)
    with Session(services.engine) as session:
        assert session.get(User, me.id).active
    assert admin.post_form("/admin/accounts/999/unlock").status_code == 404
    changes = [row for row in audit_rows(services, subject_type="user") if row[0] == me.email]
    assert [row[1] for row in changes] == ["user.unlock", "user.disable", "user.enable"]
    assert all(row[2] == str(worker.id) for row in changes)


@pytest.mark.browser
def test_accounts_page_in_the_browser(signed_in_page, users, axe, shot):
    users("duty", name="Priya Duty")
    page = signed_in_page("admin", path="/admin/accounts")
    axe(page)
    page.fill("#email", "panel.member@council.test")
    page.check("#roles-panel")
    page.get_by_role("button", name="Add account").click()
    assert "Account made" in page.inner_text(".govuk-panel")
    axe(page)
    shot(page, "accounts-made-mobile")
    page.get_by_role("button", name="Add account").click()
    assert "Enter their work email address" in page.inner_text(".govuk-error-summary")
    axe(page)

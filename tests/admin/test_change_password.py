"""Trial U21: "Change your password" for whoever is signed in, and an admin's "Reset password".

A password change or reset signs the account out everywhere else, and is audited (never the password).
"""

import re

import pytest
from sqlmodel import Session, col, select

from tests.admin.conftest import audit_rows, csrf_from, sign_in
from voice_service.accounts import MAX_FAILED_LOGINS, authenticate
from voice_service.models import AuditEvent, User

NEW = "a brand new passphrase"


def _change(client, current, new, again=None):
    token = csrf_from(client.get("/admin/account/password").data)
    return client.post(
        "/admin/account/password",
        data={
            "current-password": current,
            "new-password": new,
            "confirm-password": new if again is None else again,
            "csrf_token": token,
        },
    )


def test_every_page_links_to_change_your_password(admin_client):
    """From the menu, beside Sign out (not the banner, which must stay short on a phone: the duty
    page's next step sits within a screen and a half)."""
    for role in ("panel", "duty", "worker", "admin"):
        page = admin_client(role).get("/admin/").get_data(as_text=True)
        assert 'href="/admin/account/password">Change password</a>' in page, role


def test_a_worker_changes_their_password_and_their_other_sessions_end(app, admin_client, services):
    here = admin_client("worker")
    elsewhere = app.test_client()
    assert sign_in(elsewhere, here.account).status_code == 303
    assert elsewhere.get("/admin/").status_code == 200

    page = here.get("/admin/account/password")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Change your password" in html and here.account.email in html

    done = _change(here, here.account.password, NEW)
    assert done.status_code == 303 and done.headers["Location"].endswith("/admin/")
    home = here.get("/admin/")
    assert home.status_code == 200, "this browser stays signed in"
    assert "Your password has been changed" in home.get_data(as_text=True)
    assert elsewhere.get("/admin/").status_code == 302, "the other session was signed out"

    fresh = app.test_client()
    assert sign_in(fresh, here.account).status_code == 401, "the old password no longer works"
    assert sign_in(fresh, here.account, password=NEW).status_code == 303
    assert [row[1:] for row in audit_rows(services, prefix="user.")] == [("user.password_change", str(here.account.id))]
    with Session(services.engine) as session:
        for event in session.exec(select(AuditEvent)):
            assert NEW not in f"{event.actor}{event.action}{event.subject_id}"


@pytest.mark.parametrize(
    "current, new, again, problems",
    [
        ("", "", "", ["Enter your current password", "Enter a new password"]),
        (None, "short", "short", ["at least 12 characters"]),
        (None, NEW, "a brand new passphrasE", ["Enter the same new password twice"]),
        (None, NEW, "", ["Enter your new password again"]),
        (None, "same", "same", ["must be different from your current password"]),
        ("not my password at all", NEW, NEW, ["Your current password is not right"]),
    ],
)
def test_mistakes_are_shown_in_an_error_summary_and_change_nothing(
    app, admin_client, services, current, new, again, problems
):
    me = admin_client("duty")
    if current is None:
        current = me.account.password
    if new == "same":
        new = again = me.account.password
    page = _change(me, current, new, again)
    html = page.get_data(as_text=True)
    assert page.status_code == 400 and "There is a problem" in html and "<title>Error: Change your password" in html
    for problem in problems:
        assert problem in html
    assert NEW not in html and me.account.password not in html, "passwords are never put back in the page"
    assert me.get("/admin/").status_code == 200, "still signed in"
    assert sign_in(app.test_client(), me.account).status_code == 303, "the password is unchanged"


def test_wrong_current_passwords_count_towards_the_lock_out(app, admin_client, services):
    """A browser left signed in cannot be used to guess the password behind it."""
    me = admin_client("worker")
    for _ in range(MAX_FAILED_LOGINS):
        assert _change(me, "a wrong guess here", NEW).status_code == 400
    assert me.get("/admin/").status_code == 302, "locked: the session has ended"
    assert sign_in(app.test_client(), me.account).status_code == 401
    failed = [row for row in audit_rows(services, prefix="user.password_change_failed")]
    assert len(failed) == MAX_FAILED_LOGINS


def test_no_change_without_a_csrf_token_or_signed_out(app, admin_client):
    me = admin_client("worker")
    refused = me.post(
        "/admin/account/password",
        data={"current-password": me.account.password, "new-password": NEW, "confirm-password": NEW},
    )
    assert refused.status_code == 400
    stranger = app.test_client()
    assert stranger.get("/admin/account/password").status_code == 302
    assert sign_in(app.test_client(), me.account).status_code == 303


def test_an_admin_resets_a_forgotten_password(app, admin_client, users, services):
    admin = admin_client("admin")
    worker = users("worker")
    theirs = app.test_client()
    for _ in range(MAX_FAILED_LOGINS):
        sign_in(theirs, worker, password="wrong guess")
    assert sign_in(theirs, worker).status_code == 401, "locked out"

    reset = admin.post_form(f"/admin/accounts/{worker.id}/reset-password")
    html = reset.get_data(as_text=True)
    assert reset.status_code == 200 and "Password reset" in html
    password = re.search(r'id="new-password">([^<]+)<', html).group(1)
    assert password not in admin.get("/admin/accounts").get_data(as_text=True), "shown once"
    assert sign_in(theirs, worker).status_code == 401, "the old password is gone"
    assert sign_in(theirs, worker, password=password).status_code == 303, "and the lock-out with it"

    # Their session ends at the next reset; the admin cannot reset their own here.
    again = admin.post_form(f"/admin/accounts/{worker.id}/reset-password")
    assert again.status_code == 200
    assert theirs.get("/admin/").status_code == 302
    mine = admin.post_form(f"/admin/accounts/{admin.account.id}/reset-password")
    assert mine.status_code == 303 and mine.headers["Location"].endswith("/admin/account/password")
    assert admin.post_form("/admin/accounts/999/reset-password").status_code == 404
    assert admin_client("worker").post_form(f"/admin/accounts/{worker.id}/reset-password").status_code == 403
    resets = [row for row in audit_rows(services, prefix="user.password_reset")]
    assert resets == [(admin.account.email, "user.password_reset", str(worker.id))] * 2
    with Session(services.engine) as session:
        assert authenticate(session=session, email=admin.account.email, password=admin.account.password).ok
        session.rollback()
        assert session.exec(select(User).where(col(User.id) == worker.id)).one().failed_logins == 0


@pytest.mark.browser
def test_change_your_password_in_the_browser(signed_in_page, app, axe, shot):
    page = signed_in_page("duty", path="/admin/")
    account = page.account
    page.get_by_role("button", name="Menu").click()  # on a phone the menu is folded away
    with page.expect_navigation():  # the home page has an <h1> too
        page.get_by_role("link", name="Change password").click()
    page.wait_for_load_state("networkidle")
    assert page.inner_text("h1") == "Change your password"
    axe(page)
    page.fill("#current-password", account.password)
    page.fill("#new-password", NEW)
    page.fill("#confirm-password", "something else entirely")
    page.get_by_role("button", name="Change password").click()
    page.wait_for_load_state("networkidle")
    summary = page.inner_text(".govuk-error-summary")
    assert "Enter the same new password twice" in summary
    assert page.input_value("#new-password") == "", "passwords are not put back in the page"
    axe(page)
    shot(page, "change-password-error-mobile")
    page.fill("#current-password", account.password)
    page.fill("#new-password", NEW)
    page.fill("#confirm-password", NEW)
    page.get_by_role("button", name="Change password").click()
    page.wait_for_load_state("networkidle")
    assert "Your password has been changed" in page.inner_text(".govuk-notification-banner")
    axe(page)
    assert sign_in(app.test_client(), account, password=NEW).status_code == 303

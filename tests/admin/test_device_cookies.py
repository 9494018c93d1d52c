"""Trial 13, T13-12: an outsider who knows a duty worker's email could lock them out by failing on purpose.
A browser that has signed in before carries a device cookie (OWASP's "device cookies") and is judged by its own
wrong passwords: the account's lock-out, raised by strangers' guesses, stops strangers only."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from tests.admin.conftest import csrf_from, sign_in
from voice_service.accounts import DEVICE_TRUST, LOCK_MINUTES, MAX_FAILED_LOGINS, authenticate, unlock
from voice_service.db import session_scope
from voice_service.models import AuditEvent, TrustedDevice, User
from voice_service.web.admin.auth import SIGN_IN_PROBLEM
from voice_service.web.admin.security import DEVICE_COOKIE

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SECRET = "the app's secret key, for these tests"


def _try(services, account, password, *, cookie=None, secret=SECRET, now=NOW):
    """One sign-in, committed, as the dashboard makes it; returns (outcome, device cookie)."""
    with session_scope(services.engine) as session:
        result = authenticate(
            session=session, email=account.email, password=password, device_cookie=cookie, secret=secret, now=now
        )
        return result.outcome, result.device_cookie


def _outsider_locks(services, account, now=NOW):
    outcomes = [_try(services, account, f"guess {n}", now=now)[0] for n in range(MAX_FAILED_LOGINS)]
    assert outcomes[-1] == "locked"


def test_an_account_locked_by_an_outsider_still_opens_on_a_browser_that_signed_in_before(services, users):
    account = users("duty")
    outcome, cookie = _try(services, account, account.password)
    assert outcome == "ok" and cookie
    assert account.email not in cookie and str(account.email.split("@")[0]) not in cookie, "no personal data in it"

    _outsider_locks(services, account)
    later = NOW + timedelta(minutes=5)
    # A stranger, even with the right password, is refused while the lock lasts.
    assert _try(services, account, account.password, now=later)[0] == "locked"
    # The duty worker's own browser is not.
    assert _try(services, account, account.password, cookie=cookie, now=later) == ("ok", cookie)
    # ... and their signing in does not lift the lock for strangers, who get no fresh guesses from it.
    assert _try(services, account, account.password, now=later)[0] == "locked"
    with Session(services.engine) as session:
        user = session.get(User, account.id)
        assert user.failed_logins == MAX_FAILED_LOGINS and user.locked_until == NOW + timedelta(minutes=LOCK_MINUTES)


def test_a_trusted_browser_that_guesses_wrong_too_often_is_refused(services, users):
    account = users("duty")
    _, cookie = _try(services, account, account.password)
    outcomes = [_try(services, account, f"guess {n}", cookie=cookie)[0] for n in range(MAX_FAILED_LOGINS + 1)]
    assert outcomes == ["wrong"] * (MAX_FAILED_LOGINS - 1) + ["locked", "locked"]
    # Locked means locked for that browser: the right password is refused there until the lock ends.
    assert _try(services, account, account.password, cookie=cookie)[0] == "locked"
    # Its guesses were its own: the account is not locked for anyone else.
    outcome, other = _try(services, account, account.password)
    assert outcome == "ok" and other != cookie
    with Session(services.engine) as session:
        assert session.get(User, account.id).locked_until is None
    # After the lock, the browser signs in again, and its count starts afresh.
    after = NOW + timedelta(minutes=LOCK_MINUTES, seconds=1)
    assert _try(services, account, account.password, cookie=cookie, now=after) == ("ok", cookie)
    assert _try(services, account, "one more slip", cookie=cookie, now=after)[0] == "wrong"


def test_an_admin_unlock_opens_the_account_and_its_browsers(services, users):
    account = users("duty")
    _, cookie = _try(services, account, account.password)
    for n in range(MAX_FAILED_LOGINS):
        _try(services, account, f"guess {n}", cookie=cookie)
    _outsider_locks(services, account)
    with session_scope(services.engine) as session:
        unlock(session=session, user=session.get(User, account.id))
    assert _try(services, account, account.password, cookie=cookie)[0] == "ok"
    assert _try(services, account, account.password)[0] == "ok"


def test_a_forged_altered_or_other_accounts_cookie_gives_no_trust(services, users):
    account = users("duty")
    colleague = users("duty")
    _, theirs = _try(services, colleague, colleague.password)
    _, mine = _try(services, account, account.password)
    _outsider_locks(services, account)
    user_id, nonce, signature = mine.split(".")
    flipped = signature[:-1] + ("0" if signature[-1] != "0" else "1")
    _, under_another_key = _try(services, account, account.password, secret="another service's key")
    refused = {
        "another account's cookie": theirs,
        "an altered signature": f"{user_id}.{nonce}.{flipped}",
        "another account's number": f"{colleague.id}.{nonce}.{signature}",
        "signed with another key": under_another_key,
        "no signature": f"{user_id}.{nonce}",
        "nonsense": "x" * 40,
    }
    for why, cookie in refused.items():
        assert _try(services, account, account.password, cookie=cookie, now=NOW + timedelta(minutes=1))[0] == (
            "locked"
        ), why
    # A real cookie whose browser the service no longer knows (unused too long) is no better.
    unused = NOW + DEVICE_TRUST + timedelta(days=1)
    _outsider_locks(services, account, now=unused)
    assert _try(services, account, account.password, cookie=mine, now=unused)[0] == "locked"
    # And without the app's secret nothing is trusted, nor handed out.
    assert _try(services, account, account.password, cookie=mine, secret=None, now=NOW + timedelta(minutes=1)) == (
        "locked",
        None,
    )


def _post(client, account, password):
    token = csrf_from(client.get("/admin/sign-in").data)
    return client.post("/admin/sign-in", data={"email": account.email, "password": password, "csrf_token": token})


def test_over_the_web_the_duty_workers_browser_signs_in_while_an_outsider_is_locked_out(app, users, services):
    account = users("duty")
    theirs = app.test_client()
    first = sign_in(theirs, account)
    assert first.status_code == 303
    device = next(v for k, v in first.headers.items() if k == "Set-Cookie" and v.startswith(f"{DEVICE_COOKIE}="))
    assert "HttpOnly" in device and "SameSite=Strict" in device and "Path=/admin" in device
    assert "Max-Age" in device, "kept when the browser closes, or it would be a stranger the next day"
    assert "Secure" not in device, "public_url is http:// in tests (test_auth_web checks https)"
    assert theirs.post("/admin/sign-out", data={"csrf_token": csrf_from(theirs.get("/admin/").data)}).status_code == 303

    # Someone else signed in meanwhile stays signed in through the lock.
    colleague_session = app.test_client()
    assert sign_in(colleague_session, account).status_code == 303

    outsider = app.test_client()
    answers = [_post(outsider, account, f"guess {n}") for n in range(MAX_FAILED_LOGINS + 1)]
    assert {answer.status_code for answer in answers} == {401}
    refused = _post(outsider, account, account.password)
    assert refused.status_code == 401 and SIGN_IN_PROBLEM in refused.get_data(as_text=True)
    assert f"{DEVICE_COOKIE}=" not in refused.headers.get("Set-Cookie", "")

    assert colleague_session.get("/admin/").status_code == 200, "a lock from guessing does not sign anyone out"
    again = _post(theirs, account, account.password)
    assert again.status_code == 303 and theirs.get("/admin/").status_code == 200

    with Session(services.engine) as session:
        actions = session.exec(
            select(AuditEvent.action).where(col(AuditEvent.subject_id) == str(account.id)).order_by(col(AuditEvent.id))
        ).all()
        assert len(session.exec(select(TrustedDevice).where(col(TrustedDevice.user_id) == account.id)).all()) == 2
    assert actions.count("auth.sign_in_failed") == MAX_FAILED_LOGINS - 1
    assert actions.count("auth.locked") == 3  # the tenth guess, the eleventh, and the right password after


def test_admins_see_the_lock_in_words_and_can_lift_it(app, admin_client, users):
    admin = admin_client("admin")
    worker = users("duty")
    theirs = app.test_client()
    assert sign_in(theirs, worker).status_code == 303
    theirs.delete_cookie("voice_admin", path="/admin")  # the browser was closed: the device cookie stays
    outsider = app.test_client()
    for n in range(MAX_FAILED_LOGINS):
        _post(outsider, worker, f"guess {n}")
    page = admin.get("/admin/accounts").get_data(as_text=True)
    assert "Locked" in page
    assert "on browsers they have not signed in on, after wrong passwords from one." in page
    assert "Browsers they have signed in on before still work." in page
    assert f'Unlock<span class="govuk-visually-hidden"> {worker.email}' in page

    for n in range(MAX_FAILED_LOGINS):
        _post(theirs, worker, f"slip {n}")
    assert _post(theirs, worker, worker.password).status_code == 401, "their own browser, locked by its own"
    page = admin.get("/admin/accounts").get_data(as_text=True)
    assert "on 1 browser they have signed in on, after wrong passwords there." in page
    assert admin.post_form(f"/admin/accounts/{worker.id}/unlock").status_code == 303
    assert "Locked" not in admin.get("/admin/accounts").get_data(as_text=True)
    assert _post(theirs, worker, worker.password).status_code == 303
    assert _post(outsider, worker, worker.password).status_code == 303


@pytest.mark.browser
def test_in_a_real_browser_the_duty_worker_signs_in_again_through_an_outsiders_lock(app, signed_in_page, open_page):
    page = signed_in_page("duty")
    account = page.account
    cookies = {cookie["name"]: cookie for cookie in page.context.cookies()}
    device = cookies[DEVICE_COOKIE]
    assert device["httpOnly"] and device["sameSite"] == "Strict" and device["path"] == "/admin"
    assert device["expires"] > 0, "kept when the browser closes"
    # The browser is closed (its session cookie goes; the device cookie stays) and an outsider fails on purpose.
    page.context.clear_cookies()
    page.context.add_cookies([device])
    outsider = app.test_client()
    for n in range(MAX_FAILED_LOGINS):
        _post(outsider, account, f"guess {n}")

    for browser_page, lands_on in ((page, "/admin/"), (open_page("/admin/sign-in"), "/admin/sign-in")):
        browser_page.goto(browser_page.url.split("/admin")[0] + "/admin/sign-in")
        browser_page.fill("#email", account.email)
        browser_page.fill("#password", account.password)
        with browser_page.expect_navigation():  # the sign-in page is idle already
            browser_page.click("button:has-text('Sign in')")
        browser_page.wait_for_load_state("networkidle")
        assert browser_page.url.endswith(lands_on), browser_page.url
    assert SIGN_IN_PROBLEM in browser_page.inner_text(".govuk-error-summary"), "a new browser is still refused"

"""Accounts: creating them, passwords (argon2), lock-out after 10 wrong tries, sessions that expire."""

from datetime import timedelta

import pytest
from sqlmodel import Session

from voice_service.accounts import (
    ABSOLUTE_TIMEOUT,
    IDLE_TIMEOUT,
    MAX_FAILED_LOGINS,
    AccountError,
    authenticate,
    create_user,
    end_session,
    roles_of,
    session_user,
    set_password,
    start_session,
    unlock,
    users_with_role,
)
from voice_service.accounts.passwords import verify_password
from voice_service.db import session_scope
from voice_service.models import User, utcnow

PASSWORD = "a long enough password"


def _make(services, email="Duty.Worker@Council.TEST", roles=("duty",)):
    with session_scope(services.engine) as session:
        return create_user(session=session, email=email, roles=list(roles), password=PASSWORD).id


def test_email_is_stored_lower_case_and_unique(services):
    user_id = _make(services)
    with session_scope(services.engine) as session:
        user = session.get(User, user_id)
        assert user.email == "duty.worker@council.test"
        assert user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash
        with pytest.raises(AccountError, match="already an account"):
            create_user(session=session, email=" DUTY.worker@council.test ", roles=["worker"], password=PASSWORD)


def test_a_person_may_hold_several_roles(services):
    user_id = _make(services, roles=("duty", "worker", "duty"))
    with session_scope(services.engine) as session:
        user = session.get(User, user_id)
        assert roles_of(session=session, user=user) == {"duty", "worker"}
        assert [u.id for u in users_with_role(session=session, role="duty")] == [user_id]
        assert users_with_role(session=session, role="panel") == []


@pytest.mark.parametrize(
    "email, roles, password, problem",
    [
        ("not-an-email", ["duty"], PASSWORD, "not an email"),
        ("a@council.test", [], PASSWORD, "at least one role"),
        ("a@council.test", ["superuser"], PASSWORD, "unknown role"),
        ("a@council.test", ["duty"], "short", "at least 12"),
        ("a@council.test", ["duty"], "aaaaaaaaaaaaaaaa", "too easy"),
    ],
)
def test_bad_accounts_are_refused(services, email, roles, password, problem):
    with session_scope(services.engine) as session:
        with pytest.raises(AccountError, match=problem):
            create_user(session=session, email=email, roles=roles, password=password)


def test_the_eleventh_wrong_password_finds_the_account_locked(services):
    _make(services)
    now = utcnow()
    outcomes = []
    with session_scope(services.engine) as session:
        for attempt in range(MAX_FAILED_LOGINS + 1):
            result = authenticate(
                session=session, email="duty.worker@council.test", password=f"wrong {attempt}", now=now
            )
            outcomes.append(result.outcome)
        assert outcomes[: MAX_FAILED_LOGINS - 1] == ["wrong"] * (MAX_FAILED_LOGINS - 1)
        assert outcomes[MAX_FAILED_LOGINS:] == ["locked"]
        # Locked means locked: even the right password is refused until the lock ends or an admin unlocks.
        assert authenticate(session=session, email="duty.worker@council.test", password=PASSWORD, now=now).outcome == (
            "locked"
        )
        later = now + timedelta(minutes=31)
        assert authenticate(session=session, email="duty.worker@council.test", password=PASSWORD, now=later).ok


def test_unlock_and_a_good_password_reset_the_count(services):
    user_id = _make(services)
    now = utcnow()
    with session_scope(services.engine) as session:
        for _ in range(MAX_FAILED_LOGINS):
            authenticate(session=session, email="duty.worker@council.test", password="nope", now=now)
        user = session.get(User, user_id)
        assert user.locked_until is not None
        unlock(session=session, user=user)
        result = authenticate(
            session=session, email="duty.worker@council.test", password=PASSWORD, now=now, ip="10.0.0.9"
        )
        assert result.ok and result.user.failed_logins == 0
        assert result.user.last_login_at == now and result.user.last_login_ip == "10.0.0.9"


def test_unknown_emails_look_like_wrong_passwords(services):
    _make(services)
    with session_scope(services.engine) as session:
        unknown = authenticate(session=session, email="nobody@council.test", password=PASSWORD)
        wrong = authenticate(session=session, email="duty.worker@council.test", password="not it at all")
        assert unknown.outcome == wrong.outcome == "wrong"
        assert unknown.user is None and wrong.user is None


def test_a_disabled_account_cannot_sign_in(services):
    user_id = _make(services)
    with session_scope(services.engine) as session:
        session.get(User, user_id).active = False
        session.flush()
        assert authenticate(session=session, email="duty.worker@council.test", password=PASSWORD).outcome == "disabled"


def test_sessions_end_when_idle_too_old_signed_out_or_password_changed(services):
    user_id = _make(services)
    now = utcnow()
    with Session(services.engine, expire_on_commit=False) as session:
        user = session.get(User, user_id)
        token = start_session(session=session, user=user, now=now)
        session.commit()
        assert (
            session_user(session=session, token=token, now=now + IDLE_TIMEOUT - timedelta(seconds=1))[0].id == user_id
        )
        # Idle: measured from the last request seen.
        assert session_user(session=session, token=token, now=now + 2 * IDLE_TIMEOUT) is None
        assert session_user(session=session, token=token, now=now) is None, "an expired session is gone for good"

        # Absolute: however busy, a session ends after ABSOLUTE_TIMEOUT.
        token = start_session(session=session, user=user, now=now)
        step = now
        while step < now + ABSOLUTE_TIMEOUT - IDLE_TIMEOUT:
            step += IDLE_TIMEOUT / 2
            assert session_user(session=session, token=token, now=step) is not None
        assert session_user(session=session, token=token, now=now + ABSOLUTE_TIMEOUT + timedelta(seconds=1)) is None

        token = start_session(session=session, user=user, now=now)
        end_session(session=session, token=token)
        assert session_user(session=session, token=token, now=now) is None

        token = start_session(session=session, user=user, now=now)
        set_password(session=session, user=user, password="another long password")
        assert session_user(session=session, token=token, now=now) is None
        assert verify_password(user.password_hash, "another long password")
        assert session_user(session=session, token="made-up", now=now) is None
        session.commit()


def test_every_outcome_checks_exactly_one_password_hash(services, monkeypatch):
    """Same work whatever the email: an unknown one is checked against a dummy hash, so the time
    taken says nothing about which emails have accounts (counted, not timed)."""
    import voice_service.accounts.service as service

    user_id = _make(services)
    calls = []
    real = service.verify_password
    monkeypatch.setattr(service, "verify_password", lambda stored, given: calls.append(1) or real(stored, given))
    now = utcnow()
    with session_scope(services.engine) as session:
        outcomes = [authenticate(session=session, email="nobody@council.test", password="x", now=now).outcome]
        outcomes.append(authenticate(session=session, email="duty.worker@council.test", password="x", now=now).outcome)
        outcomes.append(
            authenticate(session=session, email="duty.worker@council.test", password=PASSWORD, now=now).outcome
        )
        session.get(User, user_id).locked_until = now + timedelta(minutes=5)
        outcomes.append(authenticate(session=session, email="duty.worker@council.test", password="x", now=now).outcome)
        session.get(User, user_id).locked_until = None
        session.get(User, user_id).active = False
        outcomes.append(authenticate(session=session, email="duty.worker@council.test", password="x", now=now).outcome)
    assert outcomes == ["wrong", "wrong", "ok", "locked", "disabled"]
    assert len(calls) == len(outcomes)

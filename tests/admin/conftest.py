"""Dashboard fixtures, shared by every `/admin` test (dash and dash2 alike).

- `users(*roles, email=None, name="")` makes an account and returns a `StaffAccount`
  (email, password, id, roles).
- `admin_client(*roles)` is a Flask test client already signed in with an account holding
  those roles; `.csrf()` gives a CSRF token for its posts and `.account` the account.
- `signed_in_page(*roles, path="/admin/", viewport=MOBILE)` is a real Chromium page on the
  live server, signed in through the sign-in form with such an account.
- `axe(page)` runs axe-core (tests/admin/vendor, from the npm registry) in the page and
  fails on any serious or critical violation; `shot(page, name)` saves a screenshot under
  this test's tmp dir (and under $VOICE_TEST_ARTEFACTS when it is set).
"""

from __future__ import annotations

import os
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from tests.browser_fixtures import CHROMIUM_ARGS, DESKTOP, MOBILE  # noqa: F401
from voice_service.accounts import create_user
from voice_service.db import session_scope

PASSWORD = "correct horse battery staple"
CSRF_INPUT = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class StaffAccount:
    """An account made for a test, with its password in the clear (tests only)."""

    id: int
    email: str
    password: str
    roles: tuple[str, ...]
    name: str = ""


@pytest.fixture
def users(services):
    """Make a dashboard account: `users("duty")`, `users("worker", "panel", email="x@y.test")`.

    The scheduler is running beside the dashboard, as it does for real: its heartbeat is fresh (else the duty
    pages would open with "The scheduler has never run"; `test_unsent_notices_shown` takes it away)."""
    from voice_service.models import utcnow
    from voice_service.scheduler.heartbeat import record_heartbeat

    record_heartbeat(services.engine, utcnow())

    def make(*roles: str, email: str | None = None, name: str = "", password: str = PASSWORD) -> StaffAccount:
        email = email or f"{'-'.join(roles) or 'nobody'}-{uuid.uuid4().hex[:6]}@council.test"
        with session_scope(services.engine) as session:
            user = create_user(session=session, email=email, roles=list(roles), password=password, name=name)
            assert user.id is not None
            return StaffAccount(user.id, user.email, password, tuple(roles), name)

    return make


def csrf_from(html: bytes | str) -> str:
    """The CSRF token in a rendered dashboard page."""
    text = html.decode() if isinstance(html, bytes) else html
    found = CSRF_INPUT.search(text)
    assert found, "no CSRF field on the page"
    return found.group(1)


def sign_in(client, account: StaffAccount, *, password: str | None = None):
    """Sign a test client in through the real form; returns the POST's response."""
    token = csrf_from(client.get("/admin/sign-in").data)
    return client.post(
        "/admin/sign-in",
        data={"email": account.email, "password": password or account.password, "csrf_token": token},
    )


class SignedInClient:
    """A test client signed in as one account (attribute access falls through to the client)."""

    def __init__(self, client, account: StaffAccount):
        self.client = client
        self.account = account
        self._csrf: str | None = None

    def __getattr__(self, name):
        return getattr(self.client, name)

    def csrf(self) -> str:
        """A CSRF token for this client's posts (the cookie's nonce lasts, so one token serves many)."""
        if self._csrf is None:
            self._csrf = csrf_from(self.client.get("/admin/").data)
        return self._csrf

    def post_form(self, path: str, data: dict | None = None, **kwargs):
        """POST a form with a valid CSRF token added."""
        return self.client.post(path, data={**(data or {}), "csrf_token": self.csrf()}, **kwargs)


@pytest.fixture
def admin_client(app, users):
    """`admin_client("worker")`: a fresh test client signed in with a new account holding those roles."""

    def make(*roles: str, account: StaffAccount | None = None) -> SignedInClient:
        account = account or users(*roles)
        client = app.test_client()
        response = sign_in(client, account)
        assert response.status_code == 303, response.data
        return SignedInClient(client, account)

    return make


@pytest.fixture
def signed_in_page(open_page, users):  # noqa: F811
    """`signed_in_page("duty", path="/admin/alerts/1")`: Chromium signed in with that role, on that page.

    Signs in through the form (the way a person does), arriving at `path` through `next`.
    Pass `account=` to reuse an account made with `users(...)`.
    """

    def make(*roles: str, path: str = "/admin/", viewport=MOBILE, account: StaffAccount | None = None):
        account = account or users(*roles)
        page = open_page(f"/admin/sign-in?next={path}", viewport=viewport)
        page.fill("#email", account.email)
        page.fill("#password", account.password)
        with page.expect_navigation():  # the sign-in page is idle already: wait for the page it goes to
            page.click("button:has-text('Sign in')")
        page.wait_for_load_state("networkidle")
        page.account = account
        return page

    return make


@pytest.fixture
def shot(tmp_path):
    """`shot(page, "alert-mobile")`: a full-page screenshot in the test's tmp dir (and $VOICE_TEST_ARTEFACTS)."""
    extra = os.environ.get("VOICE_TEST_ARTEFACTS")

    def take(page, name: str) -> Path:
        path = tmp_path / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        if extra:
            Path(extra).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(extra) / f"{name}.png"), full_page=True)
        assert path.stat().st_size > 1000
        return path

    return take


@dataclass
class Disclosure:
    """A worrying text sent through the signed SMS webhook, and the alert and notice it made."""

    alert_id: int
    notice: str
    link_path: str  # the path in the notice's link, e.g. /admin/alerts/3
    phone: str


@pytest.fixture
def disclose(app, services):
    """`disclose("I want to hurt myself tonight", first_name="Jo")`: a young person on the list texts
    the service through the real, signed `/sms/inbound`; returns the alert and the duty notice's link.
    Needs a config with a duty route (see `duty_config`)."""
    from tests.conftest import PUBLIC_URL, SmsPhone
    from tests.factories import add_participants
    from voice_service.models import Alert, OutboxMessage

    made: dict[str, int] = {}

    def send(text: str, *, first_name: str = "Jo", number: str = "+447700900321", before: tuple[str, ...] = ()):
        if number not in made:
            add_participants(services, [{"phone": number, "first_name": first_name}])
            made[number] = 1
        phone = SmsPhone(app.test_client(), number)
        for earlier in before:
            phone.send(earlier)
        replies = phone.send(text)
        assert any("Childline" in reply for reply in replies), replies
        with Session(services.engine) as session:
            alert = session.exec(select(Alert).order_by(col(Alert.id).desc())).first()
            assert alert is not None
            notice = session.exec(
                select(OutboxMessage).where(col(OutboxMessage.alert_id) == alert.id).order_by(col(OutboxMessage.id))
            ).first()
            assert notice is not None, "no duty notice queued (does the config have a duty route?)"
            link = re.search(re.escape(PUBLIC_URL) + r"(/admin/alerts/\d+)", notice.body)
            assert link, notice.body
            return Disclosure(alert.id, notice.body, link.group(1), number)

    return send


def cli_env(services, **extra: str) -> dict[str, str]:
    """The test's configuration as the environment a command reads (`VOICE_<SECTION>_<KEY>`), with `extra` on top."""
    env = {
        f"VOICE_{section.upper()}_{key.upper()}": ",".join(value) if isinstance(value, list) else str(value)
        for section, values in services.config.as_dict().items()
        for key, value in values.items()
    }
    return {**env, **extra}


def duty_config(database_url):
    """A test configuration with one duty route (an email address), so alerts queue a notice."""
    from tests.conftest import make_config

    return make_config(database_url, safeguarding={"duty_emails": ["duty@council.test"]})


def audit_rows(services, *, subject_type: str | None = None, prefix: str = "") -> list[tuple[str, str, str | None]]:
    """(actor, action, subject id) for each audit row, oldest first, optionally only some."""
    from voice_service.models import AuditEvent

    with Session(services.engine) as session:
        query = select(AuditEvent).order_by(col(AuditEvent.id))
        if subject_type:
            query = query.where(col(AuditEvent.subject_type) == subject_type)
        return [(e.actor, e.action, e.subject_id) for e in session.exec(query).all() if e.action.startswith(prefix)]

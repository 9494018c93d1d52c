"""One address may fail to sign in only so often, whichever emails it tries (on top of each
account's own lock-out); other addresses are not affected, and the refusals are audited."""

from sqlmodel import Session, col, select

from tests.admin.conftest import csrf_from
from voice_service.models import AuditEvent
from voice_service.web.admin.auth import SIGN_IN_LIMIT, TOO_MANY


def _post(client, email, password, ip):
    token = csrf_from(client.get("/admin/sign-in").data)
    return client.post(
        "/admin/sign-in",
        data={"email": email, "password": password, "csrf_token": token},
        environ_base={"REMOTE_ADDR": ip},
    )


def test_too_many_failed_sign_ins_from_one_address_are_refused(app, users, services):
    account = users("duty")
    client = app.test_client()
    allowed = SIGN_IN_LIMIT.amount
    assert allowed >= 20, "an office shares one address: keep the limit generous"
    # Many different emails, so no single account reaches its own lock-out.
    for n in range(allowed):
        assert _post(client, f"guess-{n}@council.test", "wrong password", "192.0.2.7").status_code == 401

    refused = _post(client, account.email, account.password, "192.0.2.7")
    assert refused.status_code == 429
    assert TOO_MANY in refused.get_data(as_text=True)
    assert "voice_admin=" not in refused.headers.get("Set-Cookie", "")

    # Another address, and the same account, are still fine: the account itself was never locked.
    assert _post(app.test_client(), account.email, account.password, "198.51.100.9").status_code == 303

    with Session(services.engine) as session:
        rows = session.exec(select(AuditEvent).where(col(AuditEvent.action) == "auth.rate_limited")).all()
    assert [row.ip for row in rows] == ["192.0.2.7"]


def test_successful_sign_ins_do_not_count(app, users):
    account = users("duty")
    for _ in range(SIGN_IN_LIMIT.amount + 2):
        assert _post(app.test_client(), account.email, account.password, "192.0.2.8").status_code == 303

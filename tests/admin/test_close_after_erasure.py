"""Closing a round through the dashboard after an erasure: the summary it saves in the panel's folder differs from the
copy given out before (a download while the round was open), so the worker who closed it is told, as `round close`
and `summary` tell (trial 10, T10-12; the panel's folder counts as giving the summary out)."""

from __future__ import annotations

import pytest

from tests.conftest import make_config
from tests.factories import add_participants, phone_number
from voice_service.db import session_scope
from voice_service.privacy.subject import erase_subject, find_subject
from voice_service.summary.reissue import CHANGED_BY_ERASURE


@pytest.fixture
def config(database_url, tmp_path):
    return make_config(database_url, panel={"drop_dir": str(tmp_path / "panel")})


def _erase(services) -> None:
    with session_scope(services.engine) as session:
        subject = find_subject(session=session, vault=services.vault, phone=phone_number(0))
        erase_subject(session=session, subject=subject, actor="DPO")


def _closed(worker) -> str:
    closed = worker.post_form("/admin/rounds/1/close")
    assert closed.status_code == 303
    return " ".join(worker.get("/admin/rounds/1").get_data(as_text=True).split()).replace("&#39;", "'")


def test_closing_after_an_erasure_warns_when_the_summary_was_given_out_before(services, admin_client, tmp_path):
    add_participants(services, [{"phone": phone_number(i), "age": 14} for i in range(2)])
    worker = admin_client("worker")
    worker.post_form("/admin/rounds/launch", {"survey": "pulse"})
    assert worker.get("/admin/summaries/1/summary.pdf").status_code == 200  # given out while open
    _erase(services)
    page = _closed(worker)
    assert "the panel's summary was saved in the panel's folder" in page
    assert CHANGED_BY_ERASURE in page
    assert (tmp_path / "panel" / "you-said-we-did-round-1.pdf").exists()


def test_closing_warns_of_nothing_when_no_copy_was_out_before_the_erasure(services, admin_client):
    add_participants(services, [{"phone": phone_number(i), "age": 14} for i in range(2)])
    worker = admin_client("worker")
    worker.post_form("/admin/rounds/launch", {"survey": "pulse"})
    _erase(services)
    page = _closed(worker)
    assert "the panel's summary was saved in the panel's folder" in page
    assert CHANGED_BY_ERASURE not in page

"""The dashboard's summary page warns the worker when a young person in the round was erased after its summary
was first given out (trial 10, T10-12): a copy from before and one from after, compared, show their answers."""

from __future__ import annotations

from sqlalchemy import select

from tests.factories import add_participants, phone_number
from tests.summary import data
from voice_service.db import session_scope
from voice_service.models import Round
from voice_service.privacy.subject import erase_subject, find_subject
from voice_service.summary.reissue import CHANGED_BY_ERASURE, PAGE_CHANGED_BY_ERASURE


def test_the_summary_page_warns_once_a_copy_from_before_an_erasure_is_out(services, admin_client):
    add_participants(services, [{"phone": phone_number(i), "age": 14} for i in range(2)])
    worker = admin_client("worker")
    worker.post_form("/admin/rounds/launch", {"survey": "pulse"})
    assert "changed-by-erasure" not in worker.get("/admin/summaries/1").get_data(as_text=True)
    assert worker.get("/admin/summaries/1/summary.pdf").status_code == 200  # given out
    assert "changed-by-erasure" not in worker.get("/admin/summaries/1").get_data(as_text=True)
    with session_scope(services.engine) as session:
        subject = find_subject(session=session, vault=services.vault, phone=phone_number(0))
        erase_subject(session=session, subject=subject, actor="DPO")
    page = " ".join(worker.get("/admin/summaries/1").get_data(as_text=True).split())
    assert 'id="changed-by-erasure"' in page and CHANGED_BY_ERASURE in page.replace("&#39;", "'")


def test_the_young_peoples_page_shows_no_warning_and_the_summary_page_warns_the_worker(services, admin_client, client):
    """The link to /r/<token> went to those who took part when the round closed: after an erasure the page is built
    from the answers kept, saying nothing of why it changed, and the worker is told on Summaries before sharing."""
    ids = data.people(services, 5)
    round_id = data.round_at(services)
    data.comments(services, round_id, ids, ["my carers never listen"] * 5, ["carers"])
    worker = admin_client("worker")
    assert worker.post_form(f"/admin/rounds/{round_id}/close").status_code == 303  # the thank-you texts carry the link
    page = f"/r/{_token(services, round_id)}"
    before = client.get(page).get_data(as_text=True)
    assert "You talked about your carers" in before
    assert "changed-by-erasure" not in worker.get(f"/admin/summaries/{round_id}").get_data(as_text=True)
    with session_scope(services.engine) as session:
        subject = find_subject(session=session, vault=services.vault, phone=phone_number(0))
        erase_subject(session=session, subject=subject, actor="DPO")
    after = client.get(page)
    assert after.status_code == 200
    text = " ".join(after.get_data(as_text=True).split())
    assert "your carers" not in text  # 4 now raised it: the erasure reaches the page
    for word in ("erase", "Erase", "deleted", "changed", "warning", "Warning", CHANGED_BY_ERASURE[:40]):
        assert word not in text, word
    summary = " ".join(worker.get(f"/admin/summaries/{round_id}").get_data(as_text=True).split()).replace("&#39;", "'")
    assert 'id="changed-by-erasure"' in summary
    assert CHANGED_BY_ERASURE in summary and PAGE_CHANGED_BY_ERASURE in summary


def test_a_panel_copy_alone_does_not_speak_of_the_young_peoples_page(services, admin_client):
    add_participants(services, [{"phone": phone_number(i), "age": 14} for i in range(2)])
    worker = admin_client("worker")
    worker.post_form("/admin/rounds/launch", {"survey": "pulse"})
    assert worker.get("/admin/summaries/1/summary.csv").status_code == 200  # given out; the round is still open
    with session_scope(services.engine) as session:
        subject = find_subject(session=session, vault=services.vault, phone=phone_number(0))
        erase_subject(session=session, subject=subject, actor="DPO")
    page = " ".join(worker.get("/admin/summaries/1").get_data(as_text=True).split()).replace("&#39;", "'")
    assert CHANGED_BY_ERASURE in page and PAGE_CHANGED_BY_ERASURE not in page


def _token(services, round_id: int) -> str:
    with session_scope(services.engine) as session:
        return session.execute(select(Round.public_token).where(Round.id == round_id)).scalar_one()

"""The dashboard's summary page warns the worker when a young person in the round was erased after its summary
was first given out (trial 10, T10-12): a copy from before and one from after, compared, show their answers."""

from __future__ import annotations

from tests.factories import add_participants, phone_number
from voice_service.db import session_scope
from voice_service.privacy.subject import erase_subject, find_subject
from voice_service.summary.reissue import CHANGED_BY_ERASURE


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

"""The check page and the launch say who is left out for being in an open round of the survey already
(trial finding 2), and find an area whatever its case (trial finding 4)."""

from __future__ import annotations

from sqlmodel import Session, select

from tests.factories import add_participants, phone_number
from voice_service.models import OutboxMessage


def test_the_check_page_leaves_out_who_is_already_in_an_open_round_of_the_survey(services, admin_client):
    add_participants(services, [{"phone": phone_number(i), "age": 15, "area": "East"} for i in range(1, 4)])
    worker = admin_client("worker")
    form = {"survey": "pulse", "status": "in_care", "area": "east"}
    assert b"3 young people" in worker.post_form("/admin/rounds/new", form).data
    first = worker.post_form("/admin/rounds/launch", form | {"previewed": "3"})
    assert first.status_code == 303
    first_id = int(first.headers["Location"].rstrip("/").rsplit("/", 1)[-1])
    add_participants(services, [{"phone": phone_number(4), "age": 15, "area": "East"}])
    preview = worker.post_form("/admin/rounds/new", form | {"area": " EAST "})
    assert b"1 young person<" in preview.data
    assert f"3 already in round {first_id} of this survey, which is still open".encode() in preview.data
    launched = worker.post_form("/admin/rounds/launch", form | {"previewed": "1"})
    page = worker.get(launched.headers["Location"])
    assert f"1 invitation queued, 3 already in round {first_id} of this survey".encode() in page.data
    with Session(services.engine) as session:
        invited = session.exec(select(OutboxMessage.participant_id).where(OutboxMessage.kind == "invitation")).all()
    assert sorted(invited) == [1, 2, 3, 4]

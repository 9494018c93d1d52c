"""The inbound path's statements are compiled ahead of the first message (in the server's master)."""

from __future__ import annotations

from sqlmodel import Session

from tests.factories import add_participants, launch, phone_number
from voice_service.inbound import receive
from voice_service.inbound.situation import load_sender
from voice_service.inbound.writes import prepare
from voice_service.prepared import prepared


def test_what_most_messages_run_is_compiled_before_the_first_of_them(services):
    add_participants(services, [{"phone": phone_number(80)}, {"phone": phone_number(81)}])
    launch(services)  # 80 is invited
    with Session(services.engine) as session:
        load_sender(session, phone_hash="warm-up", lock=False)  # as the server's warm-up does
    prepare(services.engine.dialect)
    compiled = prepared.cache_info().misses
    for text, sid, index in [
        ("yes", "SMprep1", 80),  # starts the survey: the run is locked and changed
        ("4", "SMprep2", 80),  # an answer: a Response and the run
        ("more trips out pls", "SMprep3", 81),  # a text-in: a Response
        ("4", "SMprep2", 80),  # a retry: answered from the stored message
    ]:
        with Session(services.engine, expire_on_commit=False) as session:
            phone = phone_number(index)
            receive(session=session, services=services, channel="sms", text=text, provider_sid=sid, phone=phone)
            session.commit()
    assert prepared.cache_info().misses == compiled

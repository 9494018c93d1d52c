"""Migration 0023 takes the themes off answers already stored as skipped (a skip says nothing about a theme), and
leaves every other answer's themes, and a worker's correction, as they were. Down and up again, on SQLite and
PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from alembic import command
from sqlalchemy import text
from sqlmodel import Session

from voice_service.db import alembic_config, make_engine
from voice_service.models import Participant, Response

AT = datetime(2026, 6, 3, 12, 0, tzinfo=UTC)


def test_skips_stored_before_0023_lose_their_themes(database_url):
    engine = make_engine(database_url)
    common = {"participant_id": 1, "kind": "scale", "created_at": AT}
    with Session(engine) as session:
        session.add(Participant(id=1))
        session.flush()
        session.add_all(
            [
                Response(id=1, answer="SKIP", skipped=True, themes=["safety"], **common),
                Response(id=2, answer="4", value_number=4, themes=["safety"], **common),
                Response(
                    id=3,
                    answer="skip",
                    skipped=True,
                    themes=["safety"],
                    human_themes=["home"],
                    labelled_by="worker@example.org",
                    labelled_at=AT,
                    **common,
                ),
            ]
        )
        session.commit()
    config = alembic_config(database_url)
    command.downgrade(config, "0022")
    command.upgrade(config, "head")
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT id, themes, human_themes FROM response ORDER BY id")).all()
    engine.dispose()

    def plain(value):
        return json.loads(value) if isinstance(value, str) else value

    assert [(id_, plain(themes), plain(human)) for id_, themes, human in rows] == [
        (1, [], None),
        (2, ["safety"], None),
        (3, [], ["home"]),
    ]

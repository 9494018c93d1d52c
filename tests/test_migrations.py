"""The migrations are the schema: a fresh database migrated to head matches the models exactly."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlmodel import SQLModel

import voice_service.models  # noqa: F401
from voice_service.alembic_compare import compare_type, include_object
from voice_service.db import alembic_config, make_engine


def test_models_and_migrations_do_not_drift(database_url):
    """`database_url` is migrated to head by Alembic; any difference from the models is drift."""
    engine = make_engine(database_url)
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": compare_type, "include_object": include_object}
        )
        diff = compare_metadata(context, SQLModel.metadata)
    engine.dispose()
    assert diff == [], f"models and migrations differ; add a migration: {diff}"


def test_one_head():
    """Migrations form one line, so `db upgrade` is unambiguous."""
    heads = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    assert len(heads) == 1, heads

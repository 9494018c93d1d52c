"""The migrations are the schema: a fresh database migrated to head matches the models exactly."""

import pytest
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


def _predicate(sql: str) -> str:
    """An index predicate as words, without the brackets and casts each database adds when it prints one."""
    return " ".join(sql.replace("(", " ").replace(")", " ").replace("::boolean", "").lower().split())


def test_partial_indexes_are_migrated(database_url):
    """Alembic does not compare an index's WHERE clause: each partial index of the models has its predicate in
    a migrated database (the inbound path's writes skip the rows outside it, migration 0016)."""
    engine = make_engine(database_url)
    dialect = engine.dialect.name
    wanted = {
        index.name: _predicate(str(index.dialect_options[dialect]["where"]))
        for table in SQLModel.metadata.tables.values()
        for index in table.indexes
        if index.dialect_options[dialect]["where"] is not None
    }
    with engine.connect() as connection:
        if dialect == "postgresql":
            rows = connection.exec_driver_sql(
                "SELECT c.relname, pg_get_expr(i.indpred, i.indrelid) FROM pg_index i "
                "JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indpred IS NOT NULL"
            )
            found = {name: _predicate(where) for name, where in rows}
        else:
            rows = connection.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            )
            found = {name: _predicate(sql.partition(" WHERE ")[2]) for name, sql in rows if " WHERE " in sql}
    engine.dispose()
    assert {"ix_message_wants_person", "ix_response_run_id", "ix_response_round_id"} <= set(wanted)
    assert {name: found.get(name) for name in wanted} == wanted


@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_table_storage_parameters_are_migrated(database_url):
    """Alembic does not compare a table's storage parameters: each the models give (the run table's fillfactor,
    migration 0017) is set in a migrated PostgreSQL database."""
    wanted = {
        table.name: {f"{name}={value}" for name, value in table.dialect_options["postgresql"]["with"].items()}
        for table in SQLModel.metadata.tables.values()
        if table.dialect_options["postgresql"]["with"]
    }
    engine = make_engine(database_url)
    with engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT relname, reloptions FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace"
        )
        found = {name: set(options or ()) for name, options in rows}
    engine.dispose()
    assert "run" in wanted
    assert {name: found.get(name) for name in wanted} == wanted

"""Alembic environment: the service's SQLModel metadata, batch mode on SQLite."""

from alembic import context
from sqlalchemy import engine_from_config, pool
from sqlmodel import SQLModel

import voice_service.models  # noqa: F401  (registers every table)
from voice_service.alembic_compare import compare_type, include_object, render_item

config = context.config
target_metadata = SQLModel.metadata


def _configure(**kwargs):
    context.configure(
        target_metadata=target_metadata,
        compare_type=compare_type,
        render_item=render_item,
        include_object=include_object,
        render_as_batch=True,
        **kwargs,
    )


def run_migrations_offline() -> None:
    """Emit SQL without a connection."""
    _configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run against a live connection (one passed in by the caller, or a new one)."""
    connectable = config.attributes.get("connection")
    if connectable is not None:
        _configure(connection=connectable)
        with context.begin_transaction():
            context.run_migrations()
        return
    connectable = engine_from_config(
        config.get_section(config.config_ini_section, {}), prefix="sqlalchemy.", poolclass=pool.NullPool
    )
    with connectable.connect() as connection:
        _configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()

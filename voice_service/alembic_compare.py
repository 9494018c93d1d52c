"""How Alembic compares the models with a database: shared by migrations/env.py and the drift test."""

from __future__ import annotations

from .models.base import UTCDateTime

# Tables that live in the database but are not ours to migrate (APScheduler makes its own).
FOREIGN_TABLES = {"apscheduler_jobs"}


def render_item(type_, obj, autogen_context):
    """Render our UTC column type as the plain timezone-aware DateTime it stores."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        autogen_context.imports.add("import sqlalchemy as sa")
        return "sa.DateTime(timezone=True)"
    return False


def compare_type(context_, inspected_column, metadata_column, inspected_type, metadata_type):
    """Treat UTCDateTime as the DateTime it is; otherwise use Alembic's default comparison."""
    if isinstance(metadata_type, UTCDateTime):
        return not isinstance(inspected_type, type(metadata_type.impl))
    return None


def include_object(obj, name, type_, reflected, compare_to):
    """Leave other tools' tables alone."""
    return not (type_ == "table" and name in FOREIGN_TABLES)

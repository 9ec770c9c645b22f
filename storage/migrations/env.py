"""Alembic environment: runs on the engine handed over in the config's attributes."""

from alembic import context
from sqlalchemy import DateTime, String
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import AutoString, UTCDateTime

import storage.schema  # noqa: F401  (registers the tables on the metadata)
from storage.migrate import include_object


def render_item(kind, item, autogen_context):  # type: ignore[no-untyped-def]
    """Write SQLModel's column types as plain SQLAlchemy ones, so migrations outlive them."""
    if kind == "type" and isinstance(item, UTCDateTime):
        return repr(DateTime(timezone=True)).replace("DateTime", "sa.DateTime")
    if kind == "type" and isinstance(item, AutoString):
        return repr(String(length=item.impl.length)).replace("String", "sa.String")
    return False


engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        render_item=render_item,
        include_object=include_object,
    )
    context.run_migrations()

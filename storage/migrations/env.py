"""Alembic environment: runs on the engine handed over in the config's attributes."""

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import DateTime, String
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import AutoString, UTCDateTime

import storage.schema  # noqa: F401  (registers the tables on the metadata)
from storage.migrate import include_object


def render_item(kind: str, item: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """Write SQLModel's column types as plain SQLAlchemy ones, so migrations outlive them."""
    if kind == "type" and isinstance(item, UTCDateTime):
        return repr(DateTime(timezone=True)).replace("DateTime", "sa.DateTime")
    if kind == "type" and isinstance(item, AutoString) and isinstance(item.impl_instance, String):
        return repr(String(length=item.impl_instance.length)).replace("String", "sa.String")
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

"""Granting the admin role from the command line."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import select

from handlers.people import community_named, identity
from storage.db import transaction
from storage.models import Admin


def grant(engine: Engine, channel: str, user_id: str, community: str | None,
          district: bool) -> str:
    """Make ``user_id`` an admin of a community, or of the district; returns a confirmation.

    Raises:
        ValueError: Neither or both of a community and district scope, or no such community.
    """
    if district == bool(community):
        raise ValueError("give either --community NAME or --district")
    with transaction(engine) as session:
        community_id = None
        if community:
            found = community_named(session, community)
            if found is None:
                raise ValueError(f"no community named {community!r}")
            community_id = found.id
        identity(session, channel, user_id)
        exists = session.exec(select(Admin).where(
            Admin.channel == channel, Admin.user_id == user_id,
            Admin.community_id == community_id)).first()
        if exists is None:
            role = "district" if district else "community"
            session.add(Admin(channel=channel, user_id=user_id, role=role,
                              community_id=community_id))
    scope = community or "the district"
    return f"{channel}:{user_id} is an admin of {scope}"

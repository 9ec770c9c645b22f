"""Two street offices for the district tests: 东风街道 holds the demo's 幸福里社区 (group g1)
and 阳光社区 (g2), 西湖街道 holds 明月社区 (g3)."""

from __future__ import annotations

from sqlmodel import Session, select

from storage.db import transaction
from storage.models import Community, District, GroupChat, Identity
from tests.chat import Chat

GROUPS = {"幸福里社区": "g1", "阳光社区": "g2", "明月社区": "g3"}


def two_offices(chat: Chat) -> dict[str, int]:
    """Build the offices and their communities' bound groups; the ids of both, by name."""
    with transaction(chat.engine) as session:
        east, west = District(name="东风街道"), District(name="西湖街道")
        session.add_all([east, west])
        session.flush()
        happy = session.exec(select(Community)).one()
        happy.district_id = east.id
        session.add_all([Community(name="阳光社区", district_id=east.id),
                         Community(name="明月社区", district_id=west.id)])
        session.flush()
        ids = {c.name: c.id for c in session.exec(select(Community)).all()}
        for name, chat_id in GROUPS.items():
            session.add(GroupChat(channel="console", chat_id=chat_id, community_id=ids[name]))
        ids |= {"东风街道": east.id, "西湖街道": west.id}
        return {name: key for name, key in ids.items() if key is not None}


def known(session: Session, user: str) -> None:
    """An identity for ``user``, as their first message would make it."""
    session.add(Identity(channel="console", user_id=user, display_name=user))

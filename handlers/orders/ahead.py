"""What a sweep's chunks look up, read once beforehand.

A no-show sweep settles its places a chunk at a time, each chunk its own short transaction.
Each would read again the same few things of the same communities and members: the orders'
time zones, the groups and the admins told, the members' accounts. They are read once in
the sweep's plain read with the rankings of the orders never whistled (which read the same
communities: they are read once, ``communities_of``, for both), and handed to every chunk
(as stale as the rankings, by the seconds a sweep takes).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from handlers import people
from storage.models import Community, stored_id

Accounts = Mapping[int, Sequence[tuple[str, str]]]
"""(channel, user or chat id) of each member or community."""


@dataclass(frozen=True)
class Ahead:
    """Read beforehand for the chunks of a sweep.

    Attributes:
        ranked: By order never whistled, the members its first whistle reaches, best first
            (``standings.first_whistled``).
        zones: Each community's time zone.
        groups: Each community's group chats (``people.group_chats``).
        admins: Each community's admins' accounts (``people.admin_accounts``).
        accounts: Each member's accounts (``people.accounts_by_member``).
    """

    ranked: Mapping[int, Sequence[int]] = field(default_factory=dict)
    zones: Mapping[int, str] = field(default_factory=dict)
    groups: Accounts = field(default_factory=dict)
    admins: Accounts = field(default_factory=dict)
    accounts: Accounts = field(default_factory=dict)


def read_ahead(session: Session, communities: Mapping[int, Community],
               members: Collection[int], ranked: Mapping[int, Sequence[int]]) -> Ahead:
    """What chunks settling places of the ``communities`` (read already, by id:
    ``communities_of``) and ``members`` look up: three SELECTs."""
    ids = list(communities)
    return Ahead(ranked=ranked, zones={c: community.timezone
                                       for c, community in communities.items()},
                 groups=people.group_chats(session, ids),
                 admins=people.admin_accounts(session, ids),
                 accounts=people.accounts_by_member(session, members))


def communities_of(session: Session, communities: Collection[int]) -> dict[int, Community]:
    """The ``communities``, by id: one SELECT."""
    return {stored_id(c): c for c in session.exec(select(Community).where(
        col(Community.id).in_(list(communities)))).all()}


def zones_of(session: Session, communities: Collection[int], ahead: Ahead | None
             ) -> Mapping[int, str]:
    """The communities' time zones: read beforehand, or now."""
    if ahead is not None:
        return ahead.zones
    return {stored: zone for stored, zone in session.exec(
        select(Community.id, Community.timezone)
        .where(col(Community.id).in_(list(communities)))).all() if stored is not None}

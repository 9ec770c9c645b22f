"""Who is who: identities, residents and members, and the addresses messages go to.

What an identity administers is in ``handlers.roles``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from sqlalchemy import ColumnElement, CompoundSelect, Select, bindparam, exists, union
from sqlalchemy import select as wide_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from handlers import roles
from handlers.messages import Button, Outgoing
from handlers.queued import ToEach
from handlers.rules import timerules
from storage import stamps
from storage.idlists import one_of
from storage.linked_rows import insert_linked
from storage.models import Admin, Community, GroupChat, Identity, Member, Resident
from storage.rows import new_row, table_of
from storage.timers import TimeRules

NAME_CHARS = 100  # the column's width; platforms allow longer display names


def identity(session: Session, channel: str, user_id: str, name: str = "",
             private: bool = True) -> Identity:
    """The sender's identity row, created on first sight.

    Args:
        session: The open transaction.
        channel: The sender's channel.
        user_id: The sender's id on it.
        name: Their display name, kept up to date.
        private: Whether they wrote in a private chat, which shows the bot may write back
            there; writing in a group does not (on Telegram they may never have opened one).
    """
    name = name[:NAME_CHARS]
    found = session.exec(
        select(Identity).where(Identity.channel == channel, Identity.user_id == user_id)
    ).first()
    if found is None:
        found = Identity(channel=channel, user_id=user_id, display_name=name)
        session.add(found)
        session.flush()
    elif name and found.display_name != name:
        found.display_name = name
    # Whoever writes to the bot privately has unblocked it: messages reach them again.
    if found.unreachable and private:
        found.unreachable = False
    return found


def member_of(session: Session, ident: Identity) -> Member | None:
    """The member this identity belongs to, if registered."""
    return session.get(Member, ident.member_id) if ident.member_id else None


def resident_for(session: Session, ident: Identity, community_id: int | None = None,
                 phone: str | None = None, known: Resident | None = None) -> Resident:
    """The resident behind an identity, created when they first file a need.

    Args:
        session: The open transaction.
        ident: Their identity.
        community_id: The community their need is for, remembered for the next one.
        phone: A phone they just gave, kept; None keeps the one they gave before.
        known: Their resident row when the caller read it already.
    """
    resident = known or (session.get(Resident, ident.resident_id) if ident.resident_id
                         else None)
    if resident is None:
        # Created whole, so the new row is one INSERT and no UPDATE after it.
        resident = new_row(Resident, name=ident.display_name, community_id=community_id,
                           phone=phone or "")
        insert_linked(session, resident, ident, "resident_id")
        return resident
    # Set only when changed: an attribute set, even to its own value, makes the row dirty,
    # and the next statement's flush then runs the ORM's whole unit of work for nothing.
    if community_id is not None and resident.community_id != community_id:
        resident.community_id = community_id
    if phone and resident.phone != phone:
        resident.phone = phone
    return resident


def with_community_notes(query: Select, community_id: ColumnElement[Any]) -> Select:
    """``query``, which reads a community (``community_id``, a column of it), reading what
    the transaction keeps of it too: its own time rules and its learning's stamp."""
    return stamps.with_stamp(timerules.with_rules(query, community_id), community_id)


def note_community(session: Session, community: Community | None, rules: TimeRules | None,
                   row: Sequence[Any] | None) -> None:
    """Keep for this transaction what a ``with_community_notes`` statement read with
    ``community`` (``rules``, its own time rules, and the stamp, the ``row``'s last
    columns), so that neither is asked again."""
    if community is not None and row is not None:
        timerules.noted(session, community.id, rules)
        stamps.noted(session, community.id, row)


def _private(
    idents: Sequence[Identity], text: str, buttons: tuple[Button, ...] = ()
) -> list[Outgoing]:
    return [
        Outgoing(channel=i.channel, to_user=i.user_id, text=text, buttons=buttons)
        for i in idents
    ]


def to_member(
    session: Session, member_id: int, text: str, buttons: tuple[Button, ...] = ()
) -> list[Outgoing]:
    """Private messages to every reachable account of a member."""
    idents = session.exec(select(Identity).where(Identity.member_id == member_id)).all()
    return _private(idents, text, buttons)


def accounts_by_member(session: Session, members: Collection[int]
                       ) -> dict[int, list[tuple[str, str]]]:
    """Each member's accounts (channel, user id), oldest first, in one SELECT by member id
    (an index finds them whatever the statistics) with one id-list parameter."""
    accounts: dict[int, list[tuple[str, str]]] = {}
    if members:
        for member_id, channel, user_id in session.execute(
                wide_select(col(Identity.member_id), col(Identity.channel),
                            col(Identity.user_id))
                .where(one_of(col(Identity.member_id), members))
                .order_by(col(Identity.member_id), col(Identity.id))).all():
            accounts.setdefault(member_id, []).append((channel, user_id))
    return accounts


def to_each_member(session: Session, texts: Sequence[tuple[int, str]],
                   accounts: Mapping[int, Sequence[tuple[str, str]]] | None = None
                   ) -> list[Outgoing]:
    """A private message to every account of each member, in the order given (a member may
    have several): their accounts read in one SELECT, however many members (or given, as
    ``accounts_by_member`` reads them)."""
    if accounts is None:
        accounts = accounts_by_member(session, {member for member, _ in texts})
    return [Outgoing(channel=channel, to_user=user, text=text)
            for member, text in texts for channel, user in accounts.get(member, [])]


def to_resident(
    session: Session, resident_id: int | None, text: str, buttons: tuple[Button, ...] = ()
) -> list[Outgoing]:
    """Private messages to a resident's accounts; none for an order with no resident."""
    if resident_id is None:
        return []
    idents = session.exec(select(Identity).where(Identity.resident_id == resident_id)).all()
    return _private(idents, text, buttons)


def _accounts_of_admins(communities: ColumnElement[bool]) -> CompoundSelect:
    """(community id, channel, user id) of the admins of each community matching
    ``communities``, or of its street office's when it has none: the one rule ``to_admins``,
    ``admins_of`` and ``admin_accounts`` choose by, each account once. Two branches of a
    UNION, so each finds its admins by an index: one join on an OR tested every admin against
    every community, each time looking for the community's own admins again."""
    community, other = table_of(Community), aliased(Admin)
    accounts = (community.c.id, col(Admin.channel), col(Admin.user_id))
    own = (wide_select(*accounts).join(Admin, col(Admin.community_id) == community.c.id)
           .where(communities))
    none_own = ~exists().where(col(other.community_id) == community.c.id)
    office = (wide_select(*accounts).join(Admin, roles.office_covers(community.c.district_id))
              .where(communities, none_own))
    return union(own, office)


def _admins_of() -> Select:
    chosen = _accounts_of_admins(table_of(Community).c.id == bindparam("admins_of")).subquery()
    return wide_select(chosen.c.channel, chosen.c.user_id).order_by(chosen.c.channel,
                                                                    chosen.c.user_id)


ADMINS_OF = _admins_of()
"""The accounts (channel, user id) of the community ``admins_of``'s admins, or of its street
office's when it has none, each once and in order: ``to_admins`` in SQL."""


def admins_of(community_id: int, text: str) -> ToEach:
    """A private message to the community's admins, chosen as ``to_admins`` chooses them, by
    the INSERT that queues it."""
    return ToEach(ADMINS_OF, {"admins_of": community_id}, text)


def to_admins(session: Session, community_id: int, text: str) -> list[Outgoing]:
    """Private messages to the community's admins, or its street office's when it has none
    (a street office's role granted before there were offices stands for every community)."""
    return to_accounts(session.execute(ADMINS_OF, {"admins_of": community_id}).all(), text)


def to_accounts(accounts: Sequence[tuple[str, str]], text: str) -> list[Outgoing]:
    """A private message to each account (channel, user id), e.g. of ``admin_accounts``."""
    return [Outgoing(channel=channel, to_user=user, text=text) for channel, user in accounts]


def admin_accounts(session: Session,
                   community_ids: Collection[int]) -> dict[int, list[tuple[str, str]]]:
    """The accounts (channel, user id) ``to_admins`` writes to, for each community, each
    once and in order, in one SELECT."""
    found: dict[int, list[tuple[str, str]]] = {c: [] for c in community_ids}
    rows = session.execute(_ADMIN_ACCOUNTS, {"communities": list(found)}).all()
    for community_id, channel, user_id in sorted(rows):
        found[community_id].append((channel, user_id))
    return found


_ADMIN_ACCOUNTS = _accounts_of_admins(
    table_of(Community).c.id.in_(bindparam("communities", expanding=True)))


def to_groups(
    session: Session, community_id: int, text: str, buttons: tuple[Button, ...] = ()
) -> list[Outgoing]:
    """Messages to every group chat bound to the community."""
    return [Outgoing(channel, text, to_chat=chat, buttons=buttons)
            for channel, chat in group_chats(session, [community_id])[community_id]]


def group_chats(session: Session,
                community_ids: Collection[int]) -> dict[int, list[tuple[str, str]]]:
    """The group chats (channel, chat id) bound to each community, in one SELECT."""
    found: dict[int, list[tuple[str, str]]] = {c: [] for c in community_ids}
    for community_id, channel, chat_id in session.execute(
            wide_select(col(GroupChat.community_id), col(GroupChat.channel),
                        col(GroupChat.chat_id))
            .where(col(GroupChat.community_id).in_(list(found)))
            .order_by(col(GroupChat.id))).all():
        found[community_id].append((channel, chat_id))
    return found


def community_named(session: Session, name: str) -> Community | None:
    """A community by its exact name, or by a unique partial match."""
    name = name.strip()
    exact = session.exec(select(Community).where(Community.name == name)).first()
    if exact is not None or not name:
        return exact
    partial = session.exec(select(Community).where(col(Community.name).contains(name))).all()
    return partial[0] if len(partial) == 1 else None

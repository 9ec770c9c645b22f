"""People the bot cannot message privately: tell them where they are (what they missed is
sent again when they next write privately: ``presence.arrived``).

On Telegram a bot may not open a private chat: a member who only ever pressed 接单 in the
community group, or a resident who only posted there, gets nothing privately until they
start a chat with the bot. Their private messages (the resident's contact details, the
rating request) would otherwise vanish without anyone knowing.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, col, select

from handlers import people
from handlers.messages import Outgoing
from handlers.texts import t
from storage.models import (
    Community,
    GroupChat,
    Identity,
    Member,
    Order,
    Resident,
    stored_id,
)

UNREACHABLE_MARK = "unreachable: "
"""How the outbox starts ``last_error`` of a private message its recipient could not get."""
RESEND_WITHIN = timedelta(days=3)  # older news (a whistle long since full) is not worth it


def cannot_reach(session: Session, channel: str, user_ids: list[str]) -> list[Outgoing]:
    """Notes, in the groups of the people's communities, asking them to start a private chat.

    A whistle goes privately to every member on its duty, so many may fail at once: each
    group gets one note naming them all, not one note each.

    Args:
        session: The open transaction.
        channel: The channel the private messages failed on.
        user_ids: Their recipients.

    Returns:
        One note per bound group on that channel; none for people with no known group.
    """
    names: dict[str, list[str]] = {}
    for user_id in user_ids:
        ident = session.exec(select(Identity).where(Identity.channel == channel,
                                                    Identity.user_id == user_id)).first()
        if ident is None:
            continue
        for chat in _group_chats(session, ident):
            names.setdefault(chat, []).append(ident.display_name or user_id)
    return [Outgoing(channel, t("cannot_message_privately", name=" @".join(people)),
                     to_chat=chat) for chat, people in sorted(names.items())]


def _group_chats(session: Session, ident: Identity) -> list[str]:
    communities: set[int] = set()
    chats: set[str] = set()
    member = session.get(Member, ident.member_id) if ident.member_id else None
    if member is not None:
        communities.add(member.community_id)
    if ident.resident_id:
        resident = session.get(Resident, ident.resident_id)
        if resident is not None and resident.community_id:
            communities.add(resident.community_id)
        sources = session.exec(select(Order.source_chat).where(
            Order.resident_id == ident.resident_id, Order.source_channel == ident.channel,
            col(Order.source_chat).is_not(None))).all()
        chats.update(chat for chat in sources if chat is not None)
    if communities:
        chats.update(session.exec(select(GroupChat.chat_id).where(
            GroupChat.channel == ident.channel,
            col(GroupChat.community_id).in_(communities))).all())
    return sorted(chats)


def group_lost(session: Session, channel: str, chat_id: str) -> list[Outgoing]:
    """The bot can no longer post in a bound group (removed from it, or the group deleted):
    unbind it, so whistles stop going nowhere, and tell the community's admins.

    Returns:
        The admins' notices; none when the group was not bound (already told).
    """
    chat = session.exec(select(GroupChat).where(GroupChat.channel == channel,
                                                GroupChat.chat_id == chat_id)).first()
    if chat is None:
        return []
    community = session.get_one(Community, chat.community_id)
    session.delete(chat)
    return people.to_admins(session, stored_id(community),
                            t("group_lost", community=community.name))

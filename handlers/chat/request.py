"""One incoming message with what the router learned about its sender."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TypeVar

from handlers.messages import Button, Incoming, Outgoing
from storage.models import Community, Identity, Member, Order

T = TypeVar("T")


@dataclass(frozen=True)
class Granted:
    """What the registry found the sender may act on, once their role was checked.

    Attributes:
        member: The sender as a member, for member commands.
        order: The order an admin command names, in a community the sender administers.
        community: The one community an admin command acts for.
        communities: The communities an admin's listing covers.
    """

    member: Member | None = None
    order: Order | None = None
    community: Community | None = None
    communities: tuple[int, ...] | None = None


@dataclass
class Request:
    """An incoming message being handled.

    Attributes:
        incoming: The message as the channel delivered it.
        identity: The sender's identity row.
        args: The command's arguments, when it is a command.
        granted: What the registry resolved when it let the sender run the command.
        bound: The community the group is bound to, once ``lookup.group_community`` looked
            it up (several checks ask; the database is asked once).
        bound_known: Whether ``bound`` was looked up.
    """

    incoming: Incoming
    identity: Identity
    args: list[str] = field(default_factory=list)
    granted: Granted = field(default_factory=Granted)
    bound: Community | None = None
    bound_known: bool = False

    @property
    def member(self) -> Member:
        """The sender as a member (member commands only)."""
        return _resolved(self.granted.member, "member")

    @property
    def order(self) -> Order:
        """The order the command names (commands run by the order's community admins only)."""
        return _resolved(self.granted.order, "order")

    @property
    def community(self) -> Community:
        """The community an admin command acts for (community and binding admins only)."""
        return _resolved(self.granted.community, "community")

    @property
    def communities(self) -> list[int]:
        """The communities an admin's listing covers (listing and district admins only)."""
        return list(_resolved(self.granted.communities, "communities"))

    @property
    def actor(self) -> str:
        """How the sender appears in history rows: name and account."""
        name = self.identity.display_name or self.incoming.user_id
        return f"{name}({self.incoming.channel}:{self.incoming.user_id})"

    def reply(self, text: str, buttons: tuple[Button, ...] = ()) -> list[Outgoing]:
        """An answer in the chat the message came from."""
        incoming = self.incoming
        if incoming.is_group:
            return [Outgoing(incoming.channel, text, to_chat=incoming.chat_id, buttons=buttons)]
        return self.tell(text, buttons)

    def tell(self, text: str, buttons: tuple[Button, ...] = ()) -> list[Outgoing]:
        """An answer for the sender alone, even when they wrote in a group."""
        incoming = self.incoming
        return [Outgoing(incoming.channel, text, to_user=incoming.user_id, buttons=buttons)]

    def edit(self, text: str, buttons: tuple[Button, ...] = ()) -> list[Outgoing]:
        """For a button press, the pressed message rewritten to show the new state (the
        console and other channels that cannot edit show it as a new message); nothing
        when the message was not a press."""
        pressed = self.incoming.button_message_id
        if not pressed:
            return []
        return [replace(message, replaces=pressed) for message in self.reply(text, buttons)]


def _resolved(value: T | None, what: str) -> T:
    # A handler asking for what its command's role does not resolve is a declaration bug.
    if value is None:
        raise LookupError(f"the command's role does not resolve the {what}")
    return value

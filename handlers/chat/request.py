"""One incoming message with what the router learned about its sender."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from handlers.messages import Button, Incoming, Outgoing
from storage.models import Identity


@dataclass
class Request:
    """An incoming message being handled.

    Attributes:
        incoming: The message as the channel delivered it.
        identity: The sender's identity row.
        args: The command's arguments, when it is a command.
    """

    incoming: Incoming
    identity: Identity
    args: list[str] = field(default_factory=list)

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

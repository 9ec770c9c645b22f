"""What a running channel offers the runtime.

A channel translates: platform updates become ``Incoming`` values handed to the hub, and
outbox rows for the channel become platform calls. It holds no rules.
"""

from __future__ import annotations

from typing import Protocol

from starlette.routing import BaseRoute

from handlers.messages import Outgoing


class Channel(Protocol):
    """A platform adapter (Telegram, WeChat, WeCom)."""

    name: str
    """The ``Incoming.channel`` / ``OutboxMessage.channel`` value it owns."""

    def routes(self) -> list[BaseRoute]:
        """Webhook routes to serve on the shared web server (none for polling)."""
        ...

    async def start(self, receive: bool = True) -> None:
        """Connect (log in; with ``receive``, start polling or register webhooks).

        A process that only sends (``whistle run --role sender``) connects without
        receiving, so it never competes with the process that receives.
        """
        ...

    async def stop(self) -> None:
        """Disconnect cleanly."""
        ...

    async def send(self, message: Outgoing) -> None:
        """Deliver one outbox message.

        Raises:
            bot.outbox.DeliveryError: ``permanent=True`` when retrying cannot help.
        """
        ...

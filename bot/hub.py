"""What every running channel shares: the database, the rules, the clock, and a doorbell
that wakes the outbox pumps as soon as a handled message has queued replies."""

from __future__ import annotations

import asyncio

from sqlalchemy.engine import Engine

from bot.clock import Clock
from bot.settings import Settings
from handlers.chat.process import process
from handlers.messages import Incoming


class Hub:
    """The platform-neutral core as channels see it.

    Args:
        engine: The bot's database.
        settings: The settings the bot was started with.
        clock: The clock handlers and sweeps read.
    """

    def __init__(self, engine: Engine, settings: Settings, clock: Clock | None = None) -> None:
        self.engine = engine
        self.settings = settings
        self.policy = settings.policy()
        self.clock = clock or Clock()
        self._doorbells: list[asyncio.Event] = []

    async def handle(self, incoming: Incoming, *, ring: bool = True) -> bool:
        """Handle one message off the event loop; False if it was a duplicate.

        ``ring=False`` leaves the pumps asleep, for a channel that first takes some replies
        itself (a WeChat passive reply) and rings afterwards.
        """
        handled = await asyncio.to_thread(
            process, self.engine, self.policy, incoming, self.clock.now())
        if ring:
            self.ring()
        return handled

    def doorbell(self) -> asyncio.Event:
        """A new event that is set whenever something may have been queued."""
        bell = asyncio.Event()
        self._doorbells.append(bell)
        return bell

    def ring(self) -> None:
        """Wake every outbox pump."""
        for bell in self._doorbells:
            bell.set()

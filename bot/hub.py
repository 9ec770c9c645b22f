"""What every running channel shares: the database, the rules, the clock, and a doorbell
that wakes the outbox pumps as soon as a handled message has queued replies."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

from sqlalchemy.engine import Engine

from bot import journal
from bot.batcher import Batcher
from bot.clock import Clock
from bot.settings import Settings
from handlers.chat.process import Handled, process_many
from handlers.messages import Incoming

log = logging.getLogger(__name__)


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
        self._batcher: Batcher[tuple[Incoming, datetime], Handled] = Batcher(
            lambda batch: process_many(self.engine, self.policy, batch))

    async def handle(self, incoming: Incoming, *, ring: bool = True) -> bool:
        """Handle one message off the event loop; False if it was a duplicate. Messages
        that arrive while others are handled are handled together (``bot.batcher``).

        Handling that fails puts the message in the inbound journal, to be retried, and
        counts as received; only when even the journal cannot be written does this raise
        (the platform then delivers it again). ``ring=False`` leaves the pumps asleep, for a
        channel that first takes some replies itself (a WeChat passive reply).
        """
        now = self.clock.now()
        handled = await self._batcher.submit((incoming, now))
        if isinstance(handled, Exception):
            log.error("handling a %s message failed; journalled for a retry",
                      incoming.channel, exc_info=handled)
            await asyncio.to_thread(journal.record, self.engine, incoming, now, repr(handled))
            return True
        if ring:
            self.ring()
        return handled

    async def hold(self, incoming: Incoming) -> None:
        """Journal a message whose handling is still running when the platform must be
        answered: should that handling fail or the process die, the journal retries it."""
        await asyncio.to_thread(journal.record, self.engine, incoming, self.clock.now())

    async def retry_journal(self) -> int:
        """Retry what the inbound journal holds that is due; returns how many were handled."""
        handled = await asyncio.to_thread(journal.retry_due, self.engine, self.policy,
                                          self.clock.now())
        if handled:
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

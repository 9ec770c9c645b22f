"""Group commit for a process's incoming messages: those that arrive while a batch is being
handled wait together and are handled as the next batch, in one transaction
(``handlers.chat.process.process_many``). One message waiting is a batch of one, handled
at once as before; under a burst (a busy group, a whistle's buttons) the commit and the
outbox INSERT are paid once a batch, not once a message."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

Item = TypeVar("Item")
Outcome = TypeVar("Outcome")

CAP = 50
"""The most messages one batch takes: at about 1 ms each, its write transaction stays well
within the 200 ms a sweep's chunk may hold SQLite's write lock."""


class Batcher(Generic[Item, Outcome]):
    """Items handed in one at a time, handled in batches by one worker at a time.

    Args:
        run: Handles a batch in a worker thread; returns one outcome an item, in order
            (an exception as a value, so one item's failure is its own).
        cap: The most items a batch takes.
    """

    def __init__(self, run: Callable[[Sequence[Item]], list[Outcome]], cap: int = CAP) -> None:
        self._run = run
        self._cap = cap
        self._waiting: list[tuple[Item, asyncio.Future[Outcome]]] = []
        self._draining: asyncio.Task[None] | None = None

    async def submit(self, item: Item) -> Outcome:
        """Wait for ``item``'s turn and return its outcome. A caller that stops waiting
        (cancelled) leaves its item to be handled all the same."""
        future: asyncio.Future[Outcome] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, future))
        if self._draining is None or self._draining.done() \
                or self._draining.get_loop() is not future.get_loop():
            self._draining = asyncio.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        """Handle what waits, a batch at a time, until nothing does."""
        while self._waiting:
            batch, self._waiting = self._waiting[:self._cap], self._waiting[self._cap:]
            try:
                outcomes = await asyncio.to_thread(self._run, [item for item, _ in batch])
            except Exception as error:  # noqa: BLE001  (each waiting caller gets it)
                for _, future in batch:
                    if not future.done():
                        future.set_exception(error)
                continue
            for (_, future), outcome in zip(batch, outcomes, strict=True):
                if not future.done():
                    future.set_result(outcome)

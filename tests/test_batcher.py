"""The hub's batcher: what waits together is handled together, in order, a cap at a time."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import pytest

from bot.batcher import Batcher


def test_what_waits_beyond_the_cap_is_the_next_batch_in_order() -> None:
    batches: list[list[int]] = []

    def run(items: Sequence[int]) -> list[int]:
        batches.append(list(items))
        return [item * 10 for item in items]

    async def burst() -> list[int]:
        batcher: Batcher[int, int] = Batcher(run, cap=3)
        return list(await asyncio.gather(*(batcher.submit(n) for n in range(7))))

    outcomes = asyncio.run(burst())

    assert (outcomes, batches) == ([0, 10, 20, 30, 40, 50, 60],
                                   [[0, 1, 2], [3, 4, 5], [6]])


def test_a_batch_that_raises_tells_each_of_its_callers_and_the_next_batch_runs() -> None:
    def run(items: Sequence[str]) -> list[str]:
        if "bad" in items:
            raise RuntimeError("database gone")
        return [item.upper() for item in items]

    async def burst() -> list[object]:
        batcher: Batcher[str, str] = Batcher(run, cap=2)
        return list(await asyncio.gather(*(batcher.submit(item) for item in
                                           ("bad", "a", "b")), return_exceptions=True))

    outcomes = asyncio.run(burst())

    assert [repr(outcome) for outcome in outcomes] == [
        repr(RuntimeError("database gone"))] * 2 + ["'B'"]


def test_a_caller_that_stops_waiting_leaves_its_item_handled() -> None:
    handled: list[str] = []

    def run(items: Sequence[str]) -> list[str]:
        handled.extend(items)
        return list(items)

    async def impatient() -> None:
        batcher: Batcher[str, str] = Batcher(run)
        waiting = asyncio.create_task(batcher.submit("need"))
        await asyncio.sleep(0)
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
        for _ in range(500):  # the worker thread finishes on its own; wait for it, up to 5 s
            if handled:
                break
            await asyncio.sleep(0.01)

    asyncio.run(impatient())

    assert handled == ["need"]

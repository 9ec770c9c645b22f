"""Telegram tests talk to a fake Bot API server on 127.0.0.1 through python-telegram-bot."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.telegram.fake_telegram import FakeTelegram


@pytest.fixture(scope="session")
def telegram_server() -> Iterator[FakeTelegram]:
    """One fake Bot API server for the run: starting and stopping uvicorn takes a while."""
    server = FakeTelegram()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def fake(telegram_server: FakeTelegram) -> FakeTelegram:
    """The running fake Bot API server, with no calls, updates or failures yet.

    Each test drives the client in its own ``asyncio.run``, which closes the client's
    connections when the test ends, so no request of one test reaches the next.
    """
    telegram_server.reset()
    return telegram_server

"""Telegram tests talk to a fake Bot API server on 127.0.0.1 through python-telegram-bot."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.telegram.fake_telegram import FakeTelegram


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    """A running fake Bot API server that records every call."""
    server = FakeTelegram()
    server.start()
    yield server
    server.stop()

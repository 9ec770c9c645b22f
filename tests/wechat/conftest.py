"""WeChat and WeCom tests call the channels' callbacks in-process and serve the platforms'
HTTP APIs from a local fake."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.wechat.fake_wechat import FakeWeChat


@pytest.fixture
def fake() -> Iterator[FakeWeChat]:
    """A running fake WeChat/WeCom API that records every request."""
    with FakeWeChat() as server:
        yield server

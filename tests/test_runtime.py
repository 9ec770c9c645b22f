"""The runtime: the shared web server answers /healthz; pumps deliver what handlers queue."""

from __future__ import annotations

import asyncio

import httpx

from bot import runtime
from bot.hub import Hub
from bot.web import build_app
from handlers.messages import Incoming, Outgoing


def test_the_web_server_answers_health_checks() -> None:
    async def get() -> httpx.Response:
        transport = httpx.ASGITransport(app=build_app([]))
        async with httpx.AsyncClient(transport=transport, base_url="http://bot") as client:
            return await client.get("/healthz")

    response = asyncio.run(get())

    assert (response.status_code, response.text) == (200, "ok")


class RecordingChannel:
    """A channel that records what it was asked to send and stops the bot after a reply."""

    name = "console"

    def __init__(self, hub: Hub) -> None:
        self.hub = hub
        self.sent: list[Outgoing] = []
        self.started = self.stopped = False
        self.receiving: bool | None = None

    def routes(self) -> list:
        return []

    async def start(self, receive: bool = True) -> None:
        self.started, self.receiving = True, receive

    async def stop(self) -> None:
        self.stopped = True

    async def send(self, message: Outgoing) -> None:
        self.sent.append(message)


async def help_until_answered(hub: Hub, channel: RecordingChannel,
                              roles: frozenset[runtime.Role] = runtime.EVERY_ROLE) -> None:
    """Run the bot with ``channel``, ask for /help and stop once the answer was sent."""
    bot = asyncio.create_task(runtime.run(hub, [channel], roles))
    await asyncio.sleep(0.05)
    await hub.handle(Incoming("console", "u1", "u1", "/help"))
    for _ in range(100):
        if channel.sent:
            break
        await asyncio.sleep(0.02)
    bot.cancel()
    await asyncio.gather(bot, return_exceptions=True)


def test_a_handled_message_is_delivered_by_its_channels_pump(sqlite_engine, settings) -> None:
    hub = Hub(sqlite_engine, settings)
    channel = RecordingChannel(hub)

    asyncio.run(help_until_answered(hub, channel))

    assert (channel.started, channel.receiving, channel.stopped) == (True, True, True)
    assert [m.to_user for m in channel.sent] == ["u1"]


def test_a_sender_connects_without_receiving_and_delivers(sqlite_engine, settings) -> None:
    hub = Hub(sqlite_engine, settings)
    channel = RecordingChannel(hub)

    asyncio.run(help_until_answered(hub, channel, frozenset({runtime.Role.SENDER})))

    assert (channel.started, channel.receiving) == (True, False)
    assert [m.to_user for m in channel.sent] == ["u1"]


def test_a_scheduler_alone_neither_connects_nor_delivers(sqlite_engine, settings) -> None:
    hub = Hub(sqlite_engine, settings)
    channel = RecordingChannel(hub)

    asyncio.run(help_until_answered(hub, channel, frozenset({runtime.Role.SCHEDULER})))

    assert (channel.started, channel.sent) == (False, [])


class BatchingChannel(RecordingChannel):
    """A channel that sends many messages in one call, as WeCom does."""

    async def send(self, message: Outgoing) -> None:
        raise AssertionError("a batching channel is sent to in batches")

    async def send_batch(self, messages: list[Outgoing]) -> list[Exception | None]:
        self.sent.extend(messages)
        return [None] * len(messages)


def test_the_pump_hands_a_batching_channel_its_messages_at_once(sqlite_engine,
                                                                settings) -> None:
    hub = Hub(sqlite_engine, settings)
    channel = BatchingChannel(hub)

    asyncio.run(help_until_answered(hub, channel))

    assert [m.to_user for m in channel.sent] == ["u1"]


def test_receiving_messages_trains_the_duty_prior_at_start(sqlite_engine, settings,
                                                           monkeypatch) -> None:
    trained: list[bool] = []
    monkeypatch.setattr(runtime, "load_prior", lambda: trained.append(True))

    hub = Hub(sqlite_engine, settings)

    asyncio.run(help_until_answered(hub, RecordingChannel(hub)))

    assert trained == [True]

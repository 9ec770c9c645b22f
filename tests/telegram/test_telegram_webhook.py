"""Webhook mode and de-duplication: only Telegram (the secret token) is heard, and an update
delivered twice, or again after a restart, is handled once."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import select
from telegram import Update

from bot.channels import telegram as telegram_channel
from bot.channels.telegram import SECRET_HEADER, TelegramChannel
from bot.web import build_app
from storage.db import transaction
from storage.messaging import InboundSeen
from storage.models import Order
from tests.telegram.fake_telegram import FakeTelegram
from tests.telegram.telegram_harness import (
    Driver,
    message,
    seed_on_telegram,
    telegram_settings,
    until,
    user,
)

RESIDENT = user(3001, "张阿姨")
NEED = "5栋楼道里堆满了垃圾，好几天没人清理，麻烦社区来处理一下"
HOOK = "https://bot.example.org/telegram/hook"



def counts(engine: Engine) -> tuple[int, int]:
    """Orders filed and updates seen."""
    with transaction(engine) as session:
        return (session.exec(select(func.count()).select_from(Order)).one(),
                session.exec(select(func.count()).select_from(InboundSeen)).one())


async def _post(channel: TelegramChannel, body: dict | list, headers: dict) -> int:
    transport = httpx.ASGITransport(app=build_app(channel.routes()))
    async with httpx.AsyncClient(transport=transport, base_url="http://bot") as client:
        response = await client.post("/telegram/hook", content=json.dumps(body),
                                     headers={"content-type": "application/json", **headers})
    return response.status_code


def test_the_webhook_answers_only_telegram(fake: FakeTelegram, sqlite_engine: Engine,
                                           tmp_path: Path) -> None:
    seed_on_telegram(sqlite_engine)
    settings = telegram_settings(fake, tmp_path, telegram_webhook_url=HOOK,
                                 telegram_secret_token="s3cret-token")
    channel = Driver(fake, sqlite_engine, settings).channel
    update = {"update_id": 7, **message(RESIDENT, 3001, NEED)}

    async def scenario() -> list[tuple[int, tuple[int, int]]]:
        await channel.start()
        try:
            seen = []
            for headers in ({}, {SECRET_HEADER: "wrong"}, {SECRET_HEADER: "s3cret-token"},
                            {SECRET_HEADER: "s3cret-token"}):
                seen.append((await _post(channel, update, headers), counts(sqlite_engine)))
            garbage = await _post(channel, [1], {SECRET_HEADER: "s3cret-token"})
            return [*seen, (garbage, counts(sqlite_engine))]
        finally:
            await channel.stop()

    outcomes = asyncio.run(scenario())

    assert outcomes == [(403, (0, 0)), (403, (0, 0)), (200, (1, 1)), (200, (1, 1)),
                        (400, (1, 1))]
    hooks = [(c.params["url"], c.params["secret_token"]) for c in fake.made("setWebhook")]
    assert (hooks, fake.made("getUpdates")) == ([(HOOK, "s3cret-token")], [])


def test_webhook_mode_needs_a_secret_token(fake: FakeTelegram, sqlite_engine: Engine,
                                           tmp_path: Path) -> None:
    settings = telegram_settings(fake, tmp_path, telegram_webhook_url=HOOK)

    with pytest.raises(ValueError, match="SECRET_TOKEN"):
        Driver(fake, sqlite_engine, settings)


def test_a_restart_does_not_handle_old_updates_again(fake: FakeTelegram, sqlite_engine: Engine,
                                                     tmp_path: Path) -> None:
    seed_on_telegram(sqlite_engine)
    settings = telegram_settings(fake, tmp_path)

    async def run_once(update: dict | None) -> None:
        driver = Driver(fake, sqlite_engine, settings)
        await driver.channel.start()
        if update is not None:
            await driver.step(update)
        else:
            polls = len(fake.made("getUpdates"))
            await until(lambda: any(c.result is not None
                                    for c in fake.made("getUpdates")[polls:]))
        await driver.channel.stop()

    asyncio.run(run_once(message(RESIDENT, 3001, NEED)))
    confirmed = fake.made("getUpdates")[-1].params["offset"]
    polls = len(fake.made("getUpdates"))
    asyncio.run(run_once(None))
    after_restart = fake.made("getUpdates")[polls]

    assert (confirmed, after_restart.result, counts(sqlite_engine)) == (2, [], (1, 1))


def test_an_update_delivered_twice_is_handled_once(fake: FakeTelegram, engine: Engine,
                                                   tmp_path: Path) -> None:
    seed_on_telegram(engine)
    channel = Driver(fake, engine, telegram_settings(fake, tmp_path)).channel
    data = {"update_id": 42, **message(RESIDENT, 3001, NEED)}

    async def twice() -> list[bool]:
        await channel.bot.initialize()
        first = await channel.handle(Update.de_json(data, channel.bot))
        second = await channel.handle(Update.de_json(data, channel.bot))
        await channel.bot.shutdown()
        return [first, second]

    assert (asyncio.run(twice()), counts(engine)) == ([True, False], (1, 1))


def test_the_bot_starts_while_telegram_is_down_and_connects_when_it_is_back(
        fake: FakeTelegram, sqlite_engine: Engine, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(telegram_channel, "PAUSE_FIRST", 0.05)
    seed_on_telegram(sqlite_engine)
    fake.outage = 3  # getMe, then two retries, answer 502
    driver = Driver(fake, sqlite_engine, telegram_settings(fake, tmp_path))

    async def scenario() -> None:
        await driver.channel.start()
        try:
            await driver.step(message(RESIDENT, 3001, NEED))
        finally:
            await driver.channel.stop()

    asyncio.run(scenario())

    assert [c.status for c in fake.calls if c.method == "getMe"] == [502, 502, 502, 200]
    assert counts(sqlite_engine) == (1, 1)


def test_the_telegram_webhook_answers_400_to_json_nested_too_deeply(
        fake: FakeTelegram, sqlite_engine: Engine, tmp_path: Path) -> None:
    seed_on_telegram(sqlite_engine)
    settings = telegram_settings(fake, tmp_path, telegram_webhook_url=HOOK,
                                 telegram_secret_token="s3cret")
    channel = Driver(fake, sqlite_engine, settings).channel
    nested = "[" * 100_000 + "]" * 100_000  # past Python's recursion limit

    async def post() -> int:
        await channel.start()
        try:
            transport = httpx.ASGITransport(app=build_app(channel.routes()))
            async with httpx.AsyncClient(transport=transport, base_url="http://bot") as client:
                response = await client.post("/telegram/hook", content=nested, headers={
                    "content-type": "application/json", SECRET_HEADER: "s3cret"})
            return response.status_code
        finally:
            await channel.stop()

    assert asyncio.run(post()) == 400

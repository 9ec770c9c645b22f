"""A bound group that Telegram upgrades to a supergroup (it gets a new chat id) keeps
getting its community's whistles."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import select

from handlers.messages import Outgoing
from storage.db import transaction
from storage.models import GroupChat, Order
from tests.telegram.fake_telegram import FakeTelegram
from tests.telegram.telegram_harness import (
    Driver,
    button_data,
    message,
    seed_on_telegram,
    sent,
    telegram_settings,
    user,
)

OLD, NEW = -555, -1005550000
ADMIN, RESIDENT = user(1000, "王红"), user(3001, "张阿姨")



def _upgraded(sender: dict) -> dict:
    """The service message Telegram leaves in the old group."""
    return {"message": {"message_id": 7, "date": int(time.time()), "from": sender,
                        "chat": {"id": OLD, "type": "group", "title": "幸福里"},
                        "migrate_to_chat_id": NEW}}


def test_an_upgraded_group_keeps_its_binding_and_its_messages(
        fake: FakeTelegram, sqlite_engine: Engine, tmp_path: Path) -> None:
    seed_on_telegram(sqlite_engine)
    driver = Driver(fake, sqlite_engine, telegram_settings(fake, tmp_path / "media"))

    async def scenario() -> tuple[list, list]:
        await driver.channel.start()
        try:
            await driver.step(message(ADMIN, OLD, "/bind 幸福里社区"))
            await driver.step(message(RESIDENT, OLD, "5栋楼下垃圾没人清理，需要1个人帮忙"))
            fake.migrated[OLD] = NEW
            await driver.step(_upgraded(ADMIN))
            approve = await driver.step(message(ADMIN, 1000, "/approve 1"))
            return ([button_data(c) for c in sent(approve, "sendMessage", NEW)],
                    sent(approve, "sendMessage", OLD))
        finally:
            await driver.channel.stop()

    whistles, to_old = asyncio.run(scenario())
    with transaction(sqlite_engine) as session:
        bound = list(session.exec(select(GroupChat.chat_id)))
        source = session.exec(select(Order.source_chat)).one()
    assert (whistles, to_old, bound, source) == ([["accept:1"]], [], [str(NEW)], str(NEW))


def test_a_message_queued_for_the_old_group_id_reaches_the_supergroup(
        fake: FakeTelegram, sqlite_engine: Engine, tmp_path: Path) -> None:
    driver = Driver(fake, sqlite_engine, telegram_settings(fake, tmp_path / "media"))
    fake.migrated[OLD] = NEW

    async def send() -> None:
        await driver.channel.send(Outgoing("telegram", "【吹哨】工单 #1", to_chat=str(OLD)))
        await driver.channel.bot.shutdown()

    asyncio.run(send())
    assert [c.params["text"] for c in fake.made("sendMessage") if c.params["chat_id"] == NEW] \
        == ["【吹哨】工单 #1"]

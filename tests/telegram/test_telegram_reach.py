"""Group members and residents who never opened a private chat with the bot.

Telegram refuses a bot's private message to someone who has not started a chat with it
(403). Their contact details, progress and rating request must not vanish unseen: the group
is told once, and what they missed is sent when they open the chat.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import select
from telegram.ext import ExtBot

from bot.channels.telegram_send import send
from bot.outbox import DeliveryError
from handlers.chat.process import process
from handlers.messages import Incoming, Outgoing
from storage.db import transaction
from storage.models import GroupChat, Identity, Order
from storage.models import OrderStatus as S
from tests.chat import POLICY
from tests.conftest import START
from tests.telegram.fake_telegram import TOKEN, FakeTelegram
from tests.telegram.telegram_harness import (
    Driver,
    button_data,
    message,
    press,
    seed_on_telegram,
    telegram_settings,
    texts,
    user,
)

GROUP = -100555
ADMIN, M6 = user(1000, "王红"), user(1006, "赵强")
RESIDENT = user(3001, "张阿姨")
NEED = "5栋楼下垃圾堆了好几天没人清理，需要2个人来帮忙，电话13800001234"
NOTE = "我没法私信您"



def test_people_without_a_private_chat_are_told_in_the_group_and_miss_nothing(
        fake: FakeTelegram, sqlite_engine: Engine, tmp_path: Path) -> None:
    seed_on_telegram(sqlite_engine)
    driver = Driver(fake, sqlite_engine, telegram_settings(fake, tmp_path / "media"))
    asyncio.run(_scenario(driver, fake, sqlite_engine))


async def _scenario(driver: Driver, fake: FakeTelegram, engine: Engine) -> None:
    await driver.channel.start()
    try:
        fake.failures[3001] = fake.failures[1006] = (403, 0)  # never pressed 开始
        await driver.step(message(ADMIN, GROUP, "/bind 幸福里社区"))
        await driver.step(message(RESIDENT, GROUP, NEED))
        approve = await driver.step(message(ADMIN, 1000, "/approve 1"))
        await driver.deliver()  # the notes the failures caused
        whistle = next(c for c in fake.made("sendMessage")
                       if c.params["chat_id"] == GROUP and button_data(c) == ["accept:1"])
        pressed = await driver.step(press(M6, GROUP, whistle.result["message_id"], "accept:1"))
        again = await driver.step(message(M6, GROUP, "/checkin 1"))
        await driver.deliver()
        notes = [text for text in texts(fake.calls, GROUP) if NOTE in text]
        # Both failed in the approval's batch: one note names them both.
        assert [text.split(NOTE)[0] for text in notes] == ["@张阿姨 @赵强 "]
        assert (texts(approve, 1006), texts(pressed, 1006), texts(again, 1006)) == ([], [], [])

        del fake.failures[1006]  # 赵强 opens the chat
        opened = await driver.step(message(M6, 1006, "/start"))
        missed = texts(opened, 1006)
        assert (["【吹哨】" in missed[0], "13800001234" in missed[1], "欢迎" in missed[-1]],
                len(missed)) == ([True, True, True], 4)

        await driver.step(message(M6, 1006, "/done 1"))
        with transaction(engine) as session:
            assert session.exec(select(Order.status)).one() == S.AWAITING_RATING
        fake.failures.clear()
        opened = await driver.step(message(RESIDENT, 3001, "/start"))
        rating = [c for c in opened if c.params.get("chat_id") == 3001 and button_data(c)]
        assert [button_data(c) for c in rating] == [[f"rate:1:{n}" for n in range(1, 6)]]
        assert len([t for t in texts(fake.calls, GROUP) if NOTE in t]) == 1
    finally:
        await driver.channel.stop()


def _refusal(fake: FakeTelegram, status: int) -> DeliveryError:
    fake.failures = {42: (status, 0)}
    bot = ExtBot(TOKEN, base_url=fake.base_url)

    async def attempt() -> DeliveryError:
        try:
            await send(bot, Outgoing("telegram", "你好", to_user="42"))
        except DeliveryError as error:
            return error
        finally:
            await bot.shutdown()
        raise AssertionError("the send did not fail")

    return asyncio.run(attempt())


def test_only_a_refusal_about_the_recipient_makes_them_unreachable(fake: FakeTelegram) -> None:
    blocked, rejected = _refusal(fake, 403), _refusal(fake, 400)

    assert [(e.permanent, e.unreachable) for e in (blocked, rejected)] == [
        (True, True), (True, False)]


def test_writing_in_a_group_does_not_reopen_a_private_chat(engine: Engine) -> None:
    with transaction(engine) as session:
        session.add(Identity(channel="telegram", user_id="42", display_name="李明",
                             unreachable=True))

    def unreachable() -> bool:
        with transaction(engine) as session:
            return session.exec(select(Identity.unreachable)).one()

    process(engine, POLICY, Incoming("telegram", "-1", "42", "/help", is_group=True), START)
    in_group = unreachable()
    process(engine, POLICY, Incoming("telegram", "42", "42", "/help"), START)
    assert (in_group, unreachable()) == (True, False)


def test_a_group_the_bot_was_removed_from_is_unbound_and_its_admins_told(
        fake: FakeTelegram, sqlite_engine: Engine, tmp_path: Path) -> None:
    seed_on_telegram(sqlite_engine)
    driver = Driver(fake, sqlite_engine, telegram_settings(fake, tmp_path / "media"))

    async def scenario() -> None:
        await driver.channel.start()
        try:
            await driver.step(message(ADMIN, GROUP, "/bind 幸福里社区"))
            fake.failures[GROUP] = (403, 0)  # kicked out of the group
            await driver.step(message(RESIDENT, GROUP, NEED))
            await driver.deliver()
            await driver.step(message(RESIDENT, GROUP, "3栋楼道灯坏了，需要1人帮忙"))
            await driver.deliver()
        finally:
            await driver.channel.stop()

    asyncio.run(scenario())
    notes = [text for text in texts(fake.calls, 1000) if "无法在「幸福里社区」绑定的" in text]
    with transaction(sqlite_engine) as session:
        bound = list(session.exec(select(GroupChat.chat_id)))
    assert (len(notes), bound) == (1, [])

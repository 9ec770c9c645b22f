"""The Telegram channel end to end: the real python-telegram-bot client against the fake
Bot API server, from a resident's group message to a returned order."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import select

from storage.db import transaction
from storage.models import CheckIn, Order
from storage.models import OrderStatus as S
from tests.telegram.fake_telegram import FakeTelegram
from tests.telegram.telegram_harness import (
    Driver,
    button_data,
    location,
    message,
    press,
    seed_on_telegram,
    sent,
    telegram_settings,
    texts,
    user,
)

GROUP = -100123
ADMIN, M1, M4, M6 = (user(i, n) for i, n in ((1000, "王红"), (1001, "李明"), (1004, "刘洋"),
                                              (1006, "赵强")))
RESIDENT = user(3001, "张阿姨")
NEED = "5栋楼下垃圾堆了好几天没人清理，臭得不行，需要2个人来帮忙清理一下"
SITE = (31.2304, 121.4737)



def order_one(engine: Engine) -> Order:
    with transaction(engine) as session:
        order = session.get(Order, 1)
        session.expunge(order)
        return order


def test_a_group_need_goes_from_whistle_to_a_returned_order(
        fake: FakeTelegram, sqlite_engine: Engine, tmp_path: Path) -> None:
    seed_on_telegram(sqlite_engine)
    driver = Driver(fake, sqlite_engine, telegram_settings(fake, tmp_path / "media"))
    asyncio.run(_lifecycle(driver, fake, sqlite_engine, tmp_path / "media"))


async def _lifecycle(driver: Driver, fake: FakeTelegram, engine: Engine, media: Path) -> None:
    await driver.channel.start()
    try:
        await _file_and_approve(driver, fake, engine)
        whistle = await _three_press(driver, fake)
        await _check_in(driver, engine)
        rating_message = await _finish(driver, fake, engine, media)
        calls = await driver.step(press(RESIDENT, 3001, rating_message, "rate:1:2"))
        edits = sent(calls, "editMessageText", 3001)
        assert [(e.params["message_id"], "★★" in e.params["text"]) for e in edits] == [
            (rating_message, True)]
        assert [c.method for c in calls][:1] == ["answerCallbackQuery"]
        assert any("返单" in text for text in texts(calls, 1000))
        assert order_one(engine).status == S.RETURNED
        assert whistle > 0
    finally:
        await driver.channel.stop()


async def _file_and_approve(driver: Driver, fake: FakeTelegram, engine: Engine) -> None:
    scopes = [c.params["scope"]["type"] for c in fake.made("setMyCommands")]
    assert scopes == ["all_private_chats", "all_group_chats"]
    assert [c.method for c in fake.calls[:1]] == ["getMe"]
    assert len(fake.made("deleteWebhook")) == 1

    calls = await driver.step(message(ADMIN, GROUP, "/bind@WhistleBot 幸福里社区"))
    assert [("已绑定" in text) for text in texts(calls, GROUP)] == [True]

    calls = await driver.step(message(RESIDENT, GROUP, NEED))
    assert order_one(engine).status == S.SUBMITTED
    assert [text.startswith("@张阿姨") for text in texts(calls, GROUP)] == [True]
    assert any("#1" in text for text in texts(calls, 1000))  # the admin is asked to review

    calls = await driver.step(message(ADMIN, 1000, "/approve 1"))
    assert order_one(engine).status == S.OPEN
    for member in (1001, 1004, 1006):  # the duty's members, privately, with 接单
        assert [button_data(c) for c in sent(calls, "sendMessage", member)] == [["accept:1"]]


async def _three_press(driver: Driver, fake: FakeTelegram) -> int:
    """Three members press the group whistle's 接单 on a two-place order."""
    whistle = next(c for c in fake.made("sendMessage")
                   if c.params["chat_id"] == GROUP and button_data(c) == ["accept:1"])
    message_id = whistle.result["message_id"]

    first = await driver.step(press(M1, GROUP, message_id, "accept:1"))
    second = await driver.step(press(M4, GROUP, message_id, "accept:1"))
    third = await driver.step(press(M6, GROUP, message_id, "accept:1"))

    for calls in (first, second, third):
        assert [c.method for c in calls][:1] == ["answerCallbackQuery"]
    edits = [sent(calls, "editMessageText", GROUP) for calls in (first, second, third)]
    assert [[(e.params["message_id"], "已接单 1/2" in e.params["text"], button_data(e))
             for e in edits[0]],
            [(e.params["message_id"], "已接单 2/2" in e.params["text"], button_data(e))
             for e in edits[1]],
            edits[2]] == [[(message_id, True, ["accept:1"])], [(message_id, True, [])], []]
    posted = [[c.params["text"] for c in sent(calls, "sendMessage", GROUP)]
              for calls in (first, second, third)]
    told = [c.params["text"] for c in sent(third, "sendMessage", 1006)]
    assert (posted, ["名额已满" in text for text in told]) == ([[], [], []], [True])
    return message_id


async def _check_in(driver: Driver, engine: Engine) -> None:
    """Outside the radius is refused, inside accepted; a live location checks in quietly."""
    with transaction(engine) as session:
        order = session.get(Order, 1)
        order.lat, order.lon = SITE
        session.add(order)

    far = await driver.step(location(M1, SITE[0] + 0.02, SITE[1]))
    near = await driver.step(location(M1, SITE[0] + 0.0005, SITE[1]))
    live_far = await driver.step(location(M4, SITE[0] + 0.02, SITE[1], live_edit=True))
    live_near = await driver.step(location(M4, SITE[0], SITE[1] + 0.0005, live_edit=True))
    live_again = await driver.step(location(M4, SITE[0], SITE[1], live_edit=True))

    assert [("超出 500 米" in text) for text in texts(far, 1001)] == [True]
    assert [("已为工单 #1 报到" in text) for text in texts(near, 1001)] == [True]
    assert (texts(live_far, 1004), len(texts(live_near, 1004)), texts(live_again, 1004)) == (
        [], 1, [])
    assert order_one(engine).status == S.IN_PROGRESS


async def _finish(driver: Driver, fake: FakeTelegram, engine: Engine, media: Path) -> int:
    """A photo, then done with a photo, then the other member done: the rating request."""
    fake.add_file("big", b"\xff\xd8 a jpeg")
    photo = [{"file_id": "small", "file_unique_id": "ps", "width": 90, "height": 90},
             {"file_id": "big", "file_unique_id": "pb", "width": 1280, "height": 960}]
    bare = await driver.step(message(M1, 1001, photo=photo))
    done = await driver.step(message(M1, 1001, photo=photo, caption="完成"))
    last = await driver.step(message(M4, 1004, "完成"))

    assert [c.params["file_id"] for c in bare if c.method == "getFile"] == ["big"]
    assert [c.method for c in done if c.method in ("getFile", "download")] == []
    assert [("已收到照片" in text) for text in texts(bare, 1001)] == [True]
    with transaction(engine) as session:
        stored = session.exec(select(CheckIn.photo).where(CheckIn.kind == "done",
                                                          CheckIn.member_id == 1)).one()
    content = await asyncio.to_thread(Path(stored).read_bytes)
    assert (stored, content) == (str(media / "telegram" / "pb.jpg"), b"\xff\xd8 a jpeg")
    request = sent(last, "sendMessage", 3001)
    assert [button_data(c) for c in request] == [[f"rate:1:{n}" for n in range(1, 6)]]
    return request[0].result["message_id"]

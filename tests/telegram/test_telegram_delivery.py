"""Delivery to Telegram: flood limits respected, failures sorted into retry and give up,
a blocked user marked unreachable, an hour's outage survived."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select
from telegram.error import NetworkError, RetryAfter
from telegram.ext import ExtBot

from bot.channels.telegram_send import chunks, keyboard, send
from bot.outbox import DeliveryError, deliver, deliver_async
from handlers.chat.process import process
from handlers.context import Context
from handlers.messages import Button, Incoming, Outgoing
from handlers.orders.notices import accept_button, rating_buttons
from storage.db import transaction
from storage.messaging import OutboxMessage
from storage.models import Identity, Order
from tests.chat import POLICY
from tests.conftest import START
from tests.telegram.fake_telegram import TOKEN, FakeTelegram, FloodLimit
from tests.telegram.telegram_harness import Driver, telegram_settings

GROUP = -100777
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")



def queue(engine: Engine, messages: list[Outgoing]) -> None:
    with transaction(engine) as session:
        Context(session, POLICY, START).queue(messages)


def statuses(engine: Engine) -> list[str]:
    with transaction(engine) as session:
        return list(session.exec(select(OutboxMessage.status).order_by(OutboxMessage.id)))


def test_a_broadcast_of_40_to_one_group_is_paced_not_rejected(
        fake: FakeTelegram, sqlite_engine: Engine, tmp_path: Path) -> None:
    fake.flood = fake_flood = FloodLimit(rate=20, period=1.0)
    queue(sqlite_engine, [Outgoing("telegram", f"通知 {n}", to_chat=str(GROUP))
                          for n in range(40)])
    driver = Driver(fake, sqlite_engine, telegram_settings(fake, tmp_path), group_time_period=1)

    async def broadcast() -> int:
        await driver.channel.bot.initialize()
        delivered = await deliver_async(sqlite_engine, "telegram", driver.channel.send, START)
        await driver.channel.bot.shutdown()
        return len(delivered)

    assert asyncio.run(broadcast()) == 40
    assert [c.status for c in fake.calls if c.method == "sendMessage"] == [200] * 40
    assert fake_flood.levels  # the server really was counting this group


def test_sends_refused_for_flooding_wait_for_a_retry(fake: FakeTelegram,
                                                      sqlite_engine: Engine) -> None:
    # A bucket that drains over an hour: 40 unpaced sends overflow it however slowly a
    # loaded machine makes them (at 20 a second, a slow run never filled it).
    fake.flood = FloodLimit(rate=20, period=3600.0)
    queue(sqlite_engine, [Outgoing("telegram", f"通知 {n}", to_chat=str(GROUP))
                          for n in range(40)])
    bot = ExtBot(TOKEN, base_url=fake.base_url)  # no rate limiter

    async def broadcast() -> None:
        await bot.initialize()
        await deliver_async(sqlite_engine, "telegram", lambda m: send(bot, m), START)
        await bot.shutdown()

    asyncio.run(broadcast())

    assert 429 in [c.status for c in fake.calls if c.method == "sendMessage"]
    assert "pending" in statuses(sqlite_engine)  # rejected messages wait for a retry


def _send_one(fake: FakeTelegram, message: Outgoing) -> Exception | None:
    bot = ExtBot(TOKEN, base_url=fake.base_url)

    async def attempt() -> Exception | None:
        try:
            await send(bot, message)
        except Exception as error:  # noqa: BLE001  (the test sorts what was raised)
            return error
        finally:
            await bot.shutdown()
        return None

    return asyncio.run(attempt())


def test_errors_are_sorted_into_retry_and_give_up(fake: FakeTelegram) -> None:
    fake.failures = {42: (403, 0), 43: (429, 7), 44: (400, 0)}

    blocked = _send_one(fake, Outgoing("telegram", "你好", to_user="42"))
    flooded = _send_one(fake, Outgoing("telegram", "你好", to_user="43"))
    unchanged = _send_one(fake, Outgoing("telegram", "已接单 2/2", to_user="44", replaces="9"))

    assert (type(blocked), getattr(blocked, "permanent", None)) == (DeliveryError, True)
    assert (type(flooded), "7" in str(flooded)) == (RetryAfter, True)
    assert unchanged is None  # "message is not modified" is what an edit wanted anyway


def test_a_message_too_old_to_edit_is_sent_anew(fake: FakeTelegram) -> None:
    fake.uneditable = {45}

    error = _send_one(fake, Outgoing("telegram", "已接单 2/2", to_user="45", replaces="9"))

    assert (error, [c.params["text"] for c in fake.made("sendMessage")]) == (
        None, ["已接单 2/2"])


def test_telegram_down_raises_a_network_error_for_the_outbox_to_retry() -> None:
    gone = FakeTelegram()  # its own server: the shared one stays up for the other tests
    gone.start()
    gone.stop()

    error = _send_one(gone, Outgoing("telegram", "你好", to_user="42"))

    assert isinstance(error, NetworkError)


def test_a_blocked_user_is_marked_unreachable_until_they_write(engine: Engine) -> None:
    queue(engine, [Outgoing("telegram", "吹哨", to_user="42"),
                   Outgoing("telegram", "群通知", to_chat="-1")])
    with transaction(engine) as session:
        session.add(Identity(channel="telegram", user_id="42", display_name="李明"))

    def blocked(_message: Outgoing) -> None:
        raise DeliveryError("Forbidden: bot was blocked by the user", permanent=True)

    deliver(engine, "telegram", blocked, START)

    def unreachable() -> bool:
        with transaction(engine) as session:
            return session.exec(select(Identity.unreachable)).one()

    assert (statuses(engine), unreachable()) == (["undeliverable"] * 2, True)
    process(engine, POLICY, Incoming("telegram", "42", "42", "/help"), START)
    assert unreachable() is False


def test_an_hour_long_outage_loses_nothing(engine: Engine) -> None:
    queue(engine, [Outgoing("telegram", "吹哨", to_user="42")])

    def down(_message: Outgoing) -> None:
        raise NetworkError("telegram unreachable")

    now = START
    while now < START + timedelta(hours=1):
        deliver(engine, "telegram", down, now)
        with transaction(engine) as session:
            now = session.exec(select(OutboxMessage.next_attempt_at)).one()
            now = now if now.tzinfo else now.replace(tzinfo=START.tzinfo)

    assert statuses(engine) == ["pending"]
    assert [m.text for m in deliver(engine, "telegram", lambda _m: None, now)] == ["吹哨"]


def test_every_button_the_handlers_make_fits_in_callback_data() -> None:
    largest = Order(id=999_999_999, community_id=1, text="", created_at=START,
                    updated_at=START)

    markup = keyboard(accept_button(largest) + rating_buttons(largest))

    data = [b.callback_data for row in markup.inline_keyboard for b in row]
    assert (len(data), max(len(d.encode()) for d in data) <= 64) == (6, True)
    with pytest.raises(DeliveryError):
        keyboard((Button("接单", "accept:" + "9" * 60),))


def test_a_slow_group_does_not_hold_up_other_chats_and_each_chat_keeps_its_order(
        sqlite_engine: Engine) -> None:
    queue(sqlite_engine, [Outgoing("telegram", "群 1", to_chat=str(GROUP)),
                          Outgoing("telegram", "群 2", to_chat=str(GROUP)),
                          Outgoing("telegram", "私聊", to_user="42")])
    order: list[str] = []

    async def deliver_all() -> int:
        private_sent = asyncio.Event()

        async def sender(message: Outgoing) -> None:
            if message.to_chat:  # the group waits for its pacing; the private chat must not
                await asyncio.wait_for(private_sent.wait(), 5)
            order.append(message.text)
            if message.to_user:
                private_sent.set()

        return len(await deliver_async(sqlite_engine, "telegram", sender, START))

    assert (asyncio.run(deliver_all()), order) == (3, ["私聊", "群 1", "群 2"])


def test_attachments_go_as_photo_or_document_with_the_text_as_caption(
        fake: FakeTelegram, tmp_path: Path) -> None:
    chart, export = tmp_path / "board.png", tmp_path / "ledger.xlsx"
    chart.write_bytes(b"\x89PNG chart")
    export.write_bytes(b"PK export")

    errors = [_send_one(fake, Outgoing("telegram", "本周排行", to_chat="-1",
                                       attachment=str(chart))),
              _send_one(fake, Outgoing("telegram", "服务台账", to_user="42",
                                       attachment=str(export)))]

    assert errors == [None, None]
    assert [(c.params["caption"], c.params["photo"]["size"]) for c in fake.made("sendPhoto")] \
        == [("本周排行", len(b"\x89PNG chart"))]
    assert [(c.params["caption"], c.params["document"]["filename"])
            for c in fake.made("sendDocument")] == [("服务台账", "ledger.xlsx")]


def test_a_text_longer_than_telegram_allows_is_split_at_line_breaks() -> None:
    text = "\n".join(f"#{n} 工单" + "字" * 90 for n in range(100))

    parts = chunks(text)

    assert ([len(p) <= 4096 for p in parts], "\n".join(parts)) == ([True] * len(parts), text)
    assert len(parts) == 3

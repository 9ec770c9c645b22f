"""Running the Telegram channel against the fake Bot API server in a test."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.channels.telegram import TelegramChannel, make_bot, rate_limiter
from bot.clock import Clock
from bot.demo import seed
from bot.hub import Hub
from bot.outbox import deliver_async
from bot.settings import Settings
from storage.db import transaction
from storage.models import Admin, Identity
from tests.conftest import START
from tests.telegram.fake_telegram import BOT, TOKEN, Call, FakeTelegram

TELEGRAM_IDS = {"admin": 1000, "m1": 1001, "m2": 1002, "m3": 1003, "m4": 1004, "m5": 1005,
                "m6": 1006}


def telegram_settings(fake: FakeTelegram, media: Path, **extra: object) -> Settings:
    """Settings pointing the real client at the fake server."""
    return Settings(_env_file=None, database_url="sqlite://", telegram_token=TOKEN,
                    telegram_base_url=fake.base_url, telegram_base_file_url=fake.base_file_url,
                    media_dir=str(media), **extra)


def seed_on_telegram(engine: Engine) -> None:
    """The demo community, with its admin and members as Telegram users 1000-1006."""
    seed(engine, START, channel="telegram")
    with transaction(engine) as session:
        for row in [*session.exec(select(Identity)).all(), *session.exec(select(Admin)).all()]:
            row.user_id = str(TELEGRAM_IDS[row.user_id])
            session.add(row)


class Driver:
    """Pushes updates through polling and delivers what they queued, step by step."""

    def __init__(self, fake: FakeTelegram, engine: Engine, settings: Settings,
                 group_time_period: float = 60) -> None:
        self.fake = fake
        self.hub = Hub(engine, settings, Clock(START))
        bot = make_bot(settings, rate_limiter(group_time_period))
        self.channel = TelegramChannel(self.hub, bot=bot, poll_timeout=1)

    async def step(self, update: dict) -> list[Call]:
        """Let the channel poll ``update``, deliver the outbox; the calls it caused."""
        mark = self.fake.mark()
        update_id = self.fake.push(update)
        await until(lambda: (self.channel.offset or 0) > update_id)
        await self.deliver()
        return [c for c in self.fake.since(mark) if c.method != "getUpdates"]

    async def deliver(self) -> None:
        await deliver_async(self.hub.engine, "telegram", self.channel.send,
                            self.hub.clock.now())


async def until(condition: Callable[[], bool], seconds: float = 10) -> None:
    """Wait for ``condition``; a test failure if it never holds."""
    for _ in range(int(seconds / 0.01)):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the condition never held")


def sent(calls: list[Call], method: str, chat_id: int) -> list[Call]:
    """The successful calls of ``method`` to one chat."""
    return [c for c in calls if c.method == method and c.params.get("chat_id") == chat_id
            and c.status == 200]


def texts(calls: list[Call], chat_id: int) -> list[str]:
    """Texts sent or edited into one chat."""
    return [c.params["text"] for c in calls if c.params.get("chat_id") == chat_id
            and "text" in c.params and c.status == 200]


def button_data(call: Call) -> list[str]:
    """The callback data of a call's inline keyboard."""
    markup = call.params.get("reply_markup") or {"inline_keyboard": []}
    return [b["callback_data"] for row in markup["inline_keyboard"] for b in row]


def user(user_id: int, name: str) -> dict:
    """A Telegram user object."""
    return {"id": user_id, "is_bot": False, "first_name": name}


def chat(chat_id: int) -> dict:
    """A private chat (positive id) or a supergroup (negative id)."""
    return {"id": chat_id, "type": "supergroup" if chat_id < 0 else "private"}


_serial = iter(range(1, 10**9))


def message(sender: dict, chat_id: int, text: str = "", **extra: object) -> dict:
    """A ``message`` update; ``extra`` adds location, photo, caption, reply_to_message..."""
    body: dict = {"message_id": next(_serial), "date": int(time.time()), "from": sender,
                  "chat": chat(chat_id), **extra}
    if text:
        body["text"] = text
    return {"message": body}


def location(sender: dict, lat: float, lon: float, *, live_edit: bool = False) -> dict:
    """A location shared privately; ``live_edit`` makes it a live location moving."""
    body = {"message_id": next(_serial), "date": int(time.time()), "from": sender,
            "chat": chat(sender["id"]), "location": {"latitude": lat, "longitude": lon}}
    return {"edited_message": {**body, "edit_date": int(time.time())}} if live_edit \
        else {"message": body}


def press(sender: dict, chat_id: int, message_id: int, data: str) -> dict:
    """A ``callback_query`` update: ``sender`` pressed a button on a bot message."""
    return {"callback_query": {
        "id": str(next(_serial)), "from": sender, "chat_instance": "ci", "data": data,
        "message": {"message_id": message_id, "date": int(time.time()), "from": BOT,
                    "chat": chat(chat_id), "text": "…"}}}

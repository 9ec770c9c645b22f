"""Translating Telegram updates into Incoming values, the command menus, and configuration."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy.engine import Engine
from telegram import Update

from bot.channels import configured
from bot.channels.telegram import TelegramChannel
from bot.channels.telegram_updates import to_incoming
from bot.hub import Hub
from bot.settings import Settings
from handlers.chat.commands import COMMANDS
from handlers.chat.registry import Menu
from handlers.messages import Incoming, Location
from handlers.orders.place_notices import whistle_state
from storage.models import Order
from storage.models import OrderStatus as S
from tests.conftest import START
from tests.telegram.fake_telegram import BOT
from tests.telegram.telegram_harness import location, message, press, user

RESIDENT = user(3001, "张阿姨")
GROUP = -100123
ME = SimpleNamespace(username="WhistleBot", id=BOT["id"])


def translate(update: dict, update_id: int = 5) -> Incoming | None:
    parsed = Update.de_json({"update_id": update_id, **update}, None)
    return asyncio.run(to_incoming(parsed, ME, Path("unused")))  # type: ignore[arg-type]


def test_a_group_message_mentioning_the_bot_loses_the_mention() -> None:
    incoming = translate(message(RESIDENT, GROUP, "@WhistleBot 3栋楼道灯坏了"))

    assert (incoming.text, incoming.mentions_bot, incoming.is_group, incoming.chat_id,
            incoming.user_id, incoming.display_name, incoming.message_id) == (
        "3栋楼道灯坏了", True, True, str(GROUP), "3001", "张阿姨", "u5")


def test_being_added_to_a_group_greets_it() -> None:
    incoming = translate(message(RESIDENT, GROUP, new_chat_members=[BOT]))

    assert (incoming.text, incoming.is_group, incoming.mentions_bot) == ("/start", True, True)


def test_a_reply_to_the_bot_counts_as_addressed_to_it() -> None:
    reply_to = {"message_id": 1, "date": 0, "chat": {"id": GROUP, "type": "supergroup"},
                "from": BOT, "text": "【吹哨】…"}
    incoming = translate(message(RESIDENT, GROUP, "我来", reply_to_message=reply_to))

    assert (incoming.text, incoming.mentions_bot) == ("我来", True)


def test_commands_for_this_bot_keep_working_and_others_are_ignored() -> None:
    ours = translate(message(RESIDENT, GROUP, "/need@WhistleBot 5栋垃圾没人清理"))
    theirs = translate(message(RESIDENT, GROUP, "/help@OtherBot"))

    assert (ours.text, theirs) == ("/need 5栋垃圾没人清理", None)


def test_a_plain_group_message_is_not_addressed_to_the_bot() -> None:
    incoming = translate(message(RESIDENT, GROUP, "大家早上好"))

    assert (incoming.text, incoming.mentions_bot) == ("大家早上好", False)


def test_posts_on_behalf_of_a_channel_are_not_a_residents_needs() -> None:
    channel = {"id": -1009876, "type": "channel", "title": "幸福里社区公告"}
    notice = "通知：本周六社区组织清理楼道垃圾，需要10名志愿者帮忙"
    forwarded = translate(message(user(777000, "Telegram"), GROUP, notice,
                                  sender_chat=channel, is_automatic_forward=True))
    as_channel = translate(message(user(136817688, "Channel"), GROUP, notice,
                                   sender_chat=channel))
    by_a_resident = translate(message(RESIDENT, GROUP, notice))

    assert (forwarded, as_channel, by_a_resident.text) == (None, None, notice)


def test_a_bare_photo_shared_in_the_group_is_not_downloaded(tmp_path: Path) -> None:
    photo = [{"file_id": "f", "file_unique_id": "u", "width": 800, "height": 600}]
    parsed = Update.de_json({"update_id": 6, **message(RESIDENT, GROUP, photo=photo)}, None)
    # ME has no get_file: translating fails if it tries to download.
    shared = asyncio.run(to_incoming(parsed, ME, tmp_path))  # type: ignore[arg-type]

    assert (shared, list(tmp_path.iterdir())) == (None, [])


def test_locations_and_live_locations() -> None:
    shared = translate(location(RESIDENT, 31.23, 121.47))
    moving = translate(location(RESIDENT, 31.24, 121.48, live_edit=True))

    assert (shared.location, shared.live, moving.location, moving.live) == (
        Location(31.23, 121.47), False, Location(31.24, 121.48), True)


def test_an_edited_text_is_not_handled_again() -> None:
    edited = {"edited_message": message(RESIDENT, 3001, "改过的话")["message"]}

    assert translate(edited) is None


def test_a_button_press_names_the_pressed_message() -> None:
    incoming = translate(press(RESIDENT, GROUP, 321, "accept:12"))

    assert (incoming.button, incoming.button_message_id, incoming.chat_id, incoming.is_group,
            incoming.text) == ("accept:12", "321", str(GROUP), True, "")


def test_the_menus_use_router_commands_with_chinese_descriptions() -> None:
    menus = {menu: COMMANDS.menu(menu) for menu in Menu}

    names = [name for menu in menus.values() for name, _ in menu]
    assert [n for n in names if COMMANDS.parse(f"/{n}").command is None
            or not re.fullmatch(r"[a-z0-9_]{1,32}", n)] == []
    assert [d for menu in menus.values() for _, d in menu
            if not re.search(r"[\u4e00-\u9fff]", d)] == []
    assert [name for name, _ in menus[Menu.GROUP]] == ["need", "accept", "done", "bind", "help"]


def test_telegram_runs_only_when_a_token_is_set(sqlite_engine: Engine) -> None:
    without = Settings(_env_file=None, database_url="sqlite://")
    with_token = Settings(_env_file=None, database_url="sqlite://", telegram_token="1:x")

    channels = configured(Hub(sqlite_engine, with_token))
    assert (configured(Hub(sqlite_engine, without)),
            [type(c) for c in channels]) == ([], [TelegramChannel])
    assert (channels[0].routes(), channels[0].bot.base_url) == (
        [], "https://api.telegram.org/bot1:x")


@pytest.mark.parametrize(("status", "taken", "button"), [
    pytest.param(S.OPEN, 1, ["accept:7"], id="open-with-places"),
    pytest.param(S.IN_PROGRESS, 2, ["accept:7"], id="event-under-way-with-places"),
    pytest.param(S.CLAIMED, 3, [], id="full"),
])
def test_a_pressed_whistle_keeps_its_button_only_while_places_are_free(
        status: str, taken: int, button: list[str]) -> None:
    order = Order(id=7, community_id=1, text="周六大扫除", capacity=3, accepted_count=taken,
                  status=status, created_at=START, updated_at=START)

    text, buttons = whistle_state(order)

    assert (f"已接单 {taken}/3" in text, [b.data for b in buttons]) == (True, button)

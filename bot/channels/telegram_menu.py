"""The "/" command menus (setMyCommands): one for private chats, one for groups."""

from __future__ import annotations

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
)

from handlers.chat.commands import COMMANDS
from handlers.chat.registry import Menu


async def set_menus(bot: Bot) -> None:
    """Show members and admins what they can type, separately in private chats and groups."""
    for menu, telegram_scope in ((Menu.PRIVATE, BotCommandScopeAllPrivateChats()),
                                 (Menu.GROUP, BotCommandScopeAllGroupChats())):
        await bot.set_my_commands(
            [BotCommand(name, text) for name, text in COMMANDS.menu(menu)], scope=telegram_scope)

"""The "/" command menus (setMyCommands): one for private chats, one for groups."""

from __future__ import annotations

from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
)

from handlers.chat.menu import commands


async def set_menus(bot: Bot) -> None:
    """Show members and admins what they can type, separately in private chats and groups."""
    for scope, telegram_scope in (("private", BotCommandScopeAllPrivateChats()),
                                  ("group", BotCommandScopeAllGroupChats())):
        await bot.set_my_commands([BotCommand(name, text) for name, text in commands(scope)],
                                  scope=telegram_scope)

"""Telegram updates as ``Incoming`` values: text, commands, mentions, locations, photos and
button presses. Translation only; what a message means is decided in handlers/."""

from __future__ import annotations

import re
from pathlib import Path

from telegram import Bot, CallbackQuery, Message, PhotoSize, Update

from handlers.messages import Incoming, Location

CHANNEL = "telegram"
GROUP_TYPES = frozenset({"group", "supergroup"})
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9_-]")
_SPACES = re.compile(r"[ \t]{2,}")


async def to_incoming(update: Update, bot: Bot, media_dir: Path) -> Incoming | None:
    """The update as an Incoming; None for what the bot ignores (joins, stickers, edits).

    The message id is ``u<update_id>``: Telegram numbers updates once per bot, so a
    re-delivered update (a restart, a webhook retry) is recognised as seen.
    """
    if update.callback_query is not None:
        return _press(update.callback_query, update.update_id)
    message, live = update.message, False
    edited = update.edited_message
    if message is None and edited is not None and edited.location is not None:
        message, live = edited, True  # a live location moving
    if message is not None and message.migrate_to_chat_id:
        return _moved(message, update.update_id)
    if message is None or message.from_user is None or message.from_user.is_bot:
        return None
    if message.sender_chat is not None:
        # Posted as a chat, not a person: a linked channel's announcements forwarded into
        # its discussion group (from "Telegram", 777000), or someone posting as a channel.
        return None
    text, mentioned = _own_text(message.text or message.caption or "", bot.username)
    if any(member.id == bot.id for member in message.new_chat_members or ()):
        text, mentioned = "/start", True  # added to a group: greet it (and ask for /bind)
    if text is None:
        return None
    replied = message.reply_to_message
    addressed = mentioned or bool(replied and replied.from_user
                                  and replied.from_user.id == bot.id)
    in_group = message.chat.type in GROUP_TYPES
    # A bare photo in a group not addressed to the bot is residents' everyday sharing:
    # neither downloaded nor kept (it is nobody's check-in or need).
    wanted = message.photo and (text or addressed or not in_group)
    photo = await _download_photo(message.photo, bot, media_dir) if wanted else None
    location = message.location
    if not (text or photo or location):
        return None
    return Incoming(
        channel=CHANNEL, chat_id=str(message.chat.id), user_id=str(message.from_user.id),
        text=text, is_group=in_group, display_name=message.from_user.full_name,
        location=Location(location.latitude, location.longitude) if location else None,
        photo=photo, message_id=f"u{update.update_id}", live=live, mentions_bot=addressed,
    )


def _moved(message: Message, update_id: int) -> Incoming:
    """The service message Telegram leaves in a group upgraded to a supergroup."""
    sender = message.from_user
    return Incoming(channel=CHANNEL, chat_id=str(message.chat.id),
                    user_id=str(sender.id) if sender else "", is_group=True,
                    message_id=f"u{update_id}",
                    moved_to=str(message.migrate_to_chat_id))


def _press(query: CallbackQuery, update_id: int) -> Incoming | None:
    message = query.message
    if message is None or not query.data:
        return None  # a press on an inline-mode message: not one of ours
    return Incoming(
        channel=CHANNEL, chat_id=str(message.chat.id), user_id=str(query.from_user.id),
        is_group=message.chat.type in GROUP_TYPES, display_name=query.from_user.full_name,
        message_id=f"u{update_id}", button=query.data,
        button_message_id=str(message.message_id),
    )


def _own_text(text: str, username: str | None) -> tuple[str | None, bool]:
    """The text without the bot's @username, and whether it was there; None for a
    command addressed to another bot in the same group (``/help@OtherBot``)."""
    head = text.split(maxsplit=1)[0] if text.strip() else ""
    if head.startswith("/") and "@" in head:
        addressee = head.split("@", 1)[1]
        if username is None or addressee.lower() != username.lower():
            return None, False
    if not username:
        return text, False
    mention = re.compile(rf"@{re.escape(username)}\b", re.IGNORECASE)
    stripped, count = mention.subn("", text)
    return (_SPACES.sub(" ", stripped).strip() if count else text), count > 0


async def _download_photo(sizes: tuple[PhotoSize, ...], bot: Bot, media_dir: Path) -> str:
    """Download the largest size once, named by its file_unique_id; returns the path."""
    largest = max(sizes, key=lambda size: (size.width * size.height, size.file_size or 0))
    stem = _UNSAFE_NAME.sub("_", largest.file_unique_id)
    folder = media_dir / CHANNEL
    existing = sorted(folder.glob(f"{stem}.*")) if folder.is_dir() else []
    if existing:
        return str(existing[0])
    found = await bot.get_file(largest.file_id)
    suffix = Path(found.file_path or "").suffix or ".jpg"
    target = folder / f"{stem}{suffix}"
    folder.mkdir(parents=True, exist_ok=True)
    await found.download_to_drive(target)
    return str(target)


"""Outgoing values as Bot API calls: text, inline buttons, in-place edits, photos, documents.

Errors are sorted for the outbox: a blocked bot or a request Telegram rejects is permanent
(``DeliveryError(permanent=True)``); RetryAfter, timeouts and network errors propagate and the
outbox retries them with backoff.
"""

from __future__ import annotations

from pathlib import Path

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, ChatMigrated, Forbidden

from bot.outbox import DeliveryError
from handlers.messages import Button, Outgoing

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64  # bytes, Telegram's limit for callback_data
RECIPIENT_GONE = ("chat not found", "user not found", "peer_id_invalid")
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp"})


async def send(bot: Bot, message: Outgoing) -> None:
    """Deliver one outbox message.

    Raises:
        DeliveryError: permanent, when retrying cannot help (blocked, kicked, malformed).
        telegram.error.RetryAfter | telegram.error.NetworkError: try again later.
    """
    chat_id = message.to_chat or message.to_user
    if not chat_id:
        raise DeliveryError("no chat or user to send to", permanent=True, unreachable=False)
    markup = keyboard(message.buttons)
    try:
        try:
            await _deliver(bot, chat_id, message, markup)
        except ChatMigrated as moved:
            # The group became a supergroup; what was queued for it still belongs there.
            await _deliver(bot, moved.new_chat_id, message, markup)
    except (Forbidden, ChatMigrated, BadRequest) as error:
        # Only a refusal about the recipient means they cannot get private messages; a
        # rejected text (bad entities, too long) says nothing about them.
        gone = not isinstance(error, BadRequest) or any(
            words in error.message.lower() for words in RECIPIENT_GONE)
        raise DeliveryError(f"{type(error).__name__}: {error}", permanent=True,
                            unreachable=gone, chat_gone=gone and bool(message.to_chat)) from error
    except (OSError, ValueError) as error:  # a missing attachment, a bad message id
        raise DeliveryError(str(error), permanent=True) from error


async def _deliver(bot: Bot, chat_id: str | int, message: Outgoing,
                   markup: InlineKeyboardMarkup | None) -> None:
    if message.replaces:
        await _edit(bot, chat_id, int(message.replaces), message.text, markup)
    elif message.attachment:
        await _send_file(bot, chat_id, Path(message.attachment), message.text, markup)
    else:
        await _send_text(bot, chat_id, message.text, markup)


def keyboard(buttons: tuple[Button, ...]) -> InlineKeyboardMarkup | None:
    """The buttons as one row of inline buttons; None without buttons.

    Raises:
        DeliveryError: A button's data is longer than Telegram carries back.
    """
    if not buttons:
        return None
    for button in buttons:
        if len(button.data.encode()) > CALLBACK_DATA_LIMIT:
            raise DeliveryError(f"callback data over {CALLBACK_DATA_LIMIT} bytes: "
                                f"{button.data[:80]!r}", permanent=True)
    return InlineKeyboardMarkup([[InlineKeyboardButton(b.label, callback_data=b.data)
                                  for b in buttons]])


def chunks(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """The text cut into messages Telegram accepts, at line breaks where possible."""
    parts: list[str] = []
    while len(text) > limit:
        cut = text.rfind("\n", 0, limit)
        cut = cut if cut > 0 else limit
        parts.append(text[:cut])
        text = text[cut:].lstrip("\n")
    return [*parts, text] if text or not parts else parts


async def _send_text(bot: Bot, chat_id: str | int, text: str,
                     markup: InlineKeyboardMarkup | None) -> None:
    parts = chunks(text)
    for number, part in enumerate(parts, 1):
        await bot.send_message(chat_id, part,
                               reply_markup=markup if number == len(parts) else None)


async def _edit(bot: Bot, chat_id: str | int, message_id: int, text: str,
                markup: InlineKeyboardMarkup | None) -> None:
    """Edit in place; without ``markup`` the old buttons disappear."""
    try:
        await bot.edit_message_text(text[:TEXT_LIMIT], chat_id=chat_id, message_id=message_id,
                                    reply_markup=markup)
    except BadRequest as error:
        if "not modified" in error.message.lower():
            return  # a second press showing the same state: already what it should be
        # Too old or deleted to edit: the new state is still worth showing.
        await _send_text(bot, chat_id, text, markup)


async def _send_file(bot: Bot, chat_id: str | int, path: Path, text: str,
                     markup: InlineKeyboardMarkup | None) -> None:
    caption = text if len(text) <= CAPTION_LIMIT else None
    with path.open("rb") as content:
        if path.suffix.lower() in IMAGE_SUFFIXES:
            await bot.send_photo(chat_id, content, caption=caption, reply_markup=markup)
        else:
            await bot.send_document(chat_id, content, caption=caption, reply_markup=markup,
                                    filename=path.name)
    if caption is None and text:
        await _send_text(bot, chat_id, text, None)

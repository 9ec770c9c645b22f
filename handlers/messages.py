"""The platform-neutral message model: one ``Incoming`` in, ``Outgoing`` values out.

Channels translate platform updates into ``Incoming`` and deliver ``Outgoing``; everything
between is platform-neutral.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, fields

# Platform ids longer than this are not real ids; storage columns hold this many characters.
MAX_ID_CHARS = 128
_NUL = re.compile("\x00")


def clean_text(text: str) -> str:
    """``text`` as storage can hold it: NUL characters dropped (PostgreSQL refuses them) and
    lone surrogates, which no encoder accepts, replaced by U+FFFD."""
    text = _NUL.sub("", text)
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


@dataclass(frozen=True)
class Location:
    """A point a user shared, in WGS-84 degrees."""

    lat: float
    lon: float

    def __post_init__(self) -> None:
        if not (math.isfinite(self.lat) and math.isfinite(self.lon)
                and -90 <= self.lat <= 90 and -180 <= self.lon <= 180):
            raise ValueError(f"not a place on Earth: {self.lat}, {self.lon}")


@dataclass(frozen=True)
class Button:
    """An inline button: what it says and the data it sends back when pressed."""

    label: str
    data: str


@dataclass(frozen=True)
class Incoming:
    """One message, location, photo or button press from a user.

    Attributes:
        channel: Which channel it came through (``console``, ``telegram``, ``wechat``...).
        chat_id: The chat it was posted in; for a private chat, the user's own chat.
        user_id: The sender's id on that channel.
        text: What they wrote; empty for a bare location, photo or button press.
        is_group: Whether the chat is a group chat.
        display_name: The sender's name as the platform shows it.
        location: A shared location, if any.
        photo: A reference to a stored photo (path or platform file id), if any.
        message_id: The platform's message id, for de-duplicating retried deliveries.
        button: The data of a pressed button, if this is a button press.
        button_message_id: For a button press, the id of the bot's message that carried
            the button, so the reply can update that message in place.
        mentions_bot: Whether the bot was mentioned or replied to.
        live: Whether this is an update of a live location being shared, which arrives
            every few seconds and so is acted on quietly (a refusal is not repeated).
        moved_to: The group's new chat id, when the platform moved the group (Telegram
            gives a group a new id when it becomes a supergroup).
    """

    channel: str
    chat_id: str
    user_id: str
    text: str = ""
    is_group: bool = False
    display_name: str = ""
    location: Location | None = None
    photo: str | None = None
    message_id: str | None = None
    button: str | None = None
    button_message_id: str | None = None
    mentions_bot: bool = False
    live: bool = False
    moved_to: str | None = None

    def __post_init__(self) -> None:
        # Whatever a platform or a forger sends, what reaches storage must fit it.
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, str):
                value = clean_text(value)
                if item.name not in _FREE_TEXT:
                    value = value[:_CAPS.get(item.name, MAX_ID_CHARS)]
                object.__setattr__(self, item.name, value)


_FREE_TEXT = frozenset({"text", "photo"})
_CAPS = {"display_name": 100}  # as the identity and resident tables hold it


@dataclass(frozen=True)
class Outgoing:
    """A message for one chat or one user on one channel.

    Exactly one of ``to_chat`` (a group) and ``to_user`` (a private message) is set.

    Attributes:
        attachment: A file to send with the text as its caption (a chart, an export);
            images are shown as pictures, anything else as a document.
        replaces: The id of one of the bot's own messages in the same chat to edit instead
            of sending a new one (a whistle showing "已接单 2/3"); a channel that cannot
            edit sends a new message.
    """

    channel: str
    text: str
    to_chat: str | None = None
    to_user: str | None = None
    buttons: tuple[Button, ...] = field(default=())
    attachment: str | None = None
    replaces: str | None = None

    def __post_init__(self) -> None:
        if (self.to_chat is None) == (self.to_user is None):
            raise ValueError("an Outgoing goes to exactly one of to_chat and to_user")

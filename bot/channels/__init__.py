"""Platform channels; ``configured`` picks the ones the settings turn on."""

from __future__ import annotations

from bot.channels.base import Channel
from bot.hub import Hub


def configured(hub: Hub) -> list[Channel]:
    """The channels whose credentials are set, ready to start."""
    channels: list[Channel] = []
    if hub.settings.telegram_token:
        from bot.channels.telegram import TelegramChannel  # only loaded when used

        channels.append(TelegramChannel(hub))
    return channels

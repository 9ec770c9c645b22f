"""Platform channels; ``configured`` picks the ones the settings turn on."""

from __future__ import annotations

from bot.channels.base import Channel
from bot.hub import Hub


def configured(hub: Hub) -> list[Channel]:
    """The channels whose credentials are set, ready to start."""
    channels: list[Channel] = []
    return channels

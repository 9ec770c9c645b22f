"""Platform channels; ``configured`` picks the ones the settings turn on."""

from __future__ import annotations

from bot.channels.base import Channel
from bot.config import channels_on
from bot.hub import Hub


def configured(hub: Hub) -> list[Channel]:
    """The channels whose credentials are all set, ready to start.

    Which variables turn a channel on is written once, in ``bot.config.CHANNELS``; a channel
    set up only in part is refused by `whistle run` before it gets here.
    """
    channels: list[Channel] = []
    for name in channels_on(hub.settings):
        # Each platform's library is imported only when its channel is used.
        if name == "telegram":
            from bot.channels.telegram import TelegramChannel

            channels.append(TelegramChannel(hub))
        elif name == "wechat":
            from bot.channels.wechat import WeChatChannel

            channels.append(WeChatChannel(hub))
        elif name == "wecom":
            from bot.channels.wecom import WeComChannel

            channels.append(WeComChannel(hub))
    return channels

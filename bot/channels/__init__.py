"""Platform channels; ``configured`` picks the ones the settings turn on."""

from __future__ import annotations

from bot.channels.base import Channel
from bot.hub import Hub


def configured(hub: Hub) -> list[Channel]:
    """The channels whose credentials are set, ready to start."""
    channels: list[Channel] = []
    settings = hub.settings
    if settings.telegram_token:
        from bot.channels.telegram import TelegramChannel  # only loaded when used

        channels.append(TelegramChannel(hub))
    if settings.wechat_token and settings.wechat_app_id and settings.wechat_app_secret:
        from bot.channels.wechat import WeChatChannel

        channels.append(WeChatChannel(hub))
    if (settings.wecom_corp_id and settings.wecom_agent_id and settings.wecom_secret
            and settings.wecom_token and settings.wecom_aes_key):
        from bot.channels.wecom import WeComChannel

        channels.append(WeComChannel(hub))
    return channels

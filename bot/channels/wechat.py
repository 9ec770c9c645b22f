"""The WeChat Official Account channel (微信公众号): callbacks in, customer-service messages out.

An Official Account talks one-to-one. It may push customer-service messages (客服消息) only
within 48 hours of the user's last message; outside that window a configured template
message (模板消息) goes instead, or the message is parked until the user writes again.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from pathlib import Path
from typing import NoReturn

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route
from wechatpy import WeChatClient, parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidSignatureException, WeChatClientException
from wechatpy.messages import BaseMessage
from wechatpy.replies import TextReply
from wechatpy.utils import check_signature

from bot.channels.wechat_common import (
    DEADLINE,
    call,
    error_code,
    is_image,
    message_text,
    receive,
    required,
    split_text,
    spoken_commands,
)
from bot.hub import Hub
from bot.outbox import DeliveryError
from bot.web import arrived
from handlers.chat.commands import COMMANDS
from handlers.chat.presence import WINDOW_CLOSED, last_seen
from handlers.messages import Outgoing
from handlers.orders.views import file_note
from storage.db import transaction

CHANNEL = "wechat"
WINDOW = timedelta(hours=48)
OUT_OF_WINDOW = 45015
TOO_MANY_CUSTOMER_MESSAGES = 45047
GONE = frozenset({40003, 43004})  # not an openid of this account; unfollowed
TEMPLATE_FIELD_CHARS = 200


class OfficialAccountClient(WeChatClient):
    """wechatpy's client on a configurable API base, the token fetch included."""

    def __init__(self, app_id: str, secret: str, base_url: str) -> None:
        super().__init__(app_id, secret, timeout=10, auto_retry=False)
        self.API_BASE_URL = base_url

    def fetch_access_token(self) -> dict:
        """Fetch a new access token from ``{base}token``."""
        return self._fetch_access_token(
            url=f"{self.API_BASE_URL}token",
            params={"grant_type": "client_credential", "appid": self.appid,
                    "secret": self.secret})


class WeChatChannel:
    """The Official Account: ``/wechat/callback`` in, the WeChat API out.

    Args:
        hub: The running bot; its settings carry the account's credentials.
    """

    name = CHANNEL

    def __init__(self, hub: Hub) -> None:
        settings = hub.settings
        self.hub = hub
        self.token = settings.wechat_token
        self.template_id = settings.wechat_template_id
        self.passive_reply = settings.wechat_passive_reply
        self.deadline = DEADLINE
        self.crypto = (WeChatCrypto(settings.wechat_token, settings.wechat_aes_key,
                                    settings.wechat_app_id)
                       if settings.wechat_aes_key else None)
        self.client = OfficialAccountClient(settings.wechat_app_id, settings.wechat_app_secret,
                                            settings.wechat_api_base_url)

    def routes(self) -> list[BaseRoute]:
        """The callback URL to enter in the Official Account's server settings."""
        return [Route("/wechat/callback", self.verify_url, methods=["GET"]),
                Route("/wechat/callback", self.callback, methods=["POST"])]

    async def start(self, receive: bool = True) -> None:
        """Nothing to connect: WeChat calls us."""

    async def stop(self) -> None:
        """Nothing to disconnect."""

    async def verify_url(self, request: Request) -> Response:
        """The server-settings check: a valid signature gets ``echostr`` back."""
        try:
            self._check(dict(request.query_params))
        except InvalidSignatureException:
            return PlainTextResponse("forbidden", status_code=403)
        return PlainTextResponse(request.query_params.get("echostr", ""))

    async def callback(self, request: Request) -> Response:
        """One message or event from a follower."""
        params = dict(request.query_params)
        body = (await request.body()).decode("utf-8", errors="replace")

        def open_xml() -> str:
            self._check(params)
            if self.crypto is None:
                return body
            signature, timestamp, nonce = required(params, "msg_signature", "timestamp",
                                                   "nonce")
            return self.crypto.decrypt_message(body, signature, timestamp, nonce)

        def reply(message: BaseMessage, text: str) -> str:
            xml = TextReply(message=message, content=text).render()
            if self.crypto is None:
                return xml
            return self.crypto.encrypt_message(xml, params["nonce"], params["timestamp"])

        return await receive(self.hub, CHANNEL, open_xml, parse_message,
                             reply if self.passive_reply else None,
                             deadline=self.deadline, arrived=arrived(request))

    def _check(self, params: dict[str, str]) -> None:
        signature, timestamp, nonce = required(params, "signature", "timestamp", "nonce")
        check_signature(self.token, signature, timestamp, nonce)

    async def send(self, message: Outgoing) -> None:
        """A customer-service message inside the 48 h window, else a template or parked.

        Raises:
            DeliveryError: Permanent when it cannot go now; 45009 and network errors are
                raised as they are, so the outbox retries with backoff.
        """
        if message.to_user is None:
            raise DeliveryError("an Official Account has no group chats", permanent=True)
        user, text = message.to_user, message_text(message)
        if not await self._in_window(user):
            await self._outside_window(user, message)
            return
        try:
            await self._customer_service(user, text, message.attachment)
        except WeChatClientException as error:
            code = error_code(error)
            if code == OUT_OF_WINDOW:
                await self._outside_window(user, message)
            elif code == TOO_MANY_CUSTOMER_MESSAGES:
                raise DeliveryError(f"{WINDOW_CLOSED}: 45047, too many customer-service "
                                    "messages since the user last wrote",
                                    permanent=True, unreachable=False) from error
            else:
                _raise_classified(error)

    async def _in_window(self, user: str) -> bool:
        def seen() -> datetime | None:
            with transaction(self.hub.engine) as session:
                return last_seen(session, CHANNEL, user)

        at = await asyncio.to_thread(seen)
        return at is not None and self.hub.clock.now() - at < WINDOW

    async def _customer_service(self, user: str, text: str, attachment: str | None) -> None:
        api = self.client.message
        if attachment and is_image(attachment):
            media_id = await self._upload(attachment)
            await call(self.client, api.send_image, user, media_id)
        elif attachment:
            # Customer-service messages carry no files; the text says where to get it.
            text = f"{text}\n{file_note(Path(attachment).name)}"
        for piece in split_text(text):  # WeChat refuses a text over 2,048 bytes (45002)
            await call(self.client, api.send_text, user, piece)

    async def _upload(self, path: str) -> str:
        def upload() -> dict:
            with open(path, "rb") as media:
                return self.client.media.upload("image", media)

        result = await call(self.client, upload)
        return str(result["media_id"])

    async def _outside_window(self, user: str, message: Outgoing) -> None:
        if not self.template_id:
            raise DeliveryError(f"{WINDOW_CLOSED}: the user has not written within 48 h and "
                                "no template message is configured", permanent=True,
                                unreachable=False)  # parked until they write, not gone
        try:
            await call(self.client, self.client.message.send_template, user, self.template_id,
                       template_fields(message))
        except WeChatClientException as error:
            _raise_classified(error)


def template_fields(message: Outgoing) -> dict[str, dict[str, str]]:
    """A message in a notice template's usual fields: first line, the rest, what to reply."""
    first, _, rest = spoken_commands(message.text).partition("\n")
    hints = COMMANDS.hints(message.buttons, message.text)
    return {"first": {"value": first[:TEMPLATE_FIELD_CHARS]},
            "keyword1": {"value": (rest.strip() or first)[:TEMPLATE_FIELD_CHARS]},
            "remark": {"value": hints[:TEMPLATE_FIELD_CHARS]}}


def _raise_classified(error: WeChatClientException) -> NoReturn:
    """A user who is gone is permanent; 45009 and the rest are retried with backoff."""
    if error_code(error) in GONE:
        raise DeliveryError(f"the user cannot be reached: {error}", permanent=True) from error
    raise error

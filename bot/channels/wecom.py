"""The WeCom channel (企业微信自建应用): encrypted callbacks in, app messages out.

Private messages go out as app messages (应用消息), batched: one call carries up to 1,000
user ids, so a whistle to a hundred members is one call. Group broadcasts go to app group
chats (群聊会话, bound to a community like any group) or to a community's group robot
(群机器人 webhook, send-only, 20 messages a minute, 2,048 bytes a message).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route
from wechatpy.enterprise import WeChatClient, parse_message
from wechatpy.enterprise.crypto import WeChatCrypto
from wechatpy.enterprise.replies import TextReply
from wechatpy.exceptions import InvalidSignatureException, WeChatClientException
from wechatpy.messages import BaseMessage

from bot.channels.wechat_common import (
    DEADLINE,
    call,
    is_image,
    message_text,
    receive,
    required,
    split_text,
)
from bot.channels.wecom_groups import CHANNEL, ROBOT, GroupRobots, bind_robots
from bot.hub import Hub
from bot.outbox import DeliveryError
from bot.settings import Settings
from bot.web import arrived
from handlers.messages import Outgoing
from handlers.orders.views import group_note

BATCH_USERS = 1000


class WeComClient(WeChatClient):
    """wechatpy's WeCom client on a configurable API base, the token fetch included."""

    def __init__(self, corp_id: str, secret: str, base_url: str) -> None:
        super().__init__(corp_id, secret, timeout=10, auto_retry=False)
        self.API_BASE_URL = base_url

    def fetch_access_token(self) -> dict:
        """Fetch a new access token from ``{base}gettoken``."""
        return self._fetch_access_token(
            url=f"{self.API_BASE_URL}gettoken",
            params={"corpid": self.corp_id, "corpsecret": self.secret})


class WeComChannel:
    """The self-built app: ``/wecom/callback`` in, the WeCom API and group robots out.

    Args:
        hub: The running bot; its settings carry the app's credentials and robots.
        monotonic: The clock group robots are paced on.
    """

    name = CHANNEL

    def __init__(self, hub: Hub, monotonic: Callable[[], float] = time.monotonic) -> None:
        settings = hub.settings
        self.hub = hub
        self.agent_id = settings.wecom_agent_id
        self.passive_reply = settings.wecom_passive_reply
        self.deadline = DEADLINE
        self.robots = GroupRobots(settings.wecom_robots, monotonic)
        self.crypto = WeChatCrypto(settings.wecom_token, settings.wecom_aes_key,
                                   settings.wecom_corp_id)
        self.client = client_for(settings)

    def routes(self) -> list[BaseRoute]:
        """The callback URL to enter in the app's 接收消息 settings."""
        return [Route("/wecom/callback", self.verify_url, methods=["GET"]),
                Route("/wecom/callback", self.callback, methods=["POST"])]

    async def start(self, receive: bool = True) -> None:
        """Bind each configured group robot to its community, so whistles reach it."""
        bind_robots(self.hub.engine, self.robots.communities())

    async def stop(self) -> None:
        """Nothing to disconnect."""

    async def verify_url(self, request: Request) -> Response:
        """URL verification: the decrypted ``echostr`` goes back."""
        try:
            signature, timestamp, nonce, echo = required(
                dict(request.query_params), "msg_signature", "timestamp", "nonce", "echostr")
            plain = self.crypto.check_signature(signature, timestamp, nonce, echo)
        except InvalidSignatureException:
            return PlainTextResponse("forbidden", status_code=403)
        except Exception:  # noqa: BLE001  (an echostr that does not decrypt is malformed)
            return PlainTextResponse("bad request", status_code=400)
        return PlainTextResponse(plain.decode() if isinstance(plain, bytes) else plain)

    async def callback(self, request: Request) -> Response:
        """One encrypted message or event from a member of the corp."""
        params = dict(request.query_params)
        body = (await request.body()).decode("utf-8", errors="replace")

        def open_xml() -> str:
            signature, timestamp, nonce = required(params, "msg_signature", "timestamp",
                                                   "nonce")
            return self.crypto.decrypt_message(body, signature, timestamp, nonce)

        def reply(message: BaseMessage, text: str) -> str:
            xml = TextReply(message=message, content=text).render()
            return self.crypto.encrypt_message(xml, params["nonce"], params["timestamp"])

        return await receive(self.hub, CHANNEL, open_xml, parse_message,
                             reply if self.passive_reply else None,
                             deadline=self.deadline, arrived=arrived(request))

    async def send(self, message: Outgoing) -> None:
        """One message: to a user, an app group chat or a group robot."""
        (outcome,) = await self.send_batch([message])
        if outcome is not None:
            raise outcome

    async def send_batch(self, messages: Sequence[Outgoing]) -> list[Exception | None]:
        """Send many; private texts alike go in one call per 1,000 users.

        Returns:
            Per message, None when sent or the error it failed with; a user the API names
            in ``invaliduser`` fails permanently.
        """
        outcomes: list[Exception | None] = [None] * len(messages)
        alike: dict[tuple, list[int]] = defaultdict(list)
        for index, message in enumerate(messages):
            if message.to_user is not None and message.attachment is None:
                alike[(message.text, message.buttons)].append(index)
            else:
                outcomes[index] = await _outcome(self._send_one(message))
        for indexes in alike.values():
            for start in range(0, len(indexes), BATCH_USERS):
                chunk = indexes[start:start + BATCH_USERS]
                results = await self._send_alike([messages[i] for i in chunk])
                for index, result in zip(chunk, results, strict=True):
                    outcomes[index] = result
        return outcomes

    async def _send_alike(self, messages: list[Outgoing]) -> list[Exception | None]:
        users = [str(m.to_user) for m in messages]
        try:
            answer = await self._app_text(users, message_text(messages[0]))
        except Exception as error:  # noqa: BLE001  (the outbox retries or parks each row)
            return [_delivery_error(error)] * len(messages)
        invalid = set(str(answer.get("invaliduser") or "").split("|")) - {""}
        return [DeliveryError(f"not a user of the app: {user}", permanent=True)
                if user in invalid else None for user in users]

    async def _app_text(self, users: list[str], text: str) -> dict:
        answer: dict = {}
        for piece in split_text(text):
            answer = await call(self.client, self.client.message.send_text, self.agent_id,
                                users, piece)
        return answer

    async def _send_one(self, message: Outgoing) -> None:
        text = message_text(message)
        if message.to_chat is not None and message.buttons:
            # Robots and app group chats are send-only: answers in the group reach no one.
            text = f"{text}\n{group_note()}"
        if message.to_chat is not None and message.to_chat.startswith(ROBOT):
            await self.robots.send(message.to_chat.removeprefix(ROBOT), text)
            return
        media = await self._upload(message.attachment) if message.attachment else None
        kind = "image" if media and is_image(str(message.attachment)) else "file"
        if message.to_user is not None:
            if media:
                await call(self.client, self.client.message.send, self.agent_id,
                           [message.to_user], msg={"msgtype": kind, kind: {"media_id": media}})
            await self._app_text([message.to_user], text)
            return
        chat, appchat = str(message.to_chat), self.client.appchat
        if media:
            await call(self.client, appchat.send, chat, kind, media_id=media)
        for piece in split_text(text):
            await call(self.client, appchat.send_text, chat, piece)

    async def _upload(self, path: str) -> str:
        def upload() -> dict:
            with open(path, "rb") as media:
                return self.client.media.upload("image" if is_image(path) else "file", media)

        return str((await call(self.client, upload))["media_id"])


async def _outcome(sending: Awaitable[None]) -> Exception | None:
    try:
        await sending
    except Exception as error:  # noqa: BLE001  (the outbox retries or parks each row)
        return _delivery_error(error)
    return None


def _delivery_error(error: Exception) -> Exception:
    """Errors the API gives for a message that can never go (81013: no such user) are final."""
    if isinstance(error, WeChatClientException) and getattr(error, "errcode", None) == 81013:
        return DeliveryError(f"no such user: {error}", permanent=True)
    return error


def client_for(settings: Settings) -> WeComClient:
    """The WeCom client the settings describe."""
    return WeComClient(settings.wecom_corp_id, settings.wecom_secret,
                       settings.wecom_api_base_url)

"""Talking to the WeChat and WeCom channels the way WeChat's servers do.

Callbacks are real message XML, signed and (in safe mode) encrypted with wechatpy's own
WeChatCrypto, POSTed in-process to the ASGI app; the outbox is then delivered through the
channel to the fake API (tests/wechat/fake_wechat.py).
"""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field

import httpx
import xmltodict
from wechatpy.crypto import WeChatCrypto
from wechatpy.enterprise.crypto import WeChatCrypto as WeComCrypto
from wechatpy.utils import WeChatSigner

from bot.hub import Hub
from bot.outbox import deliver_async
from bot.web import build_app

TOKEN = "whistletoken"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
APP_ID = "wx0123456789abcdef"
CORP_ID = "ww0123456789abcdef"
START_TIME = 1795222800  # CreateTime of the first message


def message_xml(user: str, create_time: int, msg_id: int | None, kind: str = "text",
                **fields: str) -> str:
    """A callback's message XML as WeChat writes it."""
    parts = ["<ToUserName><![CDATA[gh_whistle]]></ToUserName>",
             f"<FromUserName><![CDATA[{user}]]></FromUserName>",
             f"<CreateTime>{create_time}</CreateTime>",
             f"<MsgType><![CDATA[{kind}]]></MsgType>",
             *(f"<{name}><![CDATA[{value}]]></{name}>" for name, value in fields.items())]
    if msg_id is not None:
        parts.append(f"<MsgId>{msg_id}</MsgId>")
    return "<xml>" + "".join(parts) + "</xml>"


def sign(*values: str) -> str:
    """WeChat's signature: SHA-1 of the sorted values."""
    signer = WeChatSigner()
    signer.add_data(*values)
    return signer.signature


@dataclass
class WeChatChat:
    """A conversation with one channel (``wechat`` or ``wecom``) through its callback URL."""

    hub: Hub
    channel: object
    path: str
    safe: bool = True
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1001))

    def post(self, xml: str, *, forge: bool = False, encrypted: str | None = None,
             body: str | None = None) -> httpx.Response:
        """POST one callback carrying ``xml``, signed and encrypted as WeChat does.

        ``forge`` signs with the wrong token; ``encrypted`` is sent (correctly signed) in
        place of the real ciphertext; ``body`` is sent as it is.
        """
        timestamp, nonce = str(START_TIME), "nonce42"
        params: dict[str, str] = {"timestamp": timestamp, "nonce": nonce}
        token = "forged" if forge else TOKEN
        if self.path == "/wechat/callback":
            params["signature"] = sign(token, timestamp, nonce)
            crypto = WeChatCrypto(token, AES_KEY, APP_ID) if self.safe else None
        else:
            crypto = WeComCrypto(token, AES_KEY, CORP_ID)
        if crypto is not None:
            envelope = xmltodict.parse(crypto.encrypt_message(xml, nonce, timestamp))["xml"]
            ciphertext = encrypted or envelope["Encrypt"]
            params.update(encrypt_type="aes",
                          msg_signature=sign(token, timestamp, nonce, ciphertext))
            xml = ("<xml><ToUserName><![CDATA[gh_whistle]]></ToUserName>"
                   f"<Encrypt><![CDATA[{ciphertext}]]></Encrypt></xml>")
        return self.request("POST", params, xml if body is None else body)

    def get(self, params: dict[str, str]) -> httpx.Response:
        """GET the callback URL (URL verification)."""
        return self.request("GET", params, "")

    def request(self, method: str, params: dict[str, str], body: str) -> httpx.Response:
        """One HTTP request to the app in-process."""
        async def send() -> httpx.Response:
            transport = httpx.ASGITransport(app=build_app(self.channel.routes()))
            async with httpx.AsyncClient(transport=transport, base_url="http://bot") as client:
                return await client.request(method, self.path, params=params,
                                            content=body.encode())

        return asyncio.run(send())

    def say(self, user: str, text: str = "", *, msg_id: int | None = None,
            location: tuple[float, float] | None = None, image: str | None = None,
            subscribe: bool = False) -> httpx.Response:
        """``user`` writes, shares a place, sends a picture or follows; then delivery runs."""
        serial = next(self._ids)
        create_time = START_TIME + serial
        if subscribe:
            xml = message_xml(user, create_time, None, "event", Event="subscribe")
        elif location:
            xml = message_xml(user, create_time, msg_id or serial, "location",
                              Location_X=str(location[0]), Location_Y=str(location[1]),
                              Scale="15", Label="幸福里")
        elif image:
            xml = message_xml(user, create_time, msg_id or serial, "image", PicUrl=image,
                              MediaId="m" + str(serial))
        else:
            xml = message_xml(user, create_time, msg_id or serial, Content=text)
        response = self.post(xml)
        self.deliver()
        return response

    def deliver(self) -> None:
        """Deliver the channel's outbox once."""
        channel = self.channel
        asyncio.run(deliver_async(self.hub.engine, channel.name, channel.send,
                                  self.hub.clock.now(), self.hub.settings.outbox_max_attempts,
                                  getattr(channel, "send_batch", None)))

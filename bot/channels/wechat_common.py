"""What the WeChat Official Account (公众号) and WeCom (企业微信) channels share.

Both receive XML callbacks (encrypted the same way), both have synchronous wechatpy
clients whose access token expires, and neither has inline buttons. The channel modules
hold only what differs: how a callback is verified and how a message goes out.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from starlette.responses import PlainTextResponse, Response
from wechatpy.client.base import BaseWeChatClient
from wechatpy.exceptions import InvalidSignatureException, WeChatClientException
from wechatpy.messages import BaseMessage

from bot.hub import Hub
from bot.passive_replies import give_back, take_replies
from handlers.chat.commands import COMMANDS
from handlers.messages import Incoming, Location, Outgoing
from handlers.orders.geo import gcj02_to_wgs84

log = logging.getLogger(__name__)
T = TypeVar("T")
SUCCESS = "success"
"""The body WeChat takes as "received, nothing to say" (replies follow from the outbox)."""
TOKEN_EXPIRED = frozenset({40001, 40014, 42001})
RATE_LIMITED = 45009
TEXT_BYTES = 2048
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".bmp"})
SUBSCRIBE_EVENTS = frozenset({"subscribe", "subscribe_scan"})
UNREADABLE = frozenset({"video", "shortvideo", "link", "file"})
"""Messages the bot cannot read; the sender is still answered, never met with silence."""
DEADLINE = 4.0
"""Seconds from a callback's arrival that it waits for its handling: WeChat gives up on an
answer after 5 s, retries twice and then tells the user the account cannot serve them."""
PASSIVE_MARGIN = 0.5
"""Replies go back in the response only while this much of WeChat's 5 s is left after the
handling's share; a response later than that would be discarded, its replies with it."""
_SLASH_COMMAND = re.compile(r"(?<![A-Za-z0-9_/:.])/([a-z]+)(?![A-Za-z0-9_])( [\u4e00-\u9fff]+)?")
_REFRESHING = threading.Lock()  # one token fetch at a time, for both clients
_late: set[asyncio.Future[Any]] = set()  # handling that outlived the deadline, kept from the GC


def error_code(error: Exception) -> int | None:
    """The errcode of a wechatpy client error, None for anything else."""
    code = getattr(error, "errcode", None) if isinstance(error, WeChatClientException) else None
    return int(code) if code is not None else None


async def call(client: BaseWeChatClient, method: Callable[..., T], *args: Any,
               **kwargs: Any) -> T:
    """Run a synchronous wechatpy call in a worker thread.

    An expired or invalid access token (40001, 40014, 42001) is fetched again once and the
    call retried once; wechatpy's own retry is off because it retries without end. Calls
    rejected together fetch one token between them: each fetch counts against the
    account's daily quota, and a whistle to many members is many calls at once.
    """
    def attempt() -> T:
        with _REFRESHING:  # a token missing or about to expire is fetched once
            rejected = client.access_token
        try:
            return method(*args, **kwargs)
        except WeChatClientException as error:
            if error_code(error) not in TOKEN_EXPIRED:
                raise
            with _REFRESHING:
                if client.session.get(client.access_token_key) == rejected:
                    log.info("access token rejected (%s); fetching a new one",
                             error_code(error))
                    client.fetch_access_token()
            return method(*args, **kwargs)

    return await asyncio.to_thread(attempt)


def message_text(message: Outgoing) -> str:
    """The text as sent where there are no buttons: the buttons become reply hints."""
    hints = COMMANDS.hints(message.buttons, message.text)
    return spoken_commands(f"{message.text}\n\n{hints}" if hints else message.text)


def spoken_commands(text: str) -> str:
    """``/checkin 4`` in a text as ``报到 4``: WeChat users type commands in Chinese (a slash
    is awkward on a phone's Chinese keyboard); the bot understands both. Help that
    explains a command by its Chinese name (``/register 注册``) says the word once."""
    def spoken(found: re.Match[str]) -> str:
        word, after = COMMANDS.spoken(found[1]), found[2] or ""
        if word is None:
            return found[0]
        return word + after.removeprefix(f" {word}")

    return _SLASH_COMMAND.sub(spoken, text)


def is_image(path: str) -> bool:
    """Whether an attachment is shown as a picture rather than sent as a file."""
    return Path(path).suffix.lower() in IMAGE_SUFFIXES


def split_text(text: str, limit: int = TEXT_BYTES) -> list[str]:
    """Pieces of at most ``limit`` UTF-8 bytes, cut at line ends where a line fits."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        candidate = f"{current}\n{line}" if current else line
        if len(candidate.encode()) <= limit:
            current = candidate
            continue
        if current:
            pieces.append(current)
        current = ""
        for char in line:  # a single line too long for one message is cut by bytes
            if len((current + char).encode()) > limit:
                pieces.append(current)
                current = ""
            current += char
    if current or not pieces:
        pieces.append(current)
    return pieces


def to_incoming(channel: str, message: BaseMessage) -> Incoming | None:
    """A parsed callback as an Incoming; None for what the bot does not answer.

    Accounts talk to the bot one-to-one, so the chat is the sender. Messages are
    de-duplicated by MsgId, events (which have none) by sender and CreateTime.
    """
    sender = str(message.source)
    base = Incoming(channel=channel, chat_id=sender, user_id=sender, is_group=False,
                    message_id=str(message.id))
    kind = message.type
    if kind == "text":
        return replace(base, text=str(message.content or ""))
    if kind == "location":
        # WeChat and WeCom share GCJ-02 points (as Chinese maps show them); the bot measures
        # in WGS-84, so a check-in is not 300-600 m off before it starts.
        return replace(base, location=Location(*gcj02_to_wgs84(float(message.location_x),
                                                                float(message.location_y))))
    if kind == "image":
        return replace(base, photo=str(message.image or message.media_id))
    if kind == "voice":
        # Elderly residents talk rather than type: WeChat's speech recognition, when the
        # account has it on, is the text; without it they are asked (as for any other
        # message the bot cannot read) to describe the problem in words.
        return replace(base, text=str(getattr(message, "recognition", None) or ""))
    if kind == "event" and getattr(message, "event", "") in SUBSCRIBE_EVENTS:
        return replace(base, text="/start", message_id=f"{sender}:{message.time}")
    if kind in UNREADABLE:
        return base
    return None


async def receive(hub: Hub, channel: str, open_xml: Callable[[], str],
                  parse: Callable[[str], BaseMessage],
                  passive: Callable[[BaseMessage, str], str] | None = None,
                  deadline: float = DEADLINE, arrived: float | None = None) -> Response:
    """Verify, decrypt and parse one callback, hand it to the hub and answer.

    With ``passive`` (which renders a reply XML, encrypted where the account is), the
    sender's first replies go back in the response itself (被动回复: no API call, no
    48-hour window, no quota); the rest, and every reply without it, leave through the
    outbox. Otherwise the answer is ``success``. Handling still running ``deadline``
    seconds after the request ``arrived`` (a locked database, a burst) goes on in the
    background and WeChat gets its ``success`` in time; its retries are de-duplicated.
    Replies taken for a response that then runs late are given back to the outbox. A
    forged signature is refused with 403, a body that does not decrypt or parse with 400,
    and in both cases nothing is stored.
    """
    try:
        message = parse(open_xml())
        incoming = to_incoming(channel, message)
    except InvalidSignatureException:
        return PlainTextResponse("forbidden", status_code=403)
    except Exception as error:  # noqa: BLE001  (any malformed body is the sender's error)
        log.warning("%s callback refused: %r", channel, error)
        return PlainTextResponse("bad request", status_code=400)
    if incoming is None:
        return PlainTextResponse(SUCCESS)
    start = time.monotonic() if arrived is None else arrived
    handling = asyncio.ensure_future(hub.handle(incoming, ring=False))
    handled = await _within(handling, max(0.0, start + deadline - time.monotonic()), channel)
    if handled is None:  # still running: its replies leave by the outbox when it ends
        handling.add_done_callback(lambda _task: hub.ring())
        await _hold(hub, incoming, start + deadline + PASSIVE_MARGIN - time.monotonic())
        return PlainTextResponse(SUCCESS)
    text = ""
    if handled and passive is not None and time.monotonic() < start + deadline:
        text, taken = await asyncio.to_thread(take_replies, hub.engine, channel,
                                              incoming.user_id, hub.clock.now(), message_text,
                                              TEXT_BYTES)
        if time.monotonic() > start + deadline + PASSIVE_MARGIN:
            await asyncio.to_thread(give_back, hub.engine, taken)
            text = ""
    hub.ring()
    if not text or passive is None:
        return PlainTextResponse(SUCCESS)
    return Response(passive(message, text), media_type="application/xml")


async def _hold(hub: Hub, incoming: Incoming, budget: float) -> None:
    """Journal a message still being handled, waiting at most ``budget`` seconds: WeChat
    must have its answer, and the journal row is written all the same when the database
    lets it."""
    holding = asyncio.ensure_future(hub.hold(incoming))
    _late.add(holding)
    holding.add_done_callback(_finished_late)
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(asyncio.shield(holding), max(0.0, budget))


async def _within(task: asyncio.Task[bool], deadline: float, channel: str) -> bool | None:
    """Wait for ``task`` at most ``deadline`` seconds and return its result; past that it
    finishes on its own and None is returned."""
    try:
        return await asyncio.wait_for(asyncio.shield(task), deadline)
    except TimeoutError:
        log.warning("%s callback still being handled after %.0f s; answered WeChat already",
                    channel, deadline)
        _late.add(task)
        task.add_done_callback(_finished_late)
        return None


def _finished_late(task: asyncio.Future[Any]) -> None:
    _late.discard(task)
    if not task.cancelled() and task.exception() is not None:
        log.error("late callback handling failed", exc_info=task.exception())


def required(params: dict[str, str], *names: str) -> list[str]:
    """The named query parameters; a missing one is treated as a forged signature.

    Raises:
        InvalidSignatureException: A parameter is missing.
    """
    values = [params.get(name) for name in names]
    if any(not value for value in values):
        raise InvalidSignatureException()
    return [str(value) for value in values]


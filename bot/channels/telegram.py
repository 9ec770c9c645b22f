"""The Telegram channel: updates in by long polling or webhook, outbox messages out.

It only translates (``telegram_updates``, ``telegram_send``); every rule is in handlers/.
Updates are handled in order; the polling offset moves past an update only once it is
handled, and each update's id is its ``Incoming.message_id``, so a re-delivered update
(after a crash, or a webhook retry) is a no-op.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import logging
from pathlib import Path
from urllib.parse import urlparse

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route
from telegram import Update
from telegram.error import NetworkError, TelegramError
from telegram.ext import AIORateLimiter, ExtBot
from telegram.request import HTTPXRequest

from bot.channels.telegram_menu import set_menus
from bot.channels.telegram_send import send
from bot.channels.telegram_updates import CHANNEL, to_incoming
from bot.hub import Hub
from bot.settings import Settings
from handlers.messages import Outgoing

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
POLL_TIMEOUT = 30  # seconds Telegram holds a long poll open
PAUSE_FIRST = 1.0  # seconds before trying Telegram again; doubles while it stays down
PAUSE_MAX = 30.0  # longest wait between polls while Telegram is unreachable
ATTEMPTS_PER_UPDATE = 5  # then an update that keeps failing is skipped, not retried forever


def rate_limiter(group_time_period: float = 60) -> AIORateLimiter:
    """Telegram's flood limits: 30 messages a second overall, 20 a minute per group."""
    return AIORateLimiter(overall_max_rate=30, overall_time_period=1, group_max_rate=20,
                          group_time_period=group_time_period, max_retries=3)


def make_bot(settings: Settings, limiter: AIORateLimiter | None = None) -> ExtBot:
    """The Bot API client for the configured server, paced by the rate limiter."""
    return ExtBot(settings.telegram_token, base_url=settings.telegram_base_url,
                  base_file_url=settings.telegram_base_file_url,
                  request=HTTPXRequest(connection_pool_size=32, pool_timeout=10),
                  rate_limiter=limiter or rate_limiter())


class TelegramChannel:
    """Polling or webhook, as the settings say; ``send`` is the outbox's sender.

    Args:
        hub: The core the updates are handed to.
        bot: The client; made from the settings when omitted (tests pass their own).
        poll_timeout: Seconds a long poll waits for updates.
    """

    name = CHANNEL

    def __init__(self, hub: Hub, bot: ExtBot | None = None,
                 poll_timeout: int = POLL_TIMEOUT) -> None:
        settings = hub.settings
        if settings.telegram_webhook_url and not settings.telegram_secret_token:
            raise ValueError("WHISTLE_TELEGRAM_WEBHOOK_URL needs WHISTLE_TELEGRAM_SECRET_TOKEN")
        self.hub = hub
        self.bot = bot or make_bot(settings)
        self.webhook_url = settings.telegram_webhook_url
        self._secret = settings.telegram_secret_token.encode()
        self.media_dir = Path(settings.media_dir)
        self.poll_timeout = poll_timeout
        self.offset: int | None = None
        """The next update id to ask for: every update before it is handled."""
        self._runner: asyncio.Task | None = None
        self._failures: dict[int, int] = {}

    def routes(self) -> list[BaseRoute]:
        """The webhook route (at the webhook URL's path) in webhook mode; none for polling."""
        if not self.webhook_url:
            return []
        path = urlparse(self.webhook_url).path or "/"
        return [Route(path, self.webhook, methods=["POST"])]

    async def start(self, receive: bool = True) -> None:
        """Log in; to receive, also publish the command menus and register the webhook or
        start polling.

        Telegram being unreachable does not stop the bot: connecting is retried in the
        background while the outbox keeps what is to be sent. A rejected token raises.
        """
        connected = await self._connect(receive)
        self._runner = asyncio.create_task(self._run(connected, receive))

    async def _run(self, connected: bool, receive: bool) -> None:
        pause = PAUSE_FIRST
        while not connected:
            await asyncio.sleep(pause)
            pause = min(pause * 2, PAUSE_MAX)
            connected = await self._connect(receive)
        if receive and not self.webhook_url:
            await self._poll()

    async def _connect(self, receive: bool) -> bool:
        try:
            await self.bot.initialize()
            if not receive:
                return True
            await set_menus(self.bot)
            if self.webhook_url:
                await self.bot.set_webhook(self.webhook_url, secret_token=self._secret.decode(),
                                           allowed_updates=ALLOWED_UPDATES)
            else:
                await self.bot.delete_webhook()
        except NetworkError as error:
            log.warning("Telegram unreachable (%s); connecting again shortly", error)
            return False
        return True

    async def stop(self) -> None:
        """Stop polling, confirm the handled updates to Telegram, close the client."""
        if self._runner is not None:
            self._runner.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._runner
            self._runner = None
            if self.offset is not None:
                # Confirming the offset is what keeps a restart from fetching them again.
                with contextlib.suppress(TelegramError):
                    await self.bot.get_updates(offset=self.offset, timeout=0, limit=1)
        await self.bot.shutdown()

    async def send(self, message: Outgoing) -> None:
        """Deliver one outbox message (see ``telegram_send.send``)."""
        await send(self.bot, message)

    async def handle(self, update: Update) -> bool:
        """Answer a button press at once, then hand the update to the core.

        Returns:
            False when there was nothing to handle or it was handled before.
        """
        if update.callback_query is not None:
            # Stops the button's spinner; the new state arrives as an edit from the outbox.
            with contextlib.suppress(TelegramError):
                await self.bot.answer_callback_query(update.callback_query.id)
        incoming = await to_incoming(update, self.bot, self.media_dir)
        if incoming is None:
            return False
        return await self.hub.handle(incoming)

    async def webhook(self, request: Request) -> Response:
        """POST from Telegram: 403 without the right secret, else handle and answer 200."""
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self._secret):
            return PlainTextResponse("forbidden", status_code=403)
        try:
            update = Update.de_json(await request.json(), self.bot)
        except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
            return PlainTextResponse("not an update", status_code=400)
        # Handling is one short transaction; delivery happens later in the outbox pump.
        # An error answers 500, so Telegram re-sends and the update id makes that safe.
        await self.handle(update)
        return Response(status_code=200)

    async def _poll(self) -> None:
        pause = PAUSE_FIRST
        while True:
            try:
                updates = await self.bot.get_updates(offset=self.offset,
                                                     timeout=self.poll_timeout,
                                                     allowed_updates=ALLOWED_UPDATES)
            except TelegramError as error:  # down, or another instance polls (Conflict)
                log.warning("polling Telegram failed (%s); again in %.0f s", error, pause)
                await asyncio.sleep(pause)
                pause = min(pause * 2, PAUSE_MAX)
                continue
            pause = PAUSE_FIRST
            for update in updates:
                if not await self._handle_once(update):
                    await asyncio.sleep(PAUSE_FIRST)
                    break
                self.offset = update.update_id + 1

    async def _handle_once(self, update: Update) -> bool:
        """Handle one polled update; False to try it again on the next poll."""
        try:
            await self.handle(update)
        except Exception:  # the database may be down: the update waits, up to a point
            failures = self._failures.get(update.update_id, 0) + 1
            self._failures[update.update_id] = failures
            log.exception("handling Telegram update %s failed (%d)", update.update_id, failures)
            return failures >= ATTEMPTS_PER_UPDATE
        self._failures.pop(update.update_id, None)
        return True

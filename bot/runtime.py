"""``whistle run``: start the configured channels, pump their outboxes, serve webhooks.

One process does all of it by default. On PostgreSQL the work can be split across
processes and machines by role: ``web`` receives (webhooks, Telegram polling) and handles
messages, ``sender`` delivers the outbox (senders claim rows with SKIP LOCKED, so two never
send one row), ``scheduler`` runs the sweeps (one at a time holds the advisory lock).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Collection, Sequence
from enum import StrEnum

from bot import scheduler
from bot.channels.base import Channel
from bot.hub import Hub
from bot.outbox import deliver_async
from bot.web import build_app, make_server
from nlu.prior import load_prior

log = logging.getLogger(__name__)
IDLE_POLL_SECONDS = 1.0  # retries, and rows queued by other processes, without a doorbell
JOURNAL_EVERY_SECONDS = 5.0


class Role(StrEnum):
    """What a ``whistle run`` process does."""

    WEB = "web"
    SENDER = "sender"
    SCHEDULER = "scheduler"
    ALL = "all"


EVERY_ROLE = frozenset({Role.WEB, Role.SENDER, Role.SCHEDULER})


async def pump(hub: Hub, channel: Channel, stopping: asyncio.Event) -> None:
    """Deliver ``channel``'s outbox whenever the doorbell rings or a retry may be due."""
    bell = hub.doorbell()
    while not stopping.is_set():
        try:
            await deliver_async(hub.engine, channel.name, channel.send, hub.clock.now(),
                                hub.settings.outbox_max_attempts,
                                getattr(channel, "send_batch", None))
        except Exception:  # a database hiccup must not kill delivery for good
            log.exception("delivering the %s outbox failed; retrying", channel.name)
        bell.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(bell.wait(), IDLE_POLL_SECONDS)


async def retry_journal(hub: Hub, stopping: asyncio.Event,
                        every: float = JOURNAL_EVERY_SECONDS) -> None:
    """Retry what the inbound journal holds, every ``every`` seconds."""
    while not stopping.is_set():
        try:
            await hub.retry_journal()
        except Exception:  # the database is what failed: the next round tries again
            log.exception("retrying the inbound journal failed")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopping.wait(), every)


def _train_prior() -> None:
    """Train the duty classifier's prior now, not on the first unsure need, whose WeChat
    reply has 5 s to leave."""
    load_prior()


async def run(hub: Hub, channels: Sequence[Channel],
              roles: Collection[Role] = EVERY_ROLE) -> None:
    """Run until SIGINT/SIGTERM: channels started, and by ``roles`` outboxes pumped,
    webhooks served, sweeps scheduled (by one bot at a time on a shared PostgreSQL
    database)."""
    roles = EVERY_ROLE if Role.ALL in roles else frozenset(roles)
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stopping.set)
    needed = list(channels) if roles & {Role.WEB, Role.SENDER} else []
    for channel in needed:
        await channel.start(receive=Role.WEB in roles)
    tasks = []
    if Role.SENDER in roles:
        tasks += [asyncio.create_task(pump(hub, channel, stopping)) for channel in channels]
    if Role.SCHEDULER in roles:
        tasks.append(asyncio.create_task(scheduler.supervise(hub, stopping)))
    if Role.WEB in roles:
        tasks.append(asyncio.create_task(retry_journal(hub, stopping)))
        tasks.append(asyncio.create_task(asyncio.to_thread(_train_prior)))
    routes = [route for channel in channels for route in channel.routes()]
    server = None
    if routes and Role.WEB in roles:
        server = make_server(build_app(routes), hub.settings.http_host, hub.settings.http_port)
        serving = asyncio.create_task(server.serve())
        serving.add_done_callback(lambda _task: stopping.set())  # uvicorn took the signal
        tasks.append(serving)
    try:
        await stopping.wait()
    finally:
        stopping.set()
        if server is not None:
            server.should_exit = True
        for channel in needed:
            await channel.stop()
        await asyncio.gather(*tasks, return_exceptions=True)

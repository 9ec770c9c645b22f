"""The ASGI web server every webhook channel shares (Telegram webhook mode, WeChat, WeCom).

Channels contribute Starlette routes; the server adds ``GET /healthz`` and runs under
uvicorn on ``WHISTLE_HTTP_HOST``:``WHISTLE_HTTP_PORT``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence

import uvicorn
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.logs import ACCESS_LOGGER, guard_handlers


async def healthz(_request: Request) -> PlainTextResponse:
    """Liveness for load balancers and uptime checks."""
    return PlainTextResponse("ok")


# Platform callbacks are a few kB; anything near a megabyte is an attack or a mistake.
MAX_BODY_BYTES = 1_000_000
BODY_TIMEOUT_SECONDS = 10.0


class BodyLimit:
    """Reads a request's body before any route does: one over ``limit`` bytes is refused
    (413) before it is parsed, one trickling in for over ``timeout`` seconds is cut (408)."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES,
                 timeout: float = BODY_TIMEOUT_SECONDS) -> None:
        self.app, self.limit, self.timeout = app, limit, timeout

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        scope.setdefault("state", {})["arrived"] = time.monotonic()
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if not declared.isdigit() or int(declared) > self.limit:
            await _refuse(413, scope, receive, send)
            return
        try:
            body = await asyncio.wait_for(self._read(receive), self.timeout)
        except TimeoutError:
            await _refuse(408, scope, receive, send)
            return
        if body is None:
            await _refuse(413, scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)

    async def _read(self, receive: Receive) -> bytes | None:
        """The whole body, or None once it passes the limit."""
        body = bytearray()
        while True:
            message = await receive()
            body += message.get("body", b"")
            if len(body) > self.limit:
                return None
            if message["type"] != "http.request" or not message.get("more_body", False):
                return bytes(body)


def arrived(request: Request) -> float:
    """When ``request`` reached the server, on the ``time.monotonic()`` clock: WeChat's 5 s
    count from then, however long the request then waited for the event loop."""
    return float(getattr(request.state, "arrived", time.monotonic()))


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands over the body already read, then waits as the original."""
    given = False

    async def replay() -> Message:
        nonlocal given
        if given:
            return await receive()
        given = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


async def _refuse(status: int, scope: Scope, receive: Receive, send: Send) -> None:
    await PlainTextResponse("request body refused", status_code=status)(scope, receive, send)


def build_app(routes: Sequence[BaseRoute]) -> Starlette:
    """The web application: the channels' routes plus ``/healthz``, behind ``BodyLimit``."""
    return Starlette(routes=[Route("/healthz", healthz, methods=["GET"]), *routes],
                     middleware=[Middleware(BodyLimit)])


def make_server(app: Starlette, host: str, port: int) -> uvicorn.Server:
    """A uvicorn server for ``app``; the caller awaits ``serve()`` and sets ``should_exit``."""
    config = uvicorn.Config(app, host=host, port=port, log_level="info", lifespan="off")
    guard_handlers("uvicorn", "uvicorn.error", ACCESS_LOGGER)
    return uvicorn.Server(config)

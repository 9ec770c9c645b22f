"""The ASGI web server every webhook channel shares (Telegram webhook mode, WeChat, WeCom).

Channels contribute Starlette routes; the server adds ``GET /healthz`` and runs under
uvicorn on ``WHISTLE_HTTP_HOST``:``WHISTLE_HTTP_PORT``.
"""

from __future__ import annotations

from collections.abc import Sequence

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import BaseRoute, Route

from bot.logs import ACCESS_LOGGER, guard_handlers


async def healthz(_request: Request) -> PlainTextResponse:
    """Liveness for load balancers and uptime checks."""
    return PlainTextResponse("ok")


def build_app(routes: Sequence[BaseRoute]) -> Starlette:
    """The web application: the channels' routes plus ``/healthz``."""
    return Starlette(routes=[Route("/healthz", healthz, methods=["GET"]), *routes])


def make_server(app: Starlette, host: str, port: int) -> uvicorn.Server:
    """A uvicorn server for ``app``; the caller awaits ``serve()`` and sets ``should_exit``."""
    config = uvicorn.Config(app, host=host, port=port, log_level="info", lifespan="off")
    guard_handlers("uvicorn", "uvicorn.error", ACCESS_LOGGER)
    return uvicorn.Server(config)

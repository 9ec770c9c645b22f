"""A fake Telegram Bot API server on 127.0.0.1 that python-telegram-bot's own client talks to.

It keeps an update queue the test fills (``getUpdates`` honours ``offset``), answers the
methods the channel uses with plausible objects, serves file downloads, and records every
call. It can be told to answer 429 or 403 for a chat, and to enforce the per-group flood
limit the way Telegram does (a leaky bucket), so a test fails when pacing breaks.
"""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass, field

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.telegram.fake_telegram_wire import error, ok, params_of

TOKEN = "123456:TEST-token"
BOT = {"id": 999, "is_bot": True, "first_name": "吹哨", "username": "WhistleBot",
       "can_join_groups": True, "can_read_all_group_messages": False,
       "supports_inline_queries": False}
SENDING = frozenset({"sendMessage", "editMessageText", "sendPhoto", "sendDocument"})


@dataclass
class Call:
    """One request the client made: the method and its decoded parameters."""

    method: str
    params: dict
    status: int = 200
    result: object = None


@dataclass
class FloodLimit:
    """Telegram's per-group limit as a leaky bucket: ``rate`` per ``period`` seconds."""

    rate: float
    period: float
    slack: float = 2.0  # requests arrive a little after the client's limiter let them go
    levels: dict[int, tuple[float, float]] = field(default_factory=dict)

    def admit(self, chat_id: int) -> bool:
        level, last = self.levels.get(chat_id, (0.0, time.monotonic()))
        now = time.monotonic()
        level = max(0.0, level - (now - last) * self.rate / self.period)
        if level + 1 > self.rate + self.slack:
            self.levels[chat_id] = (level, now)
            return False
        self.levels[chat_id] = (level + 1, now)
        return True


class FakeTelegram:
    """The server; ``start()`` it, point the client at ``base_url``, ``stop()`` it; between
    tests ``reset()`` it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._generation = 0
        self.reset()
        self.app = Starlette(routes=[
            Route("/bot{token}/{method}", self._api, methods=["GET", "POST"]),
            Route("/file/bot{token}/{path:path}", self._download, methods=["GET"]),
        ])
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    def reset(self) -> None:
        """Forget every call, update, file and planned failure: a new test's server.

        A long poll still waiting for the previous test answers nothing and leaves the
        new queue alone (its offset belongs to the old numbering).
        """
        with self._lock:
            self._generation += 1
            self.calls: list[Call] = []
            self.failures: dict[int, tuple[int, int]] = {}
            """chat id → (HTTP status, retry_after) to answer instead of sending."""
            self.flood: FloodLimit | None = None
            self.outage = 0
            """How many of the next calls answer 502 Bad Gateway, as while Telegram is down."""
            self.migrated: dict[int, int] = {}
            """Old group id → its supergroup's id: sends to the old id answer ChatMigrated."""
            self.uneditable: set[int] = set()
            """Chats whose messages are too old to edit (editMessageText answers 400)."""
            self.files: dict[str, bytes] = {}
            self._updates: list[dict] = []
            self._next_update = 1
            self._next_message = 100

    @property
    def base_url(self) -> str:
        """The ``base_url`` to give the client."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """The ``base_file_url`` to give the client."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    def start(self) -> None:
        """Serve on 127.0.0.1 on a free port (``port``) in a background thread."""
        config = uvicorn.Config(self.app, host="127.0.0.1", port=0, log_level="warning",
                                lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the fake Telegram server did not start")
            time.sleep(0.01)
        self.port = self._server.servers[0].sockets[0].getsockname()[1]

    def stop(self) -> None:
        """Shut the server down."""
        if self._server is not None and self._thread is not None:
            self._server.should_exit = self._server.force_exit = True
            self._thread.join(timeout=10)

    def push(self, update: dict) -> int:
        """Queue an update (without ``update_id``) for getUpdates; returns its id."""
        with self._lock:
            update_id = self._next_update
            self._next_update += 1
            self._updates.append({"update_id": update_id, **update})
        return update_id

    def pending_updates(self) -> int:
        """Updates not yet confirmed by an offset."""
        with self._lock:
            return len(self._updates)

    def add_file(self, file_id: str, content: bytes) -> None:
        """A file getFile can describe and the download route serve."""
        self.files[file_id] = content

    def made(self, method: str) -> list[Call]:
        """The successful calls of one method, in order."""
        return [c for c in self.calls if c.method == method and c.status == 200]

    def mark(self) -> int:
        """A bookmark in the call record, for ``since``."""
        return len(self.calls)

    def since(self, mark: int, method: str | None = None) -> list[Call]:
        """The calls after ``mark`` (of one method, if given)."""
        return [c for c in self.calls[mark:] if method is None or c.method == method]

    async def _api(self, request: Request) -> Response:
        method = request.path_params["method"]
        params = await params_of(request)
        call = Call(method, params)
        self.calls.append(call)
        if self.outage > 0:
            self.outage -= 1
            call.status = 502
            return JSONResponse({"ok": False, "error_code": 502, "description": "Bad Gateway"},
                                status_code=502)
        refusal = self._refusal(method, params)
        if refusal is not None:
            call.status = refusal.status_code
            return refusal
        if method == "getUpdates":
            call.result = await self._get_updates(params)
            return ok(call.result)
        answer = getattr(self, f"_m_{method}", None)
        if answer is None:
            call.status = 404
            return JSONResponse({"ok": False, "error_code": 404, "description": "Not Found"},
                                status_code=404)
        call.result = answer(params)
        return ok(call.result)

    def _refusal(self, method: str, params: dict) -> Response | None:
        chat_id = params.get("chat_id")
        if method not in SENDING or not isinstance(chat_id, int):
            return None
        if chat_id in self.migrated:
            return JSONResponse({"ok": False, "error_code": 400, "description":
                                 "Bad Request: group chat was upgraded to a supergroup chat",
                                 "parameters": {"migrate_to_chat_id": self.migrated[chat_id]}},
                                status_code=400)
        if method == "editMessageText" and chat_id in self.uneditable:
            return JSONResponse({"ok": False, "error_code": 400,
                                 "description": "Bad Request: message can't be edited"},
                                status_code=400)
        if chat_id in self.failures:
            status, retry_after = self.failures[chat_id]
            return error(status, retry_after)
        if self.flood is not None and chat_id < 0 and not self.flood.admit(chat_id):
            return error(429, 1)
        return None

    async def _get_updates(self, params: dict) -> list[dict]:
        offset = params.get("offset") or 0
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), 1.0)
        generation = self._generation
        while True:
            with self._lock:
                if self._generation != generation:
                    return []
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
                ready = list(self._updates[: int(params.get("limit") or 100)])
            if ready or time.monotonic() >= deadline:
                return ready
            await asyncio.sleep(0.01)

    def _message(self, params: dict, **content: object) -> dict:
        with self._lock:
            self._next_message += 1
            message_id = self._next_message
        chat_id = params["chat_id"]
        return {"message_id": message_id, "date": int(time.time()), "from": BOT,
                "chat": {"id": chat_id, "type": "supergroup" if chat_id < 0 else "private"},
                **content}

    def _m_getMe(self, _params: dict) -> dict:
        return BOT

    def _m_sendMessage(self, params: dict) -> dict:
        return self._message(params, text=params["text"])

    def _m_editMessageText(self, params: dict) -> dict:
        message = self._message(params, text=params["text"])
        return {**message, "message_id": params["message_id"], "edit_date": int(time.time())}

    def _m_sendPhoto(self, params: dict) -> dict:
        return self._message(params, caption=params.get("caption", ""), photo=[
            {"file_id": "sent", "file_unique_id": "sent", "width": 1, "height": 1}])

    def _m_sendDocument(self, params: dict) -> dict:
        return self._message(params, caption=params.get("caption", ""), document={
            "file_id": "doc", "file_unique_id": "doc"})

    def _m_getFile(self, params: dict) -> dict:
        file_id = params["file_id"]
        return {"file_id": file_id, "file_unique_id": f"u-{file_id}",
                "file_size": len(self.files[file_id]), "file_path": f"photos/{file_id}.jpg"}

    def _m_answerCallbackQuery(self, _params: dict) -> bool:
        return True

    def _m_setMyCommands(self, _params: dict) -> bool:
        return True

    def _m_setWebhook(self, _params: dict) -> bool:
        return True

    def _m_deleteWebhook(self, _params: dict) -> bool:
        return True

    async def _download(self, request: Request) -> Response:
        path = request.path_params["path"]
        self.calls.append(Call("download", {"path": path}))
        file_id = path.removeprefix("photos/").removesuffix(".jpg")
        if file_id not in self.files:
            return Response(status_code=404)
        return Response(self.files[file_id], media_type="image/jpeg")

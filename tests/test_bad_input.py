"""Bad input never costs a message or crashes the bot: NUL characters, lone surrogates,
over-long ids, JSON nested past Python's recursion limit, huge and trickling webhook bodies."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator

import httpx
from sqlmodel import select
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import Message

from bot.channels.console import run_jsonl
from bot.web import MAX_BODY_BYTES, BodyLimit, build_app
from handlers.messages import MAX_ID_CHARS, Incoming
from storage.db import transaction
from storage.models import Identity, Order

NESTED = "[" * 100_000 + "]" * 100_000
NEED = "3栋楼道的灯坏了\x00，麻烦社区派人来修一下\ud800"


def test_nul_and_lone_surrogates_are_dropped_and_the_need_is_filed(chat_on_each_database):
    chat = chat_on_each_database
    inbox = chat.say("resident1", NEED)
    assert "#1" in inbox.to("resident1")[0]
    with transaction(chat.engine) as session:
        stored = session.exec(select(Order.text)).one()
    assert stored == "3栋楼道的灯坏了，麻烦社区派人来修一下\ufffd"


def test_an_over_long_id_is_cut_to_what_storage_holds(chat_on_each_database):
    chat = chat_on_each_database
    long_id = "u" * 1000
    assert chat.say(long_id, "/help").to("u" * MAX_ID_CHARS)
    with transaction(chat.engine) as session:
        assert session.exec(select(Identity.user_id).where(
            Identity.user_id == "u" * MAX_ID_CHARS)).one() == "u" * MAX_ID_CHARS


def test_a_display_name_is_cut_to_its_column():
    assert len(Incoming("console", "1", "1", display_name="名" * 500).display_name) == 100


def test_the_console_warns_about_deep_nesting_and_goes_on(chat):
    written: list[str] = []
    warnings: list[str] = []
    lines = io.StringIO(NESTED + "\n" + '{"from": "resident1", "text": "/help"}\n')
    run_jsonl(chat.channel, lines, written.append, warnings.append)
    assert warnings == ["line 1: nested too deeply"]
    assert len(written) == 1


async def _echo(request: Request) -> Response:
    return PlainTextResponse(str(len(await request.body())))


def _post(content: bytes | AsyncIterator[bytes]) -> httpx.Response:
    app = build_app([Route("/hook", _echo, methods=["POST"])])

    async def post() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bot") as client:
            return await client.post("/hook", content=content)

    return asyncio.run(post())


def test_a_body_within_the_limit_reaches_the_route():
    response = _post(b"x" * 1000)
    assert (response.status_code, response.text) == (200, "1000")


def test_a_body_over_the_limit_is_refused_before_it_is_read():
    assert _post(b"x" * (MAX_BODY_BYTES + 1)).status_code == 413


def test_a_body_streamed_past_the_limit_without_a_length_is_refused():
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(3):
            yield b"x" * (MAX_BODY_BYTES // 2)

    assert _post(chunks()).status_code == 413


def test_a_trickling_body_is_cut_off():
    sent: list[Message] = []
    reached: list[bool] = []

    async def route(_scope, _receive, _send) -> None:
        reached.append(True)

    async def trickle() -> Message:
        await asyncio.sleep(1)
        return {"type": "http.request", "body": b"x", "more_body": True}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/hook", "headers": []}
    asyncio.run(BodyLimit(route, timeout=0.05)(scope, trickle, send))
    assert (sent[0]["status"], reached) == (408, [])

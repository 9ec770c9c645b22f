"""The Bot API's wire format for the fake server: decoding calls, encoding answers."""

from __future__ import annotations

import json
from email.parser import BytesParser
from email.policy import default
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import JSONResponse

JSON_PARAMS = frozenset({"chat_id", "message_id", "offset", "timeout", "limit", "reply_markup",
                         "commands", "scope", "allowed_updates"})
"""Parameters the client JSON-encodes; the others are plain strings."""


async def params_of(request: Request) -> dict:
    """The call's parameters, decoded as the Bot API does (JSON-encoded non-strings)."""
    content_type = request.headers.get("content-type", "")
    body = await request.body()
    if content_type.startswith("application/json"):
        return json.loads(body or b"{}")
    if content_type.startswith("multipart/form-data"):
        raw = _multipart(content_type, body)
    else:
        raw = dict(parse_qsl(body.decode(), keep_blank_values=True))
    return {key: json.loads(value) if key in JSON_PARAMS and isinstance(value, str) else value
            for key, value in raw.items()}


def _multipart(content_type: str, body: bytes) -> dict:
    """Form fields as text; uploaded files as their name and size (python-multipart-free)."""
    parsed = BytesParser(policy=default).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body)
    fields: dict = {}
    for part in parsed.iter_parts():
        name = part.get_param("name", header="content-disposition")
        content = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        fields[name] = ({"filename": filename, "size": len(content)} if filename
                        else content.decode())
    return fields


def ok(result: object) -> JSONResponse:
    """A successful answer."""
    return JSONResponse({"ok": True, "result": result})


def error(status: int, retry_after: int) -> JSONResponse:
    """A refusal as Telegram words it (429 carries ``retry_after``)."""
    descriptions = {429: f"Too Many Requests: retry after {retry_after}",
                    403: "Forbidden: bot was blocked by the user",
                    400: "Bad Request: message is not modified: specified new message content "
                         "and reply markup are exactly the same"}
    body: dict = {"ok": False, "error_code": status,
                  "description": descriptions.get(status, "Bad Request")}
    if status == 429:
        body["parameters"] = {"retry_after": retry_after}
    return JSONResponse(body, status_code=status)


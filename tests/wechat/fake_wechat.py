"""A local stand-in for the WeChat and WeCom HTTP APIs: records requests, answers like them.

It answers the token fetches, customer-service, template and app messages, media upload,
app group chats and group robots, and answers a chosen error code on demand
(``fail("message/custom/send", 45015)``).
"""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


@dataclass
class Call:
    """One request the fake received."""

    path: str
    query: dict[str, str]
    body: dict

    @property
    def endpoint(self) -> str:
        """The path after ``/cgi-bin/`` (``message/custom/send``), or the robot path."""
        return self.path.removeprefix("/cgi-bin/")


class FakeWeChat:
    """The fake API server, on 127.0.0.1 and a free port, in a thread."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.failures: dict[str, list[int]] = defaultdict(list)
        self.invalid_users: set[str] = set()
        self.tokens = 0
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,),
                                        daemon=True)

    @property
    def base_url(self) -> str:
        """What ``WHISTLE_WECHAT_API_BASE_URL`` / ``WHISTLE_WECOM_API_BASE_URL`` point at."""
        return f"http://127.0.0.1:{self._server.server_address[1]}/cgi-bin/"

    def robot_url(self, key: str) -> str:
        """A group robot webhook URL."""
        return f"http://127.0.0.1:{self._server.server_address[1]}/robot/send?key={key}"

    def fail(self, endpoint: str, *codes: int) -> None:
        """Answer the next calls of ``endpoint`` with these error codes, one each."""
        self.failures[endpoint].extend(codes)

    def sent(self, endpoint: str) -> list[Call]:
        """The successful-or-not calls of one endpoint, in order."""
        return [c for c in self.calls if c.endpoint == endpoint]

    def texts_to(self, user: str) -> list[str]:
        """Texts sent to ``user`` by customer-service or app messages."""
        texts = []
        for call in self.calls:
            if call.endpoint in ("message/custom/send", "message/send") and \
                    user in str(call.body.get("touser", "")).split("|") and \
                    call.body.get("msgtype") == "text" and not call.query.get("failed"):
                texts.append(call.body["text"]["content"])
        return texts

    def __enter__(self) -> FakeWeChat:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _answer(self, call: Call) -> dict:
        with self._lock:
            failures = self.failures[call.endpoint]
            if failures:
                call.query["failed"] = "1"
                return {"errcode": failures.pop(0), "errmsg": "fake failure"}
            if call.endpoint in ("token", "gettoken"):
                self.tokens += 1
                return {"access_token": f"TOKEN{self.tokens}", "expires_in": 7200}
        if call.endpoint == "media/upload":
            return {"errcode": 0, "type": call.query.get("type"), "media_id": "MEDIA1"}
        if call.endpoint == "appchat/create":
            return {"errcode": 0, "errmsg": "ok", "chatid": "CHAT1"}
        if call.endpoint == "message/send":
            users = set(str(call.body.get("touser", "")).split("|"))
            invalid = "|".join(sorted(users & self.invalid_users))
            return {"errcode": 0, "errmsg": "ok", "invaliduser": invalid}
        return {"errcode": 0, "errmsg": "ok"}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # named by http.server
                self._reply(b"")

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self._reply(self.rfile.read(length))

            def _reply(self, raw: bytes) -> None:
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                try:
                    body = json.loads(raw) if raw else {}
                except ValueError:
                    body = {"raw": len(raw)}  # a multipart media upload
                call = Call(url.path, query, body)
                fake.calls.append(call)
                payload = json.dumps(fake._answer(call), ensure_ascii=False).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *_args: object) -> None:
                """Quiet."""

        return Handler

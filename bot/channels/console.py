"""The console channel: type as any persona and see what each person would receive.

Interactive lines look like ``@张阿姨 3栋楼道灯坏了`` (private), ``@张阿姨 #楼栋群 text``
(in a group), ``@m1 !press accept:1``, ``@m1 !loc 31.23,121.47`` and ``@m1 !photo path``.
The scriptable form (``--jsonl``) reads one JSON object per line, see ``incoming_from_json``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import datetime

from sqlalchemy.engine import Engine

from bot.clock import Clock
from bot.outbox import deliver
from bot.settings import Settings
from handlers.chat.process import process
from handlers.jobs.sweeps import run_due
from handlers.messages import Incoming, Location, Outgoing

CHANNEL = "console"
MAX_ID_CHARS = 128  # as wide as the identity columns


class ConsoleChannel:
    """Pushes messages through the handlers and pops what the bot sends on this channel."""

    def __init__(self, engine: Engine, settings: Settings, clock: Clock | None = None) -> None:
        self.engine = engine
        self.policy = settings.policy()
        self.clock = clock or Clock()
        self._max_attempts = settings.outbox_max_attempts

    def push(self, incoming: Incoming) -> list[Outgoing]:
        """Handle one message; returns every console message the bot sent because of it."""
        process(self.engine, self.policy, incoming, self.clock.now())
        return self.flush()

    def run_jobs(self) -> list[Outgoing]:
        """Run every sweep due at the console's clock; returns what they sent here."""
        run_due(self.engine, self.policy, self.clock.now())
        return self.flush()

    def flush(self) -> list[Outgoing]:
        """Deliver whatever is waiting in the outbox for the console."""
        return deliver(self.engine, CHANNEL, lambda _message: None, self.clock.now(),
                       self._max_attempts)


def incoming_from_json(line: object) -> Incoming:
    """A console JSON line as an Incoming.

    Keys: ``from`` (user id, required), ``name``, ``chat`` (group id, or null for a private
    chat), ``text``, ``location`` ({"lat", "lon"}), ``photo`` (path), ``press`` (button data),
    ``id`` (message id, for de-duplication).

    Raises:
        ValueError: A required key is missing or a value has the wrong type.
    """
    if not isinstance(line, dict):
        raise ValueError("each line must be a JSON object")
    sender = _text(line, "from")
    if not sender:
        raise ValueError('each line needs "from": the sender\'s user id')
    if len(sender) > MAX_ID_CHARS or len(str(line.get("chat") or "")) > MAX_ID_CHARS:
        raise ValueError(f'"from" and "chat" are at most {MAX_ID_CHARS} characters')
    chat = line.get("chat")
    if chat is not None and (isinstance(chat, bool) or not isinstance(chat, str | int)
                             or chat == ""):
        raise ValueError('"chat" must be a group id (text or number) or null')
    message_id = line.get("id")
    if message_id is not None and (isinstance(message_id, bool)
                                   or not isinstance(message_id, str | int)):
        raise ValueError('"id" must be text or a number')
    return Incoming(
        channel=CHANNEL, chat_id=str(chat) if chat is not None else sender, user_id=sender,
        is_group=chat is not None, text=_text(line, "text").replace("\x00", ""),
        display_name=_text(line, "name"), location=_location(line.get("location")),
        photo=_text(line, "photo") or None, button=_text(line, "press") or None,
        message_id=str(message_id) if message_id is not None else None,
    )


def _text(line: dict, key: str) -> str:
    value = line.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f'"{key}" must be a string')
    return value


def _location(value: object) -> Location | None:
    if value is None:
        return None
    shape = '"location" must be {"lat": number, "lon": number}'
    if not isinstance(value, dict):
        raise ValueError(shape)
    try:
        return Location(float(value["lat"]), float(value["lon"]))
    except (KeyError, TypeError, ValueError) as error:
        raise ValueError(shape) from error


def outgoing_to_json(message: Outgoing) -> dict:
    """The JSON object one sent message is written as ("attachment" only when it has a file,
    so a script sees the digest's chart and an /export's file)."""
    out = {"to_chat": message.to_chat, "to_user": message.to_user, "text": message.text,
           "buttons": [{"label": b.label, "data": b.data} for b in message.buttons]}
    if message.attachment:
        out["attachment"] = message.attachment
    return out


def run_jsonl(channel: ConsoleChannel, lines: Iterable[str], write: Callable[[str], None],
              warn: Callable[[str], None]) -> None:
    """The scriptable console: JSON lines in, one JSON line per sent message out.

    Besides messages, {"clock": ISO time} sets the bot's clock and {"run_jobs": true} runs
    every scheduled sweep due at that time.
    """
    for number, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        try:
            line = json.loads(raw)
            if isinstance(line, dict) and "clock" in line:
                channel.clock.set(datetime.fromisoformat(line["clock"]))
                continue
            if isinstance(line, dict) and "run_jobs" in line:
                if line["run_jobs"] is not True:
                    raise ValueError('"run_jobs" must be true')
                sent = channel.run_jobs()
            else:
                sent = channel.push(incoming_from_json(line))
        except RecursionError:
            warn(f"line {number}: nested too deeply")
            continue
        except (ValueError, TypeError) as error:
            warn(f"line {number}: {error}")
            continue
        for message in sent:
            write(json.dumps(outgoing_to_json(message), ensure_ascii=False))


def parse_typed(line: str) -> dict | None:
    """An interactive line as the JSON form; None when it does not start with ``@user``."""
    if not line.startswith("@"):
        return None
    user, _, rest = line[1:].partition(" ")
    message: dict = {"from": user}
    if rest.startswith("#"):
        chat, _, rest = rest[1:].partition(" ")
        message["chat"] = chat
    verb, _, arg = rest.partition(" ")
    if verb == "!press":
        message["press"] = arg.strip()
    elif verb == "!loc":
        lat, _, lon = arg.partition(",")
        message["location"] = {"lat": lat.strip(), "lon": lon.strip()}
    elif verb == "!photo":
        message["photo"] = arg.strip()
    else:
        message["text"] = rest
    return message


def render(message: Outgoing) -> str:
    """One sent message as the interactive console shows it."""
    target = f"#{message.to_chat}" if message.to_chat else f"@{message.to_user}"
    buttons = "".join(f"  [{b.label} → !press {b.data}]" for b in message.buttons)
    body = message.text.replace("\n", "\n    ")
    attached = f"\n    📎 {message.attachment}" if message.attachment else ""
    return f"→ {target}:\n    {body}{attached}{buttons}"

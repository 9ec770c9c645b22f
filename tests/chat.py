"""A chat harness in the manner of errbot's TestBackend: push a message, read the replies."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import count

from sqlalchemy.engine import Engine

from bot.channels.console import ConsoleChannel
from bot.clock import Clock
from bot.demo import seed
from bot.settings import Settings
from handlers.messages import Incoming, Location, Outgoing

# pydantic-settings takes _env_file at runtime; its typed __init__ does not list it.
POLICY = Settings(_env_file=None, database_url="sqlite://").policy()  # type: ignore[call-arg]
"""The rules with every default, as a bot with no WHISTLE_* settings runs them."""

_SAID = count(1)  # message ids, unique across chats: a restarted one goes on numbering
NEED = "5栋门口的垃圾三天没人清运了，臭得不行，请社区派人处理"
"""Zhang's need in the demo community: plainly sanitation (环境保洁)."""


@dataclass
class Inbox:
    """What the bot sent in answer to one message.

    ``to``, ``in_group`` and friends read without taking. ``pop`` takes messages one at a
    time, the way errbot's TestBackend pops a reply; ``nothing_else`` then fails if the bot
    sent anything the test did not take, so a stray message cannot go unnoticed.
    """

    messages: list[Outgoing]
    unread: list[Outgoing] = field(init=False)

    def __post_init__(self) -> None:
        self.unread = list(self.messages)

    def to(self, user: str) -> list[str]:
        """Texts sent privately to ``user``."""
        return [m.text for m in self.messages if m.to_user == user]

    def in_group(self, chat: str) -> list[str]:
        """Texts posted in group ``chat``."""
        return [m.text for m in self.messages if m.to_chat == chat]

    def buttons_for(self, user: str) -> list[str]:
        """The data of every button sent privately to ``user``."""
        return [b.data for m in self.messages if m.to_user == user for b in m.buttons]

    def recipients(self) -> set[str]:
        """Everyone (``@user``) and every group (``#chat``) that got something."""
        return {_recipient(m) for m in self.messages}

    def pop(self, user: str | None = None, *, group: str | None = None) -> str:
        """Take the first unread text sent privately to ``user`` or posted in ``group``.

        Raises:
            AssertionError: Nothing unread went there.
        """
        wanted = _wanted(user, group)
        for message in self.unread:
            if _recipient(message) == wanted:
                self.unread.remove(message)
                return message.text
        raise AssertionError(f"nothing (more) for {wanted}; unread: {self._describe()}")

    def pop_all(self, user: str | None = None, *, group: str | None = None) -> list[str]:
        """Take every unread text sent privately to ``user`` or posted in ``group``."""
        wanted = _wanted(user, group)
        taken = [m for m in self.unread if _recipient(m) == wanted]
        self.unread = [m for m in self.unread if _recipient(m) != wanted]
        return [m.text for m in taken]

    def nothing_else(self) -> None:
        """Demand that every message was taken: the bot sent nothing the test did not expect.

        Raises:
            AssertionError: Some message is still unread.
        """
        if self.unread:
            raise AssertionError(f"the bot also sent {self._describe()}")

    def only(self, user: str | None = None, *, group: str | None = None) -> list[str]:
        """Take every text, demanding the bot wrote to ``user`` and/or into ``group`` and
        nowhere else; the texts in the order they were sent.

        Raises:
            AssertionError: One of them got nothing, or someone else got something.
        """
        wanted = {_wanted(user, None)} if user is not None else set()
        wanted |= {_wanted(None, group)} if group is not None else set()
        if not wanted:
            raise TypeError("name a user, a group or both")
        missing = wanted - {_recipient(m) for m in self.unread}
        if missing:
            raise AssertionError(f"nothing for {', '.join(sorted(missing))}; "
                                 f"unread: {self._describe()}")
        texts = [m.text for m in self.unread if _recipient(m) in wanted]
        self.unread = [m for m in self.unread if _recipient(m) not in wanted]
        self.nothing_else()
        return texts

    def _describe(self) -> str:
        return "; ".join(f"{_recipient(m)} {m.text[:40]!r}" for m in self.unread) or "nothing"

    def __bool__(self) -> bool:
        return bool(self.messages)


def _recipient(message: Outgoing) -> str:
    return f"@{message.to_user}" if message.to_user else f"#{message.to_chat}"


def _wanted(user: str | None, group: str | None) -> str:
    if (user is None) == (group is None):
        raise TypeError("name either a user or a group")
    return f"@{user}" if user is not None else f"#{group}"


class Chat:
    """Talks to the bot through the console channel with a clock the test moves."""

    def __init__(self, engine: Engine, settings: Settings, now: datetime) -> None:
        self.engine = engine
        self.clock = Clock(now)
        self.channel = ConsoleChannel(engine, settings, self.clock)
        self._serial = 0

    @classmethod
    def with_demo(cls, engine: Engine, settings: Settings, now: datetime) -> Chat:
        """A chat on a database seeded with the demo community."""
        seed(engine, now)
        return cls(engine, settings, now)

    def say(self, user: str, text: str = "", *, group: str | None = None,
            location: tuple[float, float] | None = None, photo: str | None = None,
            press: str | None = None, message_id: str | None = None) -> Inbox:
        """``user`` writes ``text`` privately, or in ``group``; returns what the bot sent.
        Each message has an id of its own unless ``message_id`` is given, as the platforms'
        have: the unit of work de-duplicates by it, on PostgreSQL in the statement that
        marks the sender seen and reads ahead what they filed in last."""
        message_id = message_id or f"say-{next(_SAID)}"
        incoming = Incoming(
            channel="console", chat_id=group or user, user_id=user, text=text,
            is_group=group is not None, location=Location(*location) if location else None,
            photo=photo, button=press, message_id=message_id,
        )
        return Inbox(self.channel.push(incoming))

    def press(self, user: str, data: str, group: str | None = None) -> Inbox:
        """``user`` presses the button carrying ``data``."""
        return self.say(user, press=data, group=group)

    def run_jobs(self) -> Inbox:
        """Run every scheduled sweep due at the chat's clock; returns what they sent."""
        return Inbox(self.channel.run_jobs())

    def advance(self, **delta: float) -> None:
        """Move the clock forward, e.g. ``advance(hours=3)``."""
        self.clock.set(self.clock.now() + timedelta(**delta))


def serve(chat: Chat, hours: float = 2, member: str = "m1") -> None:
    """Zhang's need (order 1) approved, taken by ``member``, worked ``hours`` and finished:
    it waits for zhang's rating."""
    chat.say("zhang", NEED)
    chat.say("admin", "/approve 1 sanitation")
    chat.say(member, "/accept 1")
    chat.say(member, "/checkin 1")
    chat.advance(hours=hours)
    chat.say(member, "/done 1")

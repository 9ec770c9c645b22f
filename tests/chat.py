"""A chat harness in the manner of errbot's TestBackend: push a message, read the replies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine

from bot.channels.console import ConsoleChannel
from bot.clock import Clock
from bot.demo import seed
from bot.settings import Settings
from handlers.messages import Incoming, Location, Outgoing

# pydantic-settings takes _env_file at runtime; its typed __init__ does not list it.
POLICY = Settings(_env_file=None, database_url="sqlite://").policy()  # type: ignore[call-arg]
"""The rules with every default, as a bot with no WHISTLE_* settings runs them."""


@dataclass
class Inbox:
    """What the bot sent in answer to one message."""

    messages: list[Outgoing]

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
        return {f"@{m.to_user}" if m.to_user else f"#{m.to_chat}" for m in self.messages}

    def __bool__(self) -> bool:
        return bool(self.messages)


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
        """``user`` writes ``text`` privately, or in ``group``; returns what the bot sent."""
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

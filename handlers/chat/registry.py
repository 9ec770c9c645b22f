"""The command registry: each command declared once, everything else derived from it.

In the manner of NoneBot2's ``on_command(cmd, aliases=…, permission=…)``: a ``Command``
names its handler, its Latin name (Telegram's menus take nothing else), the Chinese words
WeChat users type, who may run it, where, whether a button or a bare reply triggers it, the
menus it appears in and its line in /help. The router, the alias parser, Telegram's menus,
WeChat's reply hints and /help all read the registry; none keeps a list of its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum

from sqlmodel import Session

from handlers.chat.gates import AUDIENCE, Audience, Role, admit, audiences
from handlers.chat.request import Request
from handlers.context import Context
from handlers.messages import Button, Outgoing
from handlers.texts import keys, t
from storage.models import Identity

Handler = Callable[[Context, Request], list[Outgoing]]
_TELEGRAM_NAME = re.compile(r"[a-z0-9_]{1,32}")
HEADINGS: dict[Audience, str] = {
    Audience.RESIDENT: "help_for_resident", Audience.MEMBER: "help_for_member",
    Audience.ADMIN: "help_for_admin", Audience.DISTRICT_ADMIN: "help_for_district_admin",
}
"""The catalogue key of each /help section's heading."""


class Place(Enum):
    """Where a command may be run."""

    ANYWHERE = "anywhere"
    PRIVATE = "private"
    GROUP = "group"

    def allows(self, in_group: bool) -> bool:
        """Whether a message in a group (or, with ``in_group`` False, a private chat) may
        run a command declared for this place."""
        return self is Place.ANYWHERE or (self is Place.GROUP) == in_group


class Menu(Enum):
    """The "/" menus a chat app shows as people type: private chats' and groups'."""

    PRIVATE = "private"
    GROUP = "group"


@dataclass(frozen=True)
class Command:
    """One command, as declared.

    Attributes:
        name: The Latin name typed after "/" (``approve``).
        handler: What answers it, once the registry let the sender run it.
        aliases: The Chinese words that also call it; the first is how WeChat shows it.
        role: Who may run it, checked before the handler runs.
        place: Where it may be run.
        elsewhere: Catalogue key of what the sender is told, privately, when they use it in
            the wrong place; required unless ``place`` is ``ANYWHERE``.
        button: Whether a button whose data starts ``name:`` triggers it.
        reply: Whether a bare reply the reply parser reads as ``name`` (我来 is ``accept``)
            triggers it.
        hint: Catalogue key of how its button reads where chats have none (WeChat);
            it may use ``{command}`` (the words to reply), ``{word}``, ``{id}``, ``{label}``.
        menus: The menus it is listed in, in declaration order.
        help: Catalogue key of its line in /help and its menu description; without it the
            command is listed nowhere.
    """

    name: str
    handler: Handler
    aliases: tuple[str, ...] = ()
    role: Role = Role.ANYONE
    place: Place = Place.ANYWHERE
    elsewhere: str = ""
    button: bool = False
    reply: bool = False
    hint: str = "hint_button"
    menus: frozenset[Menu] = frozenset()
    help: str | None = None

    @property
    def word(self) -> str:
        """How people who type Chinese call it: its first alias, else ``/name``."""
        return self.aliases[0] if self.aliases else f"/{self.name}"

    def text_keys(self) -> set[str]:
        """The catalogue keys the declaration names."""
        named = {self.elsewhere, self.help, self.hint if self.button else None}
        return {key for key in named if key}


@dataclass(frozen=True)
class Call:
    """A message read as a command.

    Attributes:
        command: The command called; None for a slash word no command answers to.
        args: The whitespace-separated words after the command.
        slash: Whether it was typed with "/" (a bare Chinese word may be just chat).
    """

    command: Command | None
    args: list[str]
    slash: bool = True


class Registry:
    """The declared commands and everything derived from them.

    Raises:
        ValueError: On construction, a declaration that cannot work: a name Telegram
            refuses, a name or alias used twice, a place without its refusal, a menu entry
            without a description, or a text key missing from the catalogue.
    """

    def __init__(self, *commands: Command) -> None:
        for command in commands:
            _check(command)
        words = [word for command in commands for word in (command.name, *command.aliases)]
        twice = sorted({word for word in words if words.count(word) > 1})
        if twice:
            raise ValueError(f"{twice} each call more than one command")
        self._commands = commands
        self._by_name = {command.name: command for command in commands}
        self._by_alias = {alias: command for command in commands for alias in command.aliases}

    def __iter__(self) -> Iterator[Command]:
        return iter(self._commands)

    def parse(self, text: str) -> Call | None:
        """The command a message calls, or None for free text.

        ``/approve@WhistleBot 12`` (Telegram's group form) and ``通过 12`` both call
        ``approve`` with ``["12"]``; a bare Latin name is free text.
        """
        head, _, rest = text.strip().partition(" ")
        if head.startswith("/"):
            word = head[1:].split("@", 1)[0].lower()
            return Call(self._by_name.get(word) or self._by_alias.get(word), rest.split())
        if head in self._by_alias:
            return Call(self._by_alias[head], rest.split(), slash=False)
        return None

    def pressed(self, action: str) -> Command | None:
        """The command a button's action (``accept`` of ``accept:12``) triggers."""
        command = self._by_name.get(action)
        return command if command is not None and command.button else None

    def replied(self, intent: str) -> Command | None:
        """The command a bare reply the reply parser read as ``intent`` triggers."""
        command = self._by_name.get(intent)
        return command if command is not None and command.reply else None

    def run(self, ctx: Context, req: Request, command: Command) -> list[Outgoing]:
        """Check where and who, then run the handler with what the check resolved.

        Raises:
            WorkflowError: The sender may not run it; the handler has not run.
        """
        if not command.place.allows(req.incoming.is_group):
            # Told privately: a group needs no lesson in where to register.
            return req.tell(t(command.elsewhere))
        req.granted = admit(ctx.session, req, command.role)
        return command.handler(ctx, req)

    def menu(self, menu: Menu) -> list[tuple[str, str]]:
        """The ``(name, description)`` pairs of one "/" menu, in declaration order."""
        return [(c.name, t(c.help)) for c in self._commands if menu in c.menus and c.help]

    def guide(self, session: Session, identity: Identity) -> str:
        """/help: for each section the sender belongs to, the commands it may run."""
        held = audiences(session, identity)
        sections = []
        for audience in Audience:
            lines = [t(c.help) for c in self._commands
                     if c.help and AUDIENCE[c.role] is audience]
            if audience in held and lines:
                sections.append("\n".join([t(HEADINGS[audience]), *lines]))
        return "\n\n".join(sections)

    def hints(self, buttons: tuple[Button, ...], text: str = "") -> str:
        """Buttons as the words to reply with, for chats without buttons (WeChat, WeCom).

        ``accept:12`` reads 回复「接单 12」 unless ``text`` already says 「接单 12」; the five
        ``rate:12:N`` buttons read as one hint.
        """
        lines: list[str] = []
        for button in buttons:
            action, _, rest = button.data.partition(":")
            command = self.pressed(action)
            if command is None:
                continue
            args = rest.split(":") if rest else []
            typed = " ".join([command.word, *args])
            if f"「{typed}」" in text:
                continue
            hint = t(command.hint, command=typed, word=command.word,
                     id=args[0] if args else "", label=button.label)
            if hint not in lines:
                lines.append(hint)
        return "\n".join(lines)

    def spoken(self, name: str) -> str | None:
        """The Chinese word for the command named ``name``; None if it has none."""
        command = self._by_name.get(name)
        return command.aliases[0] if command and command.aliases else None

    def text_keys(self) -> set[str]:
        """Every catalogue key the declarations and /help's headings name."""
        return set(HEADINGS.values()).union(*(c.text_keys() for c in self._commands))


def _check(command: Command) -> None:
    if not _TELEGRAM_NAME.fullmatch(command.name):
        raise ValueError(f"/{command.name}: Telegram takes a-z, 0-9 and _ only")
    if command.place is not Place.ANYWHERE and not command.elsewhere:
        raise ValueError(f"/{command.name}: say what the wrong place is told")
    if command.menus and command.help is None:
        raise ValueError(f"/{command.name}: a menu entry needs its help text")
    missing = command.text_keys() - keys()
    if missing:
        raise ValueError(f"/{command.name}: no text {sorted(missing)} in the catalogue")

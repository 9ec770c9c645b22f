"""The command menus a chat app shows as people type "/": one for private chats, one for groups.

Names are the router's (Latin, as Telegram requires); descriptions come from the catalogue.
"""

from __future__ import annotations

from handlers.chat.router import COMMANDS
from handlers.texts import t

PRIVATE = ("need", "my", "rate", "register", "me", "accept", "decline", "checkin", "done",
           "pending", "approve", "reject", "orders", "order", "help")
"""What residents, members and admins type privately, most common first."""

GROUP = ("need", "accept", "done", "bind", "help")
"""What makes sense in a group: a need, taking a whistle, finishing, binding the group."""


def commands(scope: str) -> list[tuple[str, str]]:
    """The ``(name, description)`` pairs of the ``private`` or ``group`` menu.

    Raises:
        ValueError: ``scope`` is neither ``private`` nor ``group``.
    """
    names = {"private": PRIVATE, "group": GROUP}.get(scope)
    if names is None:
        raise ValueError(f"no menu for scope {scope!r}")
    return [(name, menu_text(name)) for name in names if name in COMMANDS]


def menu_text(name: str) -> str:
    """The Chinese description of one command in the menu."""
    return {
        "need": t("menu_need"), "my": t("menu_my"), "rate": t("menu_rate"),
        "register": t("menu_register"), "me": t("menu_me"), "accept": t("menu_accept"),
        "decline": t("menu_decline"), "checkin": t("menu_checkin"), "done": t("menu_done"),
        "pending": t("menu_pending"), "approve": t("menu_approve"),
        "reject": t("menu_reject"), "orders": t("menu_orders"), "order": t("menu_order"),
        "bind": t("menu_bind"), "help": t("menu_help"),
    }[name]

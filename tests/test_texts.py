"""The text catalogue: every key the code names exists, so no reply can fail at run time."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from handlers.chat import behalf, conversation, profile
from handlers.chat.commands import COMMANDS
from handlers.texts import keys, t
from nlu import DUTIES
from storage.models import OrderStatus

ROOT = Path(__file__).resolve().parents[1]
LITERAL_KEY = re.compile(r"""\bt\(\s*"([a-z_]+)\"""")
ACTIONS = ("accept", "decline", "checkin", "done")
TEMPLATE_KEYS = {  # keys the code picks at run time rather than naming in a literal
    *(f"status_{s.value}" for s in OrderStatus),
    *(f"{a}_nothing" for a in ACTIONS), *(f"action_{a}" for a in ACTIONS),
    *(f"register_{s}" for s in ("name", "phone", "unit", "free_time", "skills")),
    *(f"profile_item_{item}" for item in profile.ITEMS), *(f"behalf_{s}" for s in behalf.STEPS),
    *conversation.LEFT.values(), *conversation.STOPPED.values(),
    *(f"duty_plain_{duty}" for duty in DUTIES),
    "accept_full", "accept_not_open", "done_not_now",
}


def used_keys() -> set[str]:
    found = TEMPLATE_KEYS | COMMANDS.text_keys()  # help lines, refusals, hints: declared
    for path in (ROOT / "handlers").rglob("*.py"):
        found.update(LITERAL_KEY.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_key_the_code_uses_is_in_the_catalogue() -> None:
    assert used_keys() - keys() == set()


def test_the_catalogue_has_no_dead_keys() -> None:
    assert keys() - used_keys() == set()


def test_a_missing_key_is_a_loud_error() -> None:
    with pytest.raises(KeyError):
        t("no_such_key")

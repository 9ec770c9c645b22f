"""The text catalogue: every key the code names exists, so no reply can fail at run time."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from handlers.texts import keys, t

ROOT = Path(__file__).resolve().parents[1]
LITERAL_KEY = re.compile(r"""\bt\(\s*"([a-z_]+)\"""")
TEMPLATE_KEYS = {  # keys the code builds with f-strings
    **{f"status_{s}": None for s in ("submitted", "open", "claimed", "in_progress",
                                     "awaiting_rating", "closed", "returned", "rejected",
                                     "cancelled", "merged")},
    **{f"{a}_nothing": None for a in ("accept", "decline", "checkin", "done")},
    **{f"action_{a}": None for a in ("accept", "decline", "checkin", "done")},
    **{f"register_{s}": None for s in ("name", "phone", "unit", "skills")},
    "accept_full": None, "accept_not_open": None, "done_not_now": None,
}


def used_keys() -> set[str]:
    found = set(TEMPLATE_KEYS)
    for path in (ROOT / "handlers").glob("*.py"):
        found.update(LITERAL_KEY.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_key_the_code_uses_is_in_the_catalogue() -> None:
    assert used_keys() - keys() == set()


def test_the_catalogue_has_no_dead_keys() -> None:
    assert keys() - used_keys() == set()


def test_a_missing_key_is_a_loud_error() -> None:
    with pytest.raises(KeyError):
        t("no_such_key")

"""The time rules as an admin writes them in chat (时限设置): 「/timers 接单 24小时 评价 2天」.

Each rule is a word and a value. Windows take 小时 or 天 (a bare number is the rule's own unit:
hours for claiming and rating, days for overdue); switches take 开 or 关.
"""

from __future__ import annotations

import re

from handlers.errors import WorkflowError
from handlers.organisation.office import switch
from handlers.texts import t

WINDOWS: dict[str, tuple[str, float]] = {
    "接单": ("claim_window_hours", 1.0), "认领": ("claim_window_hours", 1.0),
    "认领时限": ("claim_window_hours", 1.0), "评价": ("rating_window_hours", 1.0),
    "评价时限": ("rating_window_hours", 1.0), "超期": ("overdue_days", 24.0),
    "逾期": ("overdue_days", 24.0), "逾期督办": ("overdue_days", 24.0),
}
"""A window's word → (the ``TimeRules`` field, hours in the field's unit)."""

SWITCHES = {"默认好评": "default_good_rating", "工作日": "working_days",
            "按工作日": "working_days"}
RESET_WORDS = frozenset({"默认", "恢复默认", "重置", "reset"})

_DURATION = re.compile(r"^(\d+(?:\.\d+)?)\s*(小时|个小时|h|天|日|d)?$", re.IGNORECASE)
_HOURS_PER = {"小时": 1.0, "个小时": 1.0, "h": 1.0, "天": 24.0, "日": 24.0, "d": 24.0}


def parse_timer_words(words: list[str]) -> tuple[dict[str, object], bool]:
    """The overrides an admin asked for, and whether they asked to reset first.

    Raises:
        WorkflowError: A word is not a rule, a value is missing or is not a duration or
            switch; nothing is changed then.
    """
    reset = bool(words) and words[0] in RESET_WORDS
    rest = words[1:] if reset else words
    if len(rest) % 2:
        raise WorkflowError(t("usage_timers"))
    changes: dict[str, object] = {}
    for word, value in zip(rest[::2], rest[1::2], strict=True):
        field, parsed = _one(word, value)
        changes[field] = parsed
    return changes, reset


def _one(word: str, value: str) -> tuple[str, object]:
    if word in SWITCHES:
        on = switch(value)
        if on is None:
            raise WorkflowError(t("timers_bad_switch", word=word, value=value))
        return SWITCHES[word], on
    if word not in WINDOWS:
        raise WorkflowError(t("timers_unknown", word=word))
    field, unit_hours = WINDOWS[word]
    match = _DURATION.match(value.strip())
    hours = (float(match[1]) * _HOURS_PER[match[2].lower()] if match and match[2]
             else float(match[1]) * unit_hours if match else 0.0)
    if hours <= 0:
        raise WorkflowError(t("timers_bad_duration", word=word, value=value))
    return field, hours / unit_hours

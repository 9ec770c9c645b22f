"""The eight duties (八类职责) by code and Chinese name, as people write them."""

from __future__ import annotations

from handlers.errors import WorkflowError
from handlers.texts import t
from nlu import DUTIES

ALL_WORDS = frozenset({"全部", "都可以", "都行", "所有"})
"""Answers that claim every duty at once."""

_NAME_TO_DUTY = {name: code for code, name in DUTIES.items()}


def duty_name(code: str | None) -> str:
    """The Chinese name of a duty code; unclassified for None."""
    return DUTIES.get(code, code) if code else t("duty_none")


def is_duty(arg: str) -> bool:
    """Whether ``arg`` names a duty by code or Chinese name."""
    return arg in DUTIES or arg in _NAME_TO_DUTY


def duty_code(arg: str) -> str:
    """A duty from its code (``sanitation``) or Chinese name (``环境保洁``).

    Raises:
        WorkflowError: ``arg`` names no duty; the message lists them all.
    """
    code = arg if arg in DUTIES else _NAME_TO_DUTY.get(arg)
    if code is None:
        names = "、".join(f"{name}({code})" for code, name in DUTIES.items())
        raise WorkflowError(t("bad_duty", arg=arg, duties=names))
    return code

"""Regular expressions that search faster and match exactly the same.

Python's regex engine skips ahead to where a match may begin only when a pattern opens with
a literal or a class; a pattern opening with a group of alternatives (``(?:请|求|麻烦)…``), a
lookbehind or a number is tried in full at every position of the text. ``quick`` reads the
characters any match must begin with off the pattern's own parse and puts them in front as a
lookahead, so most positions fail on one class test. A lookahead consumes nothing, so every
match, its span and its groups stay what they were, and a pattern edited later gets the
lookahead that fits it.
"""

from __future__ import annotations

import re
from typing import Any

try:  # the engine's own parser is private: without it every pattern stays as written
    from re import _constants as sre  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]

    _CATEGORIES = {sre.CATEGORY_DIGIT: r"\d", sre.CATEGORY_NOT_DIGIT: r"\D",
                   sre.CATEGORY_SPACE: r"\s", sre.CATEGORY_NOT_SPACE: r"\S",
                   sre.CATEGORY_WORD: r"\w", sre.CATEGORY_NOT_WORD: r"\W"}
    _STARTS = (sre.AT_BEGINNING, sre.AT_BEGINNING_STRING)
    _REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)
except (ImportError, AttributeError):  # pragma: no cover - a Python without them
    sre_parse = None
_UNSAFE_FLAGS = re.IGNORECASE | re.MULTILINE | re.VERBOSE


class _Unknown(Exception):
    """A construct whose first characters are not worked out: the pattern stays as it is."""


First = tuple[list[str], bool, bool]
"""What a piece of pattern may begin with: class members, whether it may begin at the start
of the text (after ``^``) whatever comes next, and whether it may match nothing at all."""


def quick(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern``, or an equivalent one that rules out most positions at once.

    The pattern is returned as it is when the engine skips ahead by itself already (it opens
    with a literal, a class or ``^``), when it may match an empty string, or when it holds
    something not worked out here (a negated class or ``.`` at the start, flags).
    """
    if pattern.flags & _UNSAFE_FLAGS or sre_parse is None:
        return pattern
    parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    if _skips_ahead(list(parsed)):
        return pattern
    try:
        members, anchored, empty = _sequence(parsed)
    except _Unknown:
        return pattern
    if empty or not members:
        return pattern
    ahead = f"(?=[{''.join(dict.fromkeys(members))}])"
    return re.compile(f"{'(?:^|' + ahead + ')' if anchored else ahead}(?:{pattern.pattern})",
                      pattern.flags)


def _skips_ahead(items: list[Any]) -> bool:
    """Whether the engine finds the starts by itself: the pattern opens with a literal, a
    class, ``^`` or alternatives that each open with a literal."""
    while items and items[0][0] is sre.SUBPATTERN:
        items = list(items[0][1][-1])
    if not items:
        return False
    op, arg = items[0]
    if op is sre.BRANCH:
        return all(alternative and list(alternative)[0][0] is sre.LITERAL
                   for alternative in arg[1])
    return op in (sre.LITERAL, sre.IN) or (op is sre.AT and arg in _STARTS)


def _sequence(items: Any) -> First:
    """What a run of items may begin with: the first's starts, and the next's while those
    before may match nothing."""
    members: list[str] = []
    anchored = False
    for op, arg in items:
        found, starts, empty = _item(op, arg)
        members += found
        anchored = anchored or starts
        if not empty:
            return members, anchored, False
    return members, anchored, True


def _item(op: Any, arg: Any) -> First:
    """What one parsed item may begin with (raises ``_Unknown`` when it is not worked out)."""
    if op is sre.LITERAL:
        return [_char(arg)], False, False
    if op is sre.IN:
        return [_member(member_op, member) for member_op, member in arg], False, False
    if op is sre.CATEGORY and arg in _CATEGORIES:
        return [_CATEGORIES[arg]], False, False
    if op is sre.SUBPATTERN and not arg[1] and not arg[2]:
        return _sequence(arg[-1])
    if op in _REPEATS:
        members, anchored, empty = _sequence(arg[2])
        return members, anchored, empty or arg[0] == 0
    if op is sre.BRANCH:
        found = [_sequence(alternative) for alternative in arg[1]]
        return ([m for members, _, _ in found for m in members],
                any(anchored for _, anchored, _ in found), any(empty for _, _, empty in found))
    if op is sre.AT:
        # After ``^`` nothing else needs checking: that way only ever starts at 0.
        return ([], True, False) if arg in _STARTS else ([], False, True)
    if op in (sre.ASSERT, sre.ASSERT_NOT):
        return [], False, True
    raise _Unknown(op)


def _member(op: Any, arg: Any) -> str:
    """One member of a class ``[…]``, written for another class."""
    if op is sre.LITERAL:
        return _char(arg)
    if op is sre.RANGE:
        return f"{_char(arg[0])}-{_char(arg[1])}"
    if op is sre.CATEGORY and arg in _CATEGORIES:
        return _CATEGORIES[arg]
    raise _Unknown(op)  # a negated class: its complement is not worth writing out


def _char(code: int) -> str:
    return f"\\U{code:08x}"

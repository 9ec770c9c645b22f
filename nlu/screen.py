"""Telling, in one pass over a text, which of many patterns may match it at all.

Most of a text's regular expression searches find nothing, and a search that finds nothing
still tries the pattern at every position. But nearly every pattern holds some literal
that any match must contain: 价格 or 元 for a price, 吗 or ？ for a question, 得 in
收拾得干干净净. ``Screen`` reads those strings off each pattern's parse and puts all of them
into one Aho-Corasick automaton; a text holding none of a pattern's strings cannot match it,
and its search is skipped. A pattern whose strings are not worked out (one made of classes
such as ``\\d{11}`` only, or flags) is always searched, so every answer stays exact.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from itertools import product
from typing import Any

from ahocorasick_rs import AhoCorasick

try:  # the engine's own parser is private: without it every pattern is searched, as before
    from re import _constants as sre  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]

    _REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)
    _ZERO_WIDTH = (sre.AT, sre.ASSERT, sre.ASSERT_NOT)
except (ImportError, AttributeError):  # pragma: no cover - a Python without them
    sre_parse = None
MAX_CLASS = 64
"""A class of more characters than this (a range such as 一-龥) says too little to screen by."""
MAX_STRINGS = 256
"""The most strings one run of a pattern is spelled out into."""
COMMON = frozenset("的了不是在一有人这个到和也就都要你我他们上下来去")
"""Characters found in most texts: a pattern is screened by rarer strings where it can."""
_SURROGATE = re.compile("[\ud800-\udfff]")  # the automaton reads UTF-8, which these are not


def find_readable(find: Callable[..., Any], text: str, overlapping: bool = False) -> Any:
    """``find(text, overlapping)`` by an Aho-Corasick automaton, which reads UTF-8 and so
    refuses a lone surrogate: no string an automaton here looks for holds one, so a
    one-character stand-in (U+FFFD) finds the same strings at the same positions.
    ``overlapping`` goes by position: a keyword costs each call a dict built here and parsed
    again by the automaton, a third of a short text's search."""
    try:
        return find(text, overlapping)
    except UnicodeEncodeError:
        return find(_SURROGATE.sub("\ufffd", text), overlapping)

Strings = frozenset[str]
Finder = Callable[..., list[tuple[int, int, int]]]
"""An automaton's ``find_matches_as_indexes``: (string index, start, end) per match."""


def no_matches(_text: str, overlapping: bool = False) -> list[tuple[int, int, int]]:
    """What an automaton of no strings at all would find (ahocorasick_rs needs one)."""
    return []


class Screen:
    """Which of ``patterns`` may match a text, as a bit mask (bit ``i`` for ``patterns[i]``)."""

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        owners: dict[str, int] = {}
        unscreened: list[tuple[int, re.Pattern[str]]] = []
        for index, pattern in enumerate(patterns):
            needed = needs(pattern)
            if needed is None:
                unscreened.append((1 << index, pattern))
            for string in needed or ():
                owners[string] = owners.get(string, 0) | 1 << index
        self._unscreened = tuple((bit, pattern.search) for bit, pattern in unscreened)
        self._masks = tuple(owners.values())
        self._find: Finder = (AhoCorasick(list(owners)).find_matches_as_indexes if owners
                              else no_matches)

    def mask(self, text: str) -> int:
        """The bits of the patterns that may match ``text``: a pattern whose bit is clear
        does not match it. The patterns not screened are searched, and their bits set only
        when they match."""
        found = find_readable(self._find, text, True)
        mask, masks = 0, self._masks
        for index, _start, _end in found:
            mask |= masks[index]
        for bit, search in self._unscreened:
            if search(text):
                mask |= bit
        return mask


def needs(pattern: re.Pattern[str]) -> Strings | None:
    """Strings one of which every match of ``pattern`` contains; None when not worked out."""
    if pattern.flags & ~re.UNICODE or sre_parse is None:  # case folding, verbose spelling
        return None
    try:
        found = _needed(list(sre_parse.parse(pattern.pattern, pattern.flags)))
    except Exception:  # noqa: BLE001 - a construct not read here (_Unknown) or a parse
        return None  # this module cannot follow: the pattern is always searched
    if found is None or "" in found or any(_SURROGATE.search(s) for s in found):
        return None
    return found


class _Unknown(Exception):
    """A construct not read here: the pattern is always searched."""


def _needed(items: list[Any]) -> Strings | None:
    """What a sequence of items needs: the best of its runs' spellings and its items' needs.

    Items next to each other spell strings together: 请(?:一下)?社区 needs 请社区 or
    请一下社区. A zero-width item (``^``, a lookaround) consumes nothing, so it joins a
    run as the empty string.
    """
    options: list[Strings] = []
    run: list[Strings] = []
    for op, arg in [*items, (None, None)]:
        spelled = _spelled(op, arg) if op is not None else None
        if spelled is not None:
            run.append(spelled)
            continue
        options += _windows(run)
        run = []
        if op is not None and (need := _item_needs(op, arg)) is not None:
            options.append(need)
    usable = [option for option in options if option and "" not in option]
    return max(usable, key=_selective, default=None)


def _selective(strings: Strings) -> tuple[int, int, int]:
    """Longer strings are rarer in a text; of equal length, those without the commonest
    characters, and then fewer strings, are."""
    return (min(map(len, strings)), -sum(s in COMMON for s in strings), -len(strings))


def _windows(run: list[Strings]) -> list[Strings]:
    """What each stretch of a run of items may spell (a long run spells too many strings,
    a part of it fewer)."""
    return [_joined(run[start:end]) for start in range(len(run))
            for end in range(start + 1, len(run) + 1)]


def _joined(run: list[Strings]) -> Strings:
    """Every string the run of items may spell, or the empty set when too many."""
    size = 1
    for strings in run:
        size *= len(strings)
    if not run or size > MAX_STRINGS:
        return frozenset()
    return frozenset(map("".join, product(*run)))


def _item_needs(op: Any, arg: Any) -> Strings | None:
    """Strings one of which any match of one item contains (None: not worked out)."""
    if op is sre.SUBPATTERN:
        if arg[1] or arg[2]:  # flags switched inside the group
            raise _Unknown(op)
        return _needed(list(arg[-1]))
    if op is sre.BRANCH:
        found = [_needed(list(alternative)) for alternative in arg[1]]
        if any(strings is None for strings in found):
            return None
        return frozenset().union(*found)  # type: ignore[arg-type]
    if op in _REPEATS and arg[0] >= 1:
        return _needed(list(arg[2]))
    return None


def _spelled(op: Any, arg: Any) -> Strings | None:
    """Every string one item may match, when they are few; None otherwise. A superset is
    fine: what a lookaround rules out only makes the pattern match less."""
    if op is sre.LITERAL:
        return frozenset((chr(arg),))
    if op in _ZERO_WIDTH:
        return frozenset(("",))
    if op is sre.IN:
        return _members(arg)
    if op is sre.SUBPATTERN and not arg[1] and not arg[2]:
        return _spelled_sequence(list(arg[-1]))
    if op is sre.BRANCH:
        found = [_spelled_sequence(list(alternative)) for alternative in arg[1]]
        if any(strings is None for strings in found) or sum(map(len, found)) > MAX_STRINGS:  # type: ignore[arg-type]
            return None
        return frozenset().union(*found)  # type: ignore[arg-type]
    if op in _REPEATS and arg[0] == 0 and arg[1] == 1:
        body = _spelled_sequence(list(arg[2]))
        return None if body is None else body | {""}
    return None


def _spelled_sequence(items: list[Any]) -> Strings | None:
    run = [_spelled(op, arg) for op, arg in items]
    if any(strings is None for strings in run):
        return None
    joined = _joined(run)  # type: ignore[arg-type]
    return joined or None if items else frozenset(("",))


def _members(arg: list[Any]) -> Strings | None:
    """The characters of a class ``[…]``, when it is not negated and small."""
    chars: set[str] = set()
    for op, member in arg:
        if op is sre.LITERAL:
            chars.add(chr(member))
        elif op is sre.RANGE and member[1] - member[0] < MAX_CLASS:
            chars.update(map(chr, range(member[0], member[1] + 1)))
        else:
            return None
    return frozenset(chars) if len(chars) <= MAX_CLASS else None

"""Dialect spellings read as standard Mandarin (冇人收 → 没人收, 阿拉 → 我们, 俺 → 我) before a
need is scanned: the whole lexicon then reads Cantonese, Wu, south-western and northern
writing without a dialect copy of every word.

Each reading is as long as what it replaces, so a position in the folded text is the same
position in the text as written.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

from ahocorasick_rs import AhoCorasick, MatchKind

from nlu.screen import find_readable


class _Folds(NamedTuple):
    """The dialect spellings, found by an automaton (``find``: leftmost-longest, as one
    pattern of them all, longest first, would find them), and what each is read as."""

    find: Callable[[str], list[tuple[int, int, int]]]
    """(spelling index, start, end) of each spelling found, left to right."""
    readings: tuple[str, ...]
    """By spelling index, what it is read as."""


@lru_cache(maxsize=1)
def _folds() -> _Folds | None:
    """Every dialect spelling and what it is read as; None when there are none."""
    text = resources.files("nlu").joinpath("data", "dialect.tsv").read_text(encoding="utf-8")
    chars: dict[int, str] = {}
    words: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        written, read = line.split("\t")
        if len(written) != len(read) or written in words or (
                len(written) == 1 and ord(written) in chars):
            raise ValueError(f"dialect.tsv line {number}: {written!r} must be read as one "
                             "spelling of the same length")
        if len(written) == 1:
            chars[ord(written)] = read
        else:
            words[written] = read
    # One pass instead of the words and then the characters: a word's reading has the
    # characters folded already, and a character no word begins with is folded alone.
    readings = {written: read.translate(chars) for written, read in words.items()}
    readings.update((chr(code), read) for code, read in chars.items())
    if not readings:
        return None
    # A pattern of alternatives tries each of them wherever their first characters allow;
    # the automaton finds the same spellings in one pass.
    spellings = list(readings)
    return _Folds(AhoCorasick(spellings, matchkind=MatchKind.LeftmostLongest)
                  .find_matches_as_indexes, tuple(readings.values()))


def fold_dialect(text: str) -> str:
    """The text with dialect spellings replaced by standard words of the same length.

    Args:
        text: A normalised message (``nlu.lexicon.normalise``).

    Returns:
        The text as standard Mandarin would write it, exactly as long.
    """
    folds = _folds()
    if folds is None:
        return text
    found = find_readable(folds.find, text)
    if not found:
        return text
    parts: list[str] = []
    readings, upto = folds.readings, 0
    for index, start, end in found:
        parts += (text[upto:start], readings[index])
        upto = end
    parts.append(text[upto:])
    return "".join(parts)

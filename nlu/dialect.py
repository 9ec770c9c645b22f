"""Dialect spellings read as standard Mandarin (冇人收 → 没人收, 阿拉 → 我们, 俺 → 我) before a
need is scanned: the whole lexicon then reads Cantonese, Wu, south-western and northern
writing without a dialect copy of every word.

Each reading is as long as what it replaces, so a position in the folded text is the same
position in the text as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def _folds() -> tuple[re.Pattern[str] | None, Callable[[re.Match[str]], str]]:
    """Every dialect spelling as one pattern, longest first, and what a spelling found is
    read as."""
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
    longest_first = sorted(readings, key=len, reverse=True)
    pattern = re.compile("|".join(map(re.escape, longest_first))) if readings else None
    return pattern, lambda found: readings[found.group()]


def fold_dialect(text: str) -> str:
    """The text with dialect spellings replaced by standard words of the same length.

    Args:
        text: A normalised message (``nlu.lexicon.normalise``).

    Returns:
        The text as standard Mandarin would write it, exactly as long.
    """
    pattern, read = _folds()
    return text if pattern is None else pattern.sub(read, text)

"""Dialect spellings read as standard Mandarin (冇人收 → 没人收, 阿拉 → 我们, 俺 → 我) before a
need is scanned: the whole lexicon then reads Cantonese, Wu, south-western and northern
writing without a dialect copy of every word.

Each reading is as long as what it replaces, so a position in the folded text is the same
position in the text as written.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def _folds() -> tuple[dict[int, str], re.Pattern[str] | None, dict[str, str]]:
    """The one-character folds as a translation table, and the longer ones as one pattern."""
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
    longest_first = sorted(words, key=len, reverse=True)
    pattern = re.compile("|".join(map(re.escape, longest_first))) if words else None
    return chars, pattern, words


def fold_dialect(text: str) -> str:
    """The text with dialect spellings replaced by standard words of the same length.

    Args:
        text: A normalised message (``nlu.lexicon.normalise``).

    Returns:
        The text as standard Mandarin would write it, exactly as long.
    """
    chars, pattern, words = _folds()
    if pattern is not None:
        text = pattern.sub(lambda m: words[m.group()], text)
    return text.translate(chars)

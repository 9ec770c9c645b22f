"""Slow-path matching for typed-in-a-hurry text: pinyin homophones, then fuzzy spelling.

Pinyin input methods produce right-sounding wrong characters (拉极 for 垃圾, 孝防 for 消防), so
comparing syllables catches most typos. Converting text to pinyin and fuzzy scoring cost far
more than the exact scan, so the classifier only calls this when the exact scan found no topic.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz, process

from nlu.lexicon import Entry, Hit, Lexicon, load_lexicon

# Confusions common with southern accents and fuzzy-pinyin IME settings, folded both ways.
_FOLDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^([zcs])h"), r"\1"),
    (re.compile(r"^n(?=[aeiou])"), "l"),
    (re.compile(r"^f(?=[aeiou])"), "h"),
    (re.compile(r"(?<=[aeiou])ng$"), "n"),
)
# A hit from sound or spelling alone is weaker evidence than the characters themselves.
PINYIN_DISCOUNT = 0.8
FUZZY_DISCOUNT = 0.6
FUZZY_MIN_LEN = 4
FUZZY_CUTOFF = 75.0
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _fold(syllable: str) -> str:
    """Reduce a toneless syllable to its accent-insensitive form."""
    for pattern, repl in _FOLDS:
        syllable = pattern.sub(repl, syllable)
    return syllable


def _each_char(chars: str) -> list[str]:
    """Stand each character without pinyin for itself."""
    return list(chars)


def syllables(text: str) -> list[str]:
    """Return one folded syllable per character (non-Han characters stand for themselves)."""
    # pypinyin's dictionaries take tens of MB; most processes never need the slow path.
    from pypinyin import Style, lazy_pinyin

    # pypinyin's stub wants the errors callback to return a str, but its converter also
    # takes a list (one item per character), which is what keeps syllables aligned here.
    raw = lazy_pinyin(text, style=Style.NORMAL, errors=_each_char)  # type: ignore[arg-type]
    return [_fold(s) for s in raw]


@lru_cache(maxsize=1)
def _pinyin_index() -> tuple[dict[str, tuple[str, ...]], tuple[int, ...], tuple[str, ...]]:
    """Map folded pinyin of each all-Han topic term (2+ chars) to those terms; built lazily."""
    lexicon = load_lexicon()
    index: dict[str, list[str]] = {}
    for term in lexicon.duty_terms:
        if len(term) >= 2 and all(_HAN.match(c) for c in term):
            index.setdefault(" ".join(syllables(term)), []).append(term)
    sizes = tuple(sorted({k.count(" ") + 1 for k in index}, reverse=True))
    long_terms = tuple(t for t in lexicon.duty_terms if len(t) >= FUZZY_MIN_LEN)
    return {k: tuple(v) for k, v in index.items()}, sizes, long_terms


def _discounted(entries: tuple[Entry, ...], factor: float) -> tuple[Entry, ...]:
    return tuple(Entry(e.kind, e.label, e.weight * factor) for e in entries)


def pinyin_hits(text: str, lexicon: Lexicon) -> list[Hit]:
    """Find topic terms whose pronunciation occurs in ``text``, longest first, no overlaps."""
    index, sizes, _ = _pinyin_index()
    sounds = syllables(text)
    hits: list[Hit] = []
    i = 0
    while i < len(sounds):
        step = 1
        for size in sizes:
            if i + size > len(sounds) or not _HAN.match(text[i]):
                continue
            terms = index.get(" ".join(sounds[i:i + size]))
            if terms:
                entries = tuple(e for t in terms for e in lexicon.duty_terms[t])
                hits.append(Hit(i, terms[0], _discounted(entries, PINYIN_DISCOUNT)))
                step = size
                break
        i += step
    return hits


def fuzzy_hits(text: str, lexicon: Lexicon, limit: int = 3) -> list[Hit]:
    """Find long topic terms that occur in ``text`` with about one character wrong."""
    _, _, long_terms = _pinyin_index()
    found = process.extract(text, long_terms, scorer=fuzz.partial_ratio,
                            score_cutoff=FUZZY_CUTOFF, limit=limit)
    return [Hit(-1, term, _discounted(lexicon.duty_terms[term], FUZZY_DISCOUNT * score / 100))
            for term, score, _ in found]


def fallback_hits(text: str) -> list[Hit]:
    """Pinyin first; fuzzy spelling only when pinyin finds nothing either."""
    lexicon = load_lexicon()
    return pinyin_hits(text, lexicon) or fuzzy_hits(text, lexicon)

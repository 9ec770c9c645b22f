"""Slow-path matching for typed-in-a-hurry text: pinyin homophones, then fuzzy spelling.

Pinyin input methods produce right-sounding wrong characters (拉极 for 垃圾, 孝防 for 消防), so
comparing syllables catches most typos. Converting text to pinyin and fuzzy scoring cost far
more than the exact scan, so the classifier only calls this when the exact scan found no topic.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from itertools import chain

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
EXACT_SOUND_UP_TO = 2  # terms this short match by their exact sound, unfolded
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _fold(syllable: str) -> str:
    """Reduce a toneless syllable to its accent-insensitive form."""
    for pattern, repl in _FOLDS:
        syllable = pattern.sub(repl, syllable)
    return syllable


def syllables(text: str, folded: bool = True) -> list[str]:
    """Return one syllable per character (non-Han characters stand for themselves), folded
    for accents unless ``folded`` is False.

    Each character is read alone, in its commonest reading, and remembered: converting a
    whole text costs pypinyin far more than looking up a few characters it has seen.
    """
    return [_folded(c) for c in text] if folded else [_syllable(c) for c in text]


@lru_cache(maxsize=8192)
def _folded(char: str) -> str:
    return _fold(_syllable(char))


@lru_cache(maxsize=8192)
def _syllable(char: str) -> str:
    # pypinyin's dictionaries take tens of MB; most processes never need the slow path.
    from pypinyin import Style, lazy_pinyin

    if not _HAN.match(char):
        return char
    return lazy_pinyin(char, style=Style.NORMAL)[0]


def _phrase_syllables(term: str, folded: bool) -> list[str]:
    """A term's syllables as pypinyin reads the phrase (行 in 银行 is hang, alone xing)."""
    from pypinyin import Style, lazy_pinyin

    read = lazy_pinyin(term, style=Style.NORMAL)
    return [_fold(s) for s in read] if folded else read


def _sounds_of(term: str) -> set[str]:
    """The keys a term is found by. A two-character term must sound exactly alike: folded,
    two common syllables match too much (两家 liang jia and 年假 nian jia both fold to
    lian jia), while the typos it is for (拉级, 孝防, 然气) sound exactly like their word."""
    folded = len(term) > EXACT_SOUND_UP_TO
    return {" ".join(syllables(term, folded)), " ".join(_phrase_syllables(term, folded))}


@lru_cache(maxsize=1)
def _pinyin_index() -> tuple[dict[tuple[str, ...], tuple[str, ...]],
                             dict[str, tuple[int, ...]], tuple[str, ...]]:
    """Map folded pinyin of each all-Han topic term (2+ chars), its syllables in a tuple, to
    those terms; built lazily.
    With it, for each first syllable the lengths (in syllables) of the terms it begins,
    longest first, so a syllable that begins none costs one look-up; and the long terms.

    A term is found by its phrase reading and by its characters' own readings, since a
    text's characters are read one at a time.
    """
    lexicon = load_lexicon()
    index: dict[str, list[str]] = {}
    for term in lexicon.duty_terms:
        if len(term) >= 2 and all(_HAN.match(c) for c in term):
            for sounds in _sounds_of(term):
                index.setdefault(sounds, []).append(term)
    sizes: dict[str, set[int]] = {}
    for key in index:
        sizes.setdefault(key.split(" ", 1)[0], set()).add(key.count(" ") + 1)
    long_terms = tuple(t for t in lexicon.duty_terms if len(t) >= FUZZY_MIN_LEN)
    # Keyed by the syllables themselves: a text's window is looked up as it is, not joined.
    # None of them holds a space, so two windows are alike exactly when their joins are.
    return ({tuple(k.split(" ")): tuple(v) for k, v in index.items()},
            {first: tuple(sorted(n, reverse=True)) for first, n in sizes.items()}, long_terms)


@lru_cache(maxsize=8192)
def _sizes_at(folded: str, exact: str) -> tuple[int, ...]:
    """The lengths of the terms whose sound may begin here, longest first: two-character
    terms are keyed by their exact first syllable, longer ones by the folded one."""
    sizes = _pinyin_index()[1]
    return tuple(sorted({*sizes.get(folded, ()), *sizes.get(exact, ())}, reverse=True))


def _discounted(entries: tuple[Entry, ...], factor: float) -> tuple[Entry, ...]:
    return tuple(Entry(e.kind, e.label, e.weight * factor) for e in entries)


@lru_cache(maxsize=4096)
def _sounded(lexicon: Lexicon, terms: tuple[str, ...]) -> tuple[Entry, ...]:
    """The discounted entries of the terms sharing one sound, made once."""
    entries = tuple(e for t in terms for e in lexicon.duty_terms[t])
    return _discounted(entries, PINYIN_DISCOUNT)


def pinyin_hits(text: str, lexicon: Lexicon) -> list[Hit]:
    """Find topic terms whose pronunciation occurs in ``text``, longest first, no overlaps."""
    index = _pinyin_index()[0]
    sounds, exact, sizes = zip(*map(_reading, text), strict=True) if text else ((), (), ())
    hits: list[Hit] = []
    i, n = 0, len(text)
    while i < n:
        step = 1
        for size in sizes[i]:
            said = exact if size <= EXACT_SOUND_UP_TO else sounds
            terms = index.get(said[i:i + size]) if i + size <= n else None
            if terms:
                hits.append(tuple.__new__(Hit, (i, terms[0], _sounded(lexicon, terms))))
                step = size
                break
        i += step
    return hits


@lru_cache(maxsize=8192)
def _reading(char: str) -> tuple[str, str, tuple[int, ...]]:
    """A character's folded and exact syllables, and the lengths of the terms whose sound
    may begin with it (none unless it is Chinese)."""
    folded, exact = _folded(char), _syllable(char)
    return folded, exact, _sizes_at(folded, exact) if _HAN.match(char) else ()


def fuzzy_hits(text: str, lexicon: Lexicon, limit: int = 3) -> list[Hit]:
    """Find long topic terms that occur in ``text`` with about one character wrong."""
    _, _, long_terms = _pinyin_index()
    found = process.extract(text, _fuzzy_candidates(text, long_terms), scorer=fuzz.partial_ratio,
                            score_cutoff=FUZZY_CUTOFF, limit=limit)
    return [Hit(-1, term, _discounted(lexicon.duty_terms[term], FUZZY_DISCOUNT * score / 100))
            for term, score, _ in found]


def _fuzzy_candidates(text: str, long_terms: tuple[str, ...]) -> list[str]:
    """The terms that could reach the cutoff, in their order: scoring all of them is what
    made the fallback slow.

    partial_ratio scores the shorter string of length m against windows of the longer; a
    score s needs at least m·s/(2-s) of the shorter string's characters matched (a window
    cut short by an edge included), so a term with fewer of its characters in the text
    cannot reach it. The counting runs in C (Counter over positions), and a term's own
    length is looked at only when it has as many characters as the shortest term needs.
    """
    by_char = _fuzzy_index(long_terms)
    present = Counter(chain.from_iterable(by_char.get(char, ()) for char in set(text)))
    cutoff = FUZZY_CUTOFF / 100
    needed = cutoff / (2 - cutoff)
    floor = needed * min(FUZZY_MIN_LEN, len(text)) - 1e-9
    return [long_terms[p] for p in sorted(p for p, count in present.items() if count >= floor
                                          and count >= needed * min(len(long_terms[p]),
                                                                    len(text)) - 1e-9)]


@lru_cache(maxsize=1)
def _fuzzy_index(long_terms: tuple[str, ...]) -> dict[str, tuple[int, ...]]:
    """Each character → the long terms holding it (by position), a position once for each
    time the character occurs in the term."""
    index: dict[str, list[int]] = {}
    for position, term in enumerate(long_terms):
        for char in term:
            index.setdefault(char, []).append(position)
    return {char: tuple(found) for char, found in index.items()}


def fallback_hits(text: str) -> list[Hit]:
    """Pinyin first; fuzzy spelling only when pinyin finds nothing either."""
    lexicon = load_lexicon()
    found = [hit for hit in pinyin_hits(text, lexicon) if _keeps_a_character(text, hit)]
    return found or fuzzy_hits(text, lexicon)


def _keeps_a_character(text: str, hit: Hit) -> bool:
    """Whether a two-character sound-alike keeps one of its term's characters where the
    term has it (冲电 for 充电, 医宝 for 医保): two common characters that only sound like a
    term (意见 like 义剪, 积分 like 鸡粪, 室能 across 活动室能不能) are words of their own."""
    if len(hit.term) > EXACT_SOUND_UP_TO:
        return True
    written = text[hit.start:hit.start + len(hit.term)]
    return any(a == b for a, b in zip(written, hit.term, strict=True))

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
from operator import eq

from ahocorasick_rs import AhoCorasick
from rapidfuzz import fuzz, process

from nlu.lexicon import Entry, Hit, Lexicon, load_lexicon
from nlu.screen import Finder, no_matches

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
def _pinyin_index() -> tuple[dict[tuple[str, ...], tuple[str, ...]], tuple[str, ...]]:
    """Map the pinyin of each all-Han topic term (2+ chars), its syllables in a tuple, to
    those terms (folded for accents above ``EXACT_SOUND_UP_TO`` characters); built lazily.
    With it, the long terms fuzzy spelling looks for.

    A term is found by its phrase reading and by its characters' own readings, since a
    text's characters are read one at a time.
    """
    lexicon = load_lexicon()
    index: dict[str, list[str]] = {}
    for term in lexicon.duty_terms:
        if len(term) >= 2 and all(_HAN.match(c) for c in term):
            for sounds in _sounds_of(term):
                index.setdefault(sounds, []).append(term)
    long_terms = tuple(t for t in lexicon.duty_terms if len(t) >= FUZZY_MIN_LEN)
    return {tuple(k.split(" ")): tuple(v) for k, v in index.items()}, long_terms


def _discounted(entries: tuple[Entry, ...], factor: float) -> tuple[Entry, ...]:
    return tuple(Entry(e.kind, e.label, e.weight * factor) for e in entries)


@lru_cache(maxsize=4096)
def _sounded(lexicon: Lexicon, terms: tuple[str, ...]) -> tuple[Entry, ...]:
    """The discounted entries of the terms sharing one sound, made once."""
    entries = tuple(e for t in terms for e in lexicon.duty_terms[t])
    return _discounted(entries, PINYIN_DISCOUNT)


_UNSAID = "\uffff"
"""Stands for a syllable no term holds, and parts a text's exact syllables from its folded
ones: it matches nothing."""


@lru_cache(maxsize=1)
def _sound_finder() -> tuple[dict[str, str], dict[str, str], Finder,
                             tuple[tuple[int, tuple[str, ...]], ...]]:
    """The terms' sounds as strings of one private character a syllable, exact syllables and
    folded ones coded apart: the codes of each, an automaton of the sounds (a short term's,
    of ``EXACT_SOUND_UP_TO`` syllables, exact; a longer one's folded), and per pattern its
    length and the terms sharing it."""
    index = _pinyin_index()[0]
    exact: dict[str, str] = {}
    folded: dict[str, str] = {}
    patterns = []
    for key in index:
        codes = exact if len(key) <= EXACT_SOUND_UP_TO else folded
        for said in key:
            codes.setdefault(said, chr(0xF0000 + len(exact) + len(folded)))
        patterns.append("".join(map(codes.__getitem__, key)))
    finder: Finder = AhoCorasick(patterns).find_matches_as_indexes if patterns else no_matches
    return exact, folded, finder, tuple((len(key), terms) for key, terms in index.items())


@lru_cache(maxsize=8192)
def _coded(char: str) -> str:
    """A character's exact and folded syllables, coded (``_sound_finder``)."""
    exact, folded, _, _ = _sound_finder()
    return exact.get(_syllable(char), _UNSAID) + folded.get(_folded(char), _UNSAID)


def pinyin_hits(text: str, lexicon: Lexicon) -> list[Hit]:
    """Find topic terms whose pronunciation occurs in ``text``, longest first, no overlaps:
    at each Chinese character the longest term sounding like what begins there (the first
    of the terms sharing its sound); the characters it covers begin none.

    A term of ``EXACT_SOUND_UP_TO`` characters is heard in the characters' exact syllables,
    a longer one in their folded ones: one automaton passes over both at once.
    """
    _, _, finder, found = _sound_finder()
    coded = "".join(map(_coded, text))
    after = len(text) + 1  # where the folded syllables begin
    longest: dict[int, int] = {}
    for pattern, start, end in finder(f"{coded[::2]}{_UNSAID}{coded[1::2]}", overlapping=True):
        at = start if start < after else start - after
        if at in longest:
            if end - start > found[longest[at]][0]:
                longest[at] = pattern
        elif _HAN.match(text[at]):  # a term's sound begins at a Chinese character
            longest[at] = pattern
    hits: list[Hit] = []
    placed_to = 0
    for start in sorted(longest):
        if start >= placed_to:
            size, terms = found[longest[start]]
            hits.append(tuple.__new__(Hit, (start, terms[0], _sounded(lexicon, terms))))
            placed_to = start + size
    return hits


def fuzzy_hits(text: str, lexicon: Lexicon, limit: int = 3) -> list[Hit]:
    """Find long topic terms that occur in ``text`` with about one character wrong."""
    _, long_terms = _pinyin_index()
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
    start, term, _ = hit
    if len(term) > EXACT_SOUND_UP_TO:
        return True
    # A sound-alike lies inside the text: what is written there is as long as the term.
    return any(map(eq, text[start:start + len(term)], term))

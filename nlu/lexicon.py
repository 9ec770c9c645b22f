"""Loading the lexicon data files and scanning text for the longest terms.

Every term of every file goes into one table, so one left-to-right scan finds topic words and
cue words at once. The scan takes the longest term at each position and skips past it; that is
what keeps 垃圾 from counting again inside 垃圾分类. An Aho-Corasick automaton in leftmost-longest
mode makes exactly that scan without a Python step per character.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

from ahocorasick_rs import AhoCorasick, MatchKind

from nlu.model import DUTIES
from nlu.quick import quick
from nlu.screen import Screen, find_readable

CUE_KINDS: frozenset[str] = frozenset(
    {"need", "problem", "notice", "thanks", "trade", "ask", "chat", "neutral",
     "ovr_policy", "ovr_affairs", "ovr_safety"}
)
# Signals a long topic term must not swallow: "没有红绿灯" still says something is missing.
INHERITED_BY_TOPICS: frozenset[str] = frozenset({"need", "problem"})
# Talk phrases ("解决了", "谢谢你们帮忙") must not pick up the plea words inside them.
TALK_OR_NEUTRAL: frozenset[str] = frozenset({"notice", "thanks", "trade", "ask", "chat", "neutral"})
DUTY_KIND = "duty"
# The duty each intent override points to. A topic term of that very duty keeps the override
# it swallows: "火灾隐患" still states a hazard, "相关政策" still asks about policy.
OVERRIDE_DUTY: dict[str, str] = {
    "ovr_policy": "policy_outreach",
    "ovr_affairs": "community_affairs",
    "ovr_safety": "safety",
}
# The automaton reads UTF-8, which a lone surrogate (bytes decoded with surrogateescape) is not.
_WIDE_PUNCTUATION = tuple((wide, unicodedata.normalize("NFKC", wide))
                          for wide in "，？！：；（）～\u3000")


@dataclass(frozen=True)
class Entry:
    """What a term means: a duty with a weight, or a cue of some kind with a weight."""

    kind: str
    label: str
    weight: float


Spans = list[tuple[int, int, int]]
"""(term index, start, end) of each table term an automaton found in a text."""


class Hit(NamedTuple):
    """One term found in a text, at ``start``. A tuple, not a frozen dataclass: a text
    yields several, and a tuple is made several times faster."""

    start: int
    term: str
    entries: tuple[Entry, ...]


def _rows(name: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number, fields) of a data file, skipping blank and comment lines."""
    text = resources.files("nlu").joinpath("data", name).read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip() and not line.startswith("#"):
            yield number, line.rstrip("\n").split("\t")


def _parse(name: str, labels: frozenset[str], raw: bool = False) -> list[tuple[str, str, float]]:
    """Read (label, term, weight) rows and fail loudly on bad data, naming the line."""
    out: list[tuple[str, str, float]] = []
    seen: dict[tuple[str, str], int] = {}
    for number, fields in _rows(name):
        if len(fields) != 3 or fields[0] not in labels or not fields[1]:
            raise ValueError(f"{name} line {number}: bad row {fields!r}")
        weight = float(fields[2])
        if weight <= 0:
            raise ValueError(f"{name} line {number}: weight must be positive")
        term = fields[1] if raw else normalise(fields[1])
        # A row written twice would count its term twice.
        if (first := seen.setdefault((fields[0], term), number)) != number:
            raise ValueError(f"{name} line {number}: repeats line {first}")
        out.append((fields[0], term, weight))
    return out


def normalise(text: str) -> str:
    """Fold width and case so full-width digits and Latin letters match the lexicon."""
    if not unicodedata.is_normalized("NFKC", text):
        # Most Chinese texts are not NFKC only for their punctuation; each of these folds to
        # a single character NFKC ends with, so replacing them first folds the same text.
        for wide, narrow in _WIDE_PUNCTUATION:
            if wide in text:  # a look costs less than a call
                text = text.replace(wide, narrow)
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
    return text.lower()


class Lexicon:
    """All terms, compiled into a dict and an automaton that finds them in one pass."""

    def __init__(self, duty_rows: list[tuple[str, str, float]],
                 cue_rows: list[tuple[str, str, float]],
                 pattern_rows: Sequence[tuple[str, str, float]] = ()) -> None:
        table: dict[str, list[Entry]] = {}
        anchored: dict[str, list[Entry]] = {}
        for duty, term, weight in duty_rows:
            table.setdefault(term, []).append(Entry(DUTY_KIND, duty, weight))
        for kind, term, weight in cue_rows:
            target = anchored if term.startswith("^") else table
            target.setdefault(term.lstrip("^"), []).append(Entry(kind, "", weight))
        _inherit_nested(table)
        self.patterns: tuple[tuple[re.Pattern[str], Entry], ...] = tuple(
            (quick(re.compile(rx)), Entry(kind, "", w)) for kind, rx, w in pattern_rows)
        self._screen = Screen([pattern for pattern, _entry in self.patterns])
        self._searched = tuple((pattern.search, (entry,)) for pattern, entry in self.patterns)
        self._all_patterns = (1 << len(self.patterns)) - 1
        self.table: dict[str, tuple[Entry, ...]] = {t: tuple(e) for t, e in table.items()}
        self.anchored: dict[str, tuple[Entry, ...]] = {t: tuple(e) for t, e in anchored.items()}
        by_first: dict[str, list[tuple[str, tuple[Entry, ...]]]] = {}
        for term, entries in self.anchored.items():
            by_first.setdefault(term[:1], []).append((term, entries))
        self._anchored_by_first = {c: tuple(found) for c, found in by_first.items()}
        self._terms = tuple(self.table)
        self._entries = tuple(self.table.values())
        self._automaton = AhoCorasick(self._terms, matchkind=MatchKind.LeftmostLongest)
        self.duty_terms: dict[str, tuple[Entry, ...]] = {
            t: tuple(e for e in es if e.kind == DUTY_KIND)
            for t, es in self.table.items() if any(e.kind == DUTY_KIND for e in es)
        }

    def _talk_opening(self, spans: Spans, anchored: str) -> bool:
        """Tell whether the longest term opening the text, longer than ``anchored``, is talk.

        A leading 求/帮 is a plea, but not inside 求推荐 or 帮朋友转发: when the opening words are
        talk (asking neighbours, addressing the group) at least as strongly as the anchored cue
        is a plea, the plea reading must not fire. Weak talk openings (请问) keep the plea.
        ``spans`` are the text's table terms (``term_spans``): the first, if at 0, is the
        longest term there.
        """
        if not spans or spans[0][1] != 0 or len(self._terms[spans[0][0]]) <= len(anchored):
            return False
        talk = sum(e.weight for e in self._entries[spans[0][0]]
                   if e.kind in TALK_OR_NEUTRAL - {"neutral"})
        return talk >= sum(e.weight for e in self.anchored[anchored])

    def term_spans(self, text: str) -> Spans:
        """(index into ``terms``, start, end) of the leftmost-longest, non-overlapping terms
        of the table (no anchored cue, no pattern) in an already normalised text: at each
        position the longest term there is taken and the scan goes on after it."""
        return find_readable(self._automaton.find_matches_as_indexes, text)

    def hits_at(self, spans: Spans) -> list[Hit]:
        """The hits of the table's terms found at ``spans`` (``term_spans``)."""
        terms, entries = self._terms, self._entries
        new = tuple.__new__  # a NamedTuple's own __new__ is a Python call
        return [new(Hit, (start, terms[index], entries[index])) for index, start, _end in spans]

    def terms_in(self, text: str) -> list[Hit]:
        """The leftmost-longest, non-overlapping terms of the table (no anchored cue, no
        pattern) in an already normalised text (``term_spans``), as hits."""
        return self.hits_at(self.term_spans(text))

    @property
    def terms(self) -> tuple[str, ...]:
        """The table's terms, in the order ``term_spans`` indexes them."""
        return self._terms

    @property
    def entries(self) -> tuple[tuple[Entry, ...], ...]:
        """The table's entries, in the order ``term_spans`` indexes them."""
        return self._entries

    def scan(self, text: str, may: int | None = None) -> list[Hit]:
        """Return the leftmost-longest, non-overlapping hits in an already normalised text
        (``may``: ``self._screen.mask(text)``, or the same bits of a screen that starts with
        these patterns, when it is known already)."""
        spans = self.term_spans(text)
        hits = self.cue_hits(text, spans, may)
        hits += self.hits_at(spans)
        return hits

    def cue_hits(self, text: str, spans: Spans, may: int | None = None) -> list[Hit]:
        """The hits ``scan`` finds before the table's terms: an anchored cue opening the text
        and the patterns' (``spans``: the text's ``term_spans``; ``may`` as for ``scan``)."""
        opening = self._anchored_by_first.get(text[:1])
        hits: list[Hit] = [Hit(0, t, e) for t, e in opening
                           if text.startswith(t) and not self._talk_opening(spans, t)
                           ] if opening else []
        # Most texts hold none of the strings a pattern needs (``nlu.screen``): those
        # patterns are not searched, and the set bits are visited lowest first.
        may = self._screen.mask(text) if may is None else may & self._all_patterns
        searched, new = self._searched, tuple.__new__
        while may:
            lowest = may & -may
            search, entries = searched[lowest.bit_length() - 1]
            if match := search(text):
                hits.append(new(Hit, (match.start(), match.group(), entries)))
            may ^= lowest
        return hits


def _inherit_nested(table: dict[str, list[Entry]]) -> None:
    """Let a longer term keep the meaning of the shorter terms it swallows.

    Terms other than talk phrases keep nested need/problem cues and the nested intent
    overrides that point to their own duty, and cue terms keep nested topic weights, each
    only for a kind (or duty) they do not already carry, so nothing counts twice.
    """
    for term, entries in table.items():
        if len(term) < 3:
            continue
        own = {(e.kind, e.label) for e in entries}
        has_duty = any(e.kind == DUTY_KIND for e in entries)
        is_talk = any(e.kind in TALK_OR_NEUTRAL for e in entries)
        borrowed: dict[tuple[str, str], float] = {}
        for size in range(2, len(term)):
            for start in range(len(term) - size + 1):
                for e in table.get(term[start:start + size], ()):
                    wanted = (e.kind in INHERITED_BY_TOPICS and not is_talk) or (
                        e.kind == DUTY_KIND and not has_duty) or (
                        not is_talk and (DUTY_KIND, OVERRIDE_DUTY.get(e.kind)) in own)
                    key = (e.kind, e.label)
                    if wanted and key not in own:
                        borrowed[key] = max(borrowed.get(key, 0.0), e.weight)
        entries.extend(Entry(k, label, w) for (k, label), w in borrowed.items())


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """Load and compile the package's data files once per process."""
    duty_rows = _parse("lexicon.tsv", frozenset(DUTIES))
    cue_rows = _parse("cues.tsv", CUE_KINDS)
    pattern_rows = _parse("patterns.tsv", CUE_KINDS, raw=True)
    return Lexicon(duty_rows, cue_rows, pattern_rows)

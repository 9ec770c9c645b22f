"""Reading the shapes of group talk (``nlu.talk_shapes``) in a text: where each shape's
features show, whether enough of them do, and what the talk leaves of the scan's pleas.
"""

from __future__ import annotations

from functools import cache
from itertools import islice

from nlu.lexicon import INHERITED_BY_TOPICS, Entry, Hit
from nlu.screen import Screen
from nlu.talk_shapes import ASKS, PLEA, SHAPES, Shape

YIELDING = "yields"
"""The label of a yielding shape's hits."""
WHOLE = "whole"
"""The label of the hits of a shape that speaks for the whole message (``Shape.whole``)."""
PROBLEM_STATED = 2.0
"""Problem weight (没人收, 臭死了) that a yielding shape gives way to."""
MAX_PER_FEATURE = 3
"""Each place a feature shows is talk (截止…逾期), up to this many: a long notice is no
louder than a short one."""
SCREENED = (PLEA, ASKS, *(p for shape in SHAPES for p in shape.features))
"""The patterns ``talk_hits`` searches, in the order of its screen's bits."""
FEATURES = ((1 << len(SCREENED)) - 1) & ~0b11
"""The screen's bits of the shapes' features (after those of ``PLEA`` and ``ASKS``): a text
none of whose bits are set holds no shape."""
_FIRST_BIT = tuple(2 + sum(len(s.features) for s in SHAPES[:i]) for i in range(len(SHAPES)))
_SHAPE_BITS = tuple(((1 << len(shape.features)) - 1) << first
                    for shape, first in zip(SHAPES, _FIRST_BIT, strict=True))
_CORE_BITS = tuple(((1 << shape.core) - 1) << first if shape.core else bits
                   for shape, first, bits in zip(SHAPES, _FIRST_BIT, _SHAPE_BITS, strict=True))
"""Per shape, the screen's bits of the features one of which must show (``Shape.core``)."""
_ENTRIES = tuple((Entry(shape.kind, YIELDING if shape.yields else WHOLE if shape.whole else "",
                        shape.weight),)
                 for shape in SHAPES)
_READ = tuple(zip(SHAPES, _FIRST_BIT, _SHAPE_BITS, _CORE_BITS, _ENTRIES, strict=True))


@cache
def _screen() -> Screen:
    """A screen of ``SCREENED`` of its own, built on first use (about 20 ms): the reading
    passes the bits of its shared screen (``nlu.reading.shared_screen``) instead."""
    return Screen(SCREENED)


def talk_hits(text: str, may: int | None = None) -> list[Hit]:
    """The hits of every talk shape the text has, one per feature found.

    Args:
        text: A normalised message (``nlu.lexicon.normalise``).
        may: the bits of a screen of ``SCREENED`` for the text, when it
            is known already.

    Returns:
        Hits of talk kinds wherever the features show; none for a shape with too few
        different features.
    """
    # A pattern whose strings the text lacks is not searched (``nlu.screen``): most needs
    # hold no feature's strings at all.
    if may is None:
        may = _screen().mask(text)
    if not may & FEATURES:
        return []
    pleads = asks = None  # searched once a shape that they may cancel may hold
    hits: list[Hit] = []
    for shape, first, bits, core, entry in _READ:
        # Too few of its features may show, or none of its core ones: the shape does not
        # hold whatever the searches would find.
        if not may & core or (may & bits).bit_count() < shape.least:
            continue
        if shape.not_with_plea:
            if pleads is None:
                pleads = bool(may & 1) and PLEA.search(text) is not None
            if pleads:
                continue
        if shape.tells:
            if asks is None:
                asks = bool(may & 2) and ASKS.search(text) is not None
            if asks:
                continue
        if shape.unless is not None and shape.unless.search(text):
            continue
        shown = [bool(may >> bit & 1) and p.search(text) is not None
                 for bit, p in enumerate(shape.features, first)]
        if _holds(shape, shown):
            hits.extend(Hit(m.start(), m.group(), entry)
                        for p, seen in zip(shape.features, shown, strict=True) if seen
                        for m in islice(p.finditer(text), MAX_PER_FEATURE))
    return hits


def _holds(shape: Shape, shown: list[bool]) -> bool:
    """Whether enough different features of ``shape`` show, a core one among them."""
    return sum(shown) >= shape.least and (shape.core == 0 or any(shown[:shape.core]))


def with_talk(hits: list[Hit], talk: list[Hit]) -> list[Hit]:
    """The scan's hits plus the talk hits, a plea or problem read inside a talk feature left
    out: 请 in 请提前储水, 帮我 in 帮我收了快递 and 不 in 是不是 plead for nothing. Shapes
    that yield to a problem are left out when the rest states one."""
    if not talk:
        return hits
    merged = _absorbed(hits, talk)
    problem = sum(e.weight for h in merged for e in h.entries if e.kind == "problem")
    if problem < PROBLEM_STATED:
        return merged
    return _absorbed(hits, [h for h in talk if h.entries[0].label != YIELDING])


def _absorbed(hits: list[Hit], talk: list[Hit]) -> list[Hit]:
    if not talk:
        return hits
    covered: set[int] = set()
    for h in talk:
        covered.update(range(h.start, h.start + len(h.term)))
    kept = [_without_pleas(h) if h.start in covered and h.start + len(h.term) - 1 in covered
            else h for h in hits]
    return kept + talk


def _without_pleas(hit: Hit) -> Hit:
    return hit._replace(entries=tuple(e for e in hit.entries
                                      if e.kind not in INHERITED_BY_TOPICS))


def talk_after(talk: list[Hit], offset: int) -> list[Hit]:
    """The talk hits from ``offset`` on, placed in the rest of the text: a shape belongs to
    the whole message, so the clauses after a notice's header are still the notice's. A
    shape that speaks for the whole message (``Shape.whole``) goes with every rest of it,
    at its start."""
    return [h._replace(start=max(h.start - offset, 0)) for h in talk
            if h.start >= offset or h.entries[0].label == WHOLE]

"""Reading the shapes of group talk (``nlu.talk_shapes``) in a text: where each shape's
features show, whether enough of them do, and what the talk leaves of the scan's pleas.
"""

from __future__ import annotations

from itertools import islice

from nlu.lexicon import INHERITED_BY_TOPICS, Entry, Hit
from nlu.screen import Screen
from nlu.talk_shapes import ASKS, PLEA, SHAPES, Shape

YIELDING = "yields"
"""The label of a yielding shape's hits."""
PROBLEM_STATED = 2.0
"""Problem weight (没人收, 臭死了) that a yielding shape gives way to."""
MAX_PER_FEATURE = 3
"""Each place a feature shows is talk (截止…逾期), up to this many: a long notice is no
louder than a short one."""
_SCREENED = (PLEA, ASKS, *(p for shape in SHAPES for p in shape.features))
_SCREEN = Screen(_SCREENED)
_FEATURES = ((1 << len(_SCREENED)) - 1) & ~0b11
"""The screen's bits of the shapes' features (after those of ``PLEA`` and ``ASKS``)."""
_FIRST_BIT = tuple(2 + sum(len(s.features) for s in SHAPES[:i]) for i in range(len(SHAPES)))
_SHAPE_BITS = tuple(((1 << len(shape.features)) - 1) << first
                    for shape, first in zip(SHAPES, _FIRST_BIT, strict=True))


def talk_hits(text: str) -> list[Hit]:
    """The hits of every talk shape the text has, one per feature found.

    Args:
        text: A normalised message (``nlu.lexicon.normalise``).

    Returns:
        Hits of talk kinds wherever the features show; none for a shape with too few
        different features.
    """
    # A pattern whose strings the text lacks is not searched (``nlu.screen``): most needs
    # hold no feature's strings at all.
    may = _SCREEN.mask(text)
    if not may & _FEATURES:
        return []
    pleads = may & 1 and PLEA.search(text) is not None
    asks = may & 2 and ASKS.search(text) is not None
    hits: list[Hit] = []
    for shape, first, bits in zip(SHAPES, _FIRST_BIT, _SHAPE_BITS, strict=True):
        # A shape none of whose features may show does not hold (each needs one at least).
        if not may & bits or (shape.not_with_plea and pleads) or (shape.tells and asks):
            continue
        shown = [bool(may >> bit & 1) and p.search(text) is not None
                 for bit, p in enumerate(shape.features, first)]
        if not _holds(shape, shown):
            continue
        entry = (Entry(shape.kind, YIELDING if shape.yields else "", shape.weight),)
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
    the whole message, so the clauses after a notice's header are still the notice's."""
    return [h._replace(start=h.start - offset) for h in talk if h.start >= offset]

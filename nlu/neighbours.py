"""The reviewed texts nearest a new one (近邻): a community's own words, voted by similarity.

A community repeats itself: the same 老院坝, the same 扯皮, the same leaking 老虎窗. The
reviewed texts that share the most distinctive character n-grams with a new message are its
neighbours, and their duties vote, each by how alike the two texts are. Similarity is the
cosine of the texts' n-gram sets, each n-gram weighed by its rarity among the reviewed texts
(idf): a shared 扯皮 counts for much, a shared 社区 for little. A text sharing no n-gram with
any reviewed text has no neighbour and gets no vote.

Only n-grams held by at most ``COMMON`` texts are looked up (an n-gram in every other text
says little and would cost a walk through half the index), so a look-up stays cheap with
thousands of reviewed texts.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from nlu.model import DUTIES

NEIGHBOURS = 5
"""How many of the nearest reviewed texts vote."""
MIN_SIMILARITY = 0.1
"""Below this a reviewed text is no neighbour: it shares a common word or two, no more."""
MIN_SHARED = 2
"""A neighbour shares at least this many n-grams: one alone is a word piece, however short
the text (水的)."""
COMMON = 60
"""An n-gram held by more reviewed texts than this is not looked up: it says little, and its
texts would cost a walk through a good part of the index."""


@dataclass(frozen=True)
class Neighbours:
    """An index of reviewed texts by their n-grams.

    Attributes:
        duties: Per reviewed text, its duty.
        postings: n-gram → indices of the texts holding it (common n-grams left out).
        idf: n-gram → its weight, rarer weighing more (every n-gram of every text).
        norms: Per reviewed text, the length of its weighted n-gram vector.
    """

    duties: tuple[str, ...] = ()
    postings: dict[str, tuple[int, ...]] | None = None
    idf: dict[str, float] | None = None
    norms: tuple[float, ...] = ()

    @classmethod
    def from_examples(cls, examples: Iterable[tuple[str, set[str]]]) -> Neighbours:
        """Index (duty, the text's n-grams) pairs; pairs whose duty is not one of the eight
        are skipped."""
        duties: list[str] = []
        held: list[set[str]] = []
        for duty, grams in examples:
            if duty in DUTIES:
                duties.append(duty)
                held.append(grams)
        count = len(held)
        frequency: Counter[str] = Counter()
        for grams in held:
            frequency.update(grams)
        idf = {gram: _idf(count, n) for gram, n in frequency.items()}
        postings: dict[str, list[int]] = defaultdict(list)
        for i, grams in enumerate(held):
            for gram in grams:
                if frequency[gram] <= COMMON:
                    postings[gram].append(i)
        norms = tuple(math.sqrt(sum(idf[g] ** 2 for g in grams)) or 1.0 for grams in held)
        return cls(tuple(duties), {g: tuple(ids) for g, ids in postings.items()}, idf, norms)

    def nearest(self, grams: set[str]) -> list[tuple[float, str]]:
        """The ``NEIGHBOURS`` nearest reviewed texts as (similarity 0..1, duty), nearest
        first; only those at least ``MIN_SIMILARITY`` alike."""
        if not self.postings or self.idf is None:
            return []
        postings, idf = self.postings, self.idf
        unseen = _idf(len(self.duties), 0) ** 2
        shared: dict[int, float] = defaultdict(float)
        held: Counter[int] = Counter()
        length = 0.0
        for gram in grams:
            weight = idf.get(gram)
            if weight is None:
                length += unseen
                continue
            length += weight * weight
            ids = postings.get(gram, ())
            held.update(ids)
            for i in ids:
                shared[i] += weight * weight
        if not shared:
            return []
        length = math.sqrt(length)
        norms, duties = self.norms, self.duties
        found = heapq.nlargest(NEIGHBOURS, ((dot / (length * norms[i]), duties[i])
                                            for i, dot in shared.items()
                                            if held[i] >= MIN_SHARED))
        return [(similarity, duty) for similarity, duty in found
                if similarity >= MIN_SIMILARITY]


def _idf(count: int, holding: int) -> float:
    """Rarer n-grams weigh more; one held by none of the texts weighs the most."""
    return math.log((1 + count) / (1 + holding)) + 1.0

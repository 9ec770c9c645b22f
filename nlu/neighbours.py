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

from nlu.duty_grams import district_holding
from nlu.model import DUTIES

NEIGHBOURS = 5
"""How many of the nearest reviewed texts vote."""
MIN_SIMILARITY = 0.1
"""Below this a reviewed text is no neighbour: it shares a common word or two, no more."""
MIN_SHARED = 2
"""A neighbour shares at least this many n-grams: one alone is a word piece, however short
the text (水的)."""
TIED = 1e-9
COMMON = 60
"""An n-gram held by more reviewed texts than this is not looked up: it says little, and its
texts would cost a walk through a good part of the index."""


REFRESH = 1.1
"""The texts' lengths are measured again once the index has grown by this factor since they
last were: a rarity (idf) drifts slowly as texts are added, and re-measuring every text on
every addition would cost what a rebuild does."""


class Neighbours:
    """An index of reviewed texts by their n-grams; texts are added and forgotten one at a
    time, each costing only its own n-grams.

    Attributes:
        duties: Per reviewed text, its duty (None once forgotten).
        held: Per reviewed text, its n-grams.
        postings: n-gram → indices of the texts holding it.
        frequency: n-gram → how many texts hold it; its rarity (idf) follows from it.
        norms: Per reviewed text, the length of its weighted n-gram vector.
    """

    def __init__(self) -> None:
        self.duties: list[str | None] = []
        self.held: list[frozenset[str]] = []
        self.postings: dict[str, list[int]] = defaultdict(list)
        self.frequency: Counter[str] = Counter()
        self.norms: list[float] = []
        self.count = 0
        self._measured_at = 0
        self._weights: dict[str, float] = {}
        """n-gram → its squared rarity, until the next text changes it."""

    def add(self, duty: str, grams: Iterable[str], measure: bool = True) -> int | None:
        """Index one reviewed text; returns its index (None: not one of the duties)."""
        if duty not in DUTIES:
            return None
        held = frozenset(grams)
        self._weights.clear()
        i = len(self.duties)
        self.duties.append(duty)
        self.held.append(held)
        self.frequency.update(held)
        for gram in held:
            self.postings[gram].append(i)
        self.count += 1
        if not measure:
            self.norms.append(1.0)  # measured with the rest, once all are in
        elif self.count > REFRESH * self._measured_at:
            self.norms.append(1.0)
            self.measure()
        else:
            self.norms.append(self._norm(held))
        return i

    def holding(self, gram: str) -> tuple[int, int, int]:
        """Which reviewed texts hold ``gram``, as how many and the first and last of them:
        grams held by the same texts are pieces of one word or phrase (握手, 手楼, 握手楼)
        and say the same thing once. Two grams held by as many texts, the same first and
        the same last, are held by the same ones but for chance; comparing whole lists
        would cost a walk through a common gram's."""
        held = self.postings.get(gram)
        return (len(held), held[0], held[-1]) if held else (0, -1, -1)

    def forget(self, i: int) -> None:
        """Forget the text at index ``i`` (a later decision replaced its duty)."""
        if self.duties[i] is None:
            return
        self.duties[i] = None
        self._weights.clear()
        self.count -= 1
        self.frequency.subtract(self.held[i])
        for gram in self.held[i]:
            self.postings[gram].remove(i)

    def measure(self) -> None:
        """Measure every text's length with the rarities as they are now."""
        self.norms = [self._norm(grams) for grams in self.held]
        self._measured_at = self.count

    def _norm(self, grams: frozenset[str]) -> float:
        everywhere = self.count + district_holding()[0]
        frequency, background = self.frequency, district_holding()[1]
        return math.sqrt(sum(_weight(everywhere, frequency[g] + background.get(g, 0)) ** 2
                             for g in grams)) or 1.0

    def nearest(self, grams: set[str]) -> list[tuple[float, str]]:
        """The ``NEIGHBOURS`` nearest reviewed texts as (similarity 0..1, duty), nearest
        first; only those at least ``MIN_SIMILARITY`` alike."""
        if not self.count:
            return []
        postings, frequency = self.postings, self.frequency
        everywhere = self.count + district_holding()[0]
        background, weights = district_holding()[1], self._weights
        shared: dict[int, float] = defaultdict(float)
        held: Counter[int] = Counter()
        length = 0.0
        for gram in grams:
            n = frequency.get(gram, 0)
            weight = weights.get(gram)
            if weight is None:
                weight = weights[gram] = _weight(everywhere, n + background.get(gram, 0)) ** 2
            length += weight
            if n <= 0 or n > COMMON:
                continue
            ids = postings[gram]
            held.update(ids)
            for i in ids:
                shared[i] += weight
        if not shared:
            return []
        length = math.sqrt(length)
        norms, duties = self.norms, self.duties
        found = heapq.nlargest(2 * NEIGHBOURS, ((dot / (length * norms[i]), i)
                                                for i, dot in shared.items()
                                                if held[i] >= MIN_SHARED))
        if len(found) > NEIGHBOURS:
            # Texts as alike as the fifth vote too: which of equals made the cut says
            # nothing, and leaving some out would tip a tie.
            last = found[NEIGHBOURS - 1][0] - TIED
            found = [pair for pair in found if pair[0] >= last]
        return [(similarity, duty) for similarity, i in found
                if similarity >= MIN_SIMILARITY and (duty := duties[i]) is not None]


def _weight(everywhere: int, holding: int) -> float:
    """An n-gram's rarity (idf): rarer weighs more. Rarity is counted among the reviewed
    texts and the district prior's training texts together (``everywhere`` texts, of which
    ``holding`` hold it): a community's hundred reviews alone would make 楼道 or 好几天 as
    rare as its own 扯皮."""
    return math.log((1 + everywhere) / (1 + holding)) + 1.0

"""Per duty, how many of a community's reviewed examples hold each character n-gram (词频).

Everything a community's learning says of an n-gram is derived from these counts when a text
asks: its log-odds for a duty against the others, and what its counts add to the district
prior's (``nlu.prior``). So learning one more example, or forgetting one a later decision
replaced, costs only that example's n-grams, never a rebuild, and a text pays only for its
own n-grams.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Container, Hashable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from nlu.prior import CLASSES, Prior, load_prior, training_rows
from nlu.prior import SMOOTHING as PRIOR_SMOOTHING

MIN_SEEN = 3
"""An n-gram must occur in this many of a duty's examples before it speaks for the duty."""
MIN_COUNTED = 2
"""An n-gram joins the prior's counts once this many of a duty's examples hold it."""
COMMUNITY_WEIGHT = 3.0
"""How many district examples one of the community's own reviewed examples counts as. At 10,
a hundred reviews weighed half the district's 2,100 training needs and their every common
phrase (一个人, 我妈, 停水) pulled an unrelated community's needs to the duty its reviews
happened to file it under; at 3 the communities' own scores are the same."""
MIN_LOG_ODDS = 1.0
SMOOTHING = 0.5
LOCAL_SEEN = 2
"""A community's own word is held by this many of its examples ..."""
LOCAL_DISTRICT = 2
"""... and by at most this many of the district's training texts."""
FRAGMENT_EDGE = frozenset("的了吗呢吧啊呀是在我你他她们这那个也都就还和又把被给")
"""Grams that open or close on a particle or pronoun are fragments of a phrase, not words
(吵了, 饭都): however rarely the district wrote them, they are no community's own word."""
_INDEX = {duty: i for i, duty in enumerate(CLASSES)}
_Gains = tuple[tuple[int, float], ...]
Found = TypeVar("Found")
"""Per class index, what an n-gram's counts add to the prior's log-likelihood."""


class DutyGrams:
    """Counts of n-grams per duty over reviewed examples; add and remove one at a time.

    Attributes:
        held: n-gram → duty → how many of the duty's examples hold it.
        per_duty: duty → how many examples it has.
    """

    def __init__(self) -> None:
        self.held: dict[str, Counter[str]] = {}
        self.per_duty: Counter[str] = Counter()
        self.everywhere: Counter[str] = Counter()
        """n-gram → how many examples of any duty hold it."""
        # What a text asks of an n-gram, worked out once until the next example changes it.
        self._odds: dict[str, dict[str, float]] = {}
        self._gains: dict[str, tuple[float, _Gains, Hashable]] = {}
        """n-gram → its gains' sum, its gains (``_gain``) and the word it is a piece of."""

    @property
    def total(self) -> int:
        """How many examples are counted."""
        return self.per_duty.total()

    def add(self, duty: str, grams: Iterable[str], sign: int = 1) -> None:
        """Count one example of ``duty`` holding ``grams`` (``sign`` -1: forget it)."""
        self.per_duty[duty] += sign
        self._odds.clear()
        self._gains.clear()
        held, everywhere = self.held, self.everywhere
        for gram in grams:
            everywhere[gram] += sign
            if everywhere[gram] <= 0:
                del everywhere[gram]
            counts = held.get(gram)
            if counts is None:
                counts = held[gram] = Counter()
            counts[duty] += sign
            if counts[duty] <= 0:
                del counts[duty]
                if not counts:
                    del held[gram]

    def log_odds(self, gram: str) -> dict[str, float]:
        """The duties ``gram`` marks (``MIN_SEEN`` examples, ``MIN_LOG_ODDS``), and how much
        likelier it is in each duty's examples than in the others', beyond what the
        district's own examples already say (the lexicon and the prior know that): 一个人
        marks hardship in the district as much as in the community and adds nothing, 扯皮,
        which the district never saw, adds all of its log-odds."""
        found = self._odds.get(gram)
        if found is None:
            found = self._odds[gram] = self._log_odds(gram)
        return found

    def _log_odds(self, gram: str) -> dict[str, float]:
        counts = self.held.get(gram)
        if not counts or max(counts.values()) < MIN_SEEN:
            return {}
        total, everywhere = self.total, self.everywhere[gram]
        found = {}
        for duty, count in counts.items():
            if count >= MIN_SEEN:
                inside = self.per_duty[duty]
                odds = _log_odds(count, inside, everywhere - count, total - inside)
                odds -= max(0.0, district_log_odds(gram, duty))
                if odds >= MIN_LOG_ODDS:
                    found[duty] = odds
        return found

    def local(self, grams: Iterable[str]) -> int:
        """How many of ``grams`` are the community's own: held by ``LOCAL_SEEN`` of its
        examples and by at most ``LOCAL_DISTRICT`` of the district's (弄堂, 灶披间, 嗌交,
        哪能: its places, its words, its way of asking)."""
        everywhere, district = self.everywhere, district_holding()[1]
        return sum(1 for gram in grams if everywhere.get(gram, 0) >= LOCAL_SEEN
                   and _unknown(gram, district) and not fragment(gram))

    def raised(self, grams: Iterable[str], same: Callable[[str], Hashable]) -> list[float]:
        """Per class (``nlu.prior.CLASSES``), what the counts add to the prior's
        log-likelihood of ``grams``: each n-gram held by ``MIN_COUNTED`` of a duty's examples
        counts them ``COMMUNITY_WEIGHT`` times over, beyond what the duty's share of the
        examples would hold anyway. An n-gram spread over the duties as the examples are (a
        place name, 社区) raises none of them; all 0 for a text sharing no counted n-gram.
        ``same`` names which examples hold a gram: grams held by the same ones count once."""
        gains = self._gains

        def found(gram: str) -> tuple[float, _Gains, Hashable]:
            known = gains.get(gram)
            if known is None:
                gain = self._gain(gram)
                known = gains[gram] = (sum(g for _i, g in gain), gain, same(gram))
            return known

        raised = [0.0] * len(CLASSES)
        for gain in strongest_per_word(grams, self.held, found):
            for i, value in gain:
                raised[i] += value
        return raised

    def _gain(self, gram: str) -> _Gains:
        """Per class index, what ``gram``'s counts add (``raised``), where they add any."""
        total, everywhere = self.total, self.everywhere[gram]
        row = load_prior().weights.get(gram)
        found = []
        for duty, count in self.held[gram].items():
            inside = self.per_duty[duty]
            if count < MIN_COUNTED or district_log_odds(gram, duty) >= _log_odds(
                    count, inside, everywhere - count, total - inside):
                continue
            i = _INDEX[duty]
            # The prior stores log((n + α) / α), so n + α is α·e^weight.
            before = PRIOR_SMOOTHING * math.exp(row[i] if row is not None else 0.0)
            expected = everywhere * inside / total
            gain = math.log1p(COMMUNITY_WEIGHT * count / before) - math.log1p(
                COMMUNITY_WEIGHT * expected / before)
            if gain > 0:
                found.append((i, gain))
        return tuple(found)


def _unknown(gram: str, district: dict[str, int]) -> bool:
    """Whether the district hardly knows ``gram`` (``LOCAL_DISTRICT``), nor, for a longer
    gram, one of its two-character pieces at least: 两个小 of 两个小时 and 两个小孩 is two
    common words run together, 握手楼 holds 握手."""
    if district.get(gram, 0) > LOCAL_DISTRICT:
        return False
    return len(gram) <= 2 or any(district.get(gram[i:i + 2], 0) <= LOCAL_DISTRICT
                                 for i in range(len(gram) - 1))


def fragment(gram: str) -> bool:
    """Whether ``gram`` opens or closes on a particle or pronoun (``FRAGMENT_EDGE``)."""
    return gram[0] in FRAGMENT_EDGE or gram[-1] in FRAGMENT_EDGE


def district_log_odds(gram: str, duty: str) -> float:
    """The log-odds of ``gram`` for ``duty`` among the district prior's training needs."""
    district = _district()
    found = district.log_odds.get((gram, duty))
    if found is None:
        found = district.log_odds[gram, duty] = _district_log_odds(district, gram, duty)
    return found


def district_holding() -> tuple[int, dict[str, int]]:
    """How many texts the district prior was trained on, and per n-gram how many held it."""
    district = _district()
    return district.texts, district.holding


@dataclass
class _District:
    """What the learning asks of the district prior, worked out once per prior."""

    prior: Prior
    texts: int
    holding: dict[str, int]
    sizes: tuple[int, ...]
    log_odds: dict[tuple[str, str], float]


_DISTRICTS: list[_District] = []


def _district() -> _District:
    prior = load_prior()
    if _DISTRICTS and _DISTRICTS[-1].prior is prior:
        return _DISTRICTS[-1]
    # The prior stores log((n + α) / α) per class: n is α·(e^weight − 1).
    holding = {gram: round(sum(PRIOR_SMOOTHING * math.expm1(w) for w in row))
               for gram, row in prior.weights.items()}
    labels = Counter(label for label, _text in training_rows())
    district = _District(prior, prior.examples, holding,
                         tuple(labels[duty] for duty in CLASSES[:-1]), {})
    _DISTRICTS[:] = [district]
    return district


def _district_log_odds(district: _District, gram: str, duty: str) -> float:
    row = district.prior.weights.get(gram)
    if row is None:
        return 0.0
    sizes = district.sizes
    i = _INDEX[duty]
    counts = [PRIOR_SMOOTHING * math.expm1(weight) for weight in row[:-1]]
    inside, everywhere = counts[i], sum(counts)
    return _log_odds(inside, sizes[i], everywhere - inside, sum(sizes) - sizes[i])


def _log_odds(inside: float, inside_total: float, outside: float,
              outside_total: float) -> float:
    """How much likelier an n-gram is in the duty's examples than in the others'."""
    p_in = (inside + SMOOTHING) / (inside_total + 2 * SMOOTHING)
    p_out = (outside + SMOOTHING) / (outside_total + 2 * SMOOTHING)
    return math.log(p_in / (1 - p_in)) - math.log(p_out / (1 - p_out))


def strongest_per_word(grams: Iterable[str], held: Container[str],
                       found: Callable[[str], tuple[float, Found, Hashable]]) -> list[Found]:
    """What each word of ``grams`` found learned, by its strongest gram: ``found`` gives a
    held gram's strength, what it found and its word (the examples holding it). Grams held by
    the very same examples are one word (握手, 手楼, 握手楼), counted once; grams of no
    strength count for nothing. Words come in the order they were first met."""
    words: dict[Hashable, tuple[float, Found]] = {}
    for gram in grams:
        if gram in held:
            strength, what, word = found(gram)
            if strength:
                known = words.get(word)
                if known is None or strength > known[0]:
                    words[word] = (strength, what)
    return [what for _strength, what in words.values()]

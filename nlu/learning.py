"""Learning a community's words from its reviews (从审核中学习).

Every review decision is a labelled example: /approve confirms the bot's duty, /approve 号 类别
and /recat correct it. From a community's examples each duty learns the character n-grams
that mark it, as smoothed log-odds against the other duties: a community that files its
disputes as "扯皮" teaches the bot that word. The weights add to the lexicon's evidence; a
text sharing no learned n-gram gets nothing added, so the static classifier is never made
worse on texts unlike anything learned.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from nlu.lexicon import normalise
from nlu.model import DUTIES

SIZES = (2, 3)
MIN_SEEN = 3
"""An n-gram must occur in this many of a duty's examples before it speaks for the duty."""
MIN_LOG_ODDS = 1.0
SMOOTHING = 0.5
WEIGHT = 0.35
"""Evidence per unit of log-odds, on the lexicon's scale (a plain topic term weighs 1-2)."""
MAX_PER_DUTY = 3.0
"""A learned duty never outweighs a clear lexicon verdict on its own."""
_NOT_TEXT = re.compile(r"[\s\d\W_]+")


def ngrams(text: str) -> set[str]:
    """The distinct character n-grams of a text's words (digits and punctuation dropped)."""
    grams: set[str] = set()
    for run in _NOT_TEXT.split(normalise(text)):
        for size in SIZES:
            grams.update(run[i:i + size] for i in range(len(run) - size + 1))
    return grams


@dataclass(frozen=True)
class Learned:
    """What a set of reviewed examples taught: per n-gram, the duties it marks and how much.

    Attributes:
        weights: n-gram → {duty: log-odds}, only where the n-gram says something.
        examples: How many examples it was learned from.
    """

    weights: dict[str, dict[str, float]] = field(default_factory=dict)
    examples: int = 0

    @classmethod
    def from_examples(cls, examples: Iterable[tuple[str, str]]) -> Learned:
        """Learn from (duty, text) pairs; pairs whose duty is not one of the eight are
        skipped."""
        seen: dict[str, Counter[str]] = defaultdict(Counter)
        per_duty: Counter[str] = Counter()
        for duty, text in examples:
            if duty in DUTIES:
                per_duty[duty] += 1
                seen[duty].update(ngrams(text))
        total = sum(per_duty.values())
        weights: dict[str, dict[str, float]] = defaultdict(dict)
        for duty, counts in seen.items():
            others = _others(seen, duty)
            for gram, count in counts.items():
                if count < MIN_SEEN:
                    continue
                odds = _log_odds(count, per_duty[duty], others[gram], total - per_duty[duty])
                if odds >= MIN_LOG_ODDS:
                    weights[gram][duty] = odds
        return cls(dict(weights), total)

    def evidence(self, text: str) -> dict[str, float]:
        """Extra evidence per duty for ``text``: empty when it shares nothing learned."""
        scores: dict[str, float] = defaultdict(float)
        for gram in ngrams(text) & self.weights.keys():
            for duty, odds in self.weights[gram].items():
                scores[duty] += odds * WEIGHT
        return {duty: min(score, MAX_PER_DUTY) for duty, score in scores.items()}


def _others(seen: dict[str, Counter[str]], duty: str) -> Counter[str]:
    others: Counter[str] = Counter()
    for other, counts in seen.items():
        if other != duty:
            others.update(counts)
    return others


def _log_odds(inside: int, inside_total: int, outside: int, outside_total: int) -> float:
    """How much likelier an n-gram is in the duty's examples than in the others'."""
    p_in = (inside + SMOOTHING) / (inside_total + 2 * SMOOTHING)
    p_out = (outside + SMOOTHING) / (outside_total + 2 * SMOOTHING)
    return math.log(p_in / (1 - p_in)) - math.log(p_out / (1 - p_out))

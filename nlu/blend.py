"""Blending the lexicon's evidence with the district prior and a community's learning.

The lexicon's terms are precise where they fire; the prior (``nlu.prior``) reads every
character and so has an opinion on texts whose words the lexicon does not know. The prior
votes for the duty that holds a majority of its posterior, with a weight on the lexicon's
scale that shrinks as the lexicon grows sure. A community's reviewed examples raise the
prior's counts for the n-grams they hold (``nlu.learning``), each example outweighing a
district one, so what a community learned speaks in proportion to how much it learned, and
not at all for a text sharing none of its n-grams.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from itertools import repeat
from operator import sub, truediv
from typing import TYPE_CHECKING, Any

from nlu.decide import Evidence, Verdict, verdict
from nlu.prior import CHATTER, CLASSES, char_grams, favourite, load_prior

if TYPE_CHECKING:
    from nlu.learning import Learned

PRIOR_WEIGHT = 13.0
"""The prior's say when the lexicon found nothing, on the lexicon's scale (a plain topic
term weighs 1-2). 13 (7 before) since it was trained on about 3,500 rows: on the held-out
third of the round-8 training files (``r8_*.tsv``) the lexicon's topic words were wrong
where the prior was right more often than the other way round (a neighbour's air conditioner
is a dispute, not a repair)."""
DAMPING = 0.3
"""The share of the prior's say a fully sure lexicon takes away."""
STANDS = 0.95
"""A lexicon verdict this sure stands and the prior is not asked (0.75 before: on the round-8
held-out third, lexicon verdicts of 0.8-0.9 that the prior overturned were more often right
after than before), and each vote costs about as much as the exact scan.
A text holding n-grams the community's reviews counted is asked all the same: the community
may file it where the district does not."""
PRIOR_SURE = 0.6
"""The prior may place a duty, but never makes a guess surer than this, or than the lexicon
was: naive Bayes is overconfident, and a duty that only the prior saw goes to a person for
review, never through auto-approval (0.7 by default)."""
MAJORITY = 0.5
"""The prior votes only for a duty holding more than this share of its posterior, with a
strength rising from 0 there to 1 at certainty: a posterior spread over several duties says
nothing (求助！有件急事想请社区帮忙 stays for a person to place)."""


class _Kept:
    """A ``functools.cached_property`` without its lock (Python 3.11 takes one at every read
    of the property): worked out when first asked for and kept in the instance, which then
    answers by itself."""

    def __init__(self, work: Callable[[Any], Any]) -> None:
        self.work, self.name = work, work.__name__
        self.__doc__ = work.__doc__

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.work(instance)
        return value


_kept = _Kept


class PriorReading:
    """The district prior's log-likelihoods of one text and what a community's counts raise
    them by, each worked out once, when first asked for: a text the learned-need check
    (``reads_as_learned_need``) read goes on to the blend (``blended_verdict``) with them."""

    def __init__(self, text: str, learned: Learned | None) -> None:
        """Read ``text`` (normalised), with what the community's reviews taught, if anything."""
        self.text = text
        self.learned = learned

    @_kept
    def raised(self) -> list[float]:
        """Per class, what the community's counts add to the prior's log-likelihood of the
        text's grams: all 0 for a text sharing none of the n-grams its reviews counted."""
        if self.learned is None:
            return [0.0] * len(CLASSES)
        return self.learned.raised(char_grams(self.text))

    @_kept
    def district(self) -> list[float]:
        """Per class, the district prior's log-likelihood of the text."""
        return load_prior().text_log_likelihoods(self.text)

    @_kept
    def district_shares(self) -> list[float]:
        """Per class, its share of the district prior's posterior (the community's counts
        left out), worked out once for the readings of need and talk and the vote."""
        scores = self.district
        top = max(scores)
        # Each exponential once: the same floats the sum and the shares were each made of.
        weights = list(map(math.exp, map(sub, scores, repeat(top, len(scores)))))
        total = sum(weights)
        return list(map(truediv, weights, repeat(total, len(weights))))

    def favourite(self) -> tuple[str, float]:
        """The class with the largest share of the posterior, the community's counts raising
        it, and that share (``nlu.prior.favourite``)."""
        if self.learned is None:
            shares = self.district_shares
            share = max(shares)
            return CLASSES[shares.index(share)], share
        return favourite(self.district, self.raised)


def prior_weight(confidence: float) -> float:
    """The prior's say, on the lexicon's scale, beside a lexicon verdict this sure."""
    return PRIOR_WEIGHT * (1.0 - DAMPING * confidence)


def asks_the_district(confidence: float, lead: float) -> bool:
    """Whether the blend would ask the district prior beside a lexicon verdict this sure
    and leading by this much: it is not sure enough to stand, and a vote could overturn it."""
    return confidence < STANDS and lead <= prior_weight(confidence)


def blended_verdict(ev: Evidence, prior: PriorReading, confidence: float,
                    lead: float) -> Verdict | None:
    """The verdict once the prior has voted on ``text``; None when the lexicon's verdict
    stands (``STANDS``), its lead is larger than any vote could be, or there is no vote.

    Args:
        ev: The lexicon's evidence (a community's log-odds included, if they were added).
        prior: The prior's reading of the normalised text the evidence was read from,
            with what the community's reviews taught, if anything.
        confidence: The lexicon's own confidence, before any learning.
        lead: The lead of the best duty in ``ev`` (``nlu.decide.weighed``).
    """
    weight = prior_weight(confidence)
    if lead > weight or (confidence >= STANDS and prior.learned is None):
        return None  # cheap: most clear needs stop here
    if confidence >= STANDS and not any(prior.raised):
        return None
    vote = _vote(prior)
    if vote is None:
        return None
    duty, strength = vote
    voted = Evidence(duties=defaultdict(float, ev.duties), cues=ev.cues, matched=ev.matched)
    voted.duties[duty] += weight * strength
    placed, sure, candidates = verdict(voted)
    return placed, min(sure, max(confidence, PRIOR_SURE)), candidates


def _vote(prior: PriorReading) -> tuple[str, float] | None:
    best, share = prior.favourite()
    if best == CHATTER or share <= MAJORITY:
        return None
    return best, (share - MAJORITY) / (1.0 - MAJORITY)

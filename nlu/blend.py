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

from collections import defaultdict
from typing import TYPE_CHECKING, NamedTuple

from nlu.decide import TALK_KINDS, Evidence, Verdict, verdict
from nlu.prior import CHATTER, CLASSES, char_grams, favourite, load_prior

if TYPE_CHECKING:
    from nlu.learning import Learned

PRIOR_WEIGHT = 7.0
"""The prior's say when the lexicon found nothing, on the lexicon's scale (a plain topic
term weighs 1-2)."""
DAMPING = 0.5
"""The share of the prior's say a fully sure lexicon takes away."""
STANDS = 0.75
"""A lexicon verdict this sure stands and the prior is not asked: on the training folds
asking it changed nothing right there, and each vote costs about as much as the exact scan.
A text holding n-grams the community's reviews counted is asked all the same: the community
may file it where the district does not."""
PRIOR_SURE = 0.6
"""The prior may place a duty, but never makes a guess surer than this, or than the lexicon
was: naive Bayes is overconfident, and a duty that only the prior saw goes to a person for
review, never through auto-approval (0.7 by default)."""
NEED_LIKENESS = 0.1
"""How alike (``nlu.neighbours``) the nearest reviewed text must be for a text to read as
one of the community's needs."""
NEED_LIKENESS_ALONE = 0.2
"""A reviewed text less alike than this makes a text read as a need only when the text also
holds an n-gram learned to mark a duty: a likeness of 0.1 to 0.2 is often a shared phrase of
group talk (楼下的垃圾桶满了, 我顺手扎好袋子)."""
MIN_LOCAL = 1
"""A text holding this many of the community's own words (``Learned.local``) reads as one of
its needs like a near one does, when it carries no group talk at all and names a topic: a
community's residents ask in its own words (好来消消毒伐, 边个讲下) that the lexicon's cues
do not know."""
MAX_TALK = 3.0
"""At most this much group-talk cue weight (``nlu.decide.TALK_KINDS``) in such a text."""
NEED_SHARE = 0.7
"""The share of the raised posterior its duty must hold."""
MAJORITY = 0.5
"""The prior votes only for a duty holding more than this share of its posterior, with a
strength rising from 0 there to 1 at certainty: a posterior spread over several duties says
nothing (求助！有件急事想请社区帮忙 stays for a person to place)."""


class PriorReading:
    """The district prior's log-likelihoods of one text and what a community's counts raise
    them by, each worked out once, when first asked for: a text the learned-need check
    (``reads_as_learned_need``) read goes on to the blend (``blended_verdict``) with them."""

    def __init__(self, text: str, learned: Learned | None) -> None:
        """Read ``text`` (normalised), with what the community's reviews taught, if anything."""
        self.text = text
        self.learned = learned
        # Worked out when first asked for (a functools.cached_property takes a lock each time).
        self._raised: list[float] | None = None if learned is not None else _NOTHING_RAISED
        self._district: list[float] | None = None

    @property
    def raised(self) -> list[float]:
        """Per class, what the community's counts add to the prior's log-likelihood of the
        text's grams: all 0 for a text sharing none of the n-grams its reviews counted."""
        if self._raised is None:
            self._raised = self.learned.raised(char_grams(self.text))  # type: ignore[union-attr]
        return self._raised

    @property
    def district(self) -> list[float]:
        """Per class, the district prior's log-likelihood of the text."""
        if self._district is None:
            self._district = load_prior().text_log_likelihoods(self.text)
        return self._district


_NOTHING_RAISED = [0.0] * len(CLASSES)
"""What no learning raises (read only)."""


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
    weight = PRIOR_WEIGHT * (1.0 - DAMPING * confidence)
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


class Likeness(NamedTuple):
    """How much a text is like a community's reviewed texts."""

    nearest: float = 0.0
    """How alike the nearest reviewed text is (``nlu.neighbours``)."""
    local: int = 0
    """How many of its n-grams are the community's own words (``Learned.local``)."""
    marked: bool = False
    """Whether it holds n-grams learned to mark a duty (``Learned.evidence``)."""


def reads_as_learned_need(ev: Evidence, prior: PriorReading, like: Likeness) -> bool:
    """Whether a text the lexicon does not read as a need reads like the community's
    reviewed needs: a reviewed text is near (``NEED_LIKENESS``, ``NEED_LIKENESS_ALONE``)
    and little of it is group talk (``MAX_TALK``), or it holds the community's own words and
    no group talk at all (``MIN_LOCAL``); and the prior names a duty, the community's counts
    raising it, with ``NEED_SHARE`` of the posterior, where the district's alone already
    found no chatter.

    A community pleads in its own words (嚟整下, 劝一哈) that the lexicon's cues do not know;
    its reviewed orders are all needs, so a message that reads like them is one.
    """
    talk = sum(ev.cues.get(k, 0.0) for k in TALK_KINDS)
    near = like.nearest >= NEED_LIKENESS and talk <= MAX_TALK and (
        like.nearest >= NEED_LIKENESS_ALONE or like.marked)
    # In the community's own words, with no talk at all and a topic of some duty (没毛病 is
    # no need, however local its 毛病).
    local = like.local >= MIN_LOCAL and talk == 0.0 and ev.topic_total > 0.0
    if not (near or local):
        return False
    best, share = favourite(prior.district, prior.raised)
    return (best != CHATTER and share >= NEED_SHARE
            and favourite(prior.district, [0.0] * len(CLASSES))[0] != CHATTER)


def _vote(prior: PriorReading) -> tuple[str, float] | None:
    best, share = favourite(prior.district, prior.raised)
    if best == CHATTER or share <= MAJORITY:
        return None
    return best, (share - MAJORITY) / (1.0 - MAJORITY)

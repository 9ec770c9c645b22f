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
from typing import TYPE_CHECKING, Any, NamedTuple

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
NEED_CHATTER = 0.2
"""At most this share of the raised posterior may read as chatter. The community's reviews
are all needs, so whether a text like them is one is a question of need against chatter, not
of one duty's share: a trouble that leans to two duties at once (a quarrel over rubbish in
the stairwell) is a need all the same."""
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


DISTRICT_NEED_SHARE = 0.85
"""The share of the district prior's posterior one duty must hold for a text the cues were
unsure of to read as a need (``reads_as_district_need``)."""
DISTRICT_NEED_TALK = 1.0
"""At most this much group-talk cue weight in such a text."""
DISTRICT_NEED_CUES = 0.4
"""At least this much plea or problem weight in such a text: some sign it asks or tells."""
DISTRICT_NEED_TOPIC = 1.0
"""At least this much topic weight: it names what it is about."""
DISTRICT_OUTTALKED_SHARE = 0.95
"""The share one duty must hold for a plea (``DISTRICT_OUTTALKED_PLEA``) about a strong topic
(``DISTRICT_OUTTALKED_TOPIC``) that a little more talk outweighed (at most
``DISTRICT_OUTTALKED_MARGIN`` more: 回来了, 报名 and 毕业 are talk words) to read as a need."""
DISTRICT_OUTTALKED_PLEA = 1.0
DISTRICT_OUTTALKED_TOPIC = 3.0
DISTRICT_OUTTALKED_MARGIN = 1.5
DISTRICT_OUTTALKED_TROUBLE = 2.0
"""Or, with no plea, this much plea and problem weight together that talk does not outweigh
(no margin): a trouble told plainly (低保还没批下来, 下雨就冒火星) beside as much talk, a word of
pity or a shop's name (好可怜, 小卖店)."""
DISTRICT_BARE_SHARE = 0.9
"""The share one duty must hold for a text with no plea or problem cue and no group talk at
all, only its topic (车棚里充电的插座冒火花 线都是私拉的), to read as a need."""


def reads_as_district_need(ev: Evidence, prior: PriorReading) -> bool:
    """Whether a text whose cues fall short of a need reads like the district's needs: it
    names a topic and one duty, not chatter, holds the share of the district prior's
    posterior its cues call for (``_share_wanted``). A trouble told without a plea
    (楼下有家在车库里住人还开火做饭) says it in words no cue lists."""
    wanted = _share_wanted(ev)
    if wanted is None:
        return False
    shares = prior.district_shares
    share = max(shares)
    return CLASSES[shares.index(share)] != CHATTER and share >= wanted


def _share_wanted(ev: Evidence) -> float | None:
    """The prior's share a text needs to read as a need, by what its cues hold; None when no
    share would do (no topic, much talk, a faint question with nothing else)."""
    topic = ev.topic_total
    if topic < DISTRICT_NEED_TOPIC:
        return None  # most group talk stops here
    cues = ev.cues
    talk = sum(cues[kind] for kind in TALK_KINDS if kind in cues)
    plea = cues.get("need", 0.0)
    said = plea + cues.get("problem", 0.0)
    if talk > DISTRICT_NEED_TALK:  # a plea about a strong topic a little talk outweighed
        outtalked = topic >= DISTRICT_OUTTALKED_TOPIC and (
            (plea >= DISTRICT_OUTTALKED_PLEA and talk <= said + DISTRICT_OUTTALKED_MARGIN)
            or (said >= DISTRICT_OUTTALKED_TROUBLE and talk <= said))
        return DISTRICT_OUTTALKED_SHARE if outtalked else None
    if said >= DISTRICT_NEED_CUES:
        return DISTRICT_NEED_SHARE
    # A bare statement of its topic only: a question, however faint, or any talk is not bare.
    return DISTRICT_BARE_SHARE if talk == 0.0 and said == 0.0 else None


_CHATTER_AT = CLASSES.index(CHATTER)
DISTRICT_CHATTER_SHARE = 0.45
"""The share of the district prior's posterior the chatter class must hold for a text read
as a need without a real plea to read as group talk (``reads_as_district_chatter``)."""
DISTRICT_CHATTER_PLEA = 1.0
"""At most this much plea weight in such a text (a bare 吗 or 有没有人, no 请社区…)."""


def reads_as_district_chatter(ev: Evidence, prior: PriorReading, confidence: float,
                              lead: float) -> bool:
    """Whether a text the cues read as a need only by the trouble it tells, pleading for
    hardly anything, reads like the district's group talk: the prior gives chatter
    ``DISTRICT_CHATTER_SHARE`` of its posterior (最近菜价涨得厉害 一斤西红柿八块).

    Only a text the blend would ask the prior about (``confidence``, ``lead``: the
    lexicon's, as ``blended_verdict`` takes them) is asked, so the check costs no reading
    of the prior that the blend would not make.
    """
    if (ev.cues.get("need", 0.0) > DISTRICT_CHATTER_PLEA or confidence >= STANDS
            or lead > PRIOR_WEIGHT * (1.0 - DAMPING * confidence)):
        return False
    return prior.district_shares[_CHATTER_AT] >= DISTRICT_CHATTER_SHARE


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
    no group talk at all (``MIN_LOCAL``); and the prior, the community's counts raising it,
    leaves at most ``NEED_CHATTER`` of its posterior to chatter, where the district's alone
    already found no chatter.

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
    return (_chatter_share(prior.district, prior.raised) <= NEED_CHATTER
            and favourite(prior.district, [0.0] * len(CLASSES))[0] != CHATTER)


def _vote(prior: PriorReading) -> tuple[str, float] | None:
    best, share = prior.favourite()
    if best == CHATTER or share <= MAJORITY:
        return None
    return best, (share - MAJORITY) / (1.0 - MAJORITY)


def _chatter_share(log_likelihoods: list[float], learned: list[float]) -> float:
    """The share of the posterior (weighed as ``nlu.prior.favourite`` weighs it) that reads
    as chatter."""
    scores = [value + extra for value, extra in zip(log_likelihoods, learned, strict=True)]
    best = max(scores)
    return math.exp(scores[-1] - best) / sum([math.exp(value - best) for value in scores])

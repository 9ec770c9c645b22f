"""Whether a text is a need at all, as the district prior and a community's learning read
it (诉求判定): where the lexicon's cues fall short of a need, or read one only by the trouble it
tells, or do not know the community's own words.

The prior speaks here to need against chatter only; which duty is ``nlu.blend``'s part.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from nlu.blend import PriorReading, asks_the_district
from nlu.decide import TALK_KINDS, Evidence
from nlu.prior import CHATTER, CLASSES, favourite

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
DISTRICT_NEED_SHARE = 0.88
"""The share of the district prior's posterior one duty must hold for a text the cues were
unsure of to read as a need (``reads_as_district_need``). The three shares here rose (from
0.85, 0.9 and 0.95) when round 8's rows and smoothing made the prior surer: at the old ones,
the chatter of the round-8 held-out third lost two lines of 86, and a bare statement of two
troubles (a dog's mess beside a charging cable) read as a need on the prior's word alone."""
DISTRICT_NEED_TALK = 1.0
"""At most this much group-talk cue weight in such a text."""
DISTRICT_NEED_CUES = 0.4
"""At least this much plea or problem weight in such a text: some sign it asks or tells."""
DISTRICT_NEED_TOPIC = 1.0
"""At least this much topic weight: it names what it is about."""
DISTRICT_OUTTALKED_SHARE = 0.97
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
DISTRICT_BARE_SHARE = 0.975
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
    pleads = ev.cues.get("need", 0.0) > DISTRICT_CHATTER_PLEA
    if pleads or not asks_the_district(confidence, lead):
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


def _chatter_share(log_likelihoods: list[float], learned: list[float]) -> float:
    """The share of the posterior (weighed as ``nlu.prior.favourite`` weighs it) that reads
    as chatter."""
    scores = [value + extra for value, extra in zip(log_likelihoods, learned, strict=True)]
    best = max(scores)
    return math.exp(scores[_CHATTER_AT] - best) / sum([math.exp(value - best) for value in scores])

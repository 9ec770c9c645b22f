"""The duty classifier: a text's evidence (``nlu.reading``), the district prior and a
community's learning blended in, then a verdict."""

from __future__ import annotations

import re

from nlu.blend import PriorReading, blended_verdict
from nlu.decide import Evidence, is_request, weighed
from nlu.dialect import fold_dialect
from nlu.guide import asks_for_guide, reads_as_guide_question
from nlu.learning import Learned, ngrams
from nlu.lexicon import DUTY_KIND, load_lexicon, normalise
from nlu.model import Classification
from nlu.need_gate import (
    MIN_LOCAL,
    NEED_LIKENESS,
    NEED_LIKENESS_ALONE,
    Likeness,
    reads_as_district_chatter,
    reads_as_district_need,
    reads_as_learned_need,
)
from nlu.reading import EXACT_FOUND, evidence, unplaced_han

# Needs are stated in the first sentences; a bounded prefix keeps a 10 kB paste cheap.
MAX_CHARS = 400
MIN_HAN_ABOUT = 5
"""Chinese characters a topic-less need must hold beyond its plea words for the prior to place
it (``_says_what_about``)."""
LEARNED_BELOW = 0.5
"""A community's learned log-odds settle what the lexicon leaves open: they join the evidence
(and so whether the text reads as a need) only below this lexicon confidence. Its nearest
reviewed texts vote whatever the lexicon's confidence (``Learned.votes``)."""
UNLIKE = 0.1
"""A text whose nearest reviewed text (``Learned.votes``) is less alike than this, which
holds none of the community's own words (``nlu.need_gate.MIN_LOCAL``) and whose learned n-grams
weigh less than ``MIN_TERMS``, is unlike anything learned: it is classified as without
learning."""
MIN_TERMS = 1.5
"""Learned n-grams weighing less than this together (``Learned.evidence``) are left out: a
faint log-odds or two is chance in a hundred examples (有人打架 is no civility matter because
a community once wrote 打起来 in its quarrels)."""
SURE = 0.95
"""From this static confidence on, a community's learning is not looked up (``refine``):
on the community curves learning changed no verdict this sure, and a very sure need costs no
statement. Below it the nearest reviewed texts may outvote even a fairly sure lexicon."""
# A closing 谢谢 after a plea is manners, not a thank-you for something done.
_COURTESY_WORDS = "|".join(("谢谢", "多谢", "感谢", "麻烦了", "辛苦了"))
_COURTESY_END = re.compile(
    rf"[\s,，.。!！~～]*(?:{_COURTESY_WORDS})[了啦啊呀哈]?(?:大家|你们|社区|各位)?"
    r"[\s!！。~～🙏]*$")
# The ending above is tried at every position; most texts hold none of its words at all.
_COURTESY_WORD = re.compile(_COURTESY_WORDS)
MIN_LEFT_AFTER_COURTESY = 6
_PLEA_END = re.compile(
    r"(?:一下|一趟|看看|帮忙|帮帮忙|帮帮|处理|解决|修理|来修|管管|管一管|好吗|行吗)$")


def _without_courtesy(text: str) -> str:
    """The text without a closing 谢谢 that thanks for a plea just made (帮她换一下，谢谢);
    a thank-you for what was done (帮我找回了孩子，太感谢了) stays."""
    found = _COURTESY_END.search(text) if _COURTESY_WORD.search(text) else None
    if found is None or found.start() < MIN_LEFT_AFTER_COURTESY:
        return text
    plea = text[:found.start()]
    return plea if _PLEA_END.search(plea) else text


def _says_what_about(text: str, ev: Evidence) -> bool:
    """Whether a need says what it is about beyond its plea: a text that is all plea and no
    topic (求助！有件急事想请社区帮忙) leaves the prior nothing to read but how it asks, and
    stays for a person to place."""
    if sum(ev.duties.values()) > 0:  # ev.topic_total
        return True
    plea = [h for h in load_lexicon().terms_in(text)
            if all(e.kind != DUTY_KIND for e in h.entries)]
    return unplaced_han(text, plea) >= MIN_HAN_ABOUT


def _reads_as_need(ev: Evidence, lexicon: Evidence, prior: PriorReading, likeness: Likeness,
                   confidence: float, lead: float) -> bool:
    """Whether a text is a need at all: the lexicon's cues' call, unless the district prior
    reads a need the cues barely made as group talk (``reads_as_district_chatter``, asked
    only where the blend would read the prior anyway), or reads a need where the cues fall
    just short (``reads_as_district_need``: a topic named, little talk); for a community's
    own way of pleading, its reviewed needs' (``reads_as_learned_need``). Group talk that
    names no topic never pays for the prior.

    ``lexicon`` is the lexicon's evidence before any learning, ``ev`` with it: a community's
    learned n-grams and its neighbours' votes say which duty, and whether a text is a need
    only through how like its reviewed needs it is (``reads_as_learned_need``): 社区的活动室
    周末开不开 is no need because a community's 党员活动室 was filed under party building."""
    if is_request(lexicon) and not reads_as_district_chatter(lexicon, prior, confidence, lead):
        return True
    return reads_as_district_need(lexicon, prior) or (
        prior.learned is not None and reads_as_learned_need(ev, prior, likeness))


def needs_fallback(text: str) -> bool:
    """Tell whether ``classify(text)`` would take the slow pinyin/fuzzy path (for benches)."""
    return evidence(fold_dialect(normalise(text[:MAX_CHARS])),
                    allow_fallback=False)[0].topic_total < EXACT_FOUND

_UNLIKE_ANYTHING = Likeness()


def _add_learning(ev: Evidence, text: str, learned: Learned | None,
                  unsure: bool) -> tuple[Learned | None, Likeness]:
    """Add to ``ev`` what the community learned about ``text``: its nearest reviewed texts'
    votes, and its learned n-grams' log-odds when the lexicon is ``unsure``.

    Returns:
        The learning to go on with (None for a text unlike anything learned: ``UNLIKE``,
        ``MIN_TERMS``, ``MIN_LOCAL``) and how much it is like the reviewed texts.
    """
    if learned is None:
        return None, Likeness()
    grams = ngrams(text)
    votes, nearest = learned.votes(text, grams)
    terms = learned.evidence(text, grams) if unsure else {}
    # A learned n-gram or two of little weight is chance, not a word.
    terms = terms if sum(terms.values()) >= MIN_TERMS else {}
    marked = bool(terms)
    if not unsure and NEED_LIKENESS <= nearest < NEED_LIKENESS_ALONE:
        # Whether it reads as a need may ask.
        marked = sum(learned.evidence(text, grams).values()) >= MIN_TERMS
    like = Likeness(nearest, learned.local(text, grams), marked)
    if nearest < UNLIKE and not terms and like.local < MIN_LOCAL:
        return None, like
    ev.add_learned(terms)
    ev.add_learned(votes)
    return learned, like


def classify(text: str, learned: Learned | None = None) -> Classification:
    """Classify a resident's message into one of the eight duties.

    Args:
        text: Any message text; only the first ``MAX_CHARS`` characters are read.
        learned: What the community's reviews taught (``nlu.learning``), if anything.

    Returns:
        The classification. ``duty`` is None when nothing fits or it is unclear, and
        ``is_request`` is False for notices, thanks, trading, chatter, chit-chat and
        questions about the bot itself (``nlu.guide``).

    Raises:
        TypeError: If ``text`` is not a str.
    """
    if not isinstance(text, str):
        raise TypeError(f"classify() needs a str, got {type(text).__name__}")
    read_from = normalise(text[:MAX_CHARS])
    normalised = fold_dialect(read_from)
    if _COURTESY_WORD.search(normalised):  # most texts hold none of its words
        normalised = _without_courtesy(normalised)
    ev, _, read = evidence(normalised)
    (duty, confidence, candidates), lead = weighed(ev)
    lexicon_confidence = confidence
    likeness = _UNLIKE_ANYTHING
    lexicon = ev
    if learned is not None:
        # Kept apart: learning speaks to which duty, not to whether it is a need.
        lexicon = Evidence(dict(ev.duties), ev.cues, ev.matched)
        learned, likeness = _add_learning(ev, normalised, learned,
                                          duty is None or confidence < LEARNED_BELOW)
    if learned is not None:
        # What was learned never unsettles a guess into a tie: a duty it cannot name keeps
        # the lexicon's.
        settled, lead = weighed(ev)
        if settled[0] is not None:
            duty, confidence, candidates = settled
    # 怎么用 asks about the bot, never for the community's help.
    prior = PriorReading(read, learned)
    request = not (reads_as_guide_question(read_from) if len(text) <= MAX_CHARS
                   else asks_for_guide(text)) and _reads_as_need(
        ev, lexicon, prior, likeness, lexicon_confidence, lead)
    blended = (blended_verdict(ev, prior, lexicon_confidence, lead)
               if request and _says_what_about(read, ev) else None)
    # Nor does the blend unsettle a guess into a tie.
    if blended is not None and (blended[0] is not None or duty is None):
        duty, confidence, candidates = blended
    # All fields set at once: a frozen dataclass's own ``__init__`` sets each through
    # ``object.__setattr__``, a twentieth of a classify.
    made = object.__new__(Classification)
    made.__dict__.update(text=text, duty=duty, confidence=confidence, is_request=request,
                         candidates=candidates, matched=tuple(ev.matched))
    return made

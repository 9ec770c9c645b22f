"""Learning a community's words from its reviews (从审核中学习).

Every review decision is a labelled example: /approve confirms the bot's duty, /approve 号 类别
and /recat correct it. From a community's examples each duty learns the character n-grams
that mark it, counted on top of the district prior's counts (``nlu.prior``), each of the
community's examples weighing ``COMMUNITY_WEIGHT`` of the district's: a community that files
its disputes as "扯皮" teaches the bot that word, and what it learned outweighs the district
the more examples back it. As smoothed log-odds against the other duties the same n-grams
also settle what the lexicon leaves open. A text sharing no learned n-gram gets nothing
added, so the static classifier is never made worse on texts unlike anything learned.

A community's admins may also accept terms the bot proposes from their corrections
(``propose``): an accepted term weighs like a plain lexicon topic word for its duty.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from nlu.lexicon import load_lexicon, normalise
from nlu.model import DUTIES
from nlu.neighbours import Neighbours
from nlu.prior import CLASSES, char_grams, load_prior, word_runs
from nlu.prior import SMOOTHING as PRIOR_SMOOTHING

SIZES = (2, 3)
MIN_SEEN = 3
"""An n-gram must occur in this many of a duty's examples before it speaks for the duty."""
MIN_COUNTED = 2
"""An n-gram joins the prior's counts once this many of a duty's examples hold it."""
COMMUNITY_WEIGHT = 10.0
"""How many district examples one of the community's own reviewed examples counts as."""
MIN_LOG_ODDS = 1.0
SMOOTHING = 0.5
WEIGHT = 0.35
"""Evidence per unit of log-odds, on the lexicon's scale (a plain topic term weighs 1-2)."""
MAX_PER_DUTY = 3.0
"""A learned duty never outweighs a clear lexicon verdict on its own."""
VOTE_WEIGHT = 20.0
"""A neighbour's vote per unit of likeness, on the lexicon's scale: a reviewed text half like
the new one (0.5) outweighs a plain topic word or two and a fairly sure lexicon verdict."""
VOTE_SIMILARITY = 0.2
"""A reviewed text this alike votes; a less alike one shares a place name or a word only."""
TERM_WEIGHT = 2.0
"""An accepted community term weighs like a plain lexicon topic word."""
PROPOSE_LOG_ODDS = 2.0
"""A proposed term is strongly tied to its duty: far likelier there than elsewhere."""
PROPOSALS = 10
Sparse = tuple[tuple[int, float], ...]
"""Per n-gram: (index in ``nlu.prior.CLASSES``, weight) for the duties it speaks for."""
# Grams that open or close on a particle or pronoun are fragments of a phrase, not words.
_FRAGMENT_EDGE = frozenset("的了吗呢吧啊呀是在我你他她们这那个也都就还和又把被给")


def ngrams(text: str) -> set[str]:
    """The distinct character 2- and 3-grams of a text's words (digits and punctuation
    dropped)."""
    return char_grams(text, SIZES)


@dataclass(frozen=True)
class Learned:
    """What a set of reviewed examples taught: per n-gram, the duties it marks and how much.

    Attributes:
        weights: n-gram → {duty: log-odds}, only where the n-gram says something.
        examples: How many examples it was learned from.
        terms: Terms a community's admins accepted (normalised term → duty).
        boosts: n-gram → what its counts add to the district prior's log-likelihood per
            duty (indices of ``nlu.prior.CLASSES``).
    """

    weights: dict[str, dict[str, float]] = field(default_factory=dict)
    examples: int = 0
    terms: dict[str, str] = field(default_factory=dict)
    boosts: dict[str, Sparse] = field(default_factory=dict)
    neighbours: Neighbours = field(default_factory=Neighbours)

    @classmethod
    def from_examples(cls, examples: Iterable[tuple[str, str]]) -> Learned:
        """Learn from (duty, text) pairs; pairs whose duty is not one of the eight are
        skipped."""
        seen: dict[str, Counter[str]] = defaultdict(Counter)
        per_duty: Counter[str] = Counter()
        held = [(duty, ngrams(text)) for duty, text in examples if duty in DUTIES]
        for duty, grams in held:
            per_duty[duty] += 1
            seen[duty].update(grams)
        total = sum(per_duty.values())
        everywhere: Counter[str] = Counter()
        for counts in seen.values():
            everywhere.update(counts)
        weights: dict[str, dict[str, float]] = defaultdict(dict)
        for duty, counts in seen.items():
            for gram, count in counts.items():
                if count < MIN_SEEN:
                    continue
                odds = _log_odds(count, per_duty[duty], everywhere[gram] - count,
                                 total - per_duty[duty])
                if odds >= MIN_LOG_ODDS:
                    weights[gram][duty] = odds
        return cls(dict(weights), total, boosts=_boosts(seen),
                   neighbours=Neighbours.from_examples(held))

    def with_terms(self, terms: Iterable[tuple[str, str]]) -> Learned:
        """The same learning plus accepted (term, duty) pairs."""
        return replace(self, terms={**self.terms, **{normalise(t): d for t, d in terms}})

    def evidence(self, text: str) -> dict[str, float]:
        """Extra evidence per duty for ``text``: empty when it shares nothing learned."""
        scores: dict[str, float] = defaultdict(float)
        for gram in ngrams(text) & self.weights.keys():
            for duty, odds in self.weights[gram].items():
                scores[duty] += odds * WEIGHT
        capped = {duty: min(score, MAX_PER_DUTY) for duty, score in scores.items()}
        normalised = normalise(text)
        for term, duty in self.terms.items():
            if term in normalised:
                capped[duty] = capped.get(duty, 0.0) + TERM_WEIGHT
        return capped


    def votes(self, text: str) -> tuple[dict[str, float], float]:
        """What the nearest reviewed texts say of ``text``: evidence per duty, each
        neighbour at least ``VOTE_SIMILARITY`` alike voting in proportion to the likeness,
        and how alike the nearest one is (0 when none is)."""
        found = self.neighbours.nearest(ngrams(text))
        scores: dict[str, float] = defaultdict(float)
        for similarity, duty in found:
            if similarity >= VOTE_SIMILARITY:
                scores[duty] += VOTE_WEIGHT * similarity
        return dict(scores), found[0][0] if found else 0.0


@dataclass(frozen=True)
class Proposal:
    """A term the bot proposes from corrections: the duty it marks and in how many
    corrected examples it occurs."""

    term: str
    duty: str
    corrections: int


def propose(examples: Iterable[tuple[str, str, str]], known: Iterable[str] = (),
            limit: int = PROPOSALS) -> list[Proposal]:
    """Terms strongly tied to a duty that people had to correct the bot to (改类).

    Args:
        examples: (guessed, duty, text) triples; a correction is one whose guess differs.
        known: Terms not to propose again (accepted or dropped before).
        limit: At most this many, the most often corrected first.

    Returns:
        Proposals of words the lexicon does not know; a longer gram is left out when a
        shorter one inside it is proposed as often.
    """
    rows = list(examples)
    learned = Learned.from_examples((duty, text) for _guess, duty, text in rows)
    counts: Counter[tuple[str, str]] = Counter()
    for guessed, duty, text in rows:
        if guessed != duty:
            counts.update((gram, duty) for gram in ngrams(text)
                          if learned.weights.get(gram, {}).get(duty, 0.0) >= PROPOSE_LOG_ODDS)
    # Words the lexicon knows already, as a topic or as a cue (社区, 管管), say nothing new.
    skip = {normalise(term) for term in known} | load_lexicon().table.keys()
    runs = [run for _guess, _duty, text in rows for run in word_runs(text)]
    found = [Proposal(gram, duty, n) for (gram, duty), n in counts.items()
             if n >= MIN_SEEN and gram not in skip and not _fragment(gram)
             and _free_standing(gram, runs)]
    found = [p for p in found if not _covered(p, found)]
    found.sort(key=lambda p: (-p.corrections, -learned.weights[p.term][p.duty], p.term))
    return found[:limit]


def _fragment(gram: str) -> bool:
    return gram[0] in _FRAGMENT_EDGE or gram[-1] in _FRAGMENT_EDGE


def _free_standing(gram: str, texts: list[str]) -> bool:
    """Whether a gram stands as a word: different characters (or a run's edge: a digit,
    punctuation) come before it and after it. A piece of a longer name (门菜 of 北门菜场)
    always has the same neighbours."""
    before: set[str] = set()
    after: set[str] = set()
    for text in texts:
        start = text.find(gram)
        while start >= 0:
            before.add(text[start - 1] if start else "^")
            end = start + len(gram)
            after.add(text[end] if end < len(text) else "$")
            start = text.find(gram, start + 1)
    return len(before) > 1 and len(after) > 1


def _covered(proposal: Proposal, found: list[Proposal]) -> bool:
    """A longer gram adds nothing when a shorter one inside it, of the same duty, is
    proposed at least as often (扯皮了 beside 扯皮)."""
    return any(other.duty == proposal.duty and len(other.term) < len(proposal.term)
               and other.term in proposal.term and other.corrections >= proposal.corrections
               for other in found)


def _boosts(seen: dict[str, Counter[str]]) -> dict[str, Sparse]:
    """Per n-gram held by ``MIN_COUNTED`` of a duty's examples, how much likelier the duty
    grows once those examples join the prior's counts, ``COMMUNITY_WEIGHT`` each."""
    district = load_prior().weights
    index = {duty: i for i, duty in enumerate(CLASSES)}
    found: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for duty, counts in seen.items():
        i = index[duty]
        for gram, count in counts.items():
            if count >= MIN_COUNTED:
                # The prior stores log((n + α) / α), so n + α is α·e^weight.
                row = district.get(gram)
                before = PRIOR_SMOOTHING * math.exp(row[i] if row is not None else 0.0)
                found[gram].append((i, math.log1p(COMMUNITY_WEIGHT * count / before)))
    return {gram: tuple(sorted(pairs)) for gram, pairs in found.items()}


def _log_odds(inside: int, inside_total: int, outside: int, outside_total: int) -> float:
    """How much likelier an n-gram is in the duty's examples than in the others'."""
    p_in = (inside + SMOOTHING) / (inside_total + 2 * SMOOTHING)
    p_out = (outside + SMOOTHING) / (outside_total + 2 * SMOOTHING)
    return math.log(p_in / (1 - p_in)) - math.log(p_out / (1 - p_out))

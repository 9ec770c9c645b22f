"""Learning a community's words from its reviews (从审核中学习).

Every review decision is a labelled example: /approve confirms the bot's duty, /approve 号 类别
and /recat correct it. From a community's examples each duty learns the character n-grams
that mark it, counted on top of the district prior's counts (``nlu.prior``), each of the
community's examples weighing ``nlu.duty_grams.COMMUNITY_WEIGHT`` of the district's: a
community that files its disputes as "扯皮" teaches the bot that word, and what it learned
outweighs the district the more examples back it. As smoothed log-odds against the other
duties, beyond what the district's own needs say of them, the same n-grams also settle what
the lexicon leaves open; and the reviewed texts nearest a new one vote on its duty. All of it
is kept as counts and an index, so one example more (or one fewer) is learned at once. A text
sharing nothing learned gets nothing added, so the static classifier is never made worse on
texts unlike anything learned.

A community's admins may also accept terms the bot proposes from their corrections
(``propose``): an accepted term weighs like a plain lexicon topic word for its duty.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from nlu.duty_grams import MIN_SEEN, DutyGrams, fragment, strongest_per_word
from nlu.lexicon import load_lexicon, normalise
from nlu.model import DUTIES
from nlu.neighbours import Neighbours
from nlu.prior import char_grams, word_runs

SIZES = (2, 3)
WEIGHT = 0.35
"""Evidence per unit of log-odds, on the lexicon's scale (a plain topic term weighs 1-2)."""
MAX_PER_DUTY = 3.0
"""A learned duty never outweighs a clear lexicon verdict on its own."""
VOTE_WEIGHT = 15.0
"""A neighbour's vote per unit of likeness, on the lexicon's scale: a reviewed text half like
the new one (0.5) outweighs a plain topic word or two and a fairly sure lexicon verdict; one
a fifth alike (a shared 楼道灯坏了 or 大家好 我是5栋的) weighs a plain topic word, no more (at 20
such votes moved 6 more lines of the tuning needs and chatter sets the wrong way, learning
from an unrelated community, and gained none on the communities' own)."""
VOTE_SIMILARITY = 0.2
"""A reviewed text this alike votes; a less alike one shares a place name or a word only."""
TERM_WEIGHT = 2.0
"""An accepted community term weighs like a plain lexicon topic word."""
PROPOSE_LOG_ODDS = 2.0
"""A proposed term is strongly tied to its duty: far likelier there than elsewhere."""
PROPOSALS = 10


def ngrams(text: str) -> set[str]:
    """The distinct character 2- and 3-grams of a text's words (digits and punctuation
    dropped)."""
    return char_grams(text, SIZES)


@dataclass
class Learned:
    """What a set of reviewed examples taught, kept as counts so that one more example (or
    one fewer) is learned at once, without a rebuild.

    Attributes:
        grams: Per duty, how many examples hold each n-gram (``nlu.duty_grams``).
        neighbours: The reviewed texts, indexed for their nearest (``nlu.neighbours``).
        terms: Terms a community's admins accepted (normalised term → duty).
    """

    grams: DutyGrams = field(default_factory=DutyGrams)
    neighbours: Neighbours = field(default_factory=Neighbours)
    terms: dict[str, str] = field(default_factory=dict)
    _pieces: dict[str, tuple[float, dict[str, float], tuple[int, int, int]]] = field(
        default_factory=dict, repr=False, compare=False)
    """n-gram → its log-odds' sum, its log-odds and the word it is a piece of
    (``Neighbours.holding``), until the next example changes them."""

    @classmethod
    def from_examples(cls, examples: Iterable[tuple[str, str]]) -> Learned:
        """Learn from (duty, text) pairs; pairs whose duty is not one of the eight are
        skipped."""
        learned = cls()
        for duty, text in examples:
            learned.add(duty, text, measure=False)
        learned.neighbours.measure()
        return learned

    @property
    def examples(self) -> int:
        """How many examples it was learned from."""
        return self.grams.total

    def add(self, duty: str, text: str, measure: bool = True) -> int | None:
        """Learn one more reviewed example; returns its place among the reviewed texts (for
        ``forget``), None when ``duty`` is not one of the eight."""
        if duty not in DUTIES:
            return None
        grams = ngrams(text)
        self._pieces.clear()
        self.grams.add(duty, grams)
        return self.neighbours.add(duty, grams, measure)

    def forget(self, place: int) -> None:
        """Forget the example ``add`` put at ``place`` (a later decision replaced it)."""
        duty = self.neighbours.duties[place]
        if duty is not None:
            self._pieces.clear()
            self.grams.add(duty, self.neighbours.held[place], sign=-1)
            self.neighbours.forget(place)

    def with_terms(self, terms: Iterable[tuple[str, str]]) -> Learned:
        """The same learning (its counts shared, not copied) plus accepted (term, duty)
        pairs."""
        return replace(self, terms={**self.terms, **{normalise(t): d for t, d in terms}})

    def log_odds(self, gram: str) -> dict[str, float]:
        """The duties ``gram`` marks, with its log-odds for each (``nlu.duty_grams``)."""
        return self.grams.log_odds(gram)

    def local(self, text: str, grams: set[str] | None = None) -> int:
        """How many of the text's n-grams (``grams``, if known) are the community's own
        words (``nlu.duty_grams.DutyGrams.local``)."""
        return self.grams.local(ngrams(text) if grams is None else grams)

    def raised(self, grams: set[str]) -> list[float]:
        """Per class of the prior, what the community's counts add for ``grams``."""
        return self.grams.raised(grams, self.neighbours.holding)

    def evidence(self, text: str, grams: set[str] | None = None) -> dict[str, float]:
        """Extra evidence per duty for ``text`` (its n-grams ``grams``, if known): empty when
        it shares nothing learned."""
        pieces = self._pieces

        def found(gram: str) -> tuple[float, dict[str, float], tuple[int, int, int]]:
            known = pieces.get(gram)
            if known is None:
                odds = self.grams.log_odds(gram)
                known = pieces[gram] = (sum(odds.values()), odds, self.neighbours.holding(gram))
            return known

        scores: dict[str, float] = defaultdict(float)
        for odds in strongest_per_word(ngrams(text) if grams is None else grams,
                                       self.grams.held, found):
            for duty, value in odds.items():
                scores[duty] += value * WEIGHT
        capped = {duty: min(score, MAX_PER_DUTY) for duty, score in scores.items()}
        normalised = normalise(text)
        for term, duty in self.terms.items():
            if term in normalised:
                capped[duty] = capped.get(duty, 0.0) + TERM_WEIGHT
        return capped

    def votes(self, text: str, grams: set[str] | None = None) -> tuple[dict[str, float], float]:
        """What the nearest reviewed texts say of ``text`` (its n-grams ``grams``, if known):
        evidence per duty, each neighbour at least ``VOTE_SIMILARITY`` alike voting in
        proportion to the likeness, and how alike the nearest one is (0 when none is)."""
        found = self.neighbours.nearest(ngrams(text) if grams is None else grams)
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
                          if learned.log_odds(gram).get(duty, 0.0) >= PROPOSE_LOG_ODDS)
    # Words the lexicon knows already, as a topic or as a cue (社区, 管管), say nothing new.
    skip = {normalise(term) for term in known} | load_lexicon().table.keys()
    runs = [run for _guess, _duty, text in rows for run in word_runs(text)]
    found = [Proposal(gram, duty, n) for (gram, duty), n in counts.items()
             if n >= MIN_SEEN and gram not in skip and not fragment(gram)
             and _free_standing(gram, runs)]
    found = [p for p in found if not _covered(p, found)]
    found.sort(key=lambda p: (-p.corrections, -learned.log_odds(p.term)[p.duty], p.term))
    return found[:limit]


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

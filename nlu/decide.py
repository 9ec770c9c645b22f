"""Turning term hits into a verdict: which duty, how sure, and whether it is a need at all.

Group precision comes first: a message counts as a request only when it carries an explicit
plea or problem statement and that signal outweighs the signs of ordinary group talk
(notices, thanks, trading, neighbours asking each other, chatting).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from nlu.lexicon import DUTY_KIND, OVERRIDE_DUTY, Hit, Lexicon, Spans
from nlu.model import Candidate

NEED_KINDS: frozenset[str] = frozenset({"need", "problem"})
TALK_KINDS: frozenset[str] = frozenset({"notice", "thanks", "trade", "ask", "chat"})
# Precedence of intent over topic: asking to publicise or explain beats everything
# ("宣传防范电信诈骗" is outreach, not safety), then a stated hazard, then a dispute: a title
# that blames the property company for a blocked fire lane is about the fire lane (the same
# "hazard before dispute" order as TIE_ORDER).
OVERRIDES: tuple[tuple[str, str], ...] = tuple(
    (kind, OVERRIDE_DUTY[kind]) for kind in ("ovr_policy", "ovr_safety", "ovr_affairs"))
# Party-organisation questions stay party work even when phrased as "需要什么材料", and a
# plea to publicise good manners ("遛狗不捡狗屎，请社区宣传一下") is civility work: 文明倡导
# is itself persuasion, so asking for it does not turn the message into policy outreach. A
# fire that has left a household with nothing (烧没了, 没地方住) leads with relief: the hazard
# is over, the want remains.
OVERRIDE_EXEMPT: dict[str, frozenset[str]] = {
    "ovr_policy": frozenset({"party_building", "civility"}),
    "ovr_safety": frozenset({"party_building", "hardship_relief"}),
    "ovr_affairs": frozenset({"party_building"}),
}
WANT_STATED = 2.0
"""Problem weight (实在没钱, 过不下去) with which a household's want leads over its asking how
relief is applied for (大病救助怎么申请 我们家花了二十多万了 实在没钱了): relief, not a talk on
the rules. Asked without a want stated (临时救助怎么申请 能不能公示条件), it is outreach."""
_WANT_EXEMPT = OVERRIDE_EXEMPT["ovr_policy"] | {"hardship_relief"}
_OVERRIDE_KINDS = frozenset(kind for kind, _duty in OVERRIDES)
OVERRIDE_BONUS = 2.0
MIN_NEED = 1.0          # at least one real plea or problem cue
MIN_NEED_NO_TOPIC = 3.0  # a plea with no topic word must be unmistakable
# A message naming its topic outright (党组织关系转接, 灭火器) and carrying no sign of group
# talk needs only a hint of a question or a problem: residents write 要带啥, not 请问.
STRONG_TOPIC = 3.0
MIN_NEED_STRONG_TOPIC = 0.6
WEAK_TOPIC = 1.0         # below this topic weight a message hardly names what it is about…
MIN_TROUBLE = 1.5        # …and a trouble told without a plea must weigh this much
MIN_DUTY_SCORE = 0.9
AMBIGUOUS_RATIO = 0.9    # second best this close to a weak best → let a human decide
CLEAR_SCORE = 2.5        # above this a near-tie is settled by TIE_ORDER instead
# Near-ties between strong topics go to the more pressing duty: a hazard outranks a dispute
# between parties, which outranks one person's manners, a chore, or general advice.
TIE_ORDER: tuple[str, ...] = ("safety", "community_affairs", "civility", "sanitation",
                              "hardship_relief", "convenience", "policy_outreach",
                              "party_building")
TIE_BAND = 0.08          # scores within this fraction of each other count as tied
_TIE_RANK: dict[str, int] = {duty: rank for rank, duty in enumerate(TIE_ORDER)}


def specificity(term: str) -> float:
    """Favour longer terms a little: 往楼下扔 says more about the duty than 垃圾 does."""
    return 1.0 + 0.15 * min(max(len(term) - 2, 0), 2)


_SPECIFICITY = tuple(specificity("字" * size) for size in range(5))
"""``specificity`` by term length (it is the same from four characters on)."""
# A candidate is a frozen value, and a few shares recur: one made before is handed out again.
_candidate = lru_cache(maxsize=4096)(Candidate)


@dataclass(init=False)
class Evidence:
    """Sums of weights per duty and per cue kind, plus the terms that fired."""

    duties: dict[str, float]
    cues: dict[str, float]
    matched: list[str]

    def __init__(self, duties: dict[str, float] | None = None,
                 cues: dict[str, float] | None = None, matched: list[str] | None = None) -> None:
        """Evidence of these sums and terms (none by default); written out, as a dataclass's
        default factories cost a classify several calls. A sum not there yet is 0.0: plain
        dicts, read with ``get`` or after ``in``, as a defaultdict's every read is a slow
        path of the interpreter's."""
        self.duties = {} if duties is None else duties
        self.cues = {} if cues is None else cues
        self.matched = [] if matched is None else matched

    def add(self, hits: list[Hit]) -> None:
        """Accumulate hits; several duty entries of one term each add to their own duty."""
        duties, cues, matched = self.duties, self.cues, self.matched
        for _start, term, entries in hits:
            counted = False
            for entry in entries:
                kind = entry.kind
                if kind == DUTY_KIND:
                    size, label = len(term), entry.label
                    duties[label] = (duties.get(label, 0.0)
                                     + entry.weight * _SPECIFICITY[size if size < 4 else 4])
                    counted = True
                elif kind != "neutral":
                    cues[kind] = cues.get(kind, 0.0) + entry.weight
                    counted = True
            if counted and term not in matched:
                matched.append(term)

    def add_terms(self, lexicon: Lexicon, spans: Spans) -> None:
        """``add(lexicon.hits_at(spans))``, each term's sums worked out once
        (``_term_sums``) and no hit made."""
        duties, cues, matched = self.duties, self.cues, self.matched
        # The last lexicon's sums are at hand without a call: most texts add their terms
        # here, and a cached call and a property cost as much as a term's sums.
        last = _LAST_SUMS
        sums = last[0][1] if last and last[0][0] is lexicon else _term_sums(lexicon)
        for index, _start, _end in spans:
            to_duties, to_cues, term = sums[index]
            for label, weight in to_duties:
                duties[label] = duties.get(label, 0.0) + weight
            for kind, weight in to_cues:
                cues[kind] = cues.get(kind, 0.0) + weight
            if term is not None and term not in matched:
                matched.append(term)

    def add_learned(self, scores: dict[str, float]) -> None:
        """Add what a community's reviews taught about each duty."""
        duties = self.duties
        for duty, score in scores.items():
            duties[duty] = duties.get(duty, 0.0) + score

    @property
    def topic_total(self) -> float:
        """Total topic weight found."""
        return sum(self.duties.values())


TermSums = tuple[tuple[tuple[str, float], ...], tuple[tuple[str, float], ...], str | None]
"""What ``Evidence.add`` adds for one term, in its order: to each duty, to each cue kind,
and the term when it counts as matched (None when it does not)."""
_LAST_SUMS: list[tuple[Lexicon, tuple[TermSums, ...]]] = []
"""The lexicon ``_term_sums`` last worked out, and its sums."""


def _term_sums(lexicon: Lexicon) -> tuple[TermSums, ...]:
    """Per table term of ``lexicon`` (in ``Lexicon.terms`` order), its ``TermSums``: the very
    products ``Evidence.add`` works out for its hits."""
    sums = _sums_of(lexicon)
    _LAST_SUMS[:] = [(lexicon, sums)]
    return sums


@lru_cache(maxsize=4)
def _sums_of(lexicon: Lexicon) -> tuple[TermSums, ...]:
    """``_term_sums``, worked out once per lexicon."""
    found = []
    for term, entries in zip(lexicon.terms, lexicon.entries, strict=True):
        size = len(term)
        to_duties = tuple((e.label, e.weight * _SPECIFICITY[size if size < 4 else 4])
                          for e in entries if e.kind == DUTY_KIND)
        to_cues = tuple((e.kind, e.weight) for e in entries
                        if e.kind not in (DUTY_KIND, "neutral"))
        found.append((to_duties, to_cues, term if to_duties or to_cues else None))
    return tuple(found)


def is_request(ev: Evidence) -> bool:
    """Decide need versus talk from the cue sums and whether any topic word fired."""
    cues = ev.cues
    need = talk = 0.0
    for kind in NEED_KINDS:
        if kind in cues:
            need += cues[kind]
    for kind in () if TALK_KINDS.isdisjoint(cues) else TALK_KINDS:  # most needs: none
        if kind in cues:
            talk += cues[kind]
    topic = sum(ev.duties.values())
    floor = MIN_NEED if topic > 0 else MIN_NEED_NO_TOPIC
    if topic < WEAK_TOPIC and "need" not in cues:
        # A trouble told with no plea and hardly a topic (管不了了, 不习惯) is a neighbour's
        # aside; a community acts on it only when the trouble is stated plainly.
        floor = max(floor, MIN_TROUBLE)
    if topic >= STRONG_TOPIC and talk == 0:
        floor = MIN_NEED_STRONG_TOPIC
    return need >= floor and need > talk


def ranked_scores(ev: Evidence) -> tuple[list[tuple[str, float]], str | None]:
    """Rank duties after applying the intent overrides; also return the override used."""
    scores = ev.duties  # read only, unless an override is to change it
    used: str | None = None
    cues = ev.cues
    for kind, duty in () if _OVERRIDE_KINDS.isdisjoint(cues) else OVERRIDES:
        if cues.get(kind, 0.0) > 0:
            scores = dict(scores)
            # An exempt topic absorbs the intent: "组织关系…需要什么材料" asks about party work.
            exempt = (_WANT_EXEMPT if kind == "ovr_policy"
                      and cues.get("problem", 0.0) >= WANT_STATED else OVERRIDE_EXEMPT[kind])
            # Of topics tied at the top, an exempt one absorbs it.
            top = max(scores, key=lambda d: (scores[d], d in exempt)) if scores else None
            duty = top if top in exempt else duty
            best = max(scores.values(), default=0.0)
            scores[duty] = max(scores.get(duty, 0.0), best) + OVERRIDE_BONUS
            used = duty
            break
    ordered = sorted(scores.items(), key=_by_score) if len(scores) > 1 else scores.items()
    ranked = [kv for kv in ordered if kv[1] > 0]
    if len(ranked) > 1 and ranked[1][1] >= (1 - TIE_BAND) * ranked[0][1]:
        tied = [kv for kv in ranked if kv[1] >= (1 - TIE_BAND) * ranked[0][1]]
        tied.sort(key=lambda kv: _TIE_RANK[kv[0]])
        ranked = tied + [kv for kv in ranked if kv not in tied]
    return ranked, used


def _by_score(kv: tuple[str, float]) -> tuple[float, int]:
    """Highest score first; equal scores in ``TIE_ORDER``."""
    return -kv[1], _TIE_RANK[kv[0]]


Verdict = tuple[str | None, float, tuple[Candidate, ...]]
"""The duty (or None), a confidence and the candidates."""


def verdict(ev: Evidence) -> Verdict:
    """Pick the duty (or None when weak or ambiguous), a confidence and the candidates."""
    return weighed(ev)[0]


def weighed(ev: Evidence) -> tuple[Verdict, float]:
    """The verdict and the best duty's lead over the next (its whole score when alone, 0
    when nothing scored): evidence for another duty short of the lead cannot change it."""
    # It depends on the duties' scores in their order and on which override fires, no more:
    # texts weigh the same few scores over and over, and each weighing is made once.
    cues = ev.cues
    key = (tuple(ev.duties.items()), None if _OVERRIDE_KINDS.isdisjoint(cues) else
           tuple([cues.get(kind, 0.0) > 0 for kind, _duty in OVERRIDES]))
    found = _WEIGHED.get(key)
    if found is None:
        if len(_WEIGHED) >= MAX_WEIGHED:
            _WEIGHED.clear()
        found = _WEIGHED[key] = _weighed(ev)
    return found


MAX_WEIGHED = 4096
"""How many weighings ``weighed`` keeps."""
_WEIGHED: dict[tuple[object, ...], tuple[Verdict, float]] = {}


def _weighed(ev: Evidence) -> tuple[Verdict, float]:
    """``weighed``, worked out."""
    ranked, override = ranked_scores(ev)
    if not ranked:
        return (None, 0.0, ()), 0.0
    if len(ranked) == 1:  # one duty holds all the evidence: s / s is exactly 1
        best, second = ranked[0][1], 0.0
        candidates: tuple[Candidate, ...] = (_candidate(ranked[0][0], 1.0),)
    else:
        values = [s for _, s in ranked]
        total = sum(values)
        candidates = tuple([_candidate(d, round(s / total, 4)) for d, s in ranked])
        best, second = max(values), max(values[1:])
    margin = max(0.0, best - second) / best
    strength = 1.0 - math.exp(-best / 2.5)
    confidence = round(min(1.0, max(0.0, strength * (0.4 + 0.6 * margin))), 4)
    weak = best < MIN_DUTY_SCORE
    ambiguous = override is None and best < CLEAR_SCORE and second >= AMBIGUOUS_RATIO * best
    duty = None if weak or ambiguous else ranked[0][0]
    return (duty, confidence, candidates), best - second

"""Reading a normalised text's evidence: the exact scan and the talk shapes in one screen
pass, a need stated after opening talk (a thank-you, a notice), and the slow pinyin/fuzzy
fallback only when the exact scan found no topic."""

from __future__ import annotations

import re
from functools import lru_cache

from nlu.decide import MIN_NEED, MIN_NEED_NO_TOPIC, Evidence, is_request
from nlu.fallback import fallback_hits
from nlu.lexicon import Hit, load_lexicon
from nlu.screen import Screen
from nlu.talk import FEATURES, SCREENED, talk_after, talk_hits, with_talk

# The fallback is for typos in real words; a message with almost no Chinese left over after
# the cue words is chit-chat or a sticker and would only produce spurious sound-alikes.
_HAN = re.compile(r"[\u4e00-\u9fff]")
MIN_HAN_FOR_FALLBACK = 3
# Below this much topic weight the exact scan counts as having found nothing: a bare 楼下 or
# 老人 names no duty, and a typo'd 拉极 beside it still deserves the slow path.
EXACT_FOUND = 1.5
CONTEXT_KINDS: frozenset[str] = frozenset({"thanks", "notice"})
"""Talk that often opens a message whose real point comes after it (两个话题: a thank-you
for last week's 义诊, then the rubbish nobody collects)."""
MIN_TAIL_CHARS = 4
MAX_CONTEXT_CLAUSES = 4
"""How many clauses of opening talk are looked past (each costs a scan of the rest)."""
MIN_CONTEXT = 1.5
"""Talk weight the opening must carry to count as context (a stray 上午 is not a notice)."""
_CLAUSE_BREAK = re.compile(r"[\s,，.。!！?？;；~～…、]+")

def evidence(text: str, allow_fallback: bool = True,
             hits: list[Hit] | None = None,
             talk: list[Hit] | None = None) -> tuple[Evidence, bool, str]:
    """Collect evidence for a normalised text (whose exact ``hits`` may be known already);
    also say whether the fallback ran, and which part of the text the evidence is of (the
    prior reads that part too).

    When talk (thanks, a notice) comes first and what follows it is a need on its own, the
    need wins: the evidence, the duty's too, is the rest's alone. ``talk``: the talk shapes
    (``nlu.talk_shapes``) of the whole message, placed in this rest of it.
    """
    spans = None
    if hits is None:
        # One pass of a screen tells which cue patterns and which talk features may match.
        screen, cut = shared_screen()
        may = screen.mask(text)
        lexicon = load_lexicon()
        spans = lexicon.term_spans(text)
        hits = lexicon.cue_hits(text, spans, may & ((1 << cut) - 1))
        talk_may = may >> cut
        # A shape belongs to the whole message: the rest after a break keeps the whole's.
        shapes = talk if talk is not None else (
            talk_hits(text, talk_may) if talk_may & FEATURES else [])
    else:
        shapes = talk_hits(text) if talk is None else talk
    if shapes:
        if spans is not None:
            hits, spans = hits + lexicon.hits_at(spans), None
        hits = with_talk(hits, shapes)
    ev = Evidence()
    ev.add(hits)
    if spans is not None:
        # Most needs hold no talk shape: the table's terms add up without a hit made for each,
        # after the cues (the order ``scan`` gives); their hits are made only if asked for.
        ev.add_terms(lexicon, spans)
    # A cue kind is there when a hit carries it. An opening's talk is some of the whole
    # text's, and no weight is negative (the lexicon's are checked as it loads, the talk
    # shapes' are constants): too little in all of it is too little in any opening.
    if not CONTEXT_KINDS.isdisjoint(ev.cues) and sum(
            ev.cues.get(kind, 0.0) for kind in CONTEXT_KINDS) >= MIN_CONTEXT:
        if spans is not None:
            hits, spans = hits + lexicon.hits_at(spans), None
        after = _need_after_context(text, hits, shapes, allow_fallback)
        if after is not None:
            return after
    if not allow_fallback or sum(ev.duties.values()) >= EXACT_FOUND:  # ev.topic_total
        return ev, False, text
    # Where the terms lie is all the gate reads: the table's need no hits made.
    placed = [(hit.start, hit.start + len(hit.term)) for hit in hits]
    if spans is not None:
        placed += [(start, end) for _index, start, end in spans]
    if _unplaced(text, placed) < MIN_HAN_FOR_FALLBACK:
        return ev, False, text
    ev.add(fallback_hits(text))
    return ev, True, text


@lru_cache(maxsize=1)
def shared_screen() -> tuple[Screen, int]:
    """One screen of the lexicon's cue patterns and then the talk's (``nlu.talk.SCREENED``),
    and how many bits are the lexicon's."""
    patterns = [pattern for pattern, _entry in load_lexicon().patterns]
    return Screen([*patterns, *SCREENED]), len(patterns)


def _states_a_need(ev: Evidence) -> bool:
    """Whether what follows the talk is a need by itself: a problem, or an unmistakable plea
    (notices end with a mild one: 请带好医保卡)."""
    pleads = ev.cues.get("need", 0.0) >= MIN_NEED_NO_TOPIC
    return is_request(ev) and ev.topic_total > 0 and (
        ev.cues.get("problem", 0.0) >= MIN_NEED or pleads)


def _need_after_context(text: str, hits: list[Hit], talk: list[Hit],
                        allow_fallback: bool) -> tuple[Evidence, bool, str] | None:
    """The evidence of what follows the opening talk (a thank-you, a notice), when the opening
    clauses are talk on their own and what follows them states a need; else None."""
    first = min((h.start for h in hits for e in h.entries if e.kind in CONTEXT_KINDS),
                default=None)
    if first is None:
        return None
    for tried, found in enumerate(_CLAUSE_BREAK.finditer(text, first)):
        if tried >= MAX_CONTEXT_CLAUSES or len(text) - found.end() < MIN_TAIL_CHARS:
            return None
        head = Evidence()
        head.add([h for h in hits if h.start < found.start()])
        if is_request(head):
            return None  # the opening pleads itself: it is no mere context
        if sum(head.cues.get(kind, 0.0) for kind in CONTEXT_KINDS) < MIN_CONTEXT:
            continue
        tail = text[found.end():]
        rest_talk = talk_after(talk, found.end())
        # The slow fallback only ever adds topics, so a tail is read with it only when its
        # own words already complain or plead: thanks followed by more thanks never pay.
        tail_hits = load_lexicon().scan(tail)
        exact, _, _ = evidence(tail, False, tail_hits, rest_talk)
        if not (_states_a_need(exact) or (allow_fallback and _complains(exact))):
            continue
        rest, ran, read = (evidence(tail, True, tail_hits, rest_talk) if allow_fallback
                           else (exact, False, tail))
        if _states_a_need(rest):
            return rest, ran, read
    return None


def _complains(ev: Evidence) -> bool:
    """Whether the words state a problem or plead, whatever the topic."""
    return (ev.cues.get("problem", 0.0) >= MIN_NEED
            or ev.cues.get("need", 0.0) >= MIN_NEED_NO_TOPIC)


def unplaced_han(text: str, hits: list[Hit]) -> int:
    """How many Chinese characters no exact term took: a typo hides only among those, and a
    text the lexicon read all but a word or two of (大家早上好) is not worth the slow path."""
    return _unplaced(text, [(hit.start, hit.start + len(hit.term)) for hit in hits])


def _unplaced(text: str, placed: list[tuple[int, int]]) -> int:
    """``unplaced_han`` of the terms at ``placed``: (start, end) pairs, in any order."""
    gaps, placed_to = [], 0
    for start, end in sorted(placed):
        if start > placed_to:
            gaps.append(text[placed_to:start])
        placed_to = max(placed_to, end)
    gaps.append(text[placed_to:])
    return len(_HAN.findall("".join(gaps)))

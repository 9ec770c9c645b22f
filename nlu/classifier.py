"""The duty classifier: exact lexicon scan, slow fallback only when needed, then a verdict."""

from __future__ import annotations

import re

from nlu.decide import Evidence, is_request, verdict
from nlu.fallback import fallback_hits
from nlu.learning import Learned
from nlu.lexicon import Hit, load_lexicon, normalise
from nlu.model import Classification

# Needs are stated in the first sentences; a bounded prefix keeps a 10 kB paste cheap.
MAX_CHARS = 400
# The fallback is for typos in real words; a message with almost no Chinese left over after
# the cue words is chit-chat or a sticker and would only produce spurious sound-alikes.
_HAN = re.compile(r"[\u4e00-\u9fff]")
MIN_HAN_FOR_FALLBACK = 3
# Below this much topic weight the exact scan counts as having found nothing: a bare 楼下 or
# 老人 names no duty, and a typo'd 拉极 beside it still deserves the slow path.
EXACT_FOUND = 1.5
LEARNED_BELOW = 0.5
"""Learned evidence is consulted only where the lexicon's own confidence is below this."""


def _evidence(text: str, allow_fallback: bool = True) -> tuple[Evidence, bool]:
    """Collect evidence for a normalised text; also say whether the fallback ran."""
    lexicon = load_lexicon()
    ev = Evidence()
    hits = lexicon.scan(text)
    ev.add(hits)
    if not allow_fallback or ev.topic_total >= EXACT_FOUND:
        return ev, False
    if _unplaced_han(text, hits) < MIN_HAN_FOR_FALLBACK:
        return ev, False
    ev.add(fallback_hits(text))
    return ev, True


def _unplaced_han(text: str, hits: list[Hit]) -> int:
    """How many Chinese characters no exact term took: a typo hides only among those, and a
    text the lexicon read all but a word or two of (大家早上好) is not worth the slow path."""
    placed = [False] * len(text)
    for hit in hits:
        placed[hit.start:hit.start + len(hit.term)] = [True] * len(hit.term)
    return sum(1 for char, taken in zip(text, placed, strict=True)
               if not taken and _HAN.match(char))


def needs_fallback(text: str) -> bool:
    """Tell whether ``classify(text)`` would take the slow pinyin/fuzzy path (for benches)."""
    return _evidence(normalise(text[:MAX_CHARS]), allow_fallback=False)[0].topic_total < EXACT_FOUND


def classify(text: str, learned: Learned | None = None) -> Classification:
    """Classify a resident's message into one of the eight duties.

    Args:
        text: Any message text; only the first ``MAX_CHARS`` characters are read.
        learned: What the community's reviews taught (``nlu.learning``), if anything.

    Returns:
        The classification. ``duty`` is None when nothing fits or it is unclear, and
        ``is_request`` is False for notices, thanks, trading, chatter and chit-chat.

    Raises:
        TypeError: If ``text`` is not a str.
    """
    if not isinstance(text, str):
        raise TypeError(f"classify() needs a str, got {type(text).__name__}")
    normalised = normalise(text[:MAX_CHARS])
    ev, _ = _evidence(normalised)
    duty, confidence, candidates = verdict(ev)
    if learned is not None and (duty is None or confidence < LEARNED_BELOW):
        # What reviews taught settles what the lexicon leaves open, never a clear verdict.
        ev.add_learned(learned.evidence(normalised))
        duty, confidence, candidates = verdict(ev)
    return Classification(
        text=text,
        duty=duty,
        confidence=confidence,
        is_request=is_request(ev),
        candidates=candidates,
        matched=tuple(ev.matched),
    )

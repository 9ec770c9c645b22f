"""Value types shared by the classifier, the reply parser and their callers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

DUTIES: dict[str, str] = {
    "party_building": "党建指导",
    "policy_outreach": "政策宣传",
    "community_affairs": "社务协调",
    "civility": "文明倡导",
    "sanitation": "环境保洁",
    "safety": "平安守护",
    "convenience": "便民服务",
    "hardship_relief": "扶贫济困",
}

REPLY_INTENTS: tuple[str, ...] = ("accept", "decline", "done", "rating", "withdraw", "none")


@dataclass(frozen=True)
class Candidate:
    """One duty the text may belong to.

    Attributes:
        duty: Duty code, a key of ``DUTIES``.
        score: Share of the evidence for this duty, 0..1.
    """

    duty: str
    score: float


@dataclass(frozen=True)
class Classification:
    """The classifier's verdict on one message.

    Attributes:
        text: The text as given.
        duty: Best duty code, or None when nothing fits or the evidence is too weak or
            ambiguous (the request then goes to human review, never to a default duty).
        confidence: How sure the classifier is of ``duty``, 0..1.
        is_request: Whether the text is a need addressed to the community.
        candidates: Duties ranked best first; may be non-empty even when ``duty`` is None.
        matched: Lexicon terms and cue words that fired, for explanations.
    """

    text: str
    duty: str | None
    confidence: float
    is_request: bool
    candidates: tuple[Candidate, ...]
    matched: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict of this classification."""
        return {
            "text": self.text,
            "duty": self.duty,
            "confidence": self.confidence,
            "is_request": self.is_request,
            "candidates": [{"duty": c.duty, "score": c.score} for c in self.candidates],
            "matched": list(self.matched),
        }


@dataclass(frozen=True)
class Reply:
    """A member's or resident's short reply, parsed.

    Attributes:
        intent: One of ``REPLY_INTENTS``.
        stars: 1..5 when ``intent`` is "rating", else None.
        comment: For a rating, the words written beside the stars (不满意，桌椅摆得乱七八糟
            comments 桌椅摆得乱七八糟); for a decline, its reason as written (出差中); empty
            when there are none.
    """

    intent: str
    stars: int | None
    comment: str = ""

    def to_json(self) -> dict[str, Any]:
        """Return a JSON-serialisable dict of this reply (the comment only when there is
        one)."""
        shown: dict[str, Any] = {"intent": self.intent, "stars": self.stars}
        return {**shown, "comment": self.comment} if self.comment else shown

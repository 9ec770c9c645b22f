"""How well the bot guesses (分类准确率): its guesses against the last reviews (/nlu and
``whistle nlu stats``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session

from handlers.learning.examples import labelled
from handlers.orders.duties import duty_name
from handlers.texts import t
from nlu import DUTIES

WINDOW = 100
"""The reviews counted: the newest this many."""
CORRECTIONS_SHOWN = 5


@dataclass(frozen=True)
class ReviewStats:
    """The guesses of the last ``WINDOW`` reviews.

    Attributes:
        reviews: How many reviews were counted.
        confirmed: How many of them confirmed the bot's guess.
        per_duty: Reviewed duty → (confirmed, reviews), in the order of ``DUTIES``.
        corrections: The commonest (guessed, corrected to) pairs with their counts; the
            guess is "" where the bot had none.
    """

    reviews: int
    confirmed: int
    per_duty: dict[str, tuple[int, int]]
    corrections: list[tuple[tuple[str, str], int]]


def review_stats(session: Session, communities: Sequence[int] | None) -> ReviewStats:
    """Count the guesses confirmed among the newest reviews of ``communities`` (None: all)."""
    rows = labelled(session, communities, WINDOW)
    seen: Counter[str] = Counter(duty for _guess, duty, _text in rows)
    right: Counter[str] = Counter(duty for guess, duty, _text in rows if guess == duty)
    wrong = Counter((guess, duty) for guess, duty, _text in rows if guess != duty)
    per_duty = {duty: (right[duty], seen[duty]) for duty in DUTIES if seen[duty]}
    return ReviewStats(len(rows), sum(right.values()), per_duty,
                       wrong.most_common(CORRECTIONS_SHOWN))


def stats_text(stats: ReviewStats, scope: str) -> str:
    """The stats as a chat message (or CLI output) for ``scope`` (a community's name)."""
    if not stats.reviews:
        return t("nlu_no_reviews", scope=scope)
    lines = [t("nlu_title", scope=scope, reviews=stats.reviews, confirmed=stats.confirmed,
               percent=round(100 * stats.confirmed / stats.reviews))]
    lines += [t("nlu_duty_line", duty=duty_name(duty), confirmed=right, reviews=seen)
              for duty, (right, seen) in stats.per_duty.items()]
    if stats.corrections:
        lines.append(t("nlu_corrections_title"))
        lines += [t("nlu_correction_line", guessed=duty_name(guess) if guess else t("nlu_no_guess"),
                    duty=duty_name(duty), n=n) for (guess, duty), n in stats.corrections]
    return "\n".join(lines)

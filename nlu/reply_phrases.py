"""The reply phrases of nlu/data/replies.tsv (好的 accept, 去不了 decline, 搞定了 done, 满意
rating) and the leftmost-longest scan that finds them in a clause."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from nlu.lexicon import normalise
from nlu.model import REPLY_INTENTS
from nlu.reply_stars import STAR_WORDS


@lru_cache(maxsize=1)
def phrases() -> tuple[dict[str, tuple[str, int]], dict[str, tuple[int, ...]]]:
    """Load the reply phrases once: phrase -> (intent, stars), plus, per first character, the
    phrases' lengths longest first. A phrase written ``^我上`` is kept as ``^我上`` and
    matches only a whole clause."""
    table: dict[str, tuple[str, int]] = {}
    text = resources.files("nlu").joinpath("data", "replies.tsv").read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        intent, phrase, stars = line.split("\t")
        if intent not in (*REPLY_INTENTS, "neg", "hedge"):
            raise ValueError(f"replies.tsv line {number}: unknown intent {intent!r}")
        if normalise(phrase) in table:  # a second row would silently overrule the first
            raise ValueError(f"replies.tsv line {number}: {phrase!r} is listed already")
        table[normalise(phrase)] = (intent, int(stars))
    sizes: dict[str, set[int]] = {}
    for phrase in table:
        if phrase[0] != "^":
            sizes.setdefault(phrase[0], set()).add(len(phrase))
    return table, {first: tuple(sorted(n, reverse=True)) for first, n in sizes.items()}


@lru_cache(maxsize=1)
def _rating_words() -> re.Pattern[str]:
    """The rating phrases, and the characters without which a text gives no stars, as one
    pattern."""
    rating = [p.lstrip("^") for p, (intent, _) in phrases()[0].items() if intent == "rating"]
    words = "|".join(re.escape(phrase) for phrase in rating)
    return re.compile(rf"{words}|{STAR_WORDS.pattern}|[12345一二两三四五⭐★🌟]")


def may_rate(text: str) -> bool:
    """Whether a text holds anything that gives stars (most declines and accepts do not)."""
    return _rating_words().search(text) is not None


# A whole-clause phrase (^我上) said with a 那 before it or a 吧 after it (那我上吧, 那就不了吧).
_PARTICLES = "吧哈呀啊"


def _bare(clause: str) -> str:
    """A clause without a 那(就) before it and a particle after it."""
    if clause[:1] == "那":
        clause = clause[2:] if clause[1:2] == "就" else clause[1:]
    return clause[:-1] if clause[-1:] in _PARTICLES else clause


def scan(text: str) -> list[tuple[str, int]]:
    """Leftmost-longest phrase hits in one clause as (intent, stars)."""
    table, sizes = phrases()
    whole = table.get("^" + text)
    if whole is None and (text[:1] == "那" or text[-1:] in _PARTICLES):
        whole = table.get("^" + _bare(text))
    hits: list[tuple[str, int]] = [whole] if whole else []
    i, end = 0, len(text)
    while i < end:
        lengths = sizes.get(text[i])
        if lengths:  # most characters start no phrase
            for size in lengths:
                found = table.get(text[i:i + size])
                if found:
                    hits.append(found)
                    i += size
                    break
            else:
                i += 1
        else:
            i += 1
    return hits

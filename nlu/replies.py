"""Parsing short replies: accept, decline (with its reason), done, a 1–5 star rating, or a
resident's withdrawal of their need (不用来了)."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from nlu import reply_shapes as shapes
from nlu.lexicon import normalise
from nlu.model import REPLY_INTENTS, Reply
from nlu.reply_stars import counted_stars, degree_stars

# Where a rating's clause ends and its comment begins: 不满意，桌椅摆得乱七八糟.
_CLAUSE = re.compile(r"[\s,，.。!！;；:：~～、…]+")
MAX_COMMENT_CHARS = 500
_ENDS = " \t\n,，.。!！;；:：~～、…"
# Replies are short; a long message is a conversation, not an answer to a whistle.
MAX_REPLY_CHARS = 40
# When several intents fire, the more specific and the more cautious one wins: a rating
# beats everything, a refusal beats an accept ("我去不了"), and done beats accept.
_PRECEDENCE = ("rating", "withdraw", "decline", "done", "accept")


@lru_cache(maxsize=1)
def _phrases() -> tuple[dict[str, tuple[str, int]], tuple[int, ...]]:
    """Load the reply phrases once: phrase -> (intent, stars), plus lengths longest first.
    A phrase written ``^我上`` is kept as ``^我上`` and matches only a whole clause."""
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
    return table, tuple(sorted({len(p) for p in table if p[0] != "^"}, reverse=True))


def _scan(text: str) -> list[tuple[str, int]]:
    """Leftmost-longest phrase hits in one clause as (intent, stars)."""
    table, sizes = _phrases()
    whole = table.get("^" + text)
    hits: list[tuple[str, int]] = [whole] if whole else []
    i = 0
    while i < len(text):
        step = 1
        for size in sizes:
            found = table.get(text[i:i + size])
            if found:
                hits.append(found)
                step = size
                break
        i += step
    return hits


def parse_reply(text: str) -> Reply:
    """Parse a reply to a whistle or to a request for a rating.

    Args:
        text: The reply as typed.

    Returns:
        The intent ("accept", "decline", "done", "rating", "withdraw" or "none") and, for a
        rating, stars.

    Raises:
        TypeError: If ``text`` is not a str.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_reply() needs a str, got {type(text).__name__}")
    if not text.strip():
        return Reply("none", None)
    # A rating may say why, at any length: the stars are one clause, the comment the rest.
    commented = _commented_rating(text)
    if commented is not None:
        return commented
    chain = shapes.chain_entry(text)
    if chain is not None:
        text, name_only = chain
        if name_only:
            return Reply("accept", None)
    flat = normalise(text)
    if len(flat) > MAX_REPLY_CHARS:
        return Reply("none", None)
    reply = _short_reply(flat)
    if reply.intent == "decline":
        return Reply("decline", None, _reason(text))
    return reply


_ORDER_NUMBER = re.compile(r"[#＃]?\d+\s*号?\W*$")


def _reason(text: str) -> str:
    """Why a member declines (出差中, 这个我不会弄), as written; empty when the words are a
    bare refusal (不接, 下次吧) with at most an order number after them."""
    said = _ORDER_NUMBER.sub("", text.strip()).strip(_ENDS)
    return "" if normalise(said) in _phrases()[0] else said[:MAX_COMMENT_CHARS]


def _short_reply(flat: str) -> Reply:
    """A short normalised reply read clause by clause, questions left out: stars first, then
    what the phrases and the shapes say, by precedence."""
    parts = shapes.clauses(shapes.fold(flat))
    said = [clause for clause, asked in parts if not asked]
    offered = shapes.accepts_on_condition(parts)
    if parts and not said:
        return Reply("accept" if offered else "none", None)
    for stars in (counted_stars(flat), *map(degree_stars, said)):
        if stars is not None:
            return Reply("rating", stars)
    hits = [hit for clause in said for hit in _scan(clause)]
    shaped = [(intent, 0) for clause in said for intent, shape in _SHAPES if shape(clause)]
    shaped += [("accept", 0)] if offered else []
    if any(intent == "neg" for intent, _ in hits) or any(map(shapes.unfinished, said)):
        # Not done yet: a progress report, neither done nor taking the work.
        hits = [h for h in hits if h[0] not in ("done", "neg")]
        shaped = [h for h in shaped if h[0] == "decline"]
    if any(intent == "hedge" for intent, _ in hits):
        hits = [h for h in hits if h[0] != "accept"]
        shaped = [h for h in shaped if h[0] != "accept"]
    for wanted in _PRECEDENCE:
        for intent, value in (*hits, *shaped):
            if intent == wanted:
                return Reply(intent, value if intent == "rating" else None)
    return Reply("none", None)


_SHAPES = (("decline", shapes.declines), ("done", shapes.is_done), ("accept", shapes.accepts))


def _commented_rating(text: str) -> Reply | None:
    """A rating in the first or the last clause, with the other clauses, as written, for its
    comment."""
    text = text.strip()
    breaks = list(_CLAUSE.finditer(text))
    if not breaks:
        return None
    first, last = breaks[0], breaks[-1]
    for stars_in, comment in ((text[:first.start()], text[first.end():]),
                              (text[last.end():], text[:last.start()])):
        # A bare digit beside words is an order number (我来 1), never stars.
        bare = not stars_in or normalise(stars_in).strip().isdecimal()
        read = None if bare else _short_reply(normalise(stars_in))
        comment = comment.lstrip(_ENDS).rstrip()
        if read is not None and read.intent == "rating" and comment:
            return Reply("rating", read.stars, comment[:MAX_COMMENT_CHARS])
    return None

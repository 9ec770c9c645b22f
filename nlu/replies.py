"""Parsing short replies: accept, decline (with its reason), done, a 1–5 star rating, or a
resident's withdrawal of their need (不用来了)."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from nlu.lexicon import normalise
from nlu.model import REPLY_INTENTS, Reply

_NUMERALS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "1": 1, "2": 2, "3": 3,
             "4": 4, "5": 5}
_STARS = re.compile(r"(?<![\d十])([1-5一二两三四五])\s*(?:星|颗星|个星|分(?!钟))")
_STAR_CHARS = re.compile(r"[⭐★🌟]")
_BARE_DIGIT = re.compile(r"^\s*([1-5])\s*[分星!！.。]?\s*$")
_PUNCT = re.compile(r"[\s,，.。!！?？~～、…]+")
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
def _phrases() -> tuple[dict[str, tuple[str, int]], dict[str, tuple[int, ...]]]:
    """Load the reply phrases once: phrase -> (intent, stars), plus for each first character
    the lengths of the phrases that begin with it, longest first."""
    table: dict[str, tuple[str, int]] = {}
    text = resources.files("nlu").joinpath("data", "replies.tsv").read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        intent, phrase, stars = line.split("\t")
        if intent not in (*REPLY_INTENTS, "neg"):
            raise ValueError(f"replies.tsv line {number}: unknown intent {intent!r}")
        if normalise(phrase) in table:  # a second row would silently overrule the first
            raise ValueError(f"replies.tsv line {number}: {phrase!r} is listed already")
        table[normalise(phrase)] = (intent, int(stars))
    sizes: dict[str, set[int]] = {}
    for phrase in table:
        sizes.setdefault(phrase[:1], set()).add(len(phrase))
    return table, {first: tuple(sorted(n, reverse=True)) for first, n in sizes.items()}


def _scan(text: str) -> list[tuple[str, int]]:
    """Leftmost-longest phrase hits as (intent, stars)."""
    table, sizes = _phrases()
    hits: list[tuple[str, int]] = []
    i = 0
    while i < len(text):
        step = 1
        # Only the lengths of phrases that begin here: most characters begin none.
        for size in sizes.get(text[i], ()):
            found = table.get(text[i:i + size])
            if found:
                hits.append(found)
                step = size
                break
        i += step
    return hits


# Shapes no phrase list covers. An accept names when or how: 我可以下午去, 我明天上午能过去,
# 我下班后过去. Done names the work and its end, as past: 路灯换好了, 已经劝导过了 (修好
# without 了 is a promise: 明天修好). Both only when no refusal or negation fired, and only
# read whole (the text without punctuation).
_ACCEPT_SHAPE = re.compile(
    r"^(?:我|俺)(?!们)[^不没别几啥哪谁]{0,10}?(?:过去|过来|去|到|来)(?:吧|哈|啊|呀|哦)?$")
_DONE_SHAPE = re.compile(
    r"(?:^已经?[^不没还]{1,12}(?:好|完|妥|过|通|掉|走|干净|回来)了?|"
    r"(?:换|修|装|扫|弄|办|做|搞|清|理|劝|干|疏通|调)(?:好|完|妥|掉|走|通)了)$")

# "完成了吗？" asks about the work; it neither reports it done nor takes the order.
_QUESTION = re.compile(r"(?:吗|么|嘛|了没|没有)\W*$|[?？]\W*$")


def _star_rating(text: str) -> int | None:
    """Read "5星", "四分", "⭐⭐⭐⭐" or a bare digit as a star count."""
    stars = len(_STAR_CHARS.findall(text))
    if stars:
        return min(stars, 5)
    found = _STARS.search(text) or _BARE_DIGIT.match(text)
    return _NUMERALS[found.group(1)] if found else None


def parse_reply(text: str) -> Reply:
    """Parse a reply to a whistle or to a request for a rating.

    Args:
        text: The reply as typed.

    Returns:
        The intent ("accept", "decline", "done", "rating" or "none") and, for a rating, stars.

    Raises:
        TypeError: If ``text`` is not a str.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_reply() needs a str, got {type(text).__name__}")
    flat = normalise(text)
    if not flat.strip():
        return Reply("none", None)
    # A rating may say why, at any length: the stars are one clause, the comment the rest.
    commented = _commented_rating(text)
    if commented is not None:
        return commented
    if len(flat) > MAX_REPLY_CHARS or _QUESTION.search(flat):
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
    """A short normalised reply read whole: stars first, then the phrases by precedence."""
    stars = _star_rating(flat)
    if stars is not None:
        return Reply("rating", stars)
    bare = _PUNCT.sub("", flat)
    hits = _scan(bare)
    if any(intent == "neg" for intent, _ in hits):
        hits = [h for h in hits if h[0] not in ("done", "neg")]
    elif not any(intent in ("decline", "withdraw") for intent, _ in hits):
        hits += [(i, 0) for i, shape in (("done", _DONE_SHAPE), ("accept", _ACCEPT_SHAPE))
                 if shape.search(bare)]
    for wanted in _PRECEDENCE:
        for intent, value in hits:
            if intent == wanted:
                return Reply(intent, value if intent == "rating" else None)
    return Reply("none", None)


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

"""Parsing short replies: accept, decline (with its reason), done, a 1–5 star rating, or a
resident's withdrawal of their need (不用来了)."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

from nlu import reply_clauses as read
from nlu import reply_shapes as shapes
from nlu.lexicon import normalise
from nlu.model import REPLY_INTENTS, Reply
from nlu.reply_stars import (
    STAR_WORDS,
    about_the_service,
    by_praise_alone,
    counted_stars,
    degree_stars,
    plain_rating,
)

# Where a rating's clause ends and its comment begins: 不满意，桌椅摆得乱七八糟.
_CLAUSE = re.compile(r"[\s,，.。!！;；:：~～、…]+")
MAX_COMMENT_CHARS = 500
"""A rating's comment is cut to this many characters, the width of its column."""
_ENDS = " \t\n,，.。!！;；:：~～、…"
# A voice-to-text answer runs to a hundred characters or so and is read like a short one
# (its answer clause among its chatter); a message longer than this is a post, not an answer.
MAX_REPLY_CHARS = 200


@lru_cache(maxsize=1)
def _phrases() -> tuple[dict[str, tuple[str, int]], dict[str, tuple[int, ...]]]:
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
    phrases = [p.lstrip("^") for p, (intent, _) in _phrases()[0].items() if intent == "rating"]
    words = "|".join(re.escape(phrase) for phrase in phrases)
    return re.compile(rf"{words}|{STAR_WORDS.pattern}|[12345一二两三四五⭐★🌟]")


def _may_rate(text: str) -> bool:
    """Whether a text holds anything that gives stars (most declines and accepts do not)."""
    return _rating_words().search(text) is not None


def _scan(text: str) -> list[tuple[str, int]]:
    """Leftmost-longest phrase hits in one clause as (intent, stars)."""
    table, sizes = _phrases()
    whole = table.get("^" + text)
    hits: list[tuple[str, int]] = [whole] if whole else []
    i = 0
    while i < len(text):
        step = 1
        for size in sizes.get(text[i], ()):
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
    text = read.unquoted(text)
    if not text.strip():
        return Reply("none", None)
    # A rating may say why, at any length: the stars are one clause, the comment the rest.
    commented = _commented_rating(text)
    if commented is not None:
        return commented
    chain = read.chain_entry(text)
    text = chain[0] if chain else text
    flat = normalise(text)
    if len(flat) > MAX_REPLY_CHARS:
        return Reply("none", None)
    reply = _short_reply(flat)
    if reply.intent == "none" and chain and chain[1] and not read.asks(flat):
        return Reply("accept", None)  # a name added to the chain signs up
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
    """A short normalised reply read clause by clause, questions and reports of the past left
    out: stars first, then what the phrases and the shapes say, the more cautious intent first
    (a refusal beats an accept, as in 我去不了; done beats accept)."""
    parts = read.clauses(read.fold(flat))
    scanned = [(clause, _heard(clause)) for clause, asked in parts if not asked]
    # 昨天那个灯修好了, 搞定了就好: said of the past, not of this call (unless it refuses or
    # withdraws the need: 之前的事已经解决了).
    scanned = [(clause, hits) for clause, hits in scanned
               if not shapes.reports(clause) or _refuses(clause, hits)
               or any(i == "withdraw" for i, _ in hits)]
    said = [clause for clause, _ in scanned]
    if parts and not said:
        return Reply("accept" if shapes.accepts_on_condition(parts) else "none", None)
    hits = [hit for _, found in scanned for hit in found]
    stars = _stars(flat, said, hits)
    if stars is not None and not _praised_as_reason(said):
        return Reply("rating", stars)
    found = {intent for intent, _ in hits}
    if "withdraw" in found:
        return Reply("withdraw", None)
    refused = next((n for n, row in enumerate(scanned) if _refuses(*row)), None)
    # 搞定了 下次有事再叫我: what follows the work reported done comments on it.
    if refused is not None and _done_in(scanned[:refused + 1]) and not _not_yet(found, said):
        return Reply("done", None)
    if refused is not None and not shapes.another_time(
            said, [_refuses(*row) for row in scanned], [shapes.accepts(c) for c in said]):
        return Reply("decline", None)
    # Not done yet (还没弄好, 正在修): a progress report, neither done nor taking the work.
    not_yet = _not_yet(found, said)
    if not not_yet and _done_in(scanned):
        return Reply("done", None)
    shaped = not not_yet and (any(map(shapes.accepts, said))
                              or shapes.accepts_on_condition(parts))
    if "hedge" not in found and ("accept" in found or shaped):
        return Reply("accept", None)
    return Reply("none", None)


def _heard(clause: str) -> list[tuple[str, int]]:
    """A clause's phrase hits, less the done words of a promise (就能弄好, 弄完了跟你说), the
    doubt over how the work turns out (不一定修得好) and the stars of someone else's or
    something else's state (老人身体还行)."""
    hits = _scan(clause)
    if not hits:
        return hits
    heard = {intent for intent, _ in hits}
    dropped = {"done" if "done" in heard and shapes.promised(clause) else "",
               "hedge" if "hedge" in heard and shapes.hedges_outcome(clause) else "",
               "rating" if "rating" in heard and not about_the_service(clause) else ""}
    return [hit for hit in hits if hit[0] not in dropped] if any(dropped) else hits


def _not_yet(found: set[str], said: list[str]) -> bool:
    """Whether a reply says the work is not finished (还没弄好, 正在修)."""
    return "neg" in found or any(map(shapes.unfinished, said))


def _done_in(scanned: list[tuple[str, list[tuple[str, int]]]]) -> bool:
    """Whether any of these clauses reports the work done, by a phrase or a shape."""
    return any(any(i == "done" for i, _ in hits) or shapes.is_done(clause)
               for clause, hits in scanned)


def _refuses(clause: str, hits: list[tuple[str, int]]) -> bool:
    """Whether one clause refuses, by a phrase or a shape."""
    return any(i == "decline" for i, _ in hits) or shapes.declines(clause)


def _stars(flat: str, said: list[str], hits: list[tuple[str, int]]) -> int | None:
    """A reply's stars: counted, else read from a word's degree, else a rating phrase's."""
    found = counted_stars(flat)
    if found is None:
        found = next((n for n in map(degree_stars, said) if n is not None), None)
    return found if found is not None else next((n for i, n in hits if i == "rating"), None)


def _clause_stars(clause: str) -> int | None:
    """The stars one clause of a longer reply gives, or None (a question gives none)."""
    flat = normalise(clause)
    parts = read.clauses(read.fold(flat))
    said = [text for text, asked in parts if not asked]
    if parts and not said:
        return None
    return _stars(flat, said, [hit for text in said for hit in _scan(text)])


def _commented_rating(text: str) -> Reply | None:
    """A rating in the first or the last clause, with the other clauses, as written, for its
    comment."""
    text = text.strip()
    breaks = list(_CLAUSE.finditer(text))
    if not breaks:
        return None
    first, last = breaks[0], breaks[-1]
    # A bare digit opening a reply may rate it (5 谢谢你们) when only a space or a comma
    # follows it; one that ends the reply is an order number (我来 1).
    opening = not first.group().strip(" ,，!！")
    ends = [(text[:first.start()], text[first.end():], opening),
            (text[last.end():], text[:last.start()], False)]
    # Each end normalised once; only the ends that may rate are read (so none is empty).
    rating = [(normalise(stars_in), stars_in, comment, opens)
              for stars_in, comment, opens in ends]
    rating = [end for end in rating if _may_rate(end[0])]
    if len(rating) == 2:  # both rate (师傅很耐心，五星): the count is the stars, words the comment
        rating.sort(key=lambda end: counted_stars(end[0]) is None)
    for flat, stars_in, comment, opens in rating:
        comment = comment.lstrip(_ENDS).rstrip()
        if flat.strip().isdecimal():
            stars = _leading_digit(stars_in, comment) if opens else None
        else:
            stars = _clause_stars(stars_in)
        if stars is not None and comment and not _praised_as_reason([flat, normalise(comment)]):
            return Reply("rating", _restated(stars_in, stars, comment) or stars,
                         comment[:MAX_COMMENT_CHARS])
    return None


def _praised_as_reason(said: list[str]) -> bool:
    """Whether a reply's only stars are a word of praise or blame beside a refusal, its
    reason rather than a rating (这个活我干不了，太专业了)."""
    if not any(map(shapes.declines, said)):
        return False
    rated = [clause for clause in said if _may_rate(clause)]
    return all(by_praise_alone(clause) or (degree_stars(clause) is None
                                            and counted_stars(clause) is None)
               for clause in rated) \
        and not any(i == "rating" for clause in rated for i, _ in _scan(clause))


def _restated(stars_in: str, stars: int, comment: str) -> int | None:
    """The stars a rating's comment says again, when they outrank the rating clause's own: a
    count outranks a word (10分满意 给五星), a higher degree a plain word (满意 非常满意, 还可以
    挺满意的; not 满意 就是稍微慢了点)."""
    said, rest = normalise(stars_in), normalise(comment)
    if counted_stars(said) is None and (count := counted_stars(rest)) is not None:
        return count
    again = _clause_stars(comment) if plain_rating(said) else None
    return again if again is not None and again > stars else None


# What a counted number names (2 楼, 3 个人): a number before it is no rating.
_COUNTED = re.compile(r"^[号楼栋幢单元层室个位点人次天分块元台件]")


def _leading_digit(digit: str, comment: str) -> int | None:
    """The stars of a bare 1–5 opening a reply whose rest only comments on the service (5
    谢谢你们); None before an answer (1 我来), a counted thing (2 楼) or a question."""
    digit, flat = normalise(digit).strip(), normalise(comment)
    if len(digit) != 1 or digit not in "12345" or not flat or _COUNTED.match(flat) \
            or read.asks(flat):
        return None
    return int(digit) if _short_reply(flat).intent in ("none", "rating") else None

"""A rating read from a reply: its stars (counted, a word's degree or a rating phrase), and a
rating that says why (不满意，桌椅摆得乱七八糟) split into its stars and its comment."""

from __future__ import annotations

import re
from collections.abc import Callable

from nlu import reply_clauses as read
from nlu import reply_shapes as shapes
from nlu.lexicon import normalise
from nlu.model import Reply
from nlu.reply_phrases import may_rate, scan
from nlu.reply_stars import (
    about_the_service,
    by_praise_alone,
    counted_stars,
    degree_stars,
    plain_rating,
)

# Where a rating's clause ends and its comment begins: 不满意，桌椅摆得乱七八糟 (not at the
# point of 4.5分, looked for only when a point is there).
_CLAUSE = re.compile(r"[\s,，.。!！;；:：~～、…]+")
_CLAUSE_BUT_DECIMALS = re.compile(r"(?:[\s,，。!！;；:：~～、…]|(?<!\d)\.|\.(?!\d))+")
MAX_COMMENT_CHARS = 500
"""A rating's comment is cut to this many characters, the width of its column."""
ENDS = " \t\n,，.。!！;；:：~～、…"
"""The spaces and marks stripped from either end of a comment or a reason."""


def stars(flat: str, said: list[str], hits: list[tuple[str, int]]) -> int | None:
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
    # 小区的垃圾分类搞得不错: a rating phrase about something else gives no stars.
    return stars(flat, said, [hit for text in said for hit in scan(text)
                              if hit[0] != "rating" or about_the_service(text)])


def commented_rating(text: str, intent_of: Callable[[str], str]) -> Reply | None:
    """A rating in the first or the last clause, with the other clauses, as written, for its
    comment.

    Args:
        text: The reply as typed, unquoted.
        intent_of: What a short normalised reply says (its intent), to tell a digit that
            rates (5 谢谢你们) from one before an answer (1 我来).

    Returns:
        The rating with its comment, or None when the reply is no commented rating.
    """
    text = text.strip()
    breaks = list((_CLAUSE_BUT_DECIMALS if "." in text else _CLAUSE).finditer(text))
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
    rating = [end for end in rating if may_rate(end[0])]
    if len(rating) == 2:  # both rate (师傅很耐心，五星): the count is the stars, words the comment
        rating.sort(key=lambda end: counted_stars(end[0]) is None)
    for flat, stars_in, comment, opens in rating:
        comment = comment.lstrip(ENDS).rstrip()
        if flat.strip().isdecimal():
            given = _leading_digit(stars_in, comment, intent_of) if opens else None
        else:
            given = _clause_stars(stars_in)
        if given is not None and comment and not praised_as_reason([flat, normalise(comment)]):
            return Reply("rating", _restated(stars_in, given, comment) or given,
                         comment[:MAX_COMMENT_CHARS])
    return None


def praised_as_reason(said: list[str]) -> bool:
    """Whether a reply's only stars are a word of praise or blame beside a refusal, its
    reason rather than a rating (这个活我干不了，太专业了)."""
    if not any(map(shapes.declines, said)):
        return False
    rated = [clause for clause in said if may_rate(clause)]
    return all(by_praise_alone(clause) or (degree_stars(clause) is None
                                            and counted_stars(clause) is None)
               for clause in rated) \
        and not any(i == "rating" for clause in rated for i, _ in scan(clause))


def _restated(stars_in: str, given: int, comment: str) -> int | None:
    """The stars a rating's comment says again, when they outrank the rating clause's own: a
    count outranks a word (10分满意 给五星), a higher degree a plain word (满意 非常满意, 还可以
    挺满意的; not 满意 就是稍微慢了点)."""
    said, rest = normalise(stars_in), normalise(comment)
    if counted_stars(said) is None and (count := counted_stars(rest)) is not None:
        return count
    again = _clause_stars(comment) if plain_rating(said) else None
    return again if again is not None and again > given else None


# What a counted number names (2 楼, 3 个人): a number before it is no rating.
_COUNTED = re.compile(r"^[号楼栋幢单元层室个位点人次天分块元台件]")


def _leading_digit(digit: str, comment: str, intent_of: Callable[[str], str]) -> int | None:
    """The stars of a bare 1–5 opening a reply whose rest only comments on the service (5
    谢谢你们); None before an answer (1 我来), a counted thing (2 楼) or a question."""
    digit, flat = normalise(digit).strip(), normalise(comment)
    if len(digit) != 1 or digit not in "12345" or not flat or _COUNTED.match(flat) \
            or read.asks(flat):
        return None
    return int(digit) if intent_of(flat) in ("none", "rating") else None

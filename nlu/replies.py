"""Parsing short replies: accept, decline (with its reason), done, a 1–5 star rating, or a
resident's withdrawal of their need (不用来了)."""

from __future__ import annotations

import re

from nlu import reply_accepts as accepts
from nlu import reply_clauses as read
from nlu import reply_shapes as shapes
from nlu import reply_turns as turns
from nlu import reply_voices as voices
from nlu.lexicon import normalise
from nlu.model import Reply
from nlu.reply_phrases import phrases, scan
from nlu.reply_ratings import ENDS, MAX_COMMENT_CHARS, commented_rating, praised_as_reason, stars
from nlu.reply_stars import about_the_service
from nlu.reply_withdraws import withdraws

# A voice-to-text answer runs to a hundred characters or so and is read like a short one
# (its answer clause among its chatter); a message longer than this is a post, not an answer.
MAX_REPLY_CHARS = 200


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
    commented = commented_rating(text, _intent_of)
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


def _intent_of(flat: str) -> str:
    """What a short normalised reply says, without its stars or reason."""
    return _short_reply(flat).intent


_ORDER_NUMBER = re.compile(r"[#＃]?\d+\s*号?\W*$")


def _reason(text: str) -> str:
    """Why a member declines (出差中, 这个我不会弄), as written; empty when the words are a
    bare refusal (不接, 下次吧) with at most an order number after them."""
    said = _ORDER_NUMBER.sub("", text.strip()).strip(ENDS)
    return "" if normalise(said) in phrases()[0] else said[:MAX_COMMENT_CHARS]


def _short_reply(flat: str) -> Reply:
    """A short normalised reply read clause by clause, questions and reports of the past left
    out: stars first, then what the phrases and the shapes say, the more cautious intent first
    (a refusal beats an accept, as in 我去不了; done beats accept)."""
    parts = read.clauses(read.fold(flat))
    scanned = [(clause, _heard(clause)) for clause, asked in parts if not asked]
    # 昨天那个灯修好了, 搞定了就好: said of the past, not of this call (unless it refuses or
    # withdraws the need: 之前的事已经解决了).
    scanned = [(clause, hits) for clause, hits in scanned
               if not voices.reports(clause)
               or (_refuses(clause, hits) and not voices.speaks_for_others(clause))
               or any(i == "withdraw" for i, _ in hits)]
    said = [clause for clause, _ in scanned]
    if parts and not said:
        return Reply("accept" if accepts.accepts_on_condition(parts) else "none", None)
    hits = [hit for _, found in scanned for hit in found]
    given = stars(flat, said, hits)
    if given is not None and not praised_as_reason(said):
        return Reply("rating", given)
    found = {intent for intent, _ in hits}
    if "withdraw" in found:
        return Reply("withdraw", None)
    refusals = [_refuses(*row) for row in scanned]
    refused = refusals.index(True) if True in refusals else None
    # 搞定了 下次有事再叫我: what follows the work reported done comments on it.
    if refused is not None and _done_in(scanned[:refused + 1]) and not _not_yet(found, said):
        return Reply("done", None)
    if refused is not None and not accepts.another_time(
            said, refusals, [accepts.accepts(c) for c in said]):
        return Reply("decline", None)
    # Not done yet (还没弄好, 正在修): a progress report, neither done nor taking the work.
    not_yet = _not_yet(found, said)
    if not not_yet and _done_in(scanned):
        return Reply("done", None)
    # 材料还没齐 明天再跑一趟, 在路上了 马上到了: coming again to finish, or arriving on the
    # way, is more of the progress, no new yes.
    if (not_yet or any(map(turns.on_the_way, said))) and turns.only_progress(
            [clause for clause, hits in scanned
             if any(i == "accept" for i, _ in hits) or accepts.accepts(clause)]):
        return Reply("none", None)
    shaped = not not_yet and (any(map(accepts.accepts, said))
                              or accepts.accepts_on_condition(parts))
    if "hedge" not in found and ("accept" in found or shaped):
        return Reply("accept", None)
    if not not_yet and "hedge" not in found and len(said) == len(parts) \
            and turns.apologises(said):
        return Reply("decline", None)
    return Reply("none", None)


def _heard(clause: str) -> list[tuple[str, int]]:
    """A clause's phrase hits, less the done words of a promise (就能弄好, 弄完了跟你说), the
    doubt over how the work turns out (不一定修得好), the stars of someone else's or
    something else's state (老人身体还行) and a cannot that is someone else's, a condition or a
    limit (老人去不了医院, 老李去不了的话, 其他的干不了)."""
    hits = scan(clause)
    if withdraws(clause):
        hits = [*hits, ("withdraw", 0)]
    if not hits:
        return hits
    heard = {intent for intent, _ in hits}
    dropped = {"done" if "done" in heard and shapes.promised(clause) else "",
               "hedge" if "hedge" in heard and shapes.hedges_outcome(clause) else "",
               "rating" if "rating" in heard and not about_the_service(clause) else "",
               "decline" if "decline" in heard and (shapes.refuses_nothing(clause) or (
                   clause[:1] not in "我俺" and shapes.others_cannot(clause))) else ""}
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

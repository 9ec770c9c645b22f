"""What the bot learned from reviews, for admins: /nlu (how often its guess was right) and
/lexicon (the community's own words, proposed from corrections, accepted or dropped)."""

from __future__ import annotations

from handlers.chat.request import Request
from handlers.context import Context
from handlers.errors import WorkflowError
from handlers.learning import stats, terms
from handlers.messages import Outgoing
from handlers.orders.duties import duty_code, duty_name
from handlers.texts import t
from nlu.learning import Proposal
from storage.models import Community, stored_id

ACCEPT_WORDS = frozenset({"accept", "采纳", "接受", "同意", "加入"})
DROP_WORDS = frozenset({"drop", "不要", "忽略", "删除", "去掉"})
MAX_TERM_CHARS = 8


def nlu(ctx: Context, req: Request) -> list[Outgoing]:
    """/nlu: how often the admins confirmed the bot's guess over the last reviews."""
    communities = req.communities
    scope = (ctx.session.get_one(Community, communities[0]).name if len(communities) == 1
             else t("nlu_scope_all"))
    return req.tell(stats.stats_text(stats.review_stats(ctx.session, communities), scope))


def lexicon(ctx: Context, req: Request) -> list[Outgoing]:
    """/lexicon [采纳|不要 词或序号 [类别]]: the proposed terms, or a decision on one."""
    community = req.community
    if not req.args:
        return req.tell(_listing(ctx, community))
    verb, rest = req.args[0], req.args[1:]
    if verb not in ACCEPT_WORDS | DROP_WORDS or not 1 <= len(rest) <= 2:
        raise WorkflowError(t("usage_lexicon"))
    accepted = verb in ACCEPT_WORDS
    term, duty = _which(ctx, community, rest, accepted)
    terms.decide(ctx.session, stored_id(community), term, duty, accepted, ctx.now)
    said = (t("lexicon_accepted", term=term, duty=duty_name(duty)) if accepted
            else t("lexicon_dropped", term=term))
    return req.tell(said)


def _listing(ctx: Context, community: Community) -> str:
    community_id = stored_id(community)
    proposed = terms.proposals(ctx.session, community_id)
    lines = [t("lexicon_title", community=community.name)]
    lines += [t("lexicon_line", n=n, term=p.term, duty=duty_name(p.duty), times=p.corrections)
              for n, p in enumerate(proposed, start=1)] or [t("lexicon_none")]
    if proposed:
        lines.append(t("lexicon_how"))
    kept = terms.terms(ctx.session, community_id)
    if kept:
        lines.append(t("lexicon_kept", terms="、".join(
            f"{row.term}（{duty_name(row.duty)}）" for row in kept)))
    return "\n".join(lines)


def _which(ctx: Context, community: Community, rest: list[str],
           accepted: bool) -> tuple[str, str]:
    """The term and duty a decision is about: a proposal by number or word, or a word with
    the duty written after it, or (to drop it) a term accepted before."""
    community_id = stored_id(community)
    proposed: list[Proposal] = terms.proposals(ctx.session, community_id)
    said = rest[0]
    if said.isdecimal() and 1 <= int(said) <= len(proposed):
        chosen = proposed[int(said) - 1]
        return chosen.term, duty_code(rest[1]) if len(rest) > 1 else chosen.duty
    if said.isdecimal():
        raise WorkflowError(t("lexicon_no_number", n=said))
    if not 2 <= len(said) <= MAX_TERM_CHARS:
        raise WorkflowError(t("lexicon_bad_term", limit=MAX_TERM_CHARS))
    if len(rest) > 1:
        return said, duty_code(rest[1])
    match = next((p for p in proposed if p.term == said), None)
    if match is not None:
        return match.term, match.duty
    earlier = terms.decided(ctx.session, community_id, said)
    if earlier is not None and not accepted:
        return earlier.term, earlier.duty
    raise WorkflowError(t("lexicon_unknown", term=said))

"""Quota sweeps (考核预警): the nudge before a quarter ends, the yellow and red lights after.

Who is below quota is decided in handlers/ledger/quotas.py; these sweeps tell people (the
lights: ``quota_lights``, with what both share from here). Both
find, for all the communities due at once, which have no finished pass
(``quota_passes.unpassed``); then, ``COMMUNITIES_A_READ`` of those at a time, they work out
in a plain read who is short (one query of ids over the running tallies) and, for nudges,
the open orders (one query). Members given the same text share it: a community's nudge is
one text for each set of duties claimed, a light one for yellow and one for red, each with
the member's name put in by SQL (``fanout.named``). The communities are then written a few
at a time, a short transaction each (``communities.write_each``), in a few INSERT … SELECTs
for them all: the sent notices, the warnings and the messages, however many the members.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Sequence

from sqlalchemy import ColumnElement, String, cast, func
from sqlmodel import Session, col, select

from handlers import fanout
from handlers.context import Context
from handlers.jobs.communities import write_each
from handlers.jobs.quota_passes import unpassed
from handlers.ledger.quarters import Quarter, period, quarter_of, shift, start_of
from handlers.ledger.quotas import asleep, quota, short_of_quota
from handlers.once import first_sent, first_sent_each, text_of
from handlers.orders.views import order_line
from handlers.texts import t
from storage.db import commit_own, read_first
from storage.models import Community, Member, Order, stored_id
from storage.models import OrderStatus as S
from storage.rows import core

NUDGE_ORDERS = 5
COMMUNITIES_A_READ = 20  # worked out together: memory stays flat however big the city
Due = Sequence[tuple[Community, Quarter]]
Pending = Sequence[tuple[Community, Quarter, str]]  # with the subject of the pass
Shares = Sequence[tuple[Community, str]]  # communities written together, with their pass


def nudges(ctx: Context) -> None:
    """The nudge sweep: every community in its quarter's last two weeks, awake."""
    nudge_all(ctx, [(c, q) for c in every_community(ctx)
                    if _nudging(ctx, c, q := quarter_of(ctx.now, c.timezone))])


def nudge(ctx: Context, community: Community) -> None:
    """``nudges`` for one community."""
    quarter = quarter_of(ctx.now, community.timezone)
    if _nudging(ctx, community, quarter):
        nudge_all(ctx, [(community, quarter)])


def _nudging(ctx: Context, community: Community, quarter: Quarter) -> bool:
    ends = start_of(shift(quarter, 1), community.timezone)
    return (ctx.now >= ends - ctx.policy.quota.nudge_before
            and not asleep(community, ctx.policy, ctx.now))


def nudge_all(ctx: Context, due: Due) -> None:
    """Nudge each member below quota of the communities ``due`` once a quarter, privately,
    with open orders of their duties; a community's pass is recorded when done."""
    a_read_at_a_time(ctx, unpassed(ctx, "quota_nudge_pass", due), _nudge_some)


def a_read_at_a_time(ctx: Context, pending: Pending,
                     some: Callable[[Context, Pending], None]) -> None:
    """``some`` for the ``pending`` communities, ``COMMUNITIES_A_READ`` at a time."""
    for first in range(0, len(pending), COMMUNITIES_A_READ):
        some(ctx, pending[first:first + COMMUNITIES_A_READ])


def _nudge_some(ctx: Context, pending: Pending) -> None:
    """Some pending communities' nudges, worked out in one read, then written."""
    # Who and what, worked out before taking the write lock.
    with read_first(ctx.session) as reader:
        short = short_of(reader, ctx, pending)
        open_orders = _open_orders(reader, [stored_id(c) for c, _, _ in pending])
        shares = {}
        for community, quarter, _ in pending:
            below = short.get(stored_id(community), [])
            listings = _listings([duties for _, duties in below],
                                 open_orders.get(stored_id(community), []))
            texts = {duties: _nudge(ctx, community, quarter, listing)
                     for duties, listing in listings.items()}
            by_text: dict[str, list[int]] = defaultdict(list)
            for member_id, duties in below:
                by_text[texts[duties]].append(member_id)
            shares[stored_id(community)] = (quarter, by_text)

    def write(part: Shares) -> None:
        by_quarter: dict[Quarter, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        for community, _ in part:
            quarter, by_text = shares[stored_id(community)]
            for text, ids in by_text.items():
                by_quarter[quarter][text].extend(ids)
        for quarter, texts in by_quarter.items():
            members = [member_id for ids in texts.values() for member_id in ids]
            if members:
                sent = set(first_sent_each(ctx, "quota_nudge", _subject(quarter),
                                           fanout.among(members)))
                label = period(quarter)
                fanout.each_named(ctx, {text: [m for m in ids if f"{m}:{label}" in sent]
                                  for text, ids in texts.items()})
        first_sent(ctx, "quota_nudge_pass", [done for _, done in part])

    write_each(ctx, "quota_nudges", [(c, done) for c, _, done in pending], write)


def _subject(quarter: Quarter) -> ColumnElement[str]:
    """A member's nudge for the quarter, as its notice names it."""
    return text_of(col(Member.id)) + f":{period(quarter)}"


def every_community(ctx: Context) -> list[Community]:
    """Every community, for either sweep; the sweep's transaction ends with the read (as
    ``each_community``'s does), so no write lock is held while the sweep works out its
    share."""
    found = list(ctx.session.exec(select(Community).order_by(col(Community.id))).all())
    commit_own(ctx.session)
    return found


def short_of(session: Session, ctx: Context, pending: Pending
           ) -> dict[int, list[tuple[int, str]]]:
    """The members below quota of each pending community, with the duties they claimed as
    stored (JSON text: members who claimed the same share it, and it is parsed once): one
    query per quarter judged (one, in a district in one zone), of ids and duties only.

    Those already nudged or lit are not left out here: the write's INSERT … ON CONFLICT DO
    NOTHING skips them and tells only those it recorded (it must, for a bot sweeping at
    once). Leaving them out in the read too cost, in every read, a scan of every notice or
    warning of the quarter so far (tens of thousands by the end of a city's first sweep:
    PostgreSQL hashed them all, per read) to spare a re-run the conflicts of a community's
    few members."""
    by_quarter: dict[Quarter, list[Community]] = defaultdict(list)
    for community, quarter, _ in pending:
        by_quarter[quarter].append(community)
    short: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for quarter, judged in by_quarter.items():
        query = short_of_quota(judged, ctx.policy, quarter)
        # Core: the ORM's handling of the thousands of rows cost a third of the read.
        for member_id, community_id, duties in core(session).execute(query.with_only_columns(
                col(Member.id), col(Member.community_id), cast(col(Member.duties), String))):
            short[community_id].append((int(member_id or 0), duties))  # stored: never 0
    return short


def _open_orders(session: Session, community_ids: list[int]) -> dict[int, list[Order]]:
    """Each community's open orders, newest first: the few newest of each duty, enough for
    any member's list of their duties' newest."""
    newest = (select(col(Order.id), func.row_number().over(
        partition_by=(col(Order.community_id), col(Order.duty)),
        order_by=col(Order.id).desc()).label("n"))
        .where(col(Order.community_id).in_(community_ids), Order.status == S.OPEN).subquery())
    found: dict[int, list[Order]] = defaultdict(list)
    for order in session.exec(select(Order).join(newest, newest.c.id == Order.id)
                              .where(newest.c.n <= NUDGE_ORDERS)
                              .order_by(col(Order.id).desc())).all():
        found[order.community_id].append(order)
    return found


def _listings(duties: list[str], open_orders: list[Order]) -> dict[str, str]:
    """The list of open orders for each set of duties the members claimed (as stored):
    members who claimed the same duties (most of them) share one."""
    listings = {}
    for stored in set(duties):
        claimed = json.loads(stored) or []
        orders = [o for o in open_orders if o.duty in claimed][:NUDGE_ORDERS]
        listings[stored] = "\n".join(order_line(o) for o in orders) or t("quota_no_open_orders")
    return listings


def _nudge(ctx: Context, community: Community, quarter: Quarter, listing: str) -> str:
    services, hours = quota(community, ctx.policy)
    return t("quota_nudge", name=fanout.NAME, period=period(quarter), services=services,
             hours=f"{hours:g}", orders=listing)

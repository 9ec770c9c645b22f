"""No-shows (爽约): members who accepted an order and never checked in on site.

A member must check in by the order's deadline. When the order has a known time (its
``event_at``, read from 周六9点 or 明天下午3点), that is the time plus a grace of some hours,
and as long after accepting: the place of an event must be freed on the day, or the members
who came can never finish it, and nobody is fined before the visit they agreed to. Otherwise
a resident's need is due by its claim deadline, an event whose time could not be read by its
overdue time, and in both never sooner than one claim window after accepting (so a late
accept still gets the full window); a resident's timed need waits for the later of its claim
deadline and its time. Past that, while the order is still open for work (open, claimed or
in progress), the member loses the no-show deduction once and the place is released through
the workflow so someone else can take it.
Cancelled, closed and returned orders cost nobody anything.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta
from typing import Any, TypeVar

from sqlalchemy import BindParameter, ColumnElement, and_, bindparam, case, or_
from sqlmodel import col, select
from sqlmodel.sql.expression import Select, SelectOfScalar

from handlers.context import Context
from handlers.ledger import book
from handlers.once import first_sent
from handlers.orders import places, standings, states
from handlers.orders.ahead import Ahead, communities_of, read_ahead
from handlers.texts import t
from storage.db import owns_transaction, read_first
from storage.models import (
    Acceptance,
    AcceptanceStatus,
    CheckIn,
    CheckInKind,
    Member,
    Order,
    stored_id,
)
from storage.models import OrderStatus as S

NO_SHOW_EVERY = timedelta(hours=1)
CHUNK = 20
"""Places a transaction: its write lock stays short (a city's chunk of 20 held it a median
21-30 ms on SQLite, 25-70 ms on PostgreSQL, on a busy machine), and each commit's fixed
cost is shared by enough places (from 10, the sweep's CPU fell by a quarter; at 30 the
lock's median doubled for little more)."""


def overdue_places(ctx: Context) -> list[tuple[Order, Member, Acceptance]]:
    """Places held past their check-in deadline with no arrival since the order opened."""
    return list(ctx.session.exec(_overdue(ctx, select(Order, Member, Acceptance))).all())


def still_overdue(ctx: Context, held: Sequence[tuple[Order, Member, Acceptance]],
                  check: SelectOfScalar[Any]) -> list[tuple[Order, Member, Acceptance]]:
    """Those of the places ``held`` (read in the sweep's plain read) still overdue: checked
    again by their ids alone (``check``: ``overdue_check``, built once for a sweep's
    chunks), and the objects read then taken into the chunk's session rather than read
    again.

    An order's row may have moved since: a place still overdue is still accepted in its
    order's round and the order still live, and what the chunk's writes depend on (its
    status, count and whistle stage) they read back as they write it."""
    still = set(ctx.session.exec(check, params={
        "places": [stored_id(place) for _, _, place in held]}).all())
    held = [(order, member, place) for order, member, place in held if place.id in still]
    for order, member, place in held:
        ctx.session.add_all((order, member, place))
    return held


def overdue_check(ctx: Context) -> SelectOfScalar[Any]:
    """The ids of the acceptances ``places`` (a parameter) still overdue."""
    return _overdue(ctx, select(Acceptance.id), bindparam("places", expanding=True))


Query = TypeVar("Query", Select[*tuple[Any, ...]], SelectOfScalar[Any])


def _overdue(ctx: Context, query: Query, among: BindParameter[Any] | None = None
             ) -> Query:
    """The ``query`` of places past their deadline and not arrived at (only the acceptances
    ``among``, when given), in the order of their orders' ids and their own."""
    arrived = select(CheckIn.id).where(CheckIn.order_id == Acceptance.order_id,
                                       CheckIn.member_id == Acceptance.member_id,
                                       CheckIn.kind == CheckInKind.ARRIVE,
                                       col(CheckIn.at) >= col(Order.opened_at))
    query = (
        query.select_from(Order)
        .join(Acceptance, (col(Acceptance.order_id) == Order.id)
              & (col(Acceptance.round) == Order.round))
        .join(Member, col(Member.id) == Acceptance.member_id)
        .where(Acceptance.status == AcceptanceStatus.ACCEPTED, col(Order.status).in_(states.LIVE),
               _past_deadline(ctx), ~arrived.exists())
        .order_by(col(Order.id), col(Acceptance.id)))
    if among is not None:
        query = query.where(col(Acceptance.id).in_(among))
    return query


def _past_deadline(ctx: Context) -> ColumnElement[bool]:
    """Whether a place's check-in deadline has passed: see the module's docstring."""
    timed = col(Order.event_at).is_not(None)
    accepted_long_ago = col(Acceptance.accepted_at) <= ctx.now - ctx.policy.claim_window
    untimed_due = case((col(Order.resident_id).is_(None), Order.overdue_at),
                       else_=Order.claim_deadline)
    return or_(
        and_(timed, col(Order.event_at) <= ctx.now - ctx.policy.event_checkin_grace,
             col(Order.claim_deadline) <= ctx.now, accepted_long_ago),
        and_(timed, col(Order.resident_id).is_(None),
             col(Order.event_at) <= ctx.now - ctx.policy.event_checkin_grace,
             col(Acceptance.accepted_at) <= ctx.now - ctx.policy.event_checkin_grace),
        and_(~timed, untimed_due <= ctx.now, accepted_long_ago))


def no_show_sweep(ctx: Context) -> None:
    """Deduct once for each overdue place and release it (the acceptance leaves 'accepted',
    so a second run finds nothing).

    The overdue places are found in a plain read; they are settled a chunk at a time, each
    chunk its own short transaction that checks its places again (a member may have arrived
    in between) and costs the same few statements however many places it holds, its
    messages written together at its end.
    """
    if not owns_transaction(ctx.session):  # a caller's transaction: all in it
        settle_each(ctx, overdue_places(ctx), t("actor_system"))
        return
    with read_first(ctx.session) as reader:
        overdue = overdue_places(replace(ctx, session=reader))
        ahead = _read_ahead(replace(ctx, session=reader), overdue) if overdue else None
        reader.expunge_all()  # the objects outlive the read, loaded, for the chunks
    ctx.session.commit()
    # The plain read left a city's worth of objects behind it: Python's next full garbage
    # collection (100-180 ms on a city) would fall in a chunk and hold its write lock.
    gc.collect()
    check = overdue_check(ctx)  # built once: each chunk's own cost more than its SELECT
    for start in range(0, len(overdue), CHUNK):
        # The chunk's messages collected and written in one INSERT at its end.
        chunk = replace(ctx, pending=[])
        settle_each(chunk, still_overdue(chunk, overdue[start:start + CHUNK], check),
                    t("actor_system"), ahead)
        chunk.flush_outbox()
        ctx.session.commit()


def _read_ahead(ctx: Context, overdue: list[tuple[Order, Member, Acceptance]]) -> Ahead:
    """What the chunks settling the ``overdue`` places look up, read in the sweep's plain
    read: the orders these places fill open again, those never whistled ranked here, and
    the communities' and members' few lookups."""
    communities = communities_of(ctx.session, {o.community_id for o, _, _ in overdue})
    ranked = standings.first_whistled(ctx.session, list({o.id: o for o, _, _ in overdue
                                                         if o.status == S.CLAIMED}.values()),
                                      ctx.policy, ctx.now, communities)
    return read_ahead(ctx.session, communities, {stored_id(m) for _, m, _ in overdue}, ranked)


def settle(ctx: Context, order: Order, member: Member, place: Acceptance, actor: str) -> None:
    """A no-show (爽约): the deduction, once per place taken, and the place released."""
    settle_each(ctx, [(order, member, place)], actor)


def settle_each(ctx: Context, held: Sequence[tuple[Order, Member, Acceptance]],
                actor: str, ahead: Ahead | None = None) -> None:
    """``settle`` for many places at once, in the same few statements however many
    (``ahead``: what a sweep read for its chunks beforehand)."""
    subjects = {f"{order.id}:{member.id}:{place.accepted_at.isoformat()}": (order, member, place)
                for order, member, place in held}
    # Those another bot sweeping at once has settled are left to it.
    held = [subjects[subject] for subject in first_sent(ctx, "no_show", list(subjects))]
    held = places.mark_no_shows(ctx, held)
    book.write(ctx.session, [book.entry(stored_id(member), -ctx.policy.points.no_show_deduction,
                                        "no_show", ctx.now, order.id)
                             for order, member, _ in held])
    places.release_no_shows(ctx, held, actor, ahead)

"""Who was whistled for an order, written down in bulk (``storage.whistles``): as a whistle
reaches its members, in one INSERT … SELECT however many, and read back for the messages
(``handlers.fanout``) that tell them."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy import Insert, Select, exists, func, insert, literal
from sqlalchemy import select as wide_select
from sqlmodel import col, select

from handlers.context import Context
from storage.idlists import listed
from storage.models import Acceptance, AcceptanceStatus, Order, WhistleStage
from storage.rows import core, table_of
from storage.whistles import OrderWhistle


def record_whistled(ctx: Context, order_id: int, round_: int, stage: WhistleStage,
                    members: Select) -> Select:
    """Write down, in one INSERT … SELECT, that the selected members (an ``id`` column) are
    whistled for the order's round at ``stage``; the ids of those just written down."""
    chosen = members.subquery()
    written = record_whistled_each(ctx, [order_id], stage, wide_select(
        literal(order_id).label("order_id"), literal(round_).label("round"), chosen.c.id))
    return select(written.subquery().c.id)


def record_whistled_each(ctx: Context, order_ids: Collection[int], stage: WhistleStage,
                         members: Select) -> Select:
    """``record_whistled`` for many orders in one INSERT … SELECT: ``members`` selects
    ``order_id``, ``round`` and ``id`` for the orders ``order_ids``; the ``order_id`` and
    ``id`` of those just written down."""
    ctx.session.flush()
    # Rows written from here on have higher ids: the mark tells this batch from the last.
    # Each order's latest, not one max(): PostgreSQL plans a lone max(id) as a backward
    # walk of the whole table's ids, which on stale statistics reads every later row.
    mark = max(ctx.session.execute(wide_select(func.max(OrderWhistle.id))
                                   .where(col(OrderWhistle.order_id).in_(list(order_ids)))
                                   .group_by(col(OrderWhistle.order_id))).scalars(),
               default=0)
    chosen = members.subquery()
    ctx.session.execute(_whistles(ctx, stage, wide_select(
        chosen.c.order_id, chosen.c.round, chosen.c.id)))
    return (select(col(OrderWhistle.order_id), col(OrderWhistle.member_id).label("id"))
            .where(col(OrderWhistle.order_id).in_(list(order_ids)), col(OrderWhistle.id) > mark))


def record_listed(ctx: Context, stage: WhistleStage, rows: Sequence[tuple[int, int, int]]
                  ) -> list[tuple[int, int]]:
    """``record_whistled_each`` for members chosen beforehand, listed as (order id, round,
    member id), in one INSERT … SELECT from the rows passed as one parameter
    (``storage.idlists.listed``: the database renders them, not SQLAlchemy a row at a
    time); the (order id, member id) written down, which are all of them: nothing needs
    reading back."""
    if rows:
        given = listed(ctx.session.get_bind().dialect.name, "whistled",
                       {"order_id": "int", "round": "int", "member_id": "int"}, rows)
        core(ctx.session).execute(_whistles(ctx, stage, wide_select(
            given.c.order_id, given.c.round, given.c.member_id).order_by(given.c.n)))
    return [(order_id, member) for order_id, _, member in rows]


def _whistles(ctx: Context, stage: WhistleStage, members: Select) -> Insert:
    """The INSERT of whistles at ``stage``, now, from ``members``, a selection of order id,
    round and member id."""
    whistles = table_of(OrderWhistle).c
    return insert(OrderWhistle).from_select(
        ["order_id", "round", "member_id", "stage", "at"],
        members.add_columns(literal(stage, whistles.stage.type),
                            literal(ctx.now, whistles["at"].type)))


def whistled_before_each(order_ids: Collection[int]) -> Select:
    """The members whistled for each order's current round so far who hold no place on it
    (a place come free again is news only to those still without one): columns
    ``order_id`` and ``id``."""
    holding = exists().where(
        col(Acceptance.order_id) == OrderWhistle.order_id,
        col(Acceptance.member_id) == OrderWhistle.member_id,
        col(Acceptance.round) == OrderWhistle.round,
        col(Acceptance.status) == AcceptanceStatus.ACCEPTED)
    return (select(col(OrderWhistle.order_id), col(OrderWhistle.member_id).label("id"))
            .join(Order, col(Order.id) == OrderWhistle.order_id)
            # The orders named on both sides: on statistics that call the whistles few,
            # PostgreSQL otherwise hashes every order in the city to join a handful.
            .where(col(OrderWhistle.order_id).in_(list(order_ids)),
                   col(Order.id).in_(list(order_ids)),
                   col(OrderWhistle.round) == Order.round, ~holding))

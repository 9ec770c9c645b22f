"""A member's part in an order (党员接单): taking a place and giving it back, or losing it
for not showing up (checking in on site and finishing are in ``on_site``). Each step is a
move of the one state machine in ``workflow``: it checks, writes history through
``workflow.record`` and queues its messages in the caller's transaction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import CursorResult, case, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import col

from handlers.context import Context
from handlers.errors import WorkflowError
from handlers.orders import (
    history,
    participation,
    place_notices,
    rewhistle,
    states,
    workflow,
)
from handlers.orders.ahead import Ahead
from handlers.orders.views import STATUS_NAMES
from handlers.texts import t
from storage.models import (
    Acceptance,
    AcceptanceStatus,
    CheckInKind,
    Member,
    Order,
    stored_id,
)
from storage.models import OrderStatus as S


def accept(ctx: Context, order: Order, member: Member, actor: str,
           shown_in: tuple[str, str] | None = None) -> None:
    """A member takes a place on an order; the first ``capacity`` accepts win.

    ``shown_in`` is a group (channel, chat) whose whistle the caller updates in place, so
    it gets no separate progress message.

    Places stay open after the first arrival, so an event's latecomers can still sign up.

    Race-safe: the place is taken by one conditional UPDATE, so a hundred simultaneous
    accepts of a three-place order leave exactly three winners on SQLite and PostgreSQL.
    """
    if member.community_id != order.community_id:
        raise WorkflowError(t("accept_other_community", id=order.id))
    if participation.is_own_need(ctx.session, order, member):
        raise WorkflowError(t("accept_own_need", id=order.id))
    earlier = participation.acceptance(ctx.session, order, member, status=None)
    if earlier is not None and earlier.status == AcceptanceStatus.ACCEPTED:
        raise WorkflowError(t("accept_already", id=order.id))
    if order.status not in states.TAKING_SIGN_UPS or not _take_place(ctx, order):
        ctx.session.refresh(order)
        key = "accept_full" if order.status == S.CLAIMED else "accept_not_open"
        raise WorkflowError(t(key, id=order.id, status=STATUS_NAMES[order.status]))
    ctx.session.refresh(order)
    acceptance = earlier or Acceptance(order_id=stored_id(order), member_id=stored_id(member),
                                       round=order.round, accepted_at=ctx.now)
    acceptance.status, acceptance.accepted_at = AcceptanceStatus.ACCEPTED, ctx.now
    ctx.session.add(acceptance)
    if order.status == S.CLAIMED:
        history.write_history(ctx, order, S.OPEN, S.CLAIMED, actor,
                               t("reason_full", n=order.capacity))
    ctx.queue(place_notices.accepted(ctx.session, order, member, shown_in))


def _take_place(ctx: Context, order: Order) -> bool:
    filled = col(Order.accepted_count) + 1 >= col(Order.capacity)
    # An UPDATE's result is a CursorResult, which has the row count; execute() is typed as
    # returning the plain Result whatever the statement.
    result = cast(CursorResult[Any], ctx.session.execute(
        update(Order)
        .where(col(Order.id) == order.id, col(Order.status).in_(states.TAKING_SIGN_UPS),
               col(Order.accepted_count) < col(Order.capacity))
        .values(accepted_count=Order.accepted_count + 1,
                status=case((filled & (col(Order.status) == S.OPEN), S.CLAIMED.value),
                            else_=Order.status),
                updated_at=ctx.now)
    ))
    return result.rowcount == 1


def withdraw(ctx: Context, order: Order, member: Member, actor: str, why: str = "") -> None:
    """A member gives back an accepted place before the work starts, saying ``why`` (出差中)
    or not."""
    acceptance = participation.acceptance(ctx.session, order, member)
    if acceptance is None:
        raise WorkflowError(t("not_your_order", id=order.id))
    if participation.has_checkin(ctx.session, order, member, CheckInKind.ARRIVE):
        raise WorkflowError(t("withdraw_after_arrival", id=order.id))
    if order.status not in states.LIVE:
        raise WorkflowError(t("withdraw_too_late", id=order.id, status=STATUS_NAMES[order.status]))
    reason = t("reason_withdrawn_why", why=why) if why else t("reason_withdrawn")
    _give_back(ctx, order, member, acceptance, actor, reason, why)


def mark_no_shows(ctx: Context, held: Sequence[tuple[Order, Member, Acceptance]]
                  ) -> list[tuple[Order, Member, Acceptance]]:
    """Mark the places as not shown up for (爽约), in one UPDATE; the places marked (not
    those given back meanwhile). ``release_no_shows`` frees them."""
    freed = set(ctx.session.execute(
        update(Acceptance).where(col(Acceptance.id).in_([stored_id(p) for _, _, p in held]),
                                 col(Acceptance.status) == AcceptanceStatus.ACCEPTED)
        .values(status=AcceptanceStatus.NO_SHOW).returning(col(Acceptance.id))
        .execution_options(synchronize_session=False)).scalars())
    held = [(order, member, place) for order, member, place in held if place.id in freed]
    for _, _, place in held:  # as the UPDATE left it, so the flush writes it no more
        set_committed_value(place, "status", AcceptanceStatus.NO_SHOW)
    return held


def release_no_shows(ctx: Context, held: Sequence[tuple[Order, Member, Acceptance]],
                     actor: str, ahead: Ahead | None = None) -> None:
    """Members who accepted and never checked in lose their places (爽约, marked by
    ``mark_no_shows``), so others can take them; see handlers/orders/no_show.py for when
    that is.

    Set-based, so a sweep's chunk costs the same statements however many places it frees:
    the orders' counts change in one UPDATE that returns them, the history
    rows go in together (a full order opens again, as ``workflow.record_each`` moves it)
    and the reopened orders are whistled again together (``ahead``: what a sweep read for
    its chunks beforehand).
    """
    if not held:
        return
    lost = Counter(order.id for order, _, _ in held)
    # Decremented in SQL, like the accept that took the place, so the two never race; the
    # orders take what the UPDATE left, as if read again (a sweep's orders were read before
    # its chunk: what decides how they are whistled again is read back too).
    orders = {order.id: order for order, _, _ in held}
    for order_id, status, count, stage in ctx.session.execute(
            update(Order).where(col(Order.id).in_(list(lost)))
            .values(accepted_count=Order.accepted_count - case(lost, value=Order.id),
                    updated_at=ctx.now)
            .returning(col(Order.id), col(Order.status), col(Order.accepted_count),
                       col(Order.whistle_stage))
            .execution_options(synchronize_session=False)).all():
        for name, value in (("status", status), ("accepted_count", count),
                            ("updated_at", ctx.now), ("whistle_stage", stage)):
            set_committed_value(orders[order_id], name, value)
    reopening = {i: o for i, o in orders.items() if o.status == S.CLAIMED}
    moves: dict[int | None, tuple[Order, str]] = {}
    notes = []
    for order, member, _ in held:  # the first place freed opens a full order again
        reason = t("reason_no_show", name=member.name)
        if order.id in reopening and order.id not in moves:
            moves[order.id] = (order, reason)
        else:
            notes.append((order, reason))
    workflow.record_each(ctx, list(moves.values()), S.OPEN, actor)
    history.note_each(ctx, notes, actor)
    ctx.queue(place_notices.released_each(ctx.session, held, ahead))
    for order in orders.values():
        _complete_if_done(ctx, order, actor)
    rewhistle.whistle_again(ctx, [(order, {stored_id(m) for o, m, _ in held if o.id == order.id})
                                for order in reopening.values()], ahead)


def _give_back(ctx: Context, order: Order, member: Member, acceptance: Acceptance,
               actor: str, reason: str, why: str = "") -> None:
    """Free a place given back; a full order opens again and is whistled again."""
    acceptance.status = AcceptanceStatus.WITHDRAWN
    ctx.session.add(acceptance)
    # Decrement in SQL, like the accept that took the place, so the two never race.
    ctx.session.execute(update(Order).where(col(Order.id) == order.id)
                        .values(accepted_count=Order.accepted_count - 1, updated_at=ctx.now))
    ctx.session.refresh(order)
    reopened = order.status == S.CLAIMED
    if reopened:
        workflow.record(ctx, order, S.OPEN, actor, reason)
    ctx.queue(place_notices.withdrawn(ctx.session, order, member, why))
    if reopened:
        rewhistle.whistle_again(ctx, [(order, {stored_id(member)})])
    else:
        _complete_if_done(ctx, order, actor)


def _complete_if_done(ctx: Context, order: Order, actor: str) -> None:
    """Complete an order under way whose remaining members have all finished.

    When a place is freed, the work may already have been finished by those still holding
    places, not by the ones who left; the first of them is named as the one who finished.
    """
    if order.status == S.IN_PROGRESS and participation.everyone_done(ctx.session, order):
        workflow.complete(ctx, order, actor, participation.accepted_members(ctx.session, order)[0])

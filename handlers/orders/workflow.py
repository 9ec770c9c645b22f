"""The order state machine (工单状态机): every change of an order's state goes through
``record`` here, checked against ``states.TRANSITIONS``.

This module holds the community's moves (file, review, reject, cancel, merge, recategorise,
close when done) and ``record``, through which every move goes; ``resident_moves`` holds the
resident's (withdraw, pick a duty, rate, and the rating window's silence) and ``places`` the
members' (accept, give back, check in, finish).
Each function checks that the move is legal, changes the order, writes a history row
(``handlers.orders.history``) and queues the messages the move causes, all in the caller's
transaction. A refused move raises ``WorkflowError`` (or its subclass ``IllegalTransition``)
and changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import inspect

from handlers import people
from handlers.context import Context
from handlers.errors import IllegalTransition, WorkflowError
from handlers.ledger import points
from handlers.messages import Outgoing
from handlers.orders import (
    history,
    matching,
    merging,
    notices,
    participation,
    recent,
    states,
    surroundings,
    whereabouts,
)
from handlers.orders.duties import duty_name
from handlers.orders.views import STATUS_NAMES, when_label
from handlers.orders.whereabouts import KnownBuilding
from handlers.rules import timerules
from handlers.texts import t
from storage.idlists import update_each
from storage.models import AcceptanceStatus, Member, Order
from storage.models import OrderStatus as S

MAX_REASON_CHARS = 200


def record(ctx: Context, order: Order, to: S, actor: str, reason: str = "") -> None:
    """Move ``order`` to ``to`` and write the history row; refuses illegal moves."""
    record_each(ctx, [(order, reason)], to, actor)


def record_each(ctx: Context, moves: Sequence[tuple[Order, str]], to: S, actor: str) -> None:
    """Move each order to ``to``, with its reason: every move is checked first (an illegal
    one refuses them all), then the history rows go in as one INSERT and the orders change
    with the session's next flush, or, many stored orders, in one UPDATE (the flush would
    write each order's row apart)."""
    for order, _ in moves:
        if to == order.status:
            raise IllegalTransition(t("already_in_state", id=order.id,
                                      status=STATUS_NAMES[to]))
        if to not in states.TRANSITIONS.get(order.status, frozenset()):
            raise IllegalTransition(
                t("illegal_transition", id=order.id, status=STATUS_NAMES[order.status],
                  to=STATUS_NAMES[to])
            )
    history.write_histories(ctx, [(order, order.status, to, reason)
                                  for order, reason in moves], actor)
    orders = [order for order, _ in moves]
    if len(orders) > 1 and all(inspect(order).persistent for order in orders):
        moved_together(ctx, orders, to)
        return
    for order in orders:
        order.status = to
        order.updated_at = ctx.now
        ctx.session.add(order)


def moved_together(ctx: Context, orders: Sequence[Order], to: S) -> None:
    """The stored ``orders`` moved to ``to`` (checked by ``record_each``) in one UPDATE, the
    orders taking what it wrote as if read again."""
    update_each(ctx.session, orders, {"status": to, "updated_at": ctx.now})


def _create(ctx: Context, order: Order, actor: str, reason: str,
            buildings: list[KnownBuilding] | None = None) -> None:
    order.overdue_at = timerules.overdue_at(ctx.session, ctx.policy, order.community_id,
                                            order.created_at)
    whereabouts.place_order(ctx.session, order, buildings)
    with recent.filing(ctx.session, order):
        history.insert_new(ctx, order, S.SUBMITTED, actor, reason)


def submit(ctx: Context, order: Order, actor: str) -> None:
    """File a new order: merged into an open duplicate, auto-approved, or sent for review."""
    around = surroundings.read(ctx.session, order, ctx.policy, ctx.now)
    _create(ctx, order, actor, t("reason_submitted"), around.buildings)
    duplicate = matching.find_duplicate(ctx.session, order, ctx.policy, around.candidates)
    if duplicate is not None:
        merging.merge(ctx, order, duplicate, t("actor_system"))
    elif matching.auto_approves(ctx.session, order, ctx.policy):
        open_order(ctx, order, t("actor_auto_approve"), tell_resident=False)
    else:
        ctx.queue([notices.review_needed(ctx.session, order,
                                         matching.unsure(order, ctx.policy))])


def call_event(ctx: Context, order: Order, actor: str) -> None:
    """An event the community calls itself (社区吹哨) needs no review: it opens at once."""
    _create(ctx, order, actor, t("reason_event"))
    open_order(ctx, order, actor, tell_resident=False, reason=t("reason_event_open"))


def open_order(ctx: Context, order: Order, actor: str, duty: str | None = None,
               tell_resident: bool = True, reason: str | None = None,
               when: str | None = None) -> None:
    """Approve a submitted order, or reopen a returned one, and blow the whistle.

    ``when`` is a new time for it (改期); a returned order whose time has passed is not
    whistled again with that time: the admin is asked for a new one.
    """
    if order.status not in states.AWAITING_REVIEW:
        raise IllegalTransition(t("approve_not_now", id=order.id,
                                  status=STATUS_NAMES[order.status]))
    if duty is not None:
        order.duty = duty
    if order.duty is None:
        raise WorkflowError(t("approve_needs_duty", id=order.id))
    reopening = order.status == S.RETURNED
    if when is not None:
        _reschedule(ctx, order, actor, when)
    elif reopening and order.event_at is not None and order.event_at <= ctx.now:
        zone = timerules.timezone_of(ctx.session, order.community_id)
        raise WorkflowError(t("reopen_needs_time", id=order.id, when=when_label(order, zone)))
    reason = reason or (t("reason_reopened") if reopening else t("reason_approved"))
    record(ctx, order, S.OPEN, actor, reason)
    # The members whose work was rated poorly are not whistled again (an admin may /assign).
    skip = _start_new_round(ctx, order) if reopening else set()
    order.opened_at = ctx.now
    order.claim_deadline = timerules.claim_deadline(ctx.session, ctx.policy,
                                                    order.community_id, ctx.now)
    order.overdue_at = order.overdue_at or timerules.overdue_at(
        ctx.session, ctx.policy, order.community_id, order.created_at)
    order.event_at = order.event_at or timerules.event_time(ctx.session, order)
    if tell_resident:
        ctx.queue(notices.approved(ctx.session, order, reopening))
    notices.whistle(ctx, order, skip=skip)


def _reschedule(ctx: Context, order: Order, actor: str, when: str) -> None:
    moment = timerules.new_time(ctx.session, order.community_id, when, ctx.now)
    if moment is None:
        raise WorkflowError(t("bad_when", when=when))
    if moment <= ctx.now:
        raise WorkflowError(t("when_passed", when=when))
    order.when_text, order.event_at = when[:100], moment
    history.note(ctx, order, actor, t("reason_new_time", when=when))


def _start_new_round(ctx: Context, order: Order) -> set[int]:
    released = set()
    for acceptance in participation.acceptances(ctx.session, order):
        acceptance.status = AcceptanceStatus.RELEASED
        released.add(acceptance.member_id)
        ctx.session.add(acceptance)
    order.round += 1
    order.accepted_count = 0
    return released


def reject(ctx: Context, order: Order, actor: str, reason: str) -> None:
    """Turn a submitted order down; the resident is told why."""
    _require_reason(reason)
    record(ctx, order, S.REJECTED, actor, reason)
    ctx.queue(notices.to_resident(ctx.session, order, t("resident_rejected", id=order.id,
                                                        reason=reason)))


def cancel(ctx: Context, order: Order, actor: str, reason: str) -> None:
    """Cancel an unfinished order; the resident and accepted members are told why."""
    _require_reason(reason)
    record(ctx, order, S.CANCELLED, actor, reason)
    text = t("order_cancelled", id=order.id, reason=reason)
    ctx.queue(notices.to_resident(ctx.session, order, text))
    for acceptance in participation.acceptances(ctx.session, order):
        ctx.queue(people.to_member(ctx.session, acceptance.member_id, text))


def recategorise(ctx: Context, order: Order, actor: str, duty: str) -> None:
    """Change an order's duty; an open order is whistled again to the new duty's members."""
    if order.status not in states.DUTY_CHANGEABLE:
        raise WorkflowError(t("recat_not_now", id=order.id, status=STATUS_NAMES[order.status]))
    old, order.duty = order.duty, duty
    history.note(ctx, order, actor, t("reason_recat", old=duty_name(old),
                                      new=duty_name(duty)))
    if order.status == S.OPEN:
        notices.whistle(ctx, order)


def complete(ctx: Context, order: Order, actor: str, member: Member) -> None:
    """Everyone holding a place has finished: ask for the rating (an event simply closes)."""
    record(ctx, order, S.AWAITING_RATING, actor, t("reason_done", name=member.name))
    order.rating_deadline = timerules.rating_deadline(ctx.session, ctx.policy,
                                                      order.community_id, ctx.now)
    if order.resident_id is None:
        record(ctx, order, S.CLOSED, actor, t("reason_no_resident"))
    points.award_service(ctx, order, participation.acceptances(ctx.session, order))
    ctx.queue(notices.finished(ctx.session, order, member))


def escalate(ctx: Context, order: Order, reason: str, messages: list[Outgoing]) -> None:
    """Escalate an order to its admins (督办): a history row and the messages, together."""
    history.note(ctx, order, t("actor_system"), reason)
    ctx.queue(messages)


def _require_reason(reason: str) -> None:
    if not reason.strip():
        raise WorkflowError(t("reason_required"))
    if len(reason) > MAX_REASON_CHARS:
        raise WorkflowError(t("reason_too_long", limit=MAX_REASON_CHARS))

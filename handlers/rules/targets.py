"""Response targets (三色督办): how close an unfinished order is to missing its next target.

Every target runs from the moment the need was filed (``created_at``):

- 受理 acknowledge (1 h): until the community's first action on it, i.e. the first history
  row after the filing one (approved, rejected, merged, re-categorised, assigned, cancelled;
  auto-approval counts);
- 审核 review (6 h): until the review decision, the first row leaving 「待审核」;
- 响应 respond (12 h): until a member first takes a place on it.

A target that has been met no longer counts. Of those still running, the order shows the
worst colour: 🟢 while less than half the target has passed, 🟡 from half until the target,
🔴 once it is missed. An order with every target met is 🟢, unless it is past its overdue time
(14 days unfinished): then it is 🔴, as in the escalation the admins were sent, so a stalled or
returned order never looks fine on /pending. An ended order shows none.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from handlers.orders import states
from handlers.rules.policy import Policy
from storage.models import Acceptance, Order, OrderHistory, stored_id
from storage.models import OrderStatus as S

GREEN, YELLOW, RED = "🟢", "🟡", "🔴"
YELLOW_SHARE = 0.5  # the share of a target after which it turns yellow
_ORDER = (GREEN, YELLOW, RED)


def colour(elapsed: timedelta, target: timedelta) -> str:
    """The colour of a target still running after ``elapsed``."""
    if elapsed >= target:
        return RED
    return YELLOW if elapsed >= target * YELLOW_SHARE else GREEN


def light(order: Order, policy: Policy, now: datetime, acknowledged: bool, reviewed: bool,
          responded: bool) -> str:
    """The order's light, given which of its targets are met; "" for an ended order."""
    if order.status not in states.OUTSTANDING:
        return ""
    if order.overdue_at is not None and order.overdue_at <= now:
        return RED  # escalated as overdue (督办): it must not look fine on the lists
    elapsed = now - order.created_at
    running = [target for met, target in ((acknowledged, policy.acknowledge_target),
                                          (reviewed, policy.review_target),
                                          (responded, policy.respond_target)) if not met]
    colours = [colour(elapsed, target) for target in running] or [GREEN]
    return max(colours, key=_ORDER.index)


def lights(session: Session, orders: Sequence[Order], policy: Policy,
           now: datetime) -> dict[int, str]:
    """Each order's light, from two aggregate queries over its history and acceptances."""
    keyed = {stored_id(o): o for o in orders}
    ids = list(keyed)
    acted = dict(session.exec(
        select(OrderHistory.order_id, func.count()).where(col(OrderHistory.order_id).in_(ids))
        .group_by(col(OrderHistory.order_id))).all())
    reviewed = set(session.exec(
        select(OrderHistory.order_id).where(col(OrderHistory.order_id).in_(ids),
                                            OrderHistory.from_status == S.SUBMITTED,
                                            OrderHistory.to_status != S.SUBMITTED)).all())
    responded = set(session.exec(
        select(Acceptance.order_id).where(col(Acceptance.order_id).in_(ids))).all())
    return {key: light(o, policy, now, acted.get(key, 0) > 1, key in reviewed,
                       key in responded) for key, o in keyed.items()}

"""How a check-in on site is proven (定位签到): a location within the radius where the order
has coordinates and the member's chat app can send one; else a photo, and the check-in is
marked 未定位 in the order's view and the service ledger.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlmodel import Session, col, select

from handlers.errors import WorkflowError
from handlers.orders import matching
from handlers.texts import t
from storage.models import CheckIn, CheckInKind, Member, Order

LOCATING_CHANNELS = frozenset({"console", "telegram", "wechat", "wecom"})
"""The channels whose users can share a location (Telegram's 📎 → Location, WeChat's and
WeCom's + → 位置); anywhere else a check-in is proven by a photo."""


def has_place(order: Order) -> bool:
    """Whether the order has coordinates to hold a check-in to."""
    return order.lat is not None and order.lon is not None


def located(order: Order, where: tuple[float, float] | None, photo: str | None,
            channel: str, radius_m: float) -> bool:
    """Whether an arrival is located (定位); refuses one that must be and is not.

    Args:
        order: The order checked in to.
        where: The WGS-84 point the member shared with the check-in, if any.
        photo: A photo sent with it, if any.
        channel: The channel it came through.
        radius_m: How far from the order's coordinates a located check-in may be.

    Raises:
        WorkflowError: The point is outside the radius (the refusal says how far), or the
            order has coordinates, the channel can send a location and neither a location
            nor a photo came: the member is asked for one.
    """
    if not has_place(order):
        return False
    if where is not None:
        matching.require_near(order, where, radius_m)
        return True
    if photo is None and channel in LOCATING_CHANNELS:
        raise WorkflowError(t("checkin_needs_location", id=order.id))
    return False


def arrival_lines(session: Session, order: Order,
                  shown: Callable[[datetime], str]) -> list[str]:
    """到场：李明 11-23 20:05，已定位 — one line per member who checked in this round, the
    time as ``shown`` writes it."""
    since = order.opened_at or order.created_at
    rows = session.exec(
        select(Member.name, CheckIn.at, CheckIn.located)
        .join(CheckIn, col(CheckIn.member_id) == Member.id)
        .where(CheckIn.order_id == order.id, CheckIn.kind == CheckInKind.ARRIVE,
               col(CheckIn.at) >= since)
        .order_by(col(CheckIn.at))).all()
    return [t("detail_arrival", name=name, at=shown(at),
              how=t("arrival_located") if is_located else t("arrival_unlocated"))
            for name, at, is_located in rows]

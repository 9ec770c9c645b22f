"""Who follows an order (关注进展): its resident, and the residents whose repeats of the same
need were merged into it (相同诉求). They hear its progress and are asked to rate it.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from storage.models import Order
from storage.models import OrderStatus as S


def followers(session: Session, order: Order) -> list[int]:
    """The residents following ``order`` through a repeat, but its own resident."""
    rows = session.exec(select(Order.resident_id).where(Order.merged_into == order.id,
                                                        Order.status == S.MERGED)).all()
    return sorted({r for r in rows if r is not None and r != order.resident_id})


def follows(session: Session, order: Order, resident_id: int) -> bool:
    """Whether the resident filed ``order`` or a repeat merged into it."""
    return resident_id == order.resident_id or resident_id in followers(session, order)


def followed_by(resident_id: int) -> ColumnElement[bool]:
    """A condition on ``Order``: the resident filed it, or a repeat merged into it."""
    repeat = aliased(Order)
    merged_into = (select(repeat.merged_into)
                   .where(repeat.resident_id == resident_id, repeat.status == S.MERGED))
    return or_(col(Order.resident_id) == resident_id, col(Order.id).in_(merged_into))


def repeats(session: Session, order: Order) -> list[Order]:
    """The repeats merged into ``order``, oldest first (for the admin's /order)."""
    return list(session.exec(select(Order).where(Order.merged_into == order.id,
                                                 Order.status == S.MERGED)
                             .order_by(col(Order.id))).all())

"""Orders as plain records, for `whistle orders --json` and other scripts."""

from __future__ import annotations

from sqlmodel import Session, col, select

from handlers.orders.participation import accepted_members
from handlers.orders.views import history
from storage.models import Order


def order_record(session: Session, order: Order) -> dict:
    """An order with its history and the member ids holding a place on it."""
    return {
        "id": order.id,
        "status": order.status,
        "duty": order.duty,
        "text": order.text,
        "community_id": order.community_id,
        "capacity": order.capacity,
        "acceptances": [m.id for m in accepted_members(session, order)],
        "created_at": order.created_at.isoformat(),
        "history": [
            {"at": row.at.isoformat(), "actor": row.actor, "from": row.from_status,
             "to": row.to_status, "reason": row.reason}
            for row in history(session, order)
        ],
    }


def order_records(session: Session, status: str | None = None) -> list[dict]:
    """Every order (or those with one status), oldest first."""
    query = select(Order).order_by(col(Order.id))
    if status:
        query = query.where(Order.status == status)
    return [order_record(session, order) for order in session.exec(query).all()]

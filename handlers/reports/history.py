"""流转记录: every change of state of the covered communities' orders in the period, the
ledger's second sheet (or second CSV file), so an auditor sees who moved each order and why."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy import select as wide_select
from sqlmodel import Session, col

from handlers.orders.views import STATUS_NAMES
from handlers.privacy import report_rows
from handlers.reports.tables import Report, Scope
from handlers.texts import t
from storage.models import Community, Order, OrderHistory

HEADERS = ("工单号", "社区", "时间", "原状态", "新状态", "操作人", "原因")


def status_history(session: Session, scope: Scope) -> Report:
    """The period's changes, order by order and in the order they happened; reasons may
    quote residents, so every cell passes the privacy guard."""
    start, end = scope.period.bounds(scope.zone)
    query = (wide_select(col(OrderHistory.order_id), col(Community.name), col(OrderHistory.at),
                         col(OrderHistory.from_status), col(OrderHistory.to_status),
                         col(OrderHistory.actor), col(OrderHistory.reason))
             .join(Order, col(Order.id) == OrderHistory.order_id)
             .join(Community, col(Community.id) == Order.community_id)
             .where(col(OrderHistory.at) >= start, col(OrderHistory.at) < end)
             .order_by(col(OrderHistory.order_id), col(OrderHistory.at), col(OrderHistory.id)))
    if scope.community_ids is not None:
        query = query.where(col(Order.community_id).in_(scope.community_ids))
    tz = ZoneInfo(scope.zone)
    rows = [(order_id, community, at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
             STATUS_NAMES[before] if before else "", STATUS_NAMES[after], actor, reason)
            for order_id, community, at, before, after, actor, reason
            in session.execute(query).all()]
    return Report("history", t("report_history", period=scope.period.label), HEADERS,
                  report_rows(rows))

"""服务台账: the service ledger report, every service finished in a period with its photos."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Subquery, and_, func
from sqlalchemy import select as wide_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from handlers.ledger.services import services
from handlers.orders.duties import duty_name
from handlers.reports.tables import Report, Scope, hours
from handlers.rules.policy import Policy
from handlers.texts import t
from storage.models import CheckIn, Community, Identity, Member, Order, Unit


def _services(scope: Scope) -> Subquery:
    return services(*scope.period.bounds(scope.zone), scope.community_ids)


def ledger(session: Session, scope: Scope, policy: Policy) -> Report:
    """服务台账: every service finished in the period, oldest first."""
    svc = _services(scope)
    tz = ZoneInfo(scope.zone)
    filer = aliased(Identity)
    rows = session.execute(
        wide_select(svc.c.order_id, col(Community.name), col(Order.duty), col(Order.text),
                    col(Order.place), col(Member.name), col(Unit.name), svc.c.arrived_at,
                    svc.c.done_at, svc.c.seconds, svc.c.stars, svc.c.by_default, svc.c.checkin_id,
                    svc.c.arrived_located, svc.c.comment, _beneficiary(),
                    func.coalesce(func.nullif(col(filer.display_name), ""), col(filer.user_id)))
        .join(Order, col(Order.id) == svc.c.order_id)
        .join(Community, col(Community.id) == svc.c.community_id)
        .join(Member, col(Member.id) == svc.c.member_id)
        .outerjoin(Unit, col(Unit.id) == Member.unit_id)
        .outerjoin(filer, col(filer.id) == Order.filed_by)
        .order_by(svc.c.done_at, svc.c.checkin_id)
    ).all()
    photos = _photos(session, svc)
    shown = [
        (order_id, community, duty_name(duty) if duty else "", text, place, member, unit or "",
         _local(arrived, tz), _local(done, tz), hours(seconds), _stars(stars, by_default),
         "；".join(photos.get(finish, [])), _located(arrived_located), comment or "",
         beneficiary, filed_by or "")
        for (order_id, community, duty, text, place, member, unit, arrived, done, seconds,
             stars, by_default, finish, arrived_located, comment, beneficiary, filed_by) in rows
    ]
    return Report("ledger", t("report_ledger", period=scope.period.label),
                  ("工单号", "社区", "类别", "内容", "地点", "党员", "单位", "到场时间",
                   "完成时间", "时长(小时)", "评价(星)", "照片", "到场定位", "居民意见",
                   "代办对象", "代办人"), shown)


def _photos(session: Session, svc: Subquery) -> dict[int, list[str]]:
    """照片: by the service's finishing check-in, every photo its member sent from arriving
    to finishing (the site photo of an unlocated arrival, those during the work, the
    finish's own), oldest first, in one statement."""
    sent = aliased(CheckIn)
    rows = session.execute(
        wide_select(svc.c.checkin_id, col(sent.photo))
        .join(sent, and_(col(sent.order_id) == svc.c.order_id,
                         col(sent.member_id) == svc.c.member_id,
                         col(sent.photo).is_not(None),
                         col(sent.at) >= func.coalesce(svc.c.arrived_at, svc.c.done_at),
                         col(sent.at) <= svc.c.done_at))
        .order_by(col(sent.at), col(sent.id))).all()
    photos: dict[int, list[str]] = {}
    for finish, photo in rows:
        photos.setdefault(finish, []).append(photo)
    return photos


def _located(located: bool | None) -> str:
    """到场定位: 已定位 for an arrival held to the order's radius, else 未定位."""
    return t("arrival_located") if located else t("arrival_unlocated")


def _beneficiary() -> ColumnElement[str]:
    """代办对象: the name and building of the person a need was filed for (their phone stays
    out of every report but the roster)."""
    return func.trim(col(Order.beneficiary_name) + " " + col(Order.beneficiary_building))


def _stars(stars: int | None, by_default: bool | None) -> int | str:
    """The rating column: the stars, or 默认好评 for stars the resident never gave (an
    auditor must tell them apart; no 5★ bonus was paid for them)."""
    if stars is None:
        return ""
    return t("ledger_default_good") if by_default else stars


def _local(at: datetime | None, tz: ZoneInfo) -> str:
    return at.astimezone(tz).strftime("%Y-%m-%d %H:%M") if at is not None else ""

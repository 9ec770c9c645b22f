"""Reports (报表): the service ledger, the member roster, unit feedback cards, annual grades.

Each report is a title, Chinese column headers and rows, computed with SQL aggregates over
``handlers.ledger.services``; ``export_files`` writes them as CSV or XLSX.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Subquery, and_, case, func, true
from sqlalchemy import select as wide_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from handlers.ledger.periods import Period
from handlers.ledger.services import per_member, services
from handlers.orders.duties import duty_name
from handlers.privacy import report_rows
from handlers.rules.policy import Policy
from handlers.texts import t
from storage.ledger import MemberWarning, PointEntry
from storage.models import CheckIn, Community, Grid, Identity, Member, Order, Unit

KINDS = ("ledger", "roster", "units", "grades")
GRADES = ("优秀", "良好", "一般", "差")
RED, YELLOW = 2, 1


@dataclass(frozen=True)
class Scope:
    """What a report covers.

    Attributes:
        period: The span of days.
        zone: The time zone the days and the times shown are in.
        community_ids: The communities covered; None for every community (the district).
    """

    period: Period
    zone: str
    community_ids: list[int] | None = None


@dataclass(frozen=True)
class Report:
    """A table ready to be written: a title, Chinese headers, rows of plain values.

    Attributes:
        personal: The headers of columns that carry personal data on purpose (the roster's
            phones: an office needs to call its members); every other cell has passed the
            privacy guard.
        sheets: Tables that go with it (the ledger's 流转记录): further sheets of an XLSX
            file, further files beside a CSV one.
    """

    kind: str
    title: str
    headers: tuple[str, ...]
    rows: list[tuple]
    personal: tuple[str, ...] = ()
    sheets: tuple[Report, ...] = ()


def build(session: Session, kind: str, scope: Scope, policy: Policy) -> Report:
    """The report of ``kind`` (one of ``KINDS``) for ``scope``, past the privacy guard."""
    report = _BUILDERS[kind](session, scope, policy)
    keep = [report.headers.index(header) for header in report.personal]
    return replace(report, rows=report_rows(report.rows, keep))


def _services(scope: Scope) -> Subquery:
    return services(*scope.period.bounds(scope.zone), scope.community_ids)


def _in_scope(scope: Scope) -> ColumnElement[bool]:
    if scope.community_ids is None:
        return true()
    return col(Member.community_id).in_(scope.community_ids)


def _hours(seconds: float | None) -> float:
    return round((seconds or 0) / 3600, 1)


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
         _local(arrived, tz), _local(done, tz), _hours(seconds), _stars(stars, by_default),
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


def _per_member(scope: Scope) -> Subquery:
    return per_member(*scope.period.bounds(scope.zone), scope.community_ids)


def _warnings(scope: Scope) -> Subquery:
    red = col(MemberWarning.level) == "red"
    worst = func.max(case((red, RED), else_=YELLOW))
    return (select(MemberWarning.member_id, worst.label("worst"),
                   func.sum(case((red, 1), else_=0)).label("reds"))
            .where(col(MemberWarning.period).in_(scope.period.quarters()))
            .group_by(col(MemberWarning.member_id)).subquery("warnings"))


def roster(session: Session, scope: Scope, policy: Policy) -> Report:
    """党员花名册: every member with the period's services, hours, points and warnings."""
    per, warn = _per_member(scope), _warnings(scope)
    start, end = scope.period.bounds(scope.zone)
    points = (select(PointEntry.member_id, func.sum(PointEntry.delta).label("balance"),
                     func.sum(case((and_(col(PointEntry.at) >= start,
                                         col(PointEntry.reason) != "year_reset"),
                                    PointEntry.delta), else_=0)).label("earned"))
              .where(PointEntry.at < end).group_by(col(PointEntry.member_id))
              .subquery("points"))
    rows = session.execute(
        wide_select(Member, col(Community.name), col(Grid.name), col(Unit.name),
                    per.c.services, per.c.seconds, points.c.earned, points.c.balance,
                    warn.c.worst)
        .join(Community, col(Community.id) == Member.community_id)
        .outerjoin(Grid, col(Grid.id) == Member.grid_id)
        .outerjoin(Unit, col(Unit.id) == Member.unit_id)
        .outerjoin(per, per.c.member_id == Member.id)
        .outerjoin(points, points.c.member_id == Member.id)
        .outerjoin(warn, warn.c.member_id == Member.id)
        .where(_in_scope(scope)).order_by(col(Community.name), col(Member.id))
    ).all()
    lights = {RED: "红灯", YELLOW: "黄灯"}
    shown = [
        (m.id, m.name, m.phone, community, grid or "", unit or "",
         "、".join(duty_name(d) for d in m.duties), m.skills, m.free_time, count or 0,
         _hours(seconds), earned or 0, balance or 0, lights.get(worst, ""))
        for m, community, grid, unit, count, seconds, earned, balance, worst in rows
    ]
    return Report("roster", t("report_roster", period=scope.period.label),
                  ("编号", "姓名", "手机", "社区", "网格", "单位", "职责", "技能", "空闲时间",
                   "服务次数", "服务时长(小时)", "本期积分", "积分余额", "警示"), shown,
                  personal=("手机",))


def units(session: Session, scope: Scope, policy: Policy) -> Report:
    """单位反馈卡: per unit, its members' services, hours, average rating and red lights."""
    per, warn = _per_member(scope), _warnings(scope)
    red_names = func.aggregate_strings(case((warn.c.worst == RED, Member.name)), "、")
    rows = session.execute(
        wide_select(col(Unit.name), func.count(col(Member.id)), func.sum(per.c.services),
                    func.sum(per.c.seconds), func.sum(per.c.star_sum), func.sum(per.c.rated),
                    red_names)
        .join(Member, col(Member.unit_id) == Unit.id)
        .outerjoin(per, per.c.member_id == Member.id)
        .outerjoin(warn, warn.c.member_id == Member.id)
        .where(_in_scope(scope)).group_by(col(Unit.id), col(Unit.name)).order_by(Unit.name)
    ).all()
    shown = [
        (name, members, services or 0, _hours(seconds),
         round(star_sum / rated, 1) if rated else "", reds or "")
        for name, members, services, seconds, star_sum, rated, reds in rows
    ]
    return Report("units", t("report_units", period=scope.period.label),
                  ("单位", "报到党员", "服务次数", "服务时长(小时)", "平均评价(星)", "红灯党员"),
                  shown)


def grade(hours: float, period: Period, policy: Policy, red: bool = False) -> str:
    """优秀 / 良好 / 一般 / 差 by hours served, the yearly thresholds scaled to the period.

    A red light in the period (a second quarter in a row below quota) caps the grade at 一般.
    """
    scale = period.months / 12
    level = next((i for i, need in enumerate(policy.grade_hours) if hours >= need * scale),
                 len(policy.grade_hours))
    return GRADES[max(level, 2) if red else level]


def grades(session: Session, scope: Scope, policy: Policy) -> Report:
    """年度评级: each member, then each unit (by hours per member), with its grade."""
    per, warn = _per_member(scope), _warnings(scope)
    members = session.execute(
        wide_select(col(Member.name), col(Unit.name), per.c.services, per.c.seconds,
                    warn.c.reds)
        .outerjoin(Unit, col(Unit.id) == Member.unit_id)
        .outerjoin(per, per.c.member_id == Member.id)
        .outerjoin(warn, warn.c.member_id == Member.id)
        .where(_in_scope(scope)).order_by(col(Member.community_id), col(Member.id))
    ).all()
    unit_rows = session.execute(
        wide_select(col(Unit.name), func.count(col(Member.id)), func.sum(per.c.services),
                    func.sum(per.c.seconds), func.sum(warn.c.reds))
        .join(Member, col(Member.unit_id) == Unit.id)
        .outerjoin(per, per.c.member_id == Member.id)
        .outerjoin(warn, warn.c.member_id == Member.id)
        .where(_in_scope(scope)).group_by(col(Unit.id), col(Unit.name)).order_by(Unit.name)
    ).all()
    shown = [("党员", name, unit or "", 1, count or 0, _hours(seconds), _hours(seconds),
              reds or 0, grade(_hours(seconds), scope.period, policy, bool(reds)))
             for name, unit, count, seconds, reds in members]
    for name, people, count, seconds, reds in unit_rows:
        average = _hours((seconds or 0) / people)
        shown.append(("单位", name, "", people, count or 0, _hours(seconds), average,
                      reds or 0, grade(average, scope.period, policy)))
    return Report("grades", t("report_grades", period=scope.period.label),
                  ("类型", "名称", "所属单位", "党员人数", "服务次数", "服务时长(小时)",
                   "人均时长(小时)", "红灯次数", "评级"), shown)


_BUILDERS: dict[str, Callable[[Session, Scope, Policy], Report]] = {
    "ledger": ledger, "roster": roster, "units": units, "grades": grades,
}

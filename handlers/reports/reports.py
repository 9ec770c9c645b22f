"""Reports (报表): the service ledger, the member roster, unit feedback cards, annual grades.

Each report is a title, Chinese column headers and rows, computed with SQL aggregates over
``handlers.ledger.services``; ``export_files`` writes them as CSV or XLSX.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import ColumnElement, Subquery, and_, case, func
from sqlalchemy import select as wide_select
from sqlmodel import Session, col, select

from handlers.ledger.periods import Period
from handlers.ledger.services import per_member
from handlers.orders.duties import duty_name
from handlers.privacy import report_rows
from handlers.reports.service_ledger import ledger
from handlers.reports.tables import Report, Scope, hours, in_scope
from handlers.rules.policy import Policy
from handlers.texts import t
from storage.ledger import MemberWarning, PointEntry
from storage.models import Community, Grid, Member, Unit

KINDS = ("ledger", "roster", "units", "grades")
GRADES = ("优秀", "良好", "一般", "差")
RED, YELLOW = 2, 1


def build(session: Session, kind: str, scope: Scope, policy: Policy) -> Report:
    """The report of ``kind`` (one of ``KINDS``) for ``scope``, past the privacy guard."""
    report = _BUILDERS[kind](session, scope, policy)
    keep = [report.headers.index(header) for header in report.personal]
    return replace(report, rows=report_rows(report.rows, keep))


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
        .where(in_scope(scope)).order_by(col(Community.name), col(Member.id))
    ).all()
    lights = {RED: "红灯", YELLOW: "黄灯"}
    shown = [
        (m.id, m.name, m.phone, community, grid or "", unit or "",
         "、".join(duty_name(d) for d in m.duties), m.skills, m.free_time, count or 0,
         hours(seconds), earned or 0, balance or 0, lights.get(worst, ""))
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
    rows = _by_unit(session, scope, per, warn, func.sum(per.c.star_sum), func.sum(per.c.rated),
                    red_names)
    shown = [
        (name, members, services or 0, hours(seconds),
         round(star_sum / rated, 1) if rated else "", reds or "")
        for name, members, services, seconds, star_sum, rated, reds in rows
    ]
    return Report("units", t("report_units", period=scope.period.label),
                  ("单位", "报到党员", "服务次数", "服务时长(小时)", "平均评价(星)", "红灯党员"),
                  shown)


def _by_unit(session: Session, scope: Scope, per: Subquery, warn: Subquery,
             *totals: ColumnElement[Any]) -> Sequence[Sequence[Any]]:
    """Each unit by name: its name, how many of its members are in ``scope``, their
    services and seconds served (``per``), then ``totals`` over them (of ``per`` and their
    warnings, ``warn``)."""
    return session.execute(
        wide_select(col(Unit.name), func.count(col(Member.id)), func.sum(per.c.services),
                    func.sum(per.c.seconds), *totals)
        .join(Member, col(Member.unit_id) == Unit.id)
        .outerjoin(per, per.c.member_id == Member.id)
        .outerjoin(warn, warn.c.member_id == Member.id)
        .where(in_scope(scope)).group_by(col(Unit.id), col(Unit.name)).order_by(Unit.name)
    ).all()


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
        .where(in_scope(scope)).order_by(col(Member.community_id), col(Member.id))
    ).all()
    unit_rows = _by_unit(session, scope, per, warn, func.sum(warn.c.reds))
    shown = [("党员", name, unit or "", 1, count or 0, hours(seconds), hours(seconds),
              reds or 0, grade(hours(seconds), scope.period, policy, bool(reds)))
             for name, unit, count, seconds, reds in members]
    for name, people, count, seconds, reds in unit_rows:
        average = hours((seconds or 0) / people)
        shown.append(("单位", name, "", people, count or 0, hours(seconds), average,
                      reds or 0, grade(average, scope.period, policy)))
    return Report("grades", t("report_grades", period=scope.period.label),
                  ("类型", "名称", "所属单位", "党员人数", "服务次数", "服务时长(小时)",
                   "人均时长(小时)", "红灯次数", "评级"), shown)


_BUILDERS: dict[str, Callable[[Session, Scope, Policy], Report]] = {
    "ledger": ledger, "roster": roster, "units": units, "grades": grades,
}

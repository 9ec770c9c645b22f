"""Commands for points, quotas and boards: /redeem, /warnings, /quota, /top, and /me's points."""

from __future__ import annotations

import re

from sqlalchemy import case
from sqlmodel import col, select

from handlers import people, roles
from handlers.chat import lookup
from handlers.chat.request import Request
from handlers.context import Context
from handlers.errors import WorkflowError
from handlers.ledger import boards, points, quarters, quotas
from handlers.messages import Outgoing
from handlers.texts import t
from storage.ledger import MemberWarning
from storage.models import Community, Member, Resident, Unit, stored_id

MAX_REDEEM = 100_000
MAX_ITEM_CHARS = 100
MAX_QUOTA = 10_000
_PERIOD = re.compile(r"[0-9]{4}Q[1-4]")


def redeem(ctx: Context, req: Request) -> list[Outgoing]:
    """/redeem MEMBER POINTS ITEM (兑换): spend a member's points, if the balance covers it."""
    community = req.community
    if len(req.args) < 3:
        raise WorkflowError(t("usage_redeem"))
    member = lookup.member_named(ctx.session, stored_id(community), req.args[0])
    amount = req.args[1]
    if not amount.isdecimal() or not 1 <= int(amount) <= MAX_REDEEM:
        raise WorkflowError(t("bad_redeem_points", arg=amount, limit=MAX_REDEEM))
    item = " ".join(req.args[2:])
    if len(item) > MAX_ITEM_CHARS:
        raise WorkflowError(t("redeem_item_too_long", limit=MAX_ITEM_CHARS))
    left = points.redeem(ctx, member, int(amount), item)
    return req.reply(t("admin_redeemed", name=member.name, points=int(amount), item=item,
                       balance=left))


def points_summary(ctx: Context, member: Member) -> str:
    """/me's points line: balance, and the star level and place in the community that the
    points earned this year give (spending never lowers them)."""
    have = points.balance(ctx.session, stored_id(member))
    this_year = points.earned(ctx.session, member, ctx.now)
    place, everyone = points.rank(ctx.session, member, ctx.now)
    return t("member_points", points=have, earned=this_year,
             level=points.level_name(points.level(ctx.policy.points, this_year)),
             rank=place, total=everyone)


def warnings(ctx: Context, req: Request) -> list[Outgoing]:
    """/warnings [2026Q3] (预警): yellow and red lights of the last ended quarter, or one named."""
    scope = req.communities
    zone = ctx.session.get_one(Community, scope[0]).timezone
    wanted = req.args[0].upper() if req.args else quarters.period(
        quarters.shift(quarters.quarter_of(ctx.now, zone), -1))
    if not _PERIOD.fullmatch(wanted):
        raise WorkflowError(t("bad_period", arg=req.args[0]))
    rows = ctx.session.exec(
        select(MemberWarning, Member, Unit)
        .join(Member, col(Member.id) == MemberWarning.member_id)
        .join(Unit, col(Unit.id) == Member.unit_id, isouter=True)
        .where(col(Member.community_id).in_(scope), MemberWarning.period == wanted)
        .order_by(case((col(MemberWarning.level) == "red", 0), else_=1), col(Member.id))).all()
    if not rows:
        return req.tell(t("warnings_none", period=wanted))
    lines = [_warning_line(w, m, u) for w, m, u in rows]
    return req.tell("\n".join([t("warnings_title", period=wanted, n=len(rows)), *lines]))


def _warning_line(warning: MemberWarning, member: Member, unit: Unit | None) -> str:
    unit_name = unit.name if unit else "—"
    if warning.level == "red":
        return t("warning_red", name=member.name, unit=unit_name)
    return t("warning_yellow", name=member.name, unit=unit_name)


def quota(ctx: Context, req: Request) -> list[Outgoing]:
    """/quota [SERVICES HOURS] (考核指标): show the community's quota, or set its own."""
    community = req.community
    if req.args:
        if len(req.args) != 2 or not all(_number(a) for a in req.args):
            raise WorkflowError(t("usage_quota"))
        community.quota_services = int(float(req.args[0]))
        community.quota_hours = float(req.args[1])
        ctx.session.add(community)
    services, hours = quotas.quota(community, ctx.policy)
    return req.reply(t("quota_is", community=community.name, services=services,
                       hours=f"{hours:g}"))


def _number(arg: str) -> bool:
    try:
        return 0 <= float(arg) <= MAX_QUOTA
    except ValueError:
        return False


def _metric_labels() -> dict[str, str]:
    return {"hours": t("board_hours"), "services": t("board_services"),
            "points": t("board_points"), "rating": t("board_rating")}


def _metric_words() -> dict[str, str]:
    """What a /top argument may call a metric: its label, a synonym or its code."""
    return {**{label: metric for metric, label in _metric_labels().items()},
            "小时": "hours", "服务": "services", "星级": "rating",
            # what residents and members call a rating everywhere else (/rate is 评价)
            "评价": "rating", "好评": "rating", "满意度": "rating",
            **{m: m for m in boards.METRICS}}


def top(ctx: Context, req: Request) -> list[Outgoing]:
    """/top [时长|次数|积分|评分] [单位] (排行榜): the Top 50 members, or units."""
    words = _metric_words()
    metric = next((words[a] for a in req.args if a in words), "hours")
    subject = "unit" if any(a in ("单位", "unit", "units") for a in req.args) else "member"
    community_id = _board_scope(ctx, req)
    lines = boards.board(ctx.session, community_id, subject, metric)
    scope = (ctx.session.get_one(Community, community_id).name if community_id is not None
             else t("board_district"))
    title = t("board_title", scope=scope, label=_metric_labels()[metric], top=boards.TOP,
              subject=t("board_units") if subject == "unit" else t("board_members"))
    if not lines:
        return req.reply(t("board_empty", title=title))
    return req.reply("\n".join([title, *(_line(line, metric) for line in lines)]))


def _line(line: boards.Line, metric: str) -> str:
    value = {"hours": t("value_hours", v=line.value), "services": t("value_services", v=line.value),
             "points": t("value_points", v=line.value),
             "rating": t("value_rating", v=line.value)}[metric]
    return t("board_line", rank=line.rank, name=line.name, value=value)


def _board_scope(ctx: Context, req: Request) -> int | None:
    """The community whose board /top shows (None: every community's).

    ``@社区名`` names one the sender belongs to or administers; else a bound group's
    community; for a street office's admin in private, the whole board when their offices
    cover every community, else they are asked to name one; else the sender's own community.
    """
    admin_of = roles.admin_scope(ctx.session, req.identity)
    named = next((a for a in req.args if a[:1] in ("@", "＠")), None)
    if named is not None:
        return _named_board(ctx, req, named[1:], admin_of)
    bound = lookup.group_community(ctx.session, req)
    if bound is not None:
        return stored_id(bound)
    if admin_of.district:
        everyone = set(ctx.session.exec(select(Community.id)).all())
        if everyone <= admin_of.communities:
            return None
        raise WorkflowError(t("board_name_community"))
    own = _own_community(ctx, req)
    if own is not None:
        return own
    if admin_of.communities:
        return min(admin_of.communities)
    communities = ctx.session.exec(select(Community.id)).all()
    if len(communities) == 1:
        return communities[0]
    raise WorkflowError(t("board_which_community"))


def _own_community(ctx: Context, req: Request) -> int | None:
    """The community the sender serves in as a member, or lives in as a resident."""
    member = people.member_of(ctx.session, req.identity)
    if member is not None:
        return member.community_id
    resident = (ctx.session.get(Resident, req.identity.resident_id)
                if req.identity.resident_id else None)
    return resident.community_id if resident is not None else None


def _named_board(ctx: Context, req: Request, name: str, admin_of: roles.AdminScope) -> int:
    community = people.community_named(ctx.session, name)
    if community is None:
        raise WorkflowError(t("no_such_community", name=name))
    key = stored_id(community)
    if key not in admin_of.communities and key != _own_community(ctx, req):
        raise WorkflowError(t("board_not_yours", community=community.name))
    return key

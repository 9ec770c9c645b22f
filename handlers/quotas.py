"""Quotas and warnings (考核与预警): who is below quota, nudges, yellow and red lights.

A member meets the quota for a quarter by finishing at least the quarter's services and by
having served, since New Year, the year's hours pro rata (a quarter of them by the end of
Q1, all of them by the end of Q4). Quarters are in the community's time zone. Only members
registered before the quarter began are held to it.

Two weeks (``QuotaPolicy.nudge_before``) before a quarter ends each member below quota gets
one private nudge listing open orders of their duties. The first sweep after a quarter ends
records a ``MemberWarning``: yellow for a miss, red when the previous quarter was missed
too, each with a private message. Nudges and lights are messages to people, so both wait for
the community's waking hours (``QuotaPolicy.waking_hours``, 9:00-21:00): a quarter ending at
midnight is still judged on its own record, but told from 9:00.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, String, cast, func, or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from handlers import people, tallies
from handlers.context import Context
from handlers.once import already_sent
from handlers.policy import Policy
from handlers.texts import t
from handlers.views import order_line
from storage.ledger import MemberWarning
from storage.models import Community, Member, Order, SentNotice
from storage.models import OrderStatus as S

QUOTA_EVERY = timedelta(hours=1)
NUDGE_ORDERS = 5
Quarter = tuple[int, int]


def quarter_of(moment: datetime, zone: str) -> Quarter:
    """The (year, quarter) a moment falls in, in the zone."""
    local = moment.astimezone(ZoneInfo(zone))
    return local.year, (local.month - 1) // 3 + 1


def period(quarter: Quarter) -> str:
    """The quarter's name as warnings store it, e.g. ``2026Q4``."""
    return f"{quarter[0]}Q{quarter[1]}"


def start_of(quarter: Quarter, zone: str) -> datetime:
    """The moment a quarter begins (local midnight), as an aware time."""
    year, number = quarter
    return datetime(year, 3 * number - 2, 1, tzinfo=ZoneInfo(zone))


def shift(quarter: Quarter, by: int) -> Quarter:
    """The quarter ``by`` quarters later (earlier when negative)."""
    index = quarter[0] * 4 + quarter[1] - 1 + by
    return index // 4, index % 4 + 1


def asleep(community: Community, policy: Policy, now: datetime) -> bool:
    """Whether it is outside the community's waking hours, when no nudge or light is sent."""
    start, end = policy.quota.waking_hours
    return not start <= now.astimezone(ZoneInfo(community.timezone)).hour < end


def quota(community: Community, policy: Policy) -> tuple[int, float]:
    """The community's quota: services a quarter and hours a year."""
    services = community.quota_services
    hours = community.quota_hours
    return (policy.quota.services_per_quarter if services is None else services,
            policy.quota.hours_per_year if hours is None else hours)


def below_quota(session: Session, community: Community, policy: Policy, quarter: Quarter,
                until: datetime, *unless: ColumnElement[bool]) -> list[Member]:
    """Members held to the quarter's quota whose record up to ``until`` falls short (leaving
    out those ``unless`` matches: already nudged, already warned)."""
    zone = community.timezone
    need_services, hours_a_year = quota(community, policy)
    need_hours = hours_a_year * quarter[1] / 4
    in_quarter = tallies.services(session, start_of(quarter, zone), until)
    this_year = tallies.services(session, start_of((quarter[0], 1), zone), until)
    done = func.coalesce(in_quarter.c.n, 0)
    served = func.coalesce(this_year.c.total, 0)
    return list(session.exec(
        select(Member)
        .join(in_quarter, in_quarter.c.member_id == Member.id, isouter=True)
        .join(this_year, this_year.c.member_id == Member.id, isouter=True)
        .where(Member.community_id == community.id,
               Member.registered_at < start_of(quarter, zone),
               or_(done < need_services, served < need_hours - 1e-9),
               *(~condition for condition in unless))
        .order_by(Member.id)).all())


def nudge_sweep(ctx: Context) -> None:
    """In a quarter's last two weeks, nudge each member below quota once."""

    for community in ctx.session.exec(select(Community)).all():
        quarter = quarter_of(ctx.now, community.timezone)
        ends = start_of(shift(quarter, 1), community.timezone)
        if ctx.now < ends - ctx.policy.quota.nudge_before or asleep(community, ctx.policy,
                                                                     ctx.now):
            continue
        subject = cast(Member.id, String) + f":{period(quarter)}"
        nudged = select(SentNotice.id).where(SentNotice.kind == "quota_nudge",
                                             SentNotice.subject == subject).exists()
        for member in below_quota(ctx.session, community, ctx.policy, quarter, ctx.now, nudged):
            if not already_sent(ctx, "quota_nudge", f"{member.id}:{period(quarter)}"):
                ctx.queue(people.to_member(ctx.session, member.id,
                                           _nudge(ctx, community, member, quarter)))


def _nudge(ctx: Context, community: Community, member: Member, quarter: Quarter) -> str:
    services, hours = quota(community, ctx.policy)
    orders = ctx.session.exec(
        select(Order).where(Order.community_id == community.id, Order.status == S.OPEN,
                            col(Order.duty).in_(member.duties or []))
        .order_by(col(Order.id).desc()).limit(NUDGE_ORDERS)).all()
    listing = "\n".join(order_line(o) for o in orders) or t("quota_no_open_orders")
    return t("quota_nudge", name=member.name, period=period(quarter), services=services,
             hours=f"{hours:g}", orders=listing)


def quarter_end_sweep(ctx: Context) -> None:
    """After a quarter ends, light yellow or red for each member who missed its quota."""
    for community in ctx.session.exec(select(Community)).all():
        if asleep(community, ctx.policy, ctx.now):
            continue
        current = quarter_of(ctx.now, community.timezone)
        ended = shift(current, -1)
        until = start_of(current, community.timezone)
        warned = select(MemberWarning.id).where(MemberWarning.member_id == Member.id,
                                                MemberWarning.period == period(ended)).exists()
        lit = [_light(ctx, member, ended) for member
               in below_quota(ctx.session, community, ctx.policy, ended, until, warned)]
        lit = [level for level in lit if level]
        if lit:
            ctx.queue(people.to_admins(ctx.session, community.id, t(
                "admin_warnings_lit", period=period(ended), yellow=lit.count("yellow"),
                red=lit.count("red"))))


def _light(ctx: Context, member: Member, quarter: Quarter) -> str | None:
    """Record the member's warning for the quarter; None when it was already recorded."""
    held = set(ctx.session.exec(select(MemberWarning.period).where(
        MemberWarning.member_id == member.id,
        col(MemberWarning.period).in_([period(quarter), period(shift(quarter, -1))]))).all())
    if period(quarter) in held:
        return None
    level = "red" if period(shift(quarter, -1)) in held else "yellow"
    try:
        with ctx.session.begin_nested():  # another bot sweeping at once got there first
            ctx.session.add(MemberWarning(member_id=member.id, period=period(quarter),
                                          level=level, at=ctx.now))
    except IntegrityError:
        return None
    text = (t("member_red_light", name=member.name, period=period(quarter)) if level == "red"
            else t("member_yellow_light", name=member.name, period=period(quarter)))
    ctx.queue(people.to_member(ctx.session, member.id, text))
    return level

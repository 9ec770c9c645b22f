"""Quota sweeps (考核预警): the nudge before a quarter ends, the yellow and red lights after.

Who is below quota is decided in handlers/ledger/quotas.py; these sweeps tell people.
"""

from __future__ import annotations

from sqlalchemy import String, cast
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from handlers import people
from handlers.context import Context
from handlers.ledger.quotas import (
    Quarter,
    asleep,
    below_quota,
    period,
    quarter_of,
    quota,
    shift,
    start_of,
)
from handlers.once import already_sent
from handlers.orders.views import order_line
from handlers.texts import t
from storage.ledger import MemberWarning
from storage.models import Community, Member, Order, SentNotice, stored_id
from storage.models import OrderStatus as S

NUDGE_ORDERS = 5


def nudge(ctx: Context, community: Community) -> None:
    """In a quarter's last two weeks, nudge each of the community's members below quota once."""
    quarter = quarter_of(ctx.now, community.timezone)
    ends = start_of(shift(quarter, 1), community.timezone)
    if ctx.now < ends - ctx.policy.quota.nudge_before or asleep(community, ctx.policy, ctx.now):
        return
    subject = cast(col(Member.id), String) + f":{period(quarter)}"
    nudged = select(SentNotice.id).where(SentNotice.kind == "quota_nudge",
                                         SentNotice.subject == subject).exists()
    for member in below_quota(ctx.session, community, ctx.policy, quarter, ctx.now, nudged):
        if not already_sent(ctx, "quota_nudge", f"{member.id}:{period(quarter)}"):
            ctx.queue(people.to_member(ctx.session, stored_id(member),
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


def quarter_end(ctx: Context, community: Community) -> None:
    """After a quarter ends, light yellow or red for each of the community's members who
    missed its quota."""
    if asleep(community, ctx.policy, ctx.now):
        return
    current = quarter_of(ctx.now, community.timezone)
    ended = shift(current, -1)
    until = start_of(current, community.timezone)
    warned = select(MemberWarning.id).where(MemberWarning.member_id == Member.id,
                                            MemberWarning.period == period(ended)).exists()
    lit = [_light(ctx, member, ended) for member
           in below_quota(ctx.session, community, ctx.policy, ended, until, warned)]
    lit = [level for level in lit if level]
    if lit:
        ctx.queue(people.to_admins(ctx.session, stored_id(community), t(
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
            ctx.session.add(MemberWarning(member_id=stored_id(member), period=period(quarter),
                                          level=level, at=ctx.now))
    except IntegrityError:
        return None
    text = (t("member_red_light", name=member.name, period=period(quarter)) if level == "red"
            else t("member_yellow_light", name=member.name, period=period(quarter)))
    ctx.queue(people.to_member(ctx.session, stored_id(member), text))
    return level

"""Quota sweeps (考核预警): the nudge before a quarter ends, the yellow and red lights after.

Who is below quota is decided in handlers/ledger/quotas.py; these sweeps tell people.
"""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from handlers import fanout, people
from handlers.context import Context
from handlers.jobs.communities import each_community, read_first
from handlers.jobs.quota_passes import pass_of, unpassed
from handlers.ledger.quarters import Quarter, period, quarter_of, shift, start_of
from handlers.ledger.quotas import asleep, below_quota, quota
from handlers.once import first_sent, not_yet_sent, sent_before, text_of
from handlers.orders.views import order_line
from handlers.texts import t
from storage.db import dialect_insert
from storage.ledger import MemberWarning
from storage.models import Community, Member, Order, stored_id
from storage.models import OrderStatus as S

NUDGE_ORDERS = 5


def nudges(ctx: Context) -> None:
    """The nudge sweep: of the communities in a quarter's last two weeks and awake, those
    with no finished pass (``quota_passes.unpassed``, a few queries for them all) are
    nudged one by one (``nudge``), each in a transaction of its own."""
    due = []
    for community in ctx.session.exec(select(Community).order_by(col(Community.id))).all():
        quarter = quarter_of(ctx.now, community.timezone)
        ends = start_of(shift(quarter, 1), community.timezone)
        if (ctx.now >= ends - ctx.policy.quota.nudge_before
                and not asleep(community, ctx.policy, ctx.now)):
            due.append((community, quarter))
    each_community(ctx, "quota_nudges", nudge, only=unpassed(ctx, "quota_nudge_pass", due))


def nudge(ctx: Context, community: Community) -> None:
    """In a quarter's last two weeks, nudge each of the community's members below quota once.

    Set-based: one query finds who is below quota and not yet nudged, one reads the open
    orders, one INSERT records the nudges and one bulk INSERT queues them.
    """
    quarter = quarter_of(ctx.now, community.timezone)
    ends = start_of(shift(quarter, 1), community.timezone)
    if ctx.now < ends - ctx.policy.quota.nudge_before or asleep(community, ctx.policy, ctx.now):
        return
    suffix = f":{period(quarter)}"
    nudged = not_yet_sent("quota_nudge", text_of(col(Member.id)) + suffix)
    with read_first(ctx) as reader:  # who and what, worked out before taking the write lock
        done = pass_of(reader, ctx, community, quarter)
        if sent_before(reader, "quota_nudge_pass", done):
            return  # everyone below quota was nudged, and nobody has joined since
        below = below_quota(reader, community, ctx.policy, quarter, ~nudged)
        if not below:
            first_sent(ctx, "quota_nudge_pass", [done])
            return
        listings = _listings(below, _open_orders(reader, community))
        texts = {f"{member.id}{suffix}": (stored_id(member), _nudge(
            ctx, community, member, quarter, listings[tuple(member.duties or [])]))
            for member in below}
    sent = first_sent(ctx, "quota_nudge", list(texts))
    fanout.each_to_member(ctx, dict(texts[s] for s in sent))
    first_sent(ctx, "quota_nudge_pass", [done])


def _open_orders(session: Session, community: Community) -> list[Order]:
    """The community's open orders, newest first: the few newest of each duty, enough for
    any member's list of their duties' newest."""
    newest = (select(col(Order.id), func.row_number().over(
        partition_by=col(Order.duty), order_by=col(Order.id).desc()).label("n"))
        .where(Order.community_id == community.id, Order.status == S.OPEN).subquery())
    return list(session.exec(select(Order).join(newest, newest.c.id == Order.id)
                                 .where(newest.c.n <= NUDGE_ORDERS)
                                 .order_by(col(Order.id).desc())).all())


def _listings(members: list[Member], open_orders: list[Order]) -> dict[tuple[str, ...], str]:
    """The list of open orders for each set of duties the members claimed: members who
    claimed the same duties (most of them) share one."""
    listings = {}
    for duties in {tuple(member.duties or []) for member in members}:
        orders = [o for o in open_orders if o.duty in duties][:NUDGE_ORDERS]
        listings[duties] = "\n".join(order_line(o) for o in orders) or t("quota_no_open_orders")
    return listings


def _nudge(ctx: Context, community: Community, member: Member, quarter: Quarter,
           listing: str) -> str:
    services, hours = quota(community, ctx.policy)
    return t("quota_nudge", name=member.name, period=period(quarter), services=services,
             hours=f"{hours:g}", orders=listing)


def lights(ctx: Context) -> None:
    """The lights sweep: of the communities awake, those with no finished pass over the
    quarter just ended (a few queries for them all) are judged one by one
    (``quarter_end``), each in a transaction of its own."""
    due = [(community, shift(quarter_of(ctx.now, community.timezone), -1)) for community
           in ctx.session.exec(select(Community).order_by(col(Community.id))).all()
           if not asleep(community, ctx.policy, ctx.now)]
    each_community(ctx, "quota_warnings", quarter_end,
                   only=unpassed(ctx, "quota_lights_pass", due))


def quarter_end(ctx: Context, community: Community) -> None:
    """After a quarter ends, light yellow or red for each of the community's members who
    missed its quota."""
    if asleep(community, ctx.policy, ctx.now):
        return
    current = quarter_of(ctx.now, community.timezone)
    ended = shift(current, -1)
    warned = select(MemberWarning.id).where(MemberWarning.member_id == Member.id,
                                            MemberWarning.period == period(ended)).exists()
    with read_first(ctx) as reader:  # who, worked out before taking the write lock
        done = pass_of(reader, ctx, community, ended)
        if sent_before(reader, "quota_lights_pass", done):
            return  # every light is lit, and nobody has joined since
        below = [(stored_id(m), m.name) for m
                 in below_quota(reader, community, ctx.policy, ended, warned)]
    lit = _light(ctx, below, ended)
    first_sent(ctx, "quota_lights_pass", [done])
    if lit:
        ctx.queue(people.to_admins(ctx.session, stored_id(community), t(
            "admin_warnings_lit", period=period(ended), yellow=lit.count("yellow"),
            red=lit.count("red"))))


def _light(ctx: Context, members: list[tuple[int, str]], quarter: Quarter) -> list[str]:
    """Record each member's warning for the quarter, yellow or red (red when the quarter
    before was missed too), and tell them; the levels lit. One query reads the quarter
    before, one INSERT records the lights, one bulk INSERT queues the messages."""
    if not members:
        return []
    before = set(ctx.session.exec(select(MemberWarning.member_id).where(
        col(MemberWarning.member_id).in_([member_id for member_id, _ in members]),
        MemberWarning.period == period(shift(quarter, -1)))).all())
    levels = {member_id: "red" if member_id in before else "yellow"
              for member_id, _ in members}
    # Another bot sweeping at once may have lit some: only the lights written here are told.
    lit = set(ctx.session.execute(
        dialect_insert(ctx.session, MemberWarning).on_conflict_do_nothing()
        .returning(col(MemberWarning.member_id)),
        [{"member_id": member_id, "period": period(quarter), "level": level, "at": ctx.now}
         for member_id, level in levels.items()]).scalars().all())
    fanout.each_to_member(ctx, {member_id: _light_text(name, levels[member_id], quarter)
                                for member_id, name in members if member_id in lit})
    return [levels[member_id] for member_id in sorted(lit)]


def _light_text(name: str, level: str, quarter: Quarter) -> str:
    return (t("member_red_light", name=name, period=period(quarter)) if level == "red"
            else t("member_yellow_light", name=name, period=period(quarter)))

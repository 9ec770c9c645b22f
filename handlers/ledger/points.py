"""Points (积分): the rules that write ledger entries, balances, star levels and redemption.

A balance is always ``SUM(delta)`` over ``PointEntry``: every entry is written by
``handlers.ledger.book.write``, which moves the member's kept balance with it. The
workflow calls ``award_service`` and ``award_rating`` in the transaction of the step that
earns them; the year's base comes from a sweep and from registering. Reason codes are listed
in storage/ledger.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlmodel import Session, col, select

from handlers import people
from handlers.context import Context
from handlers.errors import WorkflowError
from handlers.ledger import book
from handlers.ledger.services import services
from handlers.once import already_sent, first_sent
from handlers.rules.policy import PointsPolicy
from handlers.texts import t
from storage.ledger import PointEntry
from storage.models import Acceptance, Community, Member, Order, stored_id

YEAR_BASE_EVERY = timedelta(hours=1)
STAR_NUMERALS = "一二三四五"
CHUNK = 1000  # members whose year opens in one set of statements


def add(ctx: Context, member_id: int, delta: int, reason: str, order_id: int | None = None,
        note: str = "") -> None:
    """Write one ledger entry (a zero delta is not worth a line)."""
    book.write(ctx.session, [book.entry(member_id, delta, reason, ctx.now, order_id, note)])


def balance(session: Session, member_id: int) -> int:
    """The member's points: the sum of their ledger, as kept with it (``book``)."""
    return book.balance(session, member_id)


SPENDING = ("redeem", "year_reset")
"""Entries that move a balance without being earned or lost by the member's work: spending
in the points supermarket (积分超市) and closing last year."""


def level(rules: PointsPolicy, points: int) -> int:
    """Stars earned (0-5): how many of the level thresholds ``points`` (earned this year)
    reach."""
    return sum(1 for threshold in rules.levels if points >= threshold)


def level_name(stars: int) -> str:
    """一星志愿者 … 五星志愿者, or 暂未评星 below the first threshold."""
    return t("level_stars", n=STAR_NUMERALS[stars - 1]) if stars else t("level_none")


def earned(session: Session, member: Member, now: datetime) -> int:
    """Points the member earned this year (their community's year): the ledger since New
    Year but what they spent, so redeeming never lowers a star level or a rank."""
    total = session.exec(select(func.sum(PointEntry.delta)).where(
        PointEntry.member_id == member.id, *_earning(session, member.community_id, now))).one()
    return int(total or 0)


def rank(session: Session, member: Member, now: datetime) -> tuple[int, int]:
    """The member's place by points earned this year in their community, and how many
    members it has."""
    entries = select(PointEntry).where(*_earning(session, member.community_id, now)).subquery()
    tallies = (select(col(Member.id).label("member_id"),
                      func.coalesce(func.sum(entries.c.delta), 0).label("points"))
               .join(entries, entries.c.member_id == Member.id, isouter=True)
               .where(Member.community_id == member.community_id)
               .group_by(col(Member.id)).subquery())
    mine = earned(session, member, now)
    ahead = session.exec(select(func.count()).select_from(tallies)
                         .where(tallies.c.points > mine)).one()
    everyone = session.exec(select(func.count()).select_from(tallies)).one()
    return ahead + 1, everyone


def _earning(session: Session, community_id: int, now: datetime) -> tuple:
    """The conditions of an entry earned (or lost) this year in the community's zone."""
    zone = session.get_one(Community, community_id).timezone
    since = year_start(local_year(session, community_id, now), zone)
    return col(PointEntry.at) >= since, col(PointEntry.reason).not_in(SPENDING)


def award_service(ctx: Context, order: Order, holders: Sequence[Acceptance]) -> None:
    """Everyone who finished the order (``holders``): points per service and per hour."""
    rules = ctx.policy.points
    served = hours_this_round(ctx.session, order)
    entries = []
    for acceptance in holders:
        hours = served.get(acceptance.member_id, 0.0)
        entries += [book.entry(acceptance.member_id, rules.per_service, "service", ctx.now,
                               order.id),
                    book.entry(acceptance.member_id, round(hours * rules.per_hour), "hours",
                               ctx.now, order.id, f"{hours:.2f}")]
    book.write(ctx.session, entries)


def hours_this_round(session: Session, order: Order) -> dict[int, float]:
    """Hours each member served on the order since it was last opened, in one query."""
    since = order.opened_at or order.created_at
    svc = services(since)
    return {member_id: float(hours) for member_id, hours in session.execute(
        select(svc.c.member_id, func.sum(svc.c.hours))
        .where(svc.c.order_id == order.id).group_by(svc.c.member_id)).all()}


def award_rating(ctx: Context, order: Order, stars: int,
                 holders: Sequence[Acceptance]) -> None:
    """A 5★ rating earns each member the bonus; 2★ or less costs each the deduction."""
    rules = ctx.policy.points
    if stars == 5:
        delta, reason = rules.five_star_bonus, "five_star"
    elif stars <= 2:
        delta, reason = -rules.low_rating_deduction, "low_rating"
    else:
        return
    book.write(ctx.session, [book.entry(a.member_id, delta, reason, ctx.now, order.id)
                             for a in holders])


def local_year(session: Session, community_id: int, now: datetime) -> int:
    """The year it is in the community's zone."""
    community = session.get_one(Community, community_id)
    return now.astimezone(ZoneInfo(community.timezone)).year


def year_start(year: int, zone: str) -> datetime:
    """New Year's midnight in the community's zone, in UTC."""
    return datetime(year, 1, 1, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def grant_year_base(ctx: Context, member_id: int, year: int, zone: str) -> None:
    """Open the member's year (年度积分): last year's balance is closed and the base granted.

    Once per member per year (on registering, and by the sweep); the sent-notice key settles
    a registration racing the sweep. Closing is a ``year_reset`` entry dated New Year's
    midnight that takes the balance before it to zero, so a balance, a level and a rank
    always mean this year's points while the ledger keeps every entry.
    """
    if already_sent(ctx, "year_base", f"{member_id}:{year}"):
        return
    starts = year_start(year, zone)
    carried = ctx.session.exec(select(func.sum(PointEntry.delta)).where(
        PointEntry.member_id == member_id, PointEntry.at < starts)).one()
    book.write(ctx.session, [
        book.entry(member_id, -int(carried or 0), "year_reset", starts, note=str(year - 1)),
        book.entry(member_id, ctx.policy.points.year_base, "year_base", ctx.now,
                   note=str(year))])


def grant_on_registering(ctx: Context, member: Member) -> None:
    """A new member's base for the year they register in."""
    community = ctx.session.get_one(Community, member.community_id)
    grant_year_base(ctx, stored_id(member), local_year(ctx.session, member.community_id, ctx.now),
                    community.timezone)


def year_base(ctx: Context, community: Community) -> None:
    """Grant the year's base to each of the community's members who has not had it (after
    New Year, local time): as ``grant_year_base`` does for one, in a few statements a
    thousand members at a time (one INSERT records them, one query sums what each carries
    over, one INSERT writes the ledger)."""
    year = ctx.now.astimezone(ZoneInfo(community.timezone)).year
    granted = select(PointEntry.id).where(  # by each member's own entries (indexed)
        PointEntry.member_id == Member.id, PointEntry.reason == "year_base",
        PointEntry.note == str(year)).exists()
    waiting = [member_id for member_id in ctx.session.exec(select(Member.id).where(
        Member.community_id == community.id, ~granted)
        .order_by(col(Member.id))).all() if member_id is not None]
    starts = year_start(year, community.timezone)
    for first in range(0, len(waiting), CHUNK):
        subjects = {f"{member_id}:{year}": member_id
                    for member_id in waiting[first:first + CHUNK]}
        chosen = [subjects[s] for s in first_sent(ctx, "year_base", list(subjects))]
        if not chosen:
            continue
        carried = {m: total for m, total in ctx.session.execute(
            select(PointEntry.member_id, func.sum(PointEntry.delta))
            .where(col(PointEntry.member_id).in_(chosen), PointEntry.at < starts)
            .group_by(col(PointEntry.member_id)))}
        book.write(ctx.session, [book.entry(m, -int(carried.get(m) or 0), "year_reset", starts,
                                            note=str(year - 1)) for m in chosen]
                   + [book.entry(m, ctx.policy.points.year_base, "year_base", ctx.now,
                                 note=str(year)) for m in chosen])


def redeem(ctx: Context, member: Member, amount: int, item: str) -> int:
    """Spend a member's points on an item (积分兑换); refused when the balance is short.

    The member's row is locked first (PostgreSQL; SQLite writers are serialised anyway), so
    two redemptions at once cannot both spend the same points. Returns the new balance.
    """
    ctx.session.exec(select(Member.id).where(Member.id == member.id).with_for_update()).one()
    have = balance(ctx.session, stored_id(member))
    if amount > have:
        raise WorkflowError(t("redeem_short", name=member.name, points=amount, balance=have))
    add(ctx, stored_id(member), -amount, "redeem", note=item)
    ctx.queue(people.to_member(ctx.session, stored_id(member), t(
        "member_redeemed", points=amount, item=item, balance=have - amount)))
    return have - amount

"""The weekly digest (每周简报) posted in each community's groups, with a chart.

For each community, once a week (by default Monday from 09:00 local time) its bound groups
get last week's numbers: orders filed and closed, how fast members answered, the week's
报到之星, and a bar chart of the days.
"""

from __future__ import annotations

import logging
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, func, select

from handlers import people
from handlers.context import Context
from handlers.jobs.communities import each_community
from handlers.ledger.services import per_member
from handlers.messages import Outgoing
from handlers.once import already_sent, sent_before
from handlers.reports.charts import ChartError, WeeklyChart, draw
from handlers.texts import t
from storage.db import commit_own, read_first
from storage.models import Acceptance, Community, Member, Order, OrderHistory
from storage.models import OrderStatus as S

log = logging.getLogger(__name__)
STARS = 3  # how many members the digest names as 报到之星
WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True)
class Week:
    """Seven local days from a Monday, in a community's zone."""

    monday: date
    zone: str

    @property
    def label(self) -> str:
        """The ISO week, e.g. ``2026-W47``."""
        year, week, _ = self.monday.isocalendar()
        return f"{year}-W{week:02d}"

    def days(self) -> tuple[str, str]:
        """The first and last day as the digest writes them: ``11月23日``, ``11月29日``."""
        last = self.monday + timedelta(days=6)
        return f"{self.monday.month}月{self.monday.day}日", f"{last.month}月{last.day}日"

    def bounds(self) -> tuple[datetime, datetime]:
        """The week as instants: Monday 00:00 to the next Monday 00:00, local time."""
        start = datetime.combine(self.monday, time(), ZoneInfo(self.zone))
        return start, start + timedelta(days=7)


@dataclass(frozen=True)
class WeekNumbers:
    """What a community did in a week."""

    filed_per_day: list[int]
    closed_per_day: list[int]
    response_hours: list[float]
    services: int
    hours: float
    stars: list[tuple[str, float]]

    @property
    def quiet(self) -> bool:
        """Nothing happened: no digest is worth posting."""
        return not (sum(self.filed_per_day) or sum(self.closed_per_day) or self.services)


def week_to_post(now: datetime, zone: str, weekday: int, hour: int) -> Week:
    """The week whose digest is due at ``now``: the one before the latest posting time."""
    tz = ZoneInfo(zone)
    local = now.astimezone(tz)
    this_monday = local.date() - timedelta(days=local.weekday())
    posting = datetime.combine(this_monday + timedelta(days=weekday), time(hour), tz)
    if local < posting:
        this_monday -= timedelta(days=7)
    return Week(this_monday - timedelta(days=7), zone)


def week_numbers(session: Session, community_id: int, week: Week) -> WeekNumbers:
    """The week's counts, response times and stars for one community."""
    start, end = week.bounds()
    tz = ZoneInfo(week.zone)
    filed = session.exec(select(Order.created_at).where(
        Order.community_id == community_id, Order.created_at >= start, Order.created_at < end,
        Order.status != S.MERGED)).all()
    closed = session.exec(
        select(func.min(OrderHistory.at)).join(Order, col(Order.id) == OrderHistory.order_id)
        .where(Order.community_id == community_id, OrderHistory.to_status == S.CLOSED,
               OrderHistory.at >= start, OrderHistory.at < end)
        .group_by(col(OrderHistory.order_id))).all()
    answered = session.exec(
        select(Order.created_at, func.min(Acceptance.accepted_at))
        .join(Acceptance, col(Acceptance.order_id) == Order.id)
        .where(Order.community_id == community_id, Order.created_at >= start,
               Order.created_at < end).group_by(col(Order.id), col(Order.created_at))).all()
    served = per_member(start, end, [community_id])
    stars = session.exec(
        select(Member.name, served.c.seconds, served.c.services)
        .join(Member, col(Member.id) == served.c.member_id)
        .order_by(served.c.seconds.desc(), served.c.services.desc(), col(Member.id))).all()
    return WeekNumbers(
        filed_per_day=_per_day(filed, week.monday, tz),
        closed_per_day=_per_day(closed, week.monday, tz),
        response_hours=[(first - created).total_seconds() / 3600 for created, first in answered],
        services=sum(count for _name, _seconds, count in stars),
        hours=sum(seconds or 0 for _name, seconds, _count in stars) / 3600,
        stars=[(name, (seconds or 0) / 3600) for name, seconds, _count in stars[:STARS]],
    )


def _per_day(times: Sequence[datetime], monday: date, tz: ZoneInfo) -> list[int]:
    counts = [0] * 7
    for at in times:
        counts[(at.astimezone(tz).date() - monday).days] += 1
    return counts


def digest_text(community: str, week: Week, numbers: WeekNumbers) -> str:
    """The digest as the groups read it."""
    if numbers.response_hours:
        response = t("digest_response", median=f"{statistics.median(numbers.response_hours):.1f}",
                     mean=f"{statistics.fmean(numbers.response_hours):.1f}")
    else:
        response = t("digest_no_response")
    stars = "、".join(t("digest_star", name=name, hours=f"{hours:.1f}")
                      for name, hours in numbers.stars) or t("digest_no_stars")
    first, last = week.days()
    return t("digest", community=community, first=first, last=last,
             filed=sum(numbers.filed_per_day),
             closed=sum(numbers.closed_per_day), services=numbers.services,
             hours=f"{numbers.hours:.1f}", response=response, stars=stars)


Post = tuple[list[Outgoing], str, WeeklyChart, str]
POSTS_A_TRANSACTION = 50  # communities whose digests one short write transaction records


def _prepare(ctx: Context, community: Community) -> Post | None:
    """The community's digest with its chart still to draw and the subject it is recorded
    under; None when it has no group, had a quiet week or was posted already. Reads only."""
    if community.id is None:
        return None
    groups = people.to_groups(ctx.session, community.id, "")
    if not groups:
        return None
    week = week_to_post(ctx.now, community.timezone, ctx.policy.digest_weekday,
                        ctx.policy.digest_hour)
    subject = f"{community.id}:{week.label}"
    if sent_before(ctx.session, "weekly_digest", subject):
        return None
    numbers = week_numbers(ctx.session, community.id, week)
    if numbers.quiet:
        return None
    chart = WeeklyChart(
        ctx.policy.media_dir / "charts" / f"digest-{community.id}-{week.label}.png",
        t("chart_title", community=community.name, days="—".join(week.days())),
        [f"周{day}" for day in WEEKDAYS], numbers.filed_per_day, numbers.closed_per_day)
    return groups, digest_text(community.name, week, numbers), chart, subject


def post_weekly(ctx: Context) -> None:
    """The sweep: post each community's digest for last week, once, in its bound groups.

    The digests are worked out in a plain read (``storage.db.reading``: no write lock), each
    community's in its own savepoint (a failure costs only that community's); the charts
    are drawn together, in one child process, outside any transaction; then the posts are
    recorded and queued in short transactions. A digest whose chart could not be drawn goes
    without it.
    """
    with read_first(ctx.session) as reader:
        prepared = each_community(replace(ctx, session=reader), "weekly_digest", _prepare,
                                  commit=False)
    posts = [post for post in prepared if post]
    try:
        draw([chart for _, _, chart, _ in posts])
        drawn = True
    except ChartError:
        log.exception("the weekly digests go without their charts")
        drawn = False
    for n, (groups, text, chart, subject) in enumerate(posts, start=1):
        if already_sent(ctx, "weekly_digest", subject):
            continue  # another bot sweeping at once posted it
        attachment = str(chart.path) if drawn else None
        ctx.queue([replace(group, text=text, attachment=attachment) for group in groups])
        if n % POSTS_A_TRANSACTION == 0:
            commit_own(ctx.session)

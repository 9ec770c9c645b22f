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

from sqlalchemy import ColumnElement, func, or_
from sqlmodel import Session, col, select

from handlers.ledger.services import per_member
from handlers.rules.policy import Policy
from storage.models import Community, Member, stored_id

QUOTA_EVERY = timedelta(hours=1)
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
    # Only the community's members count here, so the services are read from them outwards
    # (members_of): the database walks their check-ins, not every check-in of the period.
    # Their services count wherever they served, as a member who moved keeps their record.
    here = stored_id(community)
    in_quarter = per_member(start_of(quarter, zone), until, members_of=here)
    this_year = per_member(start_of((quarter[0], 1), zone), until, members_of=here)
    done = func.coalesce(in_quarter.c.services, 0)
    served = func.coalesce(this_year.c.hours, 0)
    return list(session.exec(
        select(Member)
        .join(in_quarter, in_quarter.c.member_id == Member.id, isouter=True)
        .join(this_year, this_year.c.member_id == Member.id, isouter=True)
        .where(Member.community_id == community.id, col(Member.active).is_(True),
               Member.registered_at < start_of(quarter, zone),
               or_(done < need_services, served < need_hours - 1e-9),
               *(~condition for condition in unless))
        .order_by(col(Member.id))).all())

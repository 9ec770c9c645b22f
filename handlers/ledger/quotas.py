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

from handlers.ledger.quarters import Quarter, period, start_of, year_so_far
from handlers.ledger.running import running
from handlers.rules.policy import Policy
from storage.models import Community, Member, stored_id

QUOTA_EVERY = timedelta(hours=1)


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
                *unless: ColumnElement[bool]) -> list[Member]:
    """Members held to the quarter's quota whose record falls short (leaving out those
    ``unless`` matches: already nudged, already warned)."""
    zone = community.timezone
    need_services, hours_a_year = quota(community, policy)
    need_hours = hours_a_year * quarter[1] / 4
    # The running tallies (handlers.ledger.running) hold each member's quarters: the
    # community's members' few rows are read, not their services. A member's services count
    # wherever they served, as a member who moved keeps their record. A quarter's tally
    # holds its services so far: before it ends, the record up to now.
    record = running(year_so_far(quarter), recent=[period(quarter)],
                     members_of=stored_id(community))
    done = func.coalesce(record.c.recent, 0)
    served = func.coalesce(record.c.hours, 0)
    return list(session.exec(
        select(Member)
        .join(record, record.c.member_id == Member.id, isouter=True)
        .where(Member.community_id == community.id, col(Member.active).is_(True),
               Member.registered_at < start_of(quarter, zone),
               or_(done < need_services, served < need_hours - 1e-9),
               *(~condition for condition in unless))
        .order_by(col(Member.id))).all())

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

from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, case, func, or_
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

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
    return below_quotas(session, [community], policy, quarter, *unless).get(
        stored_id(community), [])


def below_quotas(session: Session, communities: Sequence[Community], policy: Policy,
                 quarter: Quarter, *unless: ColumnElement[bool]) -> dict[int, list[Member]]:
    """``below_quota`` for many communities at once (each judged on the quarter in its own
    zone, against its own quota), in one query: the members short, by community."""
    short: dict[int, list[Member]] = {}
    if communities:
        for member in session.exec(short_of_quota(communities, policy, quarter, *unless)):
            short.setdefault(member.community_id, []).append(member)
    return short


def short_of_quota(communities: Sequence[Community], policy: Policy, quarter: Quarter,
                   *unless: ColumnElement[bool]) -> SelectOfScalar[Member]:
    """The query of ``below_quotas``: the members short, by community and id (a sweep picks
    the few columns it needs with ``with_only_columns``)."""
    ids = [stored_id(c) for c in communities]
    quotas = {stored_id(c): quota(c, policy) for c in communities}
    here = col(Member.community_id)
    need_services = case({c: q[0] for c, q in quotas.items()}, value=here)
    need_hours = case({c: q[1] * quarter[1] / 4 for c, q in quotas.items()}, value=here)
    held_since = case({stored_id(c): start_of(quarter, c.timezone) for c in communities},
                      value=here)
    # The running tallies (handlers.ledger.running) hold each member's quarters: the
    # communities' members' few rows are read, not their services. A member's services
    # count wherever they served, as a member who moved keeps their record. A quarter's
    # tally holds its services so far: before it ends, the record up to now.
    record = running(year_so_far(quarter), recent=[period(quarter)], members_of=ids)
    done = func.coalesce(record.c.recent, 0)
    served = func.coalesce(record.c.hours, 0)
    return (select(Member)
            .join(record, record.c.member_id == Member.id, isouter=True)
            .where(here.in_(ids), col(Member.active).is_(True),
                   col(Member.registered_at) < held_since,
                   or_(done < need_services, served < need_hours - 1e-9),
                   *(~condition for condition in unless))
            .order_by(here, col(Member.id)))

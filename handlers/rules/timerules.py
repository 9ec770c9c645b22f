"""A community's time rules: the settings' defaults with its own overrides (时限规则).

Deadlines are computed when an order enters a state and stored on the order, so the
sweeps only compare stored times with the clock.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any, TypedDict, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import Select
from sqlmodel import Session

from handlers.rules.policy import Policy
from handlers.rules.workdays import add_working_days
from nlu import resolve_when
from storage.models import Community, Order
from storage.rows import table_of
from storage.timers import TimeRules

DEFAULT_TIMEZONE = "Asia/Shanghai"


class _Overrides(TypedDict, total=False):
    """The policy fields a community may set for itself, as ``Policy`` types them."""

    claim_window: timedelta
    rating_window: timedelta
    overdue_after: timedelta
    default_good_rating: bool
    working_days: bool


_Query = TypeVar("_Query", bound=Select)
_NONE_SET = "whistle_no_time_rules"
"""The session's note of the communities known to have set no time rules of their own."""


def with_rules(query: _Query, community_id: Any) -> _Query:
    """``query``, a Core statement which selects the columns of ``TimeRules`` beside the
    community's (``storage.db.attach_joined`` reads them apart), joined to the community's
    own time rules (None where it set none), so that a statement reading the community
    reads them too; ``noted`` keeps what it found."""
    rules = table_of(TimeRules)
    return query.outerjoin(rules, rules.c.community_id == community_id)


def noted(session: Session, community_id: int | None, own: TimeRules | None) -> None:
    """Keep, for this transaction, that a community has no time rules of its own (a row it
    has is kept by the session already), so ``rules_for`` need not ask again."""
    if own is None and community_id is not None:
        session.info.setdefault(_NONE_SET, set()).add(community_id)


def rules_for(session: Session, policy: Policy, community_id: int) -> Policy:
    """The policy as it applies to one community: each override it set replaces a default."""
    unset = community_id in session.info.get(_NONE_SET, ())
    own = None if unset else session.get(TimeRules, community_id)
    if own is None:
        return policy
    changes: _Overrides = {}
    if own.claim_window_hours is not None:
        changes["claim_window"] = timedelta(hours=own.claim_window_hours)
    if own.rating_window_hours is not None:
        changes["rating_window"] = timedelta(hours=own.rating_window_hours)
    if own.overdue_days is not None:
        changes["overdue_after"] = timedelta(days=own.overdue_days)
    if own.default_good_rating is not None:
        changes["default_good_rating"] = own.default_good_rating
    if own.working_days is not None:
        changes["working_days"] = own.working_days
    return replace(policy, **changes)


def timezone_of(session: Session, community_id: int) -> str:
    """The zone the community reads its times in."""
    community = session.get(Community, community_id)
    return community.timezone if community else DEFAULT_TIMEZONE


def after_days(policy: Policy, start: datetime, window: timedelta, timezone: str) -> datetime:
    """``start`` plus a day-long window: calendar days, or working days when the community
    counts them (10月1日-7日 then do not count, and a make-up Saturday does)."""
    if not policy.working_days:
        return start + window
    return add_working_days(start, window / timedelta(days=1), timezone)


def claim_deadline(session: Session, policy: Policy, community_id: int,
                   start: datetime) -> datetime:
    """When an order opened at ``start`` counts as unclaimed (default 3 days)."""
    rules = rules_for(session, policy, community_id)
    return after_days(rules, start, rules.claim_window, timezone_of(session, community_id))


def overdue_at(session: Session, policy: Policy, community_id: int, start: datetime) -> datetime:
    """When an order filed at ``start`` is overdue if still unfinished (default 14 days)."""
    rules = rules_for(session, policy, community_id)
    return after_days(rules, start, rules.overdue_after, timezone_of(session, community_id))


def rating_deadline(session: Session, policy: Policy, community_id: int,
                    start: datetime) -> datetime:
    """When the rating window of an order finished at ``start`` closes (default 24 h)."""
    return start + rules_for(session, policy, community_id).rating_window


def event_time(session: Session, order: Order) -> datetime | None:
    """When the order's event or visit happens, read from its time phrase or its text
    ("周六9点大扫除") against the moment it was filed, in the community's zone."""
    zone = ZoneInfo(timezone_of(session, order.community_id))
    base = order.created_at.astimezone(zone).replace(tzinfo=None)
    for text in (order.when_text, order.text):
        moment = resolve_when(text, base) if text else None
        if moment is not None:
            return moment.replace(tzinfo=zone).astimezone(UTC)
    return None


def new_time(session: Session, community_id: int, text: str,
             now: datetime) -> datetime | None:
    """A new time for an order an admin gives ("周六上午9点"), read against ``now`` in the
    community's zone; None when it names no moment."""
    zone = ZoneInfo(timezone_of(session, community_id))
    moment = resolve_when(text, now.astimezone(zone).replace(tzinfo=None))
    return moment.replace(tzinfo=zone).astimezone(UTC) if moment is not None else None


def set_overrides(session: Session, community_id: int, changes: dict[str, object],
                  reset: bool = False) -> TimeRules:
    """Set (or with ``reset`` clear first) a community's own time rules; returns them.

    Args:
        session: The open transaction.
        community_id: The community.
        changes: Field names of ``TimeRules`` and their new values; None leaves a field.
        reset: Clear every override before applying ``changes``.
    """
    own = session.get(TimeRules, community_id) or TimeRules(community_id=community_id)
    session.info.get(_NONE_SET, set()).discard(community_id)
    if reset:
        for field in ("claim_window_hours", "rating_window_hours", "overdue_days",
                      "default_good_rating", "working_days"):
            setattr(own, field, None)
    for field, value in changes.items():
        if value is not None:
            setattr(own, field, value)
    session.add(own)
    return own

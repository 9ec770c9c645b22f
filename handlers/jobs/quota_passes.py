"""A quota sweep's finished passes (考核预警的水位): which communities have nothing new.

A pass over a community's quarter is recorded under a subject that says who is held to the
quota and what the quota is (``subject``): members only ever gain services, so whoever was
above quota stays above it, and who is held changes only with the members (joined, left,
back) and the quota itself. The subject carries how many members are held, the highest id
and the sum of ids (so one leaving as another comes back still tells) and the quota: a
change makes a new subject and a new pass. ``unpassed`` finds, for every community at once,
those with no finished pass, in one query of the members and one of the passes, so a re-run
with nothing to do costs a few statements however many the communities.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, func
from sqlalchemy import select as wide_select
from sqlmodel import col, select

from handlers.context import Context
from handlers.ledger.quarters import Quarter, period, start_of
from handlers.ledger.quotas import quota
from storage.db import read_first
from storage.messaging import SentNotice
from storage.models import Community, Member, stored_id

Held = tuple[int, int | None, int | None]  # members held to the quota, highest id, sum of ids


def _held(start: datetime) -> Select:
    """Per community: the active members registered before ``start``, as a ``Held``."""
    return (wide_select(col(Member.community_id), func.count(), func.max(Member.id),
                        func.sum(Member.id))
            .where(col(Member.active).is_(True), col(Member.registered_at) < start)
            .group_by(col(Member.community_id)))


def subject(ctx: Context, community: Community, quarter: Quarter, held: Held) -> str:
    """The subject a finished pass over the community's quarter is recorded under."""
    services, hours = quota(community, ctx.policy)
    count, last, ids = held
    return f"{community.id}:{period(quarter)}:{count}:{last}:{ids}:{services}:{hours:g}"


def unpassed(ctx: Context, kind: str, due: Sequence[tuple[Community, Quarter]]
             ) -> list[tuple[Community, Quarter, str]]:
    """Of the communities ``due`` (each with the quarter it is judged on), those without a
    finished pass ``kind``, with the quarter and the subject to record the pass under: a
    query of members per distinct quarter start (one, when the communities share a zone)
    and one of the passes."""
    if not due:
        return []
    by_start: dict[datetime, list[int]] = defaultdict(list)
    for community, quarter in due:
        by_start[start_of(quarter, community.timezone)].append(stored_id(community))
    held: dict[int, Held] = {}
    with read_first(ctx.session) as reader:
        for start, ids in by_start.items():
            for community_id, count, last, total in reader.execute(
                    _held(start).where(col(Member.community_id).in_(ids))):
                held[community_id] = (count, last, total)
        subjects = {subject(ctx, community, quarter, held.get(stored_id(community),
                                                               (0, None, None))):
                    (community, quarter) for community, quarter in due}
        passed = set(reader.exec(select(SentNotice.subject).where(
            SentNotice.kind == kind, col(SentNotice.subject).in_(list(subjects)))).all())
    return [(community, quarter, key) for key, (community, quarter) in subjects.items()
            if key not in passed]

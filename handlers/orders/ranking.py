"""Who is asked first (谁先接到吹哨): the community's members ranked for an order, in SQL.

A member's score is the sum of the weights (``RankingPolicy``) that apply to them: claimed
the order's duty; a skill fits its text; lives in or looks after its building, else is in
its grid; declared free time covers its time; their average rating above 3★. Taken off are
the live orders they hold a place on and the services they finished this quarter, so the
work spreads (read from the running tallies, ``handlers.ledger.running``). The average
rating is this year's, as residents gave it (no 默认好评). Among equals, members still
below the quarter's quota come first, then those with fewer services, then the earlier
registered.

However many members a community has, a ranking costs the same statements: one reads the
distinct skills and free times its members wrote (few: people write the same words), which
``handlers.orders.fit`` matches in Python; everything else is one SELECT of aggregates, built
from the pieces in ``handlers.orders.scoring``.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    Select,
    String,
    case,
    cast,
    false,
    null,
)
from sqlalchemy import select as wide_select
from sqlmodel import Session, col

from handlers.ledger.quotas import quota
from handlers.orders import scoring
from handlers.rules.policy import Policy
from handlers.texts import t
from storage.models import Community, Member, Order


@dataclass(frozen=True)
class Candidate:
    """A member as ranked for an order, with what counted.

    Attributes:
        member_id: The member.
        name: Their name.
        score: The sum of the weights that apply.
        claimed: Claimed the order's duty.
        skill: The skill of theirs that fits the order's text, if any.
        place: ``building``, ``grid`` or empty: how near the order they are.
        free: Declared free time that covers the order's time.
        load: Live orders they hold a place on.
        services: Services finished this quarter.
        stars: Their average rating, if anybody rated them.
    """

    member_id: int
    name: str
    score: float
    claimed: bool
    skill: str | None
    place: str
    free: str | None
    load: int
    services: int
    stars: float | None

    def reasons(self) -> str:
        """Why they rank where they do, in words: 同网格 · 擅长水电 · 本季度0次."""
        words = [] if self.claimed else [t("rank_not_claimed")]
        if self.place:
            words.append(t("rank_building") if self.place == "building" else t("rank_grid"))
        if self.skill:
            words.append(t("rank_skill", skill=self.skill))
        if self.free:
            words.append(t("rank_free", when=self.free))
        if self.load:
            words.append(t("rank_load", n=self.load))
        words.append(t("rank_services", n=self.services))
        if self.stars is not None:
            words.append(t("rank_stars", stars=f"{self.stars:.1f}"))
        return " · ".join(words)


def candidates(session: Session, order: Order, policy: Policy, now: datetime, *,
               duty_only: bool, whistle: bool, skip: Collection[int] = ()) -> Select:
    """The community's active members ranked for ``order``, best first (see the module).

    Columns: ``id``, ``name``, ``score``, ``claimed``, ``skill``, ``building``, ``grid``,
    ``free``, ``load``, ``services``, ``stars``. Never the resident who filed the order, nor
    members holding a place on it; ``duty_only`` keeps the members who claimed its duty;
    ``whistle`` leaves out those already whistled for it this round and those released from
    it (rated poorly); the members in ``skip`` are always left out.
    """
    community = session.get_one(Community, order.community_id)
    written = scoring.written(session, [order.community_id])[order.community_id]
    skills, free = scoring.fitting(written, order, community.timezone)
    skill = (case(skills, value=col(Member.skills)) if skills else cast(null(), String))
    free_here = col(Member.free_time).in_(free) if free else false()
    among = [order.community_id]
    record, load = scoring.tallies(among, community.timezone, now), scoring.loads(among)
    target = scoring.Target.of(order)
    scored = scoring.scored(target, skill, free_here, record, load,
                            quota(community, policy)[0], policy, duty_only)
    ranks = (scored.score.label("score"), scored.below.label("below"),
             scored.services.label("services"))
    query = (wide_select(
        col(Member.id).label("id"), col(Member.name).label("name"), ranks[0],
        scoring.when(scored.claimed, 1).label("claimed"), skill.label("skill"),
        scoring.when(scored.building, 1).label("building"),
        scoring.when(scored.grid, 1).label("grid"),
        case((free_here, col(Member.free_time)), else_=None).label("free"),
        scored.held.label("load"), ranks[2], scored.stars.label("stars"), ranks[1])
        .outerjoin(record, record.c.member_id == Member.id)
        .outerjoin(load, load.c.member_id == Member.id)
        .where(col(Member.community_id) == order.community_id, col(Member.active).is_(True),
               *scoring.not_asked(target, whistle, skip))
        .order_by(*scoring.best_first(*ranks)))
    return query.where(scored.claimed) if duty_only else query


def unranked(order: Order, *, duty_only: bool) -> Select:
    """The ids of the members ``candidates`` would rank for a whistle, in no order: when all
    of them are whistled, nothing needs their scores."""
    query: Select = (wide_select(col(Member.id).label("id"))
             .where(col(Member.community_id) == order.community_id,
                    col(Member.active).is_(True), *scoring.not_asked(order, True, ())))
    return query.where(scoring.claimed_duty(order.duty)) if duty_only else query


def ranked(session: Session, order: Order, policy: Policy, now: datetime, limit: int, *,
           duty_only: bool = False, skip: Collection[int] = ()) -> list[Candidate]:
    """The ``limit`` best-ranked members of the community for an order, with reasons;
    ``duty_only`` and ``skip`` as for ``candidates``."""
    rows = session.execute(candidates(session, order, policy, now, duty_only=duty_only,
                                      whistle=False, skip=skip).limit(limit)).all()
    return [Candidate(member_id=row.id, name=row.name, score=float(row.score),
                      claimed=bool(row.claimed), skill=row.skill,
                      place="building" if row.building else "grid" if row.grid else "",
                      free=row.free, load=int(row.load), services=int(row.services),
                      stars=None if row.stars is None else float(row.stars))
            for row in rows]

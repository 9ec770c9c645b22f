"""The lights sweep (考核预警): after a quarter ends, yellow or red for each member who missed
its quota, and a count for their community's admins. Read and written as the nudges are
(``quota_warnings``, whose readers it shares)."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import case, literal
from sqlmodel import col, select

from handlers import fanout, people
from handlers.context import Context
from handlers.jobs.communities import write_each
from handlers.jobs.quota_passes import unpassed
from handlers.jobs.quota_warnings import (
    Due,
    Pending,
    Shares,
    a_read_at_a_time,
    every_community,
    short_of,
)
from handlers.ledger.quarters import Quarter, period, quarter_of, shift
from handlers.ledger.quotas import asleep
from handlers.once import first_sent
from handlers.texts import t
from storage.db import dialect_insert, read_first
from storage.ledger import MemberWarning
from storage.models import Community, Member, stored_id
from storage.rows import core, table_of


def lights(ctx: Context) -> None:
    """The lights sweep: every awake community, judged on the quarter just ended."""
    light_all(ctx, [(c, shift(quarter_of(ctx.now, c.timezone), -1))
                    for c in every_community(ctx) if not asleep(c, ctx.policy, ctx.now)])


def quarter_end(ctx: Context, community: Community) -> None:
    """``lights`` for one community."""
    if not asleep(community, ctx.policy, ctx.now):
        light_all(ctx, [(community, shift(quarter_of(ctx.now, community.timezone), -1))])


def light_all(ctx: Context, due: Due) -> None:
    """After a quarter ends, light yellow or red for each member of the communities ``due``
    who missed its quota; each community's admins hear how many."""
    a_read_at_a_time(ctx, unpassed(ctx, "quota_lights_pass", due), _light_some)


def _light_some(ctx: Context, pending: Pending) -> None:
    """Some pending communities' lights, worked out in one read, then written."""
    # Who, and whom to tell, before taking the write lock.
    with read_first(ctx.session) as reader:
        short = short_of(reader, ctx, pending)
        lighting = [stored_id(c) for c, _, _ in pending if short.get(stored_id(c))]
        admins = people.admin_accounts(reader, lighting) if lighting else {}
    ended = {stored_id(c): quarter for c, quarter, _ in pending}

    def write(part: Shares) -> None:
        by_quarter: dict[Quarter, list[int]] = defaultdict(list)
        for community, _ in part:
            by_quarter[ended[stored_id(community)]] += [
                member_id for member_id, _ in short.get(stored_id(community), [])]
        lit: dict[int, str] = {}
        for quarter, members in by_quarter.items():
            lit |= _light(ctx, members, quarter)
        first_sent(ctx, "quota_lights_pass", [done for _, done in part])
        told = []
        for community, _ in part:
            levels = [lit[member_id] for member_id, _ in short.get(stored_id(community), [])
                      if member_id in lit]
            if levels:
                told += people.to_accounts(admins[stored_id(community)], t(
                    "admin_warnings_lit", period=period(ended[stored_id(community)]),
                    yellow=levels.count("yellow"), red=levels.count("red")))
        ctx.queue(told)

    write_each(ctx, "quota_warnings", [(c, done) for c, _, done in pending], write)


def _light(ctx: Context, members: list[int], quarter: Quarter) -> dict[int, str]:
    """Record each member's warning for the quarter, yellow or red (red when the quarter
    before was missed too), and tell them; the levels lit, by member. One INSERT … SELECT
    records the lights (the level chosen in SQL), one queues the messages."""
    if not members:
        return {}
    missed_before = select(MemberWarning.id).where(
        MemberWarning.member_id == Member.id,
        MemberWarning.period == period(shift(quarter, -1))).exists()
    light = case((missed_before, "red"), else_="yellow")
    # Another bot sweeping at once may have lit some: only the lights written here are told.
    lit: dict[int, str] = {member_id: level for member_id, level in core(ctx.session).execute(
        dialect_insert(ctx.session, MemberWarning).from_select(
            ["member_id", "period", "level", "at"],
            select(col(Member.id), literal(period(quarter)), light,
                   literal(ctx.now, table_of(MemberWarning).c["at"].type))
            .where(fanout.among(members)))
        .on_conflict_do_nothing()
        .returning(col(MemberWarning.member_id), col(MemberWarning.level)))}
    # The texts are chosen by the levels just returned, not by joining the warnings: that
    # table grows by a community's lights at a time while the sweep runs.
    fanout.each_named(ctx, {_light_text(level, quarter): [m for m, lit_as in lit.items()
                                                          if lit_as == level]
                            for level in ("red", "yellow")})
    return lit


def _light_text(level: str, quarter: Quarter) -> str:
    """A member's light, greeting them by name (``fanout.named``)."""
    return (t("member_red_light", name=fanout.NAME, period=period(quarter)) if level == "red"
            else t("member_yellow_light", name=fanout.NAME, period=period(quarter)))

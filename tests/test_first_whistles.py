"""First whistles ranked for many orders at once (``handlers.orders.standings``) choose the
members the SQL ranking of each order alone chooses (``ranking.candidates``), in the same
order: with what orders match, ties, weights that round, and who is left out; on both
databases, in the same few statements however many orders."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import literal
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from handlers.orders import ahead, ranking, scoring, standings
from handlers.rules.policy import Policy
from storage.db import transaction
from storage.models import (
    Acceptance,
    AcceptanceStatus,
    Community,
    Identity,
    Member,
    Order,
    Resident,
    WhistleStage,
)
from storage.models import OrderStatus as S
from storage.whistles import OrderWhistle
from tests.chat import POLICY
from tests.test_fanout import counted
from tests.test_ranking import HELP, NOW, SATURDAY_MORNING, community, order

TUESDAY_EVENING = datetime(2026, 11, 24, 11, 30, tzinfo=UTC)  # 19:30 in Shanghai
ROUNDING = replace(POLICY, ranking=replace(
    POLICY.ranking, duty=100.1, skill=29.7, building=25.3, grid=0.3, free_time=9.9, load=8.3,
    services=5.1, rating=4.7))
"""Weights that round: 100.1 + 0.3 - 8.3 * 2 is 83.79999999999998, 100.1 - 8.3 * 2 + 0.3 is
83.8 (a busy member of the grid is summed in Python, the others in SQL: in the same order)."""
TIED = replace(POLICY, ranking=replace(POLICY.ranking, grid=8, rating=0))
"""A member of the grid holding one live order ties with one outside it holding none."""


def city(engine: Engine) -> tuple[dict[str, int], list[int]]:
    """The ranking's community, with newcomers who tie, and orders of every kind: matching
    a building, a grid and a time, none, filed by a resident who is also a member, and in
    a second round with places held, given back and whistled already."""
    ids = community(engine)
    with transaction(engine) as session:
        session.add_all(Member(name=f"新人{i}", community_id=ids["community"], duties=HELP,
                               grid_id=ids["一网格"] if i % 2 else None,
                               registered_at=NOW) for i in range(8))
        session.flush()
        orders = [order(session, ids, "3栋水龙头漏水，请帮忙修一下", building_id=ids["3栋"],
                        grid_id=ids["一网格"], event_at=SATURDAY_MORNING),
                  order(session, ids, "老人不会用手机缴费", grid_id=ids["二网格"],
                        event_at=TUESDAY_EVENING),
                  order(session, ids, "帮忙搬一下东西", grid_id=ids["一网格"]),
                  order(session, ids, "帮忙取个快递"),
                  _filed_by_a_member(session, ids),
                  _second_round(session, ids)]
    return ids, [o.id or 0 for o in orders]


def _filed_by_a_member(session: Session, ids: dict[str, int]) -> Order:
    """An order filed by a resident who is also the member 李水电: never whistled to him."""
    resident = Resident(name="李水电", community_id=ids["community"])
    session.add(resident)
    session.flush()
    session.add(Identity(channel="console", user_id="li-home", member_id=ids["李水电"],
                         resident_id=resident.id))
    return order(session, ids, "3栋楼道灯坏了", building_id=ids["3栋"], resident_id=resident.id)


def _second_round(session: Session, ids: dict[str, int]) -> Order:
    """An order in its second round: 张网格 holds a place, 王电脑 was released from it in
    the first and 孙常客 already whistled; none of them hears its first whistle."""
    found = order(session, ids, "帮忙打扫楼道", grid_id=ids["一网格"], round=2)
    session.add_all([
        Acceptance(order_id=found.id or 0, member_id=ids["张网格"], round=2, accepted_at=NOW),
        Acceptance(order_id=found.id or 0, member_id=ids["王电脑"], round=1, accepted_at=NOW,
                   status=AcceptanceStatus.RELEASED),
        OrderWhistle(order_id=found.id or 0, round=2, member_id=ids["孙常客"],
                     stage=WhistleStage.TOP, at=NOW)])
    return found


def alone(session: Session, orders: list[Order], policy: Policy) -> dict[int, list[int]]:
    """Each order's first whistle as the SQL ranking of it alone chooses it."""
    return {o.id or 0: [row.id for row in session.execute(ranking.candidates(
        session, o, policy, NOW, duty_only=True, whistle=True).limit(
            policy.ranking.first_members))] for o in orders}


@pytest.mark.parametrize("policy", [POLICY, ROUNDING, TIED], ids=["defaults", "rounding",
                                                                  "tied"])
@pytest.mark.parametrize("first_members", [3, 10, 30])
def test_orders_ranked_together_rank_as_each_alone(engine: Engine, policy: Policy,
                                                   first_members: int) -> None:
    _, order_ids = city(engine)
    policy = replace(policy, ranking=replace(policy.ranking, first_members=first_members))
    with transaction(engine) as session:
        orders = [session.get_one(Order, i) for i in order_ids]
        expected = alone(session, orders, policy)
        together = standings.first_whistled(session, orders, policy, NOW)

    assert together == expected
    assert all(len(members) == min(first_members, len(members)) for members in
               together.values())


def test_who_a_first_whistle_reaches(engine: Engine) -> None:
    ids, order_ids = city(engine)
    policy = replace(POLICY, ranking=replace(POLICY.ranking, first_members=3))
    with transaction(engine) as session:
        orders = [session.get_one(Order, i) for i in order_ids]
        together = standings.first_whistled(session, orders, policy, NOW)
        newcomer = session.exec(select(Member.id).where(Member.name == "新人1")).one()

    leak, _, _, _, own, second = (together[i] for i in order_ids)
    # 张网格, of the grid too, holds a place on the second-round order: the newcomer goes first.
    assert leak == [ids["李水电"], ids["赵忙"], newcomer]
    assert ids["李水电"] not in own
    assert not {ids["张网格"], ids["王电脑"], ids["孙常客"]} & set(second)


def test_ranking_many_orders_costs_the_same_statements_as_one(engine: Engine) -> None:
    _, order_ids = city(engine)

    def cost(how_many: int) -> int:
        with transaction(engine) as session:
            orders = [session.get_one(Order, i) for i in order_ids[:how_many]]
            with counted(engine) as statements:
                standings.first_whistled(session, orders, POLICY, NOW)
        return len(statements)

    assert cost(len(order_ids)) == cost(1) == 3


def test_communities_read_already_are_not_read_again(engine: Engine) -> None:
    _, order_ids = city(engine)
    with transaction(engine) as session:
        orders = [session.get_one(Order, i) for i in order_ids]
        read = ahead.communities_of(session, {o.community_id for o in orders})
        expected = standings.first_whistled(session, orders, POLICY, NOW)
        with counted(engine) as statements:
            given = standings.first_whistled(session, orders, POLICY, NOW, read)

    assert given == expected
    assert len(statements) == 2  # the standings and who is left out


def test_orders_whistled_already_or_unassigned_are_not_ranked(engine: Engine) -> None:
    _, order_ids = city(engine)
    with transaction(engine) as session:
        whistled = session.get_one(Order, order_ids[0])
        whistled.whistle_stage = WhistleStage.TOP
        no_duty = session.get_one(Order, order_ids[1])
        no_duty.duty = None
        ranked = standings.first_whistled(session, [whistled, no_duty], POLICY, NOW)

    assert ranked == {no_duty.id: []}


def test_a_member_who_left_is_not_ranked(engine: Engine) -> None:
    ids, order_ids = city(engine)
    with transaction(engine) as session:
        session.get_one(Member, ids["李水电"]).active = False
    with transaction(engine) as session:
        ranked = standings.first_whistled(session, [session.get_one(Order, order_ids[0])],
                                          POLICY, NOW)

    assert ids["李水电"] not in ranked[order_ids[0]]


@pytest.mark.parametrize("policy", [POLICY, ROUNDING], ids=["defaults", "rounding"])
def test_a_matched_members_score_is_the_sqls_to_the_last_bit(engine: Engine,
                                                              policy: Policy) -> None:
    _, order_ids = city(engine)
    with transaction(engine) as session:
        for o in (session.get_one(Order, i) for i in order_ids):
            community = session.get_one(Community, o.community_id)
            pool = standings._pools(session, {community.id or 0: community}, [o.duty or ""],
                                    policy, NOW)[o.community_id]
            skills, free = scoring.fitting(list(pool.words), o, community.timezone)
            weighed = {m.id: -standings._matched_key(
                m, o, m.skills in skills, m.free_time in free, policy.ranking)[0]
                for m in pool.members}
            in_sql = {row.id: float(row.score) for row in session.execute(ranking.candidates(
                session, o, policy, NOW, duty_only=True, whistle=False))}

            assert {m: weighed[m] for m in in_sql} == in_sql


def test_places_held_in_another_community_weigh_as_for_one_order_alone(engine: Engine
                                                                       ) -> None:
    ids, order_ids = city(engine)
    with transaction(engine) as session:
        other = Community(name="邻居社区")
        session.add(other)
        session.flush()
        elsewhere = Order(community_id=other.id or 0, duty="convenience", text="隔壁的活",
                          status=S.CLAIMED, created_at=NOW, updated_at=NOW)
        session.add(elsewhere)
        session.flush()
        for member in ("王电脑", "孙常客", "张网格"):  # their community's equals, busy next door
            session.add(Acceptance(order_id=elsewhere.id or 0, member_id=ids[member],
                                   accepted_at=NOW))
        session.add(Member(name="邻居", community_id=other.id or 0, duties=HELP,
                           registered_at=NOW))
        fresh = order(session, ids, "帮忙取个快递")
        theirs = Order(community_id=other.id or 0, duty="convenience", text="帮忙取个快递",
                       status=S.OPEN, created_at=NOW, updated_at=NOW)
        session.add(theirs)
        session.flush()
        orders = [session.get_one(Order, i) for i in order_ids] + [fresh, theirs]
        expected = alone(session, orders, POLICY)
        together = standings.first_whistled(session, orders, POLICY, NOW)

    assert together == expected


@pytest.mark.parametrize("services", [{1: 3, 2: 3, 3: 3}, {1: 3, 2: 3, 3: 5}, {1: 4, 2: 2}],
                         ids=["one-quota", "one-differs", "two-quotas"])
def test_each_community_is_held_to_its_own_quota(engine: Engine, services: dict[int, int]
                                                 ) -> None:
    with Session(engine) as session:
        held = {c: session.execute(select(standings.quota_of(services, literal(c)))).scalar_one()
                for c in services}

    assert held == services

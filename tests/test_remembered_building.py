"""A resident's remembered building (the one their latest need named) is found among their
own orders, not by walking every order of the city backwards from the newest: for a
resident whose needs never named a building, PostgreSQL's plan by the primary key reads
the whole table before it gives up."""

from __future__ import annotations

from sqlalchemy import insert, select, text
from sqlalchemy.engine import Engine

from handlers.orders.whereabouts import _BUILDINGS_REMEMBERED
from storage.models import Building, Community, Order, Resident
from storage.rows import table_of
from tests.conftest import START

ORDERS = 2000


def _orders_of_others(engine: Engine) -> tuple[int, int]:
    """Many orders naming a building, all one other resident's, and the planner told; the
    community, and a newcomer whose one need named no building."""
    with engine.begin() as connection:
        community = connection.execute(select(table_of(Community).c.id).limit(1)).scalar_one()
        building = connection.execute(select(table_of(Building).c.id).limit(1)).scalar_one()
        residents = table_of(Resident)
        other, newcomer = (connection.execute(
            insert(residents).values(name=name, community_id=community, phone="")
            .returning(residents.c.id)).scalar_one() for name in ("邻居", "新居民"))
        connection.execute(insert(table_of(Order)), [
            {"community_id": community, "resident_id": other, "building_id": building,
             "text": "楼道灯坏了", "guesses": [], "created_at": START, "updated_at": START}
            for _ in range(ORDERS)])
        connection.execute(insert(table_of(Order)), [
            {"community_id": community, "resident_id": newcomer, "text": "想请人讲讲医保",
             "guesses": [], "created_at": START, "updated_at": START}])
        connection.execute(text("ANALYZE"))
    return community, newcomer


def _generic_plan(engine: Engine, community: int, resident: int) -> str:
    """The plan PostgreSQL settles on for the prepared buildings statement."""
    compiled = _BUILDINGS_REMEMBERED.compile(dialect=engine.dialect)
    sql = str(compiled).replace("%(community)s", "$1").replace("%(resident)s", "$2")
    for name, value in compiled.params.items():  # the statement's constants (its LIMIT)
        sql = sql.replace(f"%({name})s", str(value))
    with engine.connect() as connection:
        connection.exec_driver_sql("SET plan_cache_mode = force_generic_plan")
        connection.exec_driver_sql(f"PREPARE buildings(integer, integer) AS {sql}")
        plan = connection.exec_driver_sql(f"EXPLAIN EXECUTE buildings({community:d}, {resident:d})")
        return "\n".join(row[0] for row in plan)


def test_the_remembered_building_is_read_from_the_residents_own_orders(
        postgres_demo_engine: Engine) -> None:
    community, newcomer = _orders_of_others(postgres_demo_engine)

    plan = _generic_plan(postgres_demo_engine, community, newcomer)

    assert "orders_pkey" not in plan, plan

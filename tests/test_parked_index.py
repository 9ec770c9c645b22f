"""Whether an incoming message's sender has parked messages is found by the parked index,
not among every parked message of the channel (a city's WeChat channel may hold tens of
thousands of others', parked until their 48-hour window opens again)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import bindparam, insert, select, text
from sqlalchemy.engine import Engine

from handlers.chat.presence import waits_for
from storage.messaging import OutboxMessage, OutboxStatus
from storage.rows import table_of
from tests.conftest import START

OTHERS = 300


def _parked_for_others(engine: Engine) -> None:
    """Parked and pending messages for many other accounts, and the planner told of them."""
    rows = [{"channel": "console", "to_user": f"u{n}", "text": "等您回复", "buttons": [],
             "status": status, "attempts": 1, "last_error": "", "created_at": START,
             "next_attempt_at": START + timedelta(minutes=n)}
            for n in range(OTHERS) for status in OutboxStatus]
    with engine.begin() as connection:
        connection.execute(insert(table_of(OutboxMessage)), rows)
        connection.execute(text("ANALYZE"))


def _plan(engine: Engine) -> str:
    """The plan of the check as the arrival statement asks it, its account bound as
    parameters: on PostgreSQL the generic plan, which a prepared statement settles on."""
    check = select(waits_for(bindparam("channel"), bindparam("user")))
    sql = str(check.compile(dialect=engine.dialect))
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            plan = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}", ("console", "u1"))
            return "\n".join(str(row[-1]) for row in plan)
        sql = sql.replace("%(channel)s", "$1").replace("%(user)s", "$2")
        connection.exec_driver_sql("SET plan_cache_mode = force_generic_plan")
        connection.exec_driver_sql("SET enable_seqscan = off")
        connection.exec_driver_sql(f"PREPARE parked_check(text, text) AS {sql}")
        plan = connection.exec_driver_sql("EXPLAIN EXECUTE parked_check('console', 'u1')")
        return "\n".join(row[0] for row in plan)


def test_the_parked_check_reads_the_parked_index(engine: Engine) -> None:
    _parked_for_others(engine)

    plan = _plan(engine)

    assert "ix_outbox_parked" in plan, plan

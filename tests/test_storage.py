"""Storage rules on SQLite and PostgreSQL: migrations, atomic outbox, de-duplication."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import PrimaryKeyConstraint, UniqueConstraint, text
from sqlmodel import SQLModel, func, select

from bot.demo import seed
from handlers.chat.process import process
from handlers.context import Context
from handlers.messages import Incoming
from storage.db import make_engine, transaction
from storage.messaging import InboundSeen, OutboxMessage
from storage.migrate import current, head, include_object
from storage.models import Community, Identity, Order, OrderHistory
from storage.rows import attach, new_row, table_of
from tests.chat import POLICY

NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
NEED = "5栋门口的垃圾三天没人清运了，臭得不行，请社区派人处理"


def count(engine, table) -> int:
    with transaction(engine) as session:
        return session.exec(select(func.count()).select_from(table)).one()


def test_migrations_build_exactly_the_models(engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection,
                                             opts={"include_object": include_object})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []
    assert current(engine) == head()


BULK_WRITTEN = ("memberwarning", "sentnotice", "outboxmessage", "boardentry")
"""Tables a sweep writes tens of thousands of rows into at a time."""


def test_no_index_of_a_bulk_written_table_is_the_start_of_another_key() -> None:
    """Each index is one more entry written per row; one whose columns begin another key
    (a unique key, the primary key, another index) serves no look-up that key does not."""
    redundant = []
    for name in BULK_WRITTEN:
        table = SQLModel.metadata.tables[name]
        keys = [tuple(c.name for c in key.columns) for key in
                [*table.indexes, *(k for k in table.constraints
                                   if isinstance(k, UniqueConstraint | PrimaryKeyConstraint))]]
        for index in table.indexes:
            columns = tuple(c.name for c in index.columns)
            if any(key != columns and key[:len(columns)] == columns for key in keys):
                redundant.append((name, index.name))
    assert redundant == []


def test_times_come_back_in_utc(engine) -> None:
    seed(engine, NOW)
    process(engine, POLICY, Incoming("console", "zhang", "zhang", NEED), NOW)
    with transaction(engine) as session:
        order = session.exec(select(Order)).one()
    assert order.created_at == NOW
    assert order.created_at.utcoffset().total_seconds() == 0


def test_a_retried_delivery_is_handled_once(engine) -> None:
    seed(engine, NOW)
    incoming = Incoming("console", "zhang", "zhang", NEED, message_id="wx-123")
    handled = [process(engine, POLICY, incoming, NOW) for _ in range(3)]
    assert handled == [True, False, False]
    assert count(engine, Order) == 1
    assert count(engine, InboundSeen) == 1


def test_a_retried_copy_leaves_its_sender_as_the_first_copy_left_them(engine) -> None:
    """PostgreSQL records the id and marks the sender seen in one statement: a copy whose
    id is known marks nobody (the name and time stay the first copy's)."""
    seed(engine, NOW)
    first = Incoming("console", "zhang", "zhang", NEED, display_name="张阿姨",
                     message_id="wx-7")
    later = NOW.replace(hour=3)
    copy = Incoming("console", "zhang", "zhang", NEED, display_name="张阿姨（改名）",
                    message_id="wx-7")

    handled = [process(engine, POLICY, first, NOW), process(engine, POLICY, copy, later)]

    with transaction(engine) as session:
        sender = session.exec(select(Identity).where(Identity.user_id == "zhang")).one()
    assert handled == [True, False]
    assert (sender.display_name, sender.last_seen_at) == ("张阿姨", NOW)


def test_a_refusal_changes_nothing_but_queues_its_reply(engine) -> None:
    seed(engine, NOW)
    process(engine, POLICY, Incoming("console", "zhang", "zhang", NEED), NOW)
    before = (count(engine, OrderHistory), count(engine, OutboxMessage))
    # /approve with a bad duty names the order but must not touch it.
    process(engine, POLICY, Incoming("console", "admin", "admin", "/approve 1 nonsense"), NOW)
    with transaction(engine) as session:
        order = session.exec(select(Order)).one()
        reply = session.exec(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    assert order.status == "submitted"
    assert count(engine, OrderHistory) == before[0]
    assert count(engine, OutboxMessage) == before[1] + 1
    assert "没有「nonsense」这个类别" in reply.text


def test_a_failed_transition_leaves_neither_history_nor_messages(engine, monkeypatch) -> None:
    seed(engine, NOW)
    process(engine, POLICY, Incoming("console", "zhang", "zhang", NEED), NOW)
    before = (count(engine, OrderHistory), count(engine, OutboxMessage))

    def explode(*_args, **_kwargs):
        raise RuntimeError("whistle failed half-way")

    monkeypatch.setattr("handlers.orders.notices.whistle", explode)
    with pytest.raises(RuntimeError):
        process(engine, POLICY, Incoming("console", "admin", "admin", "/approve 1 sanitation"),
                NOW)
    with transaction(engine) as session:
        assert session.exec(select(Order)).one().status == "submitted"
    assert (count(engine, OrderHistory), count(engine, OutboxMessage)) == before


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(tmp_path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'w.db'}")
    with engine.connect() as connection:
        mode = connection.execute(text("PRAGMA journal_mode")).scalar()
        timeout = connection.execute(text("PRAGMA busy_timeout")).scalar()
        synchronous = connection.execute(text("PRAGMA synchronous")).scalar()
    assert (mode, timeout, synchronous) == ("wal", 30000, 2)  # 2: FULL, each commit durable


def test_the_same_message_id_in_another_chat_is_another_message(engine) -> None:
    seed(engine, NOW)
    first = Incoming("console", "g1", "zhang", NEED, is_group=True, message_id="42")
    second = Incoming("console", "g2", "wang", "3栋楼道灯坏了好几天，请派人修", is_group=True,
                      message_id="42")
    assert [process(engine, POLICY, m, NOW) for m in (first, second)] == [True, True]
    assert count(engine, Order) == 2


def test_a_notice_is_recorded_as_sent_once(engine) -> None:
    from handlers.once import already_sent

    with transaction(engine) as session:
        ctx = Context(session, POLICY, datetime(2026, 11, 23, tzinfo=UTC))
        first = already_sent(ctx, "rating_reminder", "order:1")
        second = already_sent(ctx, "rating_reminder", "order:1")
        other = already_sent(ctx, "rating_reminder", "order:2")

    assert (first, second, other) == (False, True, False)


def test_a_pooled_connection_that_died_while_idle_is_replaced(postgres_engine,
                                                               monkeypatch) -> None:
    pids = set()
    with postgres_engine.connect() as first, postgres_engine.connect() as second:
        for connection in (first, second):
            pids.add(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())
    killer = make_engine(postgres_engine.url.render_as_string(hide_password=False))
    with killer.begin() as connection:  # the server restarted, say, while both sat idle
        for pid in pids:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    killer.dispose()
    monkeypatch.setattr("storage.db.PING_AFTER_IDLE_S", 0.0)

    with postgres_engine.connect() as connection:
        again = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()

    assert again not in pids


def test_a_row_built_at_once_is_the_row_its_model_builds() -> None:
    values = {"community_id": 1, "resident_id": 2, "duty": "sanitation", "text": NEED,
              "created_at": NOW, "updated_at": NOW}

    built, constructed = new_row(Order, **values), Order(**values)

    assert built.model_dump() == constructed.model_dump()
    assert built.__pydantic_fields_set__ == constructed.__pydantic_fields_set__
    assert built.guesses is not new_row(Order, **values).guesses  # defaults are not shared


def test_a_row_read_by_core_becomes_the_sessions_own(engine) -> None:
    seed(engine, NOW)
    with transaction(engine) as session:
        row = session.connection().execute(select(*table_of(Community).c)).first()
        values = row._asdict()

        community = attach(session, Community, values)
        community.name = "幸福里新社区"  # changed as any row the session loaded

        assert attach(session, Community, values) is community  # held: brought up to date
        assert community.name == values["name"]
        community.name = "幸福里新社区"
    with transaction(engine) as session:
        assert session.get_one(Community, values["id"]).name == "幸福里新社区"

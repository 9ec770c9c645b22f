"""SQLite's write gate: writers take the write lock in the order they asked for it, and a
transaction that fails gives its turn back (storage/gate.py, storage/db.py)."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import Connection, Engine

from storage.db import make_engine, transaction
from storage.gate import WriteGate, write_gate

SERIES = 40  # a sweep's short write transactions, back to back
ARRIVAL = 10  # the one during which a message arrives to write


def _gate(engine: Engine) -> WriteGate:
    gate = write_gate(engine)
    assert gate is not None
    return gate


def _free_for_another_thread(gate: WriteGate) -> bool:
    """Whether a thread that holds nothing gets the gate at once (this one may hold it)."""
    got: list[bool] = []

    def take() -> None:
        got.append(gate.acquire(timeout=0))
        if got[0]:
            gate.release()

    other = threading.Thread(target=take)
    other.start()
    other.join()
    return got[0]


def _writers_in_order(engine: Engine) -> list[str]:
    with transaction(engine) as session:
        return list(session.execute(text("SELECT who FROM series ORDER BY id")).scalars())


@pytest.fixture
def series_engine(sqlite_engine: Engine) -> Engine:
    with sqlite_engine.begin() as connection:
        connection.execute(text("CREATE TABLE series (id INTEGER PRIMARY KEY, who TEXT)"))
    return sqlite_engine


def test_a_writer_arriving_during_a_series_of_sweep_chunks_writes_after_the_current_one(
        series_engine) -> None:
    gate = _gate(series_engine)

    def message() -> None:
        with transaction(series_engine) as session:
            session.execute(text("INSERT INTO series (who) VALUES ('message')"))

    writer = threading.Thread(target=message)

    def sweep() -> None:  # commits chunk after chunk in one session, as the sweeps do
        with transaction(series_engine) as session:
            for chunk in range(SERIES):
                session.execute(text("INSERT INTO series (who) VALUES ('sweep')"))
                if chunk == ARRIVAL:
                    writer.start()
                    while gate.waiting == 0 and writer.is_alive():  # it waits at the gate
                        time.sleep(0.001)
                session.commit()

    sweeper = threading.Thread(target=sweep)
    sweeper.start()
    sweeper.join()
    writer.join()

    order = _writers_in_order(series_engine)
    assert (order.index("message"), len(order)) == (ARRIVAL + 1, SERIES + 1)


def _write_then_fail(engine: Engine) -> None:
    with transaction(engine) as session:
        session.execute(text("INSERT INTO series (who) VALUES ('lost')"))
        raise ValueError("a bug half-way through")


def _write(engine: Engine) -> None:
    with transaction(engine) as session:
        session.execute(text("INSERT INTO series (who) VALUES ('lost')"))


def test_a_writer_that_asks_again_at_once_waits_behind_the_one_already_waiting() -> None:
    gate, order = WriteGate(), []
    gate.acquire(timeout=0)

    def message() -> None:
        gate.acquire(timeout=None)
        order.append("message")
        gate.release()

    writer = threading.Thread(target=message)
    writer.start()
    while gate.waiting == 0:
        time.sleep(0.001)
    gate.release()
    gate.acquire(timeout=None)  # the sweep's next chunk
    order.append("sweep")
    gate.release()
    writer.join()

    assert order == ["message", "sweep"]


def test_an_exception_in_a_write_transaction_gives_the_gate_back(series_engine) -> None:
    with pytest.raises(ValueError, match="half-way"):
        _write_then_fail(series_engine)

    assert _free_for_another_thread(_gate(series_engine)) is True
    assert _writers_in_order(series_engine) == []


def test_a_transaction_that_fails_as_it_begins_gives_the_gate_back(series_engine) -> None:
    def broken(_connection: Connection) -> None:
        raise RuntimeError("after BEGIN IMMEDIATE, before the transaction is set up")

    event.listen(series_engine, "begin", broken)
    with pytest.raises(RuntimeError, match="before the transaction"):
        _write(series_engine)
    event.remove(series_engine, "begin", broken)

    assert _free_for_another_thread(_gate(series_engine)) is True
    assert _writers_in_order(series_engine) == []


def test_a_thread_holding_the_gate_passes_it_again_and_opens_it_with_its_last_release() -> None:
    gate = WriteGate()
    assert (gate.acquire(timeout=0), gate.acquire(timeout=0)) == (True, True)
    gate.release()
    assert _free_for_another_thread(gate) is False
    gate.release()
    assert _free_for_another_thread(gate) is True


def test_a_writer_that_gives_up_waiting_leaves_the_queue() -> None:
    gate = WriteGate()
    gate.acquire(timeout=0)
    assert _free_for_another_thread(gate) is False  # gave up at once
    assert gate.waiting == 0
    gate.release()
    assert _free_for_another_thread(gate) is True


def test_postgresql_has_no_write_gate(sqlite_engine) -> None:
    postgres = make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")  # never connects

    assert (write_gate(sqlite_engine) is None, write_gate(postgres)) == (False, None)

"""The write gate: one process's SQLite writers take the write lock in the order they asked.

SQLite's busy handler polls with growing sleeps (up to 100 ms a poll), so a writer that
commits and at once begins again (a sweep writing community after community) takes the lock
back before a writer that has been waiting wakes up to ask, again and again: that writer can
wait many seconds although no transaction holds the lock for more than a fraction of one.
Every write transaction on a SQLite engine (``storage.db.make_engine``) passes the gate first,
first come first served (先到先写), so a waiting inbound message writes before a sweep's next
chunk.

The gate orders one process's writers only; between processes SQLite's own lock and busy
timeout still decide. PostgreSQL locks rows and needs no gate.
"""

from __future__ import annotations

import sqlite3
import threading
import weakref
from collections import deque

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import ConnectionPoolEntry

GATED = "whistle_write_gate"  # in a connection's info while its transaction holds the gate


class WriteGate:
    """A first-in, first-out lock, reentrant for the thread that holds it.

    A thread that holds the gate and begins a second write transaction (on another
    connection) goes through rather than wait for itself forever; SQLite's busy timeout
    then judges that transaction as it would without the gate. Anyone may release: a
    connection's transaction may end where it was not begun (a pool's clean-up).
    """

    def __init__(self) -> None:
        self._turns = threading.Condition()
        self._queue: deque[object] = deque()
        self._holder: int | None = None
        self._depth = 0

    @property
    def waiting(self) -> int:
        """How many writers wait for their turn now."""
        with self._turns:
            return len(self._queue)

    def acquire(self, timeout: float | None) -> bool:
        """Wait for this thread's turn.

        A wait given up (the timeout, or an exception such as KeyboardInterrupt) leaves the
        queue as if this thread had never asked, so the writers behind it move up.

        Args:
            timeout: Seconds to wait at most; None waits as long as it takes.

        Returns:
            Whether the turn came.
        """
        me = threading.get_ident()
        with self._turns:
            if self._holder == me:
                self._depth += 1
                return True
            ticket = object()
            self._queue.append(ticket)
            given = False
            try:
                given = self._turns.wait_for(
                    lambda: self._holder is None and self._queue[0] is ticket, timeout)
            finally:
                self._queue.remove(ticket)
                if given:
                    self._holder, self._depth = me, 1
                else:
                    self._turns.notify_all()  # the writer behind may be first now
            return given

    def release(self) -> None:
        """Give the turn back; of a thread's nested turns, the last given back opens the gate."""
        with self._turns:
            if self._holder is None:
                raise RuntimeError("the write gate is not held")
            self._depth -= 1
            if self._depth == 0:
                self._holder = None
                self._turns.notify_all()


_GATES: weakref.WeakKeyDictionary[Engine, WriteGate] = weakref.WeakKeyDictionary()


def gate_writes(engine: Engine, *, read_only: str, timeout: float) -> None:
    """Begin a SQLite engine's transactions: a plain ``BEGIN`` for a connection with the
    execution option ``read_only``, else the engine's write gate, then ``BEGIN IMMEDIATE``
    (a transaction that reads and then writes would otherwise fail with SQLITE_BUSY instead
    of waiting when another writer got there first). The gate is given back when the
    transaction ends, however it ends; a writer that waits ``timeout`` seconds for it fails
    as SQLite's busy timeout would have failed it."""
    gate = _GATES[engine] = WriteGate()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        if connection.get_execution_options().get(read_only, False):
            connection.exec_driver_sql("BEGIN")
            return
        if not gate.acquire(timeout):
            raise OperationalError("BEGIN IMMEDIATE", None,
                                   sqlite3.OperationalError("database is locked"))
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            gate.release()
            raise
        connection.info[GATED] = True

    def _on_end(connection: Connection) -> None:
        # Handed on as COMMIT is sent: the next writer's BEGIN IMMEDIATE waits out the
        # commit's last moment in SQLite's busy handler, and the checkpoint a commit may
        # run afterwards keeps nobody waiting.
        if connection.info.pop(GATED, False):
            gate.release()

    def _on_checkin(_dbapi_connection: object, record: ConnectionPoolEntry) -> None:
        if record.info.pop(GATED, False):  # a connection dropped in a transaction
            gate.release()

    event.listen(engine, "commit", _on_end)
    event.listen(engine, "rollback", _on_end)
    event.listen(engine, "checkin", _on_checkin)


def write_gate(engine: Engine) -> WriteGate | None:
    """The write gate of a SQLite engine made by ``storage.db.make_engine``; None for
    PostgreSQL."""
    return _GATES.get(engine)

"""The write gate: one process's SQLite writers take the write lock in the order they asked.

SQLite's busy handler polls with growing sleeps (up to 100 ms a poll), so a writer that
commits and at once begins again (a sweep writing community after community) takes the lock
back before a writer that has been waiting wakes up to ask, again and again: that writer can
wait many seconds although no transaction holds the lock for more than a fraction of one.
Every write transaction on a SQLite engine passes the gate first (``storage.db``), first come
first served (先到先写), so a waiting inbound message writes before a sweep's next chunk.

The gate orders one process's writers only; between processes SQLite's own lock and busy
timeout still decide. PostgreSQL locks rows and needs no gate.
"""

from __future__ import annotations

import threading
from collections import deque


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

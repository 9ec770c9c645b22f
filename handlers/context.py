"""What every handler works with: the open transaction, the rules and the time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from handlers.queued import Queued, ToEach, outbox_rows, outbox_values, write, write_at
from handlers.rules.policy import Policy

__all__ = ["Context", "ToEach", "outbox_rows", "outbox_values"]


@dataclass
class Context:
    """One unit of work: everything it changes and queues commits together or not at all.

    Attributes:
        session: The open transaction.
        policy: The time and place rules.
        now: The current time in UTC (tests and the console move it).
    """

    session: Session
    policy: Policy
    now: datetime
    pending: list[tuple[Queued, datetime]] | None = None
    """Messages queued but not yet written, each with the time it was queued at, when the
    unit of work collects them (``handlers.chat.process``) to write them all in one INSERT
    at its end; several contexts handling a batch of messages share one list. None writes
    each ``queue`` call at once."""

    def queue(self, messages: Sequence[Queued]) -> None:
        """Write messages to the outbox in this transaction; delivery happens after commit.

        One INSERT however many messages (a whistle goes to every member on its duty), and
        no row objects: nothing in the transaction reads the outbox back. Being SQL at once,
        the rows go with a savepoint that is rolled back, like everything else in it. A
        collecting unit of work keeps them in ``pending`` until ``flush_outbox``.
        """
        if self.pending is not None:
            self.pending.extend((message, self.now) for message in messages)
        else:
            write(self.session, messages, self.now)

    def flush_outbox(self) -> None:
        """Write what was collected, in one INSERT; before anything that writes the outbox
        by other means, so the messages keep the order they were queued in."""
        if self.pending:
            waiting, self.pending[:] = list(self.pending), []
            write_at(self.session, waiting)

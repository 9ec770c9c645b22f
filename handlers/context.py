"""What every handler works with: the open transaction, the rules and the time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert
from sqlmodel import Session

from handlers.messages import Outgoing
from handlers.privacy import for_audience
from handlers.rules.policy import Policy
from storage.models import OutboxMessage, OutboxStatus


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

    def queue(self, messages: list[Outgoing]) -> None:
        """Write messages to the outbox in this transaction; delivery happens after commit.

        One INSERT however many messages (a whistle goes to every member on its duty), and
        no row objects: nothing in the transaction reads the outbox back. Being SQL at once,
        the rows go with a savepoint that is rolled back, like everything else in it.
        """
        if messages:
            self.session.execute(insert(OutboxMessage), outbox_values(messages, self.now))


def outbox_values(messages: list[Outgoing], now: datetime) -> list[dict[str, object]]:
    """Outbox columns for messages, each past the privacy guard: the only way into the
    outbox."""
    return [{"channel": m.channel, "to_chat": m.to_chat, "to_user": m.to_user, "text": m.text,
             "buttons": [{"label": b.label, "data": b.data} for b in m.buttons],
             "attachment": m.attachment, "replaces": m.replaces,
             "status": OutboxStatus.PENDING, "attempts": 0, "last_error": "",
             "created_at": now, "next_attempt_at": now, "sent_at": None}
            for m in map(for_audience, messages)]


def outbox_rows(messages: list[Outgoing], now: datetime) -> list[OutboxMessage]:
    """Outbox rows for messages, as objects for a session to add (see ``outbox_values``)."""
    return [OutboxMessage.model_validate(values) for values in outbox_values(messages, now)]

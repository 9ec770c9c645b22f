"""What every handler works with: the open transaction, the rules and the time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from handlers.messages import Outgoing
from handlers.policy import Policy
from storage.models import OutboxMessage


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
        """Write messages to the outbox in this transaction; delivery happens after commit."""
        for message in messages:
            self.session.add(
                OutboxMessage(
                    channel=message.channel,
                    to_chat=message.to_chat,
                    to_user=message.to_user,
                    text=message.text,
                    buttons=[{"label": b.label, "data": b.data} for b in message.buttons],
                    attachment=message.attachment,
                    replaces=message.replaces,
                    created_at=self.now,
                    next_attempt_at=self.now,
                )
            )

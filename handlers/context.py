"""What every handler works with: the open transaction, the rules and the time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Select, Table, bindparam, insert, literal, select, union_all
from sqlmodel import Session

from handlers.messages import Button, Outgoing
from handlers.privacy import for_audience
from handlers.rules.policy import Policy
from storage.models import OutboxMessage, OutboxStatus


@dataclass(frozen=True)
class ToEach:
    """One private message to every account ``accounts`` selects, queued like any other
    message and written by the same INSERT … SELECT as the messages queued beside it.

    Attributes:
        accounts: Two columns, channel and user id, in the order the messages are to go.
        text: The message, past the privacy guard as every other.
        buttons: Its buttons.
    """

    accounts: Select
    text: str
    buttons: tuple[Button, ...] = ()


Queued = Outgoing | ToEach


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
    pending: list[Queued] | None = None
    """Messages queued but not yet written, when the unit of work collects them
    (``handlers.chat.process``) to write them all in one INSERT at its end; None writes
    each ``queue`` call at once."""

    def queue(self, messages: Sequence[Queued]) -> None:
        """Write messages to the outbox in this transaction; delivery happens after commit.

        One INSERT however many messages (a whistle goes to every member on its duty), and
        no row objects: nothing in the transaction reads the outbox back. Being SQL at once,
        the rows go with a savepoint that is rolled back, like everything else in it. A
        collecting unit of work keeps them in ``pending`` until ``flush_outbox``.
        """
        if self.pending is not None:
            self.pending.extend(messages)
        else:
            write(self.session, messages, self.now)

    def flush_outbox(self) -> None:
        """Write what was collected, in one INSERT; before anything that writes the outbox
        by other means, so the messages keep the order they were queued in."""
        if self.pending:
            waiting, self.pending[:] = list(self.pending), []
            write(self.session, waiting, self.now)


def write(session: Session, messages: Sequence[Queued], now: datetime) -> None:
    """Messages into the outbox in one statement: a bulk INSERT, or an INSERT … SELECT when
    some go to accounts chosen in SQL (then each message is one branch of a UNION ALL)."""
    if not messages:
        return
    if all(isinstance(m, Outgoing) for m in messages):
        # Into the table, not the ORM class: the ORM would split the rows by which columns
        # are empty (a group's message has no user), one statement for each kind.
        session.execute(insert(_TABLE), outbox_values(
            [m for m in messages if isinstance(m, Outgoing)], now))
        return
    rows = union_all(*(_each(m, now) if isinstance(m, ToEach) else _one(m, now)
                       for m in messages))
    session.execute(insert(OutboxMessage).from_select(list(_COLUMNS), rows))


_TABLE: Table = OutboxMessage.__table__  # type: ignore[attr-defined]
_COLUMNS = ("channel", "to_chat", "to_user", "text", "buttons", "attachment", "replaces",
            "status", "attempts", "last_error", "created_at", "next_attempt_at")


def _typed(column: str, value: object) -> Any:
    """A value as a column of a SELECT, typed as the outbox stores that column."""
    kind = _TABLE.c[column].type
    if isinstance(kind, JSON):
        return bindparam(None, value, type_=kind).label(column)
    return literal(value, kind).label(column)


def _one(message: Outgoing, now: datetime) -> Select:
    values = outbox_values([message], now)[0]
    return select(*(_typed(column, values[column]) for column in _COLUMNS))


def _each(each: ToEach, now: datetime) -> Select:
    """The branch for a ToEach: its accounts, in their order, with the message beside them."""
    guarded = for_audience(Outgoing("", each.text, to_user="", buttons=each.buttons))
    values = outbox_values([guarded], now)[0]
    accounts = each.accounts.subquery()
    channel, user = accounts.c
    return select(*(channel.label("channel") if column == "channel"
                    else user.label("to_user") if column == "to_user"
                    else _typed(column, values[column]) for column in _COLUMNS)
                  ).select_from(accounts)


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

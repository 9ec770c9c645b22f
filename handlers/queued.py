"""Messages on their way into the outbox: the rows, and the one statement that writes them.

A unit of work queues ``Outgoing`` values, and ``ToEach`` for a message whose recipients SQL
chooses (the admins who review a need). However many there are, they go in as one
statement: a bulk INSERT, or an INSERT … SELECT whose UNION ALL has a branch for each.
Statements are built once for each shape and then only run, as building one costs more
than running it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import Insert, Label, Select, Table, bindparam, insert, literal, select, union_all
from sqlalchemy.sql.elements import BindParameter, ClauseElement
from sqlalchemy.sql.visitors import replacement_traverse
from sqlmodel import Session

from handlers.messages import Button, Outgoing
from handlers.privacy import for_audience
from storage.idlists import listed
from storage.messaging import OutboxMessage, OutboxStatus
from storage.rows import core, table_of

TABLE: Table = table_of(OutboxMessage)
COLUMNS = ("channel", "to_chat", "to_user", "text", "buttons", "attachment", "replaces",
           "status", "attempts", "last_error", "created_at", "next_attempt_at")
_BULK = insert(TABLE)
MANY = 20
"""From this many messages, their rows go in as one parameter (``storage.idlists.listed``):
the database renders them, where SQLAlchemy would convert each row's values in Python."""
_LISTED = {"channel": "text", "to_chat": "text", "to_user": "text", "text": "text",
           "buttons": "json", "attachment": "text", "replaces": "text"}


@dataclass(frozen=True)
class ToEach:
    """One private message to every account ``accounts`` selects.

    Attributes:
        accounts: A statement built once (a module's constant), selecting two columns,
            channel and user id, in the order the messages are to go; its parameters are
            named ``bindparam`` s.
        params: The values of those parameters.
        text: The message, past the privacy guard as every other.
        buttons: Its buttons.
    """

    accounts: Select
    params: Mapping[str, object]
    text: str
    buttons: tuple[Button, ...] = field(default=())


Queued = Outgoing | ToEach


def write(session: Session, messages: Sequence[Queued], now: datetime) -> None:
    """Messages into the outbox, in the order given, in one statement."""
    write_at(session, [(message, now) for message in messages])


def write_at(session: Session, timed: Sequence[tuple[Queued, datetime]]) -> None:
    """``write`` for messages queued at different times (a batch of incoming messages
    handled in one transaction), each row stamped with its own."""
    if not timed:
        return
    if all(isinstance(m, Outgoing) for m, _ in timed):
        # Into the table, not the ORM class: the ORM would split the rows by which columns
        # are empty (a group's message has no user), one statement for each kind.
        values = [outbox_values([m], now)[0] for m, now in timed if isinstance(m, Outgoing)]
        times = {now for _, now in timed}
        if len(values) < MANY or len(times) > 1:
            core(session).execute(_BULK, values)
        else:
            core(session).execute(_listed_insert(session, values, times.pop()))
        return
    shape = tuple(m.accounts if isinstance(m, ToEach) else None for m, _ in timed)
    params: dict[str, object] = {}
    for n, (message, now) in enumerate(timed):
        if isinstance(message, ToEach):
            params.update({f"m{n}_{k}": v for k, v in message.params.items()})
            message = for_audience(Outgoing("", message.text, to_user="",
                                            buttons=message.buttons))
        params.update({f"m{n}_{k}": v for k, v in outbox_values([message], now)[0].items()})
    core(session).execute(_union_insert(shape), params)


def _listed_insert(session: Session, values: list[dict[str, object]], now: datetime) -> Insert:
    """The messages' rows as an INSERT … SELECT from them listed, in their order."""
    rows = listed(session.get_bind().dialect.name, "outgoing", _LISTED,
                  [tuple(json.dumps(v[c]) if kind == "json" else v[c]
                         for c, kind in _LISTED.items()) for v in values])
    constants = waiting_columns(now)
    return insert(TABLE).from_select([*_LISTED, *constants], select(
        *(rows.c[c] for c in _LISTED), *constants.values()).order_by(rows.c.n))


def waiting(now: datetime) -> dict[str, object]:
    """How every message starts in the outbox: waiting, untried, due from ``now``."""
    return {"status": OutboxStatus.PENDING, "attempts": 0, "last_error": "",
            "created_at": now, "next_attempt_at": now}


def waiting_columns(now: datetime) -> dict[str, Label[Any]]:
    """``waiting`` as columns of an INSERT … SELECT into the outbox, each labelled with its
    column's name and typed as it is stored."""
    return {c: literal(v, TABLE.c[c].type).label(c) for c, v in waiting(now).items()}


@lru_cache(maxsize=64)
def _union_insert(shape: tuple[Select | None, ...]) -> Insert:
    """The INSERT … SELECT for messages of this shape: a branch for each, its values
    parameters named by its place, and a ``ToEach`` branch selecting from its accounts, their
    parameters renamed likewise (two messages to the admins of two communities)."""
    branches = []
    for n, accounts in enumerate(shape):
        values = {c: bindparam(f"m{n}_{c}", type_=TABLE.c[c].type).label(c) for c in COLUMNS}
        if accounts is None:
            branches.append(select(*values.values()))
            continue
        chosen = _placed(accounts, n).subquery()
        channel, user = chosen.c
        values["channel"], values["to_user"] = channel.label("channel"), user.label("to_user")
        branches.append(select(*values.values()).select_from(chosen))
    return insert(TABLE).from_select(list(COLUMNS), union_all(*branches))


def _placed(accounts: Select, n: int) -> Select:
    """``accounts`` with its named parameters renamed for branch ``n``."""
    def rename(element: ClauseElement, **_kw: object) -> ClauseElement | None:
        if isinstance(element, BindParameter) and not element.unique:
            return bindparam(f"m{n}_{element.key}", type_=element.type)
        return None
    return cast(Select, replacement_traverse(accounts, {}, rename))


def outbox_values(messages: list[Outgoing], now: datetime) -> list[dict[str, object]]:
    """Outbox columns for messages, each past the privacy guard: the only way into the
    outbox."""
    return [{"channel": m.channel, "to_chat": m.to_chat, "to_user": m.to_user, "text": m.text,
             "buttons": [{"label": b.label, "data": b.data} for b in m.buttons],
             "attachment": m.attachment, "replaces": m.replaces, **waiting(now),
             "sent_at": None}
            for m in map(for_audience, messages)]


def outbox_rows(messages: list[Outgoing], now: datetime) -> list[OutboxMessage]:
    """Outbox rows for messages, as objects for a session to add (see ``outbox_values``)."""
    return [OutboxMessage.model_validate(values) for values in outbox_values(messages, now)]

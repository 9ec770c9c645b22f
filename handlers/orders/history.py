"""An order's history (工单流转记录): the rows that say who moved it, from what to what, and
why.

``handlers.orders.workflow`` writes one with every move it makes; the notes here are rows
that change no state (re-categorised, assigned, a repeat joined), and ``write_history`` is
for a move made in SQL rather than through ``workflow.record``.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import insert

from handlers.context import Context
from storage.linked_rows import insert_with
from storage.models import Order, OrderHistory, stored_id
from storage.models import OrderStatus as S
from storage.rows import core, table_of


def note(ctx: Context, order: Order, actor: str, reason: str) -> None:
    """A history row that changes no state (re-categorised, assigned)."""
    note_each(ctx, [(order, reason)], actor)


def note_each(ctx: Context, notes: Sequence[tuple[Order, str]], actor: str) -> None:
    """``note`` for many orders, each with its reason, in one INSERT."""
    write_histories(ctx, [(order, order.status, order.status, reason)
                          for order, reason in notes], actor)


def write_history(ctx: Context, order: Order, frm: S | None, to: S, actor: str,
                  why: str) -> None:
    """A history row for a move made in SQL rather than through ``workflow.record`` (a full
    order claimed by the UPDATE that took its last place)."""
    write_histories(ctx, [(order, frm, to, why)], actor)


def write_histories(ctx: Context, rows: Sequence[tuple[Order, S | None, S, str]],
                    actor: str) -> None:
    """History rows (order, from, to, why), in one INSERT.

    Written at once by a plain INSERT: nothing in the transaction reads them back as row
    objects, and the session's unit of work would cost several times more."""
    if rows:
        core(ctx.session).execute(_HISTORY, [
            {"order_id": stored_id(order), **_values(ctx, frm, to, why, actor)}
            for order, frm, to, why in rows])


def insert_new(ctx: Context, order: Order, to: S, actor: str, why: str) -> None:
    """Write a new order (``storage.rows.insert_row``) with its first history row, the
    move from nothing to ``to``: on PostgreSQL in one statement."""
    insert_with(ctx.session, order, _TABLE, "order_id", _values(ctx, None, to, why, actor))


def _values(ctx: Context, frm: S | None, to: S, why: str, actor: str) -> dict[str, object]:
    """A history row's columns but its order."""
    return {"at": ctx.now, "actor": actor, "from_status": frm, "to_status": to,
            "reason": why}


_TABLE = table_of(OrderHistory)
_HISTORY = insert(_TABLE)

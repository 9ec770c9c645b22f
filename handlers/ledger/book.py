"""The points ledger's one writer (记账): entries and the balances they move, together.

Every ledger entry goes through ``write``: one INSERT of the entries, one upsert that adds
each member's deltas to their kept balance (``PointBalance``), in the caller's transaction,
so a balance is always the sum of its ledger as of the same commit. A bulk writer (the
year's base, no-shows) passes all its entries at once: two statements however many. The
ledger stays the record: ``rebuild`` sums it into the balances anew (a database loaded in
bulk) and ``drift`` lists any balance that differs from its sum (a check, never a repair).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, delete, func, insert
from sqlalchemy import select as wide_select
from sqlmodel import Session, col

from storage.db import dialect_insert
from storage.ledger import PointBalance, PointEntry
from storage.rows import core, table_of

_ENTRIES = insert(table_of(PointEntry))


def entry(member_id: int, delta: int, reason: str, at: datetime, order_id: int | None = None,
          note: str = "") -> dict[str, Any]:
    """One ledger entry's values, as ``write`` takes them."""
    return {"member_id": member_id, "delta": delta, "reason": reason, "order_id": order_id,
            "note": note[:200], "at": at}


def write(session: Session, entries: Sequence[Mapping[str, Any]]) -> None:
    """Write the entries (those with a zero delta are not worth a line) and add their deltas
    to the members' balances: one INSERT and one upsert, in the caller's transaction."""
    worth = [dict(e) for e in entries if e["delta"]]
    if not worth:
        return
    connection = core(session)
    connection.execute(_ENTRIES, worth)
    moved: dict[int, int] = defaultdict(int)
    for line in worth:
        moved[line["member_id"]] += line["delta"]
    upsert = dialect_insert(session, PointBalance)
    # Members in id order: two writers moving the same balances lock them in the same order.
    connection.execute(upsert.on_conflict_do_update(
        index_elements=[col(PointBalance.member_id)],
        set_={"balance": table_of(PointBalance).c.balance + upsert.excluded.balance}),
        [{"member_id": m, "balance": moved[m]} for m in sorted(moved)])


def balance(session: Session, member_id: int) -> int:
    """The member's kept balance (0 before their first entry): read, not taken from the
    session's objects, which a balance moved by ``write`` would leave behind."""
    kept = session.execute(wide_select(col(PointBalance.balance))
                           .where(col(PointBalance.member_id) == member_id)).scalar()
    return int(kept or 0)


def _sums(members: Collection[int] | None = None) -> Select:
    """Each member's sum of their ledger (of ``members`` only, when given)."""
    query = (wide_select(col(PointEntry.member_id), func.sum(PointEntry.delta))
             .group_by(col(PointEntry.member_id)))
    if members is not None:
        query = query.where(col(PointEntry.member_id).in_(list(members)))
    return query


def rebuild(session: Session, members: Collection[int] | None = None) -> None:
    """Sum the ledger into the balances anew (everyone's, or ``members``'): one DELETE and
    one INSERT … SELECT, for entries written without ``write`` (a bulk load)."""
    gone = delete(PointBalance)
    if members is not None:
        gone = gone.where(col(PointBalance.member_id).in_(list(members)))
    session.execute(gone)
    session.execute(insert(PointBalance).from_select(["member_id", "balance"],
                                                     _sums(members)))


def drift(session: Session) -> list[tuple[int, int, int]]:
    """Members whose kept balance is not the sum of their ledger: member, kept, summed
    (an empty list when every balance is true). Two aggregate reads."""
    summed = {m: int(total) for m, total in session.execute(_sums())}
    kept = {m: b for m, b in session.execute(
        wide_select(col(PointBalance.member_id), col(PointBalance.balance)))}
    return sorted((m, kept.get(m, 0), summed.get(m, 0)) for m in set(summed) | set(kept)
                  if kept.get(m, 0) != summed.get(m, 0))

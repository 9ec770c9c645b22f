"""Storing checked member rows: new members added, members on the roll updated, their work
units found or created, in a few statements whatever the number of rows."""

from __future__ import annotations

from sqlmodel import Session, col, select

from storage.models import Member, Unit

UPDATED = ("name", "phone", "community_id", "grid_id", "building_id", "skills", "free_time",
           "duties", "unit_id")
"""What a row changes on a member already on the roll: everything but when they registered
and whether they are still active."""


def save(session: Session, members: list[Member], unit_names: list[str],
         on_roll: dict[int, Member] | None = None) -> None:
    """Store checked members with their work units (new units are created).

    Args:
        session: The open transaction.
        members: From :func:`check`, in the rows' order.
        unit_names: Each member's unit, in the same order.
        on_roll: Members already stored that a row updates, by the row's index.
    """
    units = units_named(session, set(unit_names))
    for index, (member, unit) in enumerate(zip(members, unit_names, strict=True)):
        member.unit_id = units[unit].id
        stored = (on_roll or {}).get(index)
        if stored is None:
            session.add(member)
            continue
        for field in UPDATED:
            setattr(stored, field, getattr(member, field))
    session.flush()


def units_named(session: Session, names: set[str]) -> dict[str, Unit]:
    """The units by name, the missing ones created (of kind 其他): two queries in all."""
    units = {u.name: u for u in session.exec(select(Unit).where(col(Unit.name).in_(names))).all()}
    missing = [Unit(name=name) for name in sorted(names - set(units))]
    session.add_all(missing)
    session.flush()
    return units | {u.name: u for u in missing}

"""The members' roll, and members who left (调离、退出) kept for the ledger but never called."""

from __future__ import annotations

from sqlmodel import Session, col, select

from handlers.errors import SetupRefused
from handlers.organisation.structure import community
from handlers.texts import t
from nlu.personal import mobile_number
from storage.models import Community, Grid, Member, Unit


def roll(session: Session, community_name: str | None = None) -> list[dict[str, object]]:
    """Every member (of one community when named) with community, grid and unit, one query.

    The keys are the JSON contract of `whistle member list --json`.

    Raises:
        SetupRefused: The named community does not exist.
    """
    query = (select(Member, Community.name, Grid.name, Unit.name)
             .join(Community, col(Member.community_id) == Community.id)
             .join(Grid, col(Member.grid_id) == Grid.id, isouter=True)
             .join(Unit, col(Member.unit_id) == Unit.id, isouter=True)
             .order_by(Community.name, col(Member.id)))
    if community_name:
        query = query.where(Member.community_id == community(session, community_name).id)
    return [{"id": member.id, "name": member.name, "phone": member.phone,
             "community": community_of, "grid": grid or "", "unit": unit or "",
             "duties": list(member.duties or []), "active": member.active}
            for member, community_of, grid, unit in session.exec(query).all()]


def roll_line(row: dict[str, object]) -> str:
    """One member on one line, as `whistle member list` prints it."""
    return t("setup_member_line", name=row["name"], phone=row["phone"] or "-",
             community=row["community"], grid=row["grid"] or "-", unit=row["unit"] or "-",
             left="" if row["active"] else t("setup_member_left"))


def member_by_phone(session: Session, phone: str) -> Member:
    """The member registered with a phone number, however it is written.

    Raises:
        SetupRefused: It is not a mobile number, or nobody is registered with it.
    """
    number = mobile_number(phone)
    if number is None:
        raise SetupRefused(t("import_bad_phone", value=phone))
    found = session.exec(select(Member).where(Member.phone == number)).first()
    if found is None:
        raise SetupRefused(t("setup_no_member_with_phone", phone=number))
    return found


def set_active(session: Session, phone: str, active: bool) -> str:
    """Mark a member as gone (or back); returns the confirmation.

    A member who left keeps their service record, but is never whistled, assigned, nudged
    about quotas, or shown on a board.
    """
    member = member_by_phone(session, phone)
    member.active = active
    session.flush()
    if active:
        return t("setup_member_back", name=member.name, phone=member.phone)
    return t("setup_member_deactivated", name=member.name, phone=member.phone)

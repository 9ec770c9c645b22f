"""Who takes part in an order: places held in its current round, arrivals and completions."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from handlers.ledger.services import services
from storage.models import (
    Acceptance,
    AcceptanceStatus,
    CheckIn,
    CheckInKind,
    Identity,
    Member,
    Order,
)


def acceptance(session: Session, order: Order, member: Member,
               status: AcceptanceStatus | None = AcceptanceStatus.ACCEPTED) -> Acceptance | None:
    """The member's acceptance in the order's current round (any status when None)."""
    query = select(Acceptance).where(Acceptance.order_id == order.id,
                                     Acceptance.member_id == member.id,
                                     Acceptance.round == order.round)
    if status is not None:
        query = query.where(Acceptance.status == status)
    return session.exec(query).first()


def acceptances(session: Session, order: Order) -> list[Acceptance]:
    """The places held on the order in its current round."""
    return list(session.exec(
        select(Acceptance).where(Acceptance.order_id == order.id,
                                 Acceptance.round == order.round,
                                 Acceptance.status == AcceptanceStatus.ACCEPTED)
    ).all())


def arrival(session: Session, order: Order, member: Member) -> CheckIn | None:
    """The member's check-in on site since the order opened, if any."""
    since = order.opened_at or order.created_at
    return session.exec(
        select(CheckIn).where(CheckIn.order_id == order.id, CheckIn.member_id == member.id,
                              CheckIn.kind == CheckInKind.ARRIVE, CheckIn.at >= since)
    ).first()


def has_checkin(session: Session, order: Order, member: Member, kind: CheckInKind) -> bool:
    """Whether the member arrived or finished (by ``kind``) since the order opened."""
    since = order.opened_at or order.created_at
    return session.exec(
        select(CheckIn.id).where(CheckIn.order_id == order.id, CheckIn.member_id == member.id,
                                 CheckIn.kind == kind, CheckIn.at >= since)
    ).first() is not None


def everyone_done(session: Session, order: Order) -> bool:
    """Whether every member holding a place has marked their part done (活动多人)."""
    since = order.opened_at or order.created_at
    finished = set(session.exec(
        select(CheckIn.member_id).where(CheckIn.order_id == order.id,
                                        CheckIn.kind == CheckInKind.DONE, CheckIn.at >= since)
    ).all())
    holding = {a.member_id for a in acceptances(session, order)}
    return bool(finished) and holding <= finished


def is_own_need(session: Session, order: Order, member: Member) -> bool:
    """Whether the member filed this need themselves (a member is a resident too)."""
    if order.resident_id is None:
        return False
    return session.exec(
        select(Identity.id).where(Identity.member_id == member.id,
                                  Identity.resident_id == order.resident_id)
    ).first() is not None


def accepted_members(session: Session, order: Order) -> list[Member]:
    """The members holding a place on the order in its current round."""
    return list(session.exec(
        select(Member).join(Acceptance, col(Acceptance.member_id) == Member.id)
        .where(Acceptance.order_id == order.id, Acceptance.round == order.round,
               Acceptance.status == AcceptanceStatus.ACCEPTED).order_by(col(Acceptance.id))
    ).all())


def service_record(session: Session, member: Member) -> tuple[int, float]:
    """Services finished and hours served, as ``handlers.ledger.services`` counts them."""
    svc = services()
    count, hours = session.execute(
        select(func.count(), func.coalesce(func.sum(svc.c.hours), 0.0))
        .where(svc.c.member_id == member.id)).one()
    return int(count), float(hours)

"""The messages a member's place on an order sends: taken, given back, checked in on, lost
for not showing up (爽约), and the whistle rewritten to show the places taken."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TypedDict

from sqlmodel import Session

from handlers import people
from handlers.messages import Button, Outgoing
from handlers.orders import states
from handlers.orders.ahead import Ahead
from handlers.orders.notices import accept_button, to_resident
from handlers.orders.views import community_zone, order_summary
from handlers.texts import t
from storage.models import Acceptance, Member, Order, stored_id
from storage.models import OrderStatus as S


def whistle_state(order: Order, zone: str | None = None) -> tuple[str, tuple[Button, ...]]:
    """A whistle rewritten after an accept: places taken, and the 接单 button only while
    places are free."""
    summary = order_summary(order, zone)
    taken, capacity = order.accepted_count, order.capacity
    if order.status in states.TAKING_SIGN_UPS and taken < capacity:
        return (t("whistle_taken", summary=summary, id=order.id, taken=taken,
                  capacity=capacity, free=capacity - taken), accept_button(order))
    return t("whistle_full", summary=summary, taken=taken, capacity=capacity), ()


def accepted(session: Session, order: Order, member: Member,
             shown_in: tuple[str, str] | None = None) -> list[Outgoing]:
    """The member gets the resident's contact privately; everyone else sees places taken
    (but the group ``shown_in``, whose whistle already shows them)."""
    # An event the community called itself has no resident, but may name a person to visit.
    has_contact = order.resident_id is not None or order.phone or order.address
    contact = "" if not has_contact else t(
        "member_contact", phone=order.phone or t("not_given"),
        address=order.address or order.place or t("not_given"))
    if order.beneficiary_name:  # 代办: who the work is for, beside whose phone to ring
        contact = t("member_contact_for", name=order.beneficiary_name,
                    building=order.beneficiary_building) + contact
    summary = order_summary(order, community_zone(session, order.community_id))
    messages = people.to_member(session, stored_id(member), t(
        "member_accepted", summary=summary, contact=contact, id=order.id))
    messages += to_resident(session, order, t("resident_accepted", id=order.id, name=member.name,
                                              taken=order.accepted_count,
                                              capacity=order.capacity))
    if order.status == S.CLAIMED and order.capacity == 1:
        progress = t("progress_taken", id=order.id)
    elif order.status == S.CLAIMED:
        progress = t("progress_full", id=order.id, capacity=order.capacity)
    else:
        progress = t("progress", id=order.id, taken=order.accepted_count,
                     capacity=order.capacity)
    groups = people.to_groups(session, order.community_id, progress)
    return messages + [m for m in groups if (m.channel, m.to_chat) != shown_in]


def withdrawn(session: Session, order: Order, member: Member, why: str = "") -> list[Outgoing]:
    """Confirm a member's withdrawal; the admins hear of it, with the reason the member gave,
    and the resident is told."""
    counts = _counts(order)
    said = t("admin_member_withdrew_why", why=why) if why else ""
    return (people.to_member(session, stored_id(member), t("member_withdrew", **counts))
            + people.to_admins(session, order.community_id,
                               t("admin_member_withdrew", name=member.name, why=said, **counts))
            + to_resident(session, order, t("resident_member_withdrew", id=order.id)))


def checked_in(session: Session, order: Order, member: Member,
               ask_photo: bool = False) -> list[Outgoing]:
    """Confirm the check-in to the member, asking for a photo of the site when it is
    未定位 and came without one; tell the resident help has arrived."""
    said = t("member_checked_in_photo", id=order.id) if ask_photo else t("member_checked_in",
                                                                         id=order.id)
    return (people.to_member(session, stored_id(member), said)
            + to_resident(session, order, t("resident_arrived", id=order.id, name=member.name)))


def released_each(session: Session, held: Sequence[tuple[Order, Member, Acceptance]],
                  ahead: Ahead | None = None) -> list[Outgoing]:
    """No-shows' places freed (after the orders' counts went down): each member is told
    why; the admins hear of each, with the places taken as that one was freed. The
    accounts are read in two SELECTs however many places (or ``ahead`` of a sweep)."""
    later = Counter(order.id for order, _, _ in held)
    counts = []
    for order, _, _ in held:  # taken once this place was freed: the later ones still held
        later[order.id] -= 1
        counts.append(_counts(order) | {"taken": order.accepted_count + later[order.id]})
    messages = people.to_each_member(session, [(stored_id(member), t("member_no_show",
                                                                     id=order.id))
                                                for order, member, _ in held],
                                     None if ahead is None else ahead.accounts)
    admins = (ahead.admins if ahead is not None else
              people.admin_accounts(session, {order.community_id for order, _, _ in held}))
    return messages + [told for (order, member, _), count in zip(held, counts, strict=True)
                       for told in people.to_accounts(admins[order.community_id], t(
                           "admin_no_show", name=member.name, **count))]


class _Counts(TypedDict):
    """How full an order is, for the notices that tell it."""

    id: int
    taken: int
    capacity: int


def _counts(order: Order) -> _Counts:
    return {"id": stored_id(order), "taken": order.accepted_count, "capacity": order.capacity}

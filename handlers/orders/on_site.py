"""A member on site (到场报到): checking in, sending photos during the service, finishing.
Each step is a move of the one state machine in ``workflow`` in the caller's transaction."""

from __future__ import annotations

from handlers import people
from handlers.context import Context
from handlers.errors import WorkflowError
from handlers.orders import arrival, participation, place_notices, ratings, states, workflow
from handlers.orders.views import STATUS_NAMES
from handlers.texts import t
from storage.models import CheckIn, CheckInKind, Member, Order, stored_id
from storage.models import OrderStatus as S


def check_in(ctx: Context, order: Order, member: Member, actor: str,
             where: tuple[float, float] | None, photo: str | None, channel: str) -> None:
    """A member reports on site (到场报到), proven as ``arrival.located`` says: within the
    radius where the order has coordinates, else by a photo (未定位), which is asked for.

    The first arrival starts the work, so an order with places still free stops taking
    accepts from then on.
    """
    _require_acceptance(ctx, order, member)
    if order.status not in states.LIVE:
        raise WorkflowError(t("checkin_not_now", id=order.id, status=STATUS_NAMES[order.status]))
    if participation.has_checkin(ctx.session, order, member, CheckInKind.ARRIVE):
        raise WorkflowError(t("checkin_already", id=order.id))
    is_located = arrival.located(order, where, photo, channel, ctx.policy.checkin_radius_m)
    lat, lon = where if where else (None, None)
    ctx.session.add(CheckIn(order_id=stored_id(order), member_id=stored_id(member),
                            kind=CheckInKind.ARRIVE, at=ctx.now, lat=lat, lon=lon,
                            photo=photo, located=is_located))
    if order.status != S.IN_PROGRESS:
        workflow.record(ctx, order, S.IN_PROGRESS, actor, t("reason_checkin", name=member.name))
    ctx.queue(place_notices.checked_in(ctx.session, order, member,
                                       ask_photo=not is_located and photo is None))


def locate_check_in(ctx: Context, order: Order, member: Member,
                    where: tuple[float, float]) -> None:
    """Add the location a member sent after checking in without one (未定位 until then)."""
    found = participation.arrival(ctx.session, order, member)
    if found is None or found.lat is not None:
        raise WorkflowError(t("checkin_already", id=order.id))
    found.located = arrival.located(order, where, None, "", ctx.policy.checkin_radius_m)
    found.lat, found.lon = where
    ctx.session.add(found)


def keep_photo(ctx: Context, order: Order, member: Member, photo: str) -> None:
    """Keep a photo sent during the service (服务照片): on the arrival when it has none (the
    photo a 未定位 check-in was asked for), else as a row of its own in the ledger."""
    found = participation.arrival(ctx.session, order, member)
    if found is not None and found.photo is None:
        found.photo = photo
        ctx.session.add(found)
        return
    ctx.session.add(CheckIn(order_id=stored_id(order), member_id=stored_id(member),
                            kind=CheckInKind.PHOTO, at=ctx.now, photo=photo))


def finish(ctx: Context, order: Order, member: Member, actor: str, photo: str | None) -> None:
    """A member marks the work done; the resident is asked to rate it."""
    _require_acceptance(ctx, order, member)
    if order.status != S.IN_PROGRESS:
        key = "done_needs_checkin" if order.status in states.AWAITING_ARRIVAL else "done_not_now"
        raise WorkflowError(t(key, id=order.id, status=STATUS_NAMES[order.status]))
    if not participation.has_checkin(ctx.session, order, member, CheckInKind.ARRIVE):
        raise WorkflowError(t("done_needs_checkin", id=order.id))
    if participation.has_checkin(ctx.session, order, member, CheckInKind.DONE):
        raise WorkflowError(t("done_already", id=order.id))
    ctx.session.add(CheckIn(order_id=stored_id(order), member_id=stored_id(member),
                            kind=CheckInKind.DONE,
                            at=ctx.now, photo=photo))
    ratings.services_changed(ctx, order, member)
    if not participation.everyone_done(ctx.session, order):
        ctx.queue(people.to_member(ctx.session, stored_id(member),
                                   t("member_done_part", id=order.id)))
        return
    workflow.complete(ctx, order, actor, member)


def _require_acceptance(ctx: Context, order: Order, member: Member) -> None:
    if participation.acceptance(ctx.session, order, member) is None:
        raise WorkflowError(t("not_your_order", id=order.id))

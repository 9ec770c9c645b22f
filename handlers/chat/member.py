"""Member commands (党员接单): accept, decline, check in, finish, and see one's record.

Each takes an order number, or infers the order when there is only one it can mean, so a
bare "我来" or "完成" under a whistle works.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import timedelta

from sqlalchemy import ColumnElement, exists, func
from sqlmodel import col, select

from handlers.chat import profile, standing
from handlers.chat.lookup import order_by_number
from handlers.chat.request import Request
from handlers.context import Context
from handlers.errors import WorkflowError
from handlers.messages import Outgoing
from handlers.orders import no_show, on_site, participation, place_notices, places, states
from handlers.orders.duties import duty_name
from handlers.orders.views import community_zone
from handlers.texts import t
from nlu import parse_reply
from storage.duties import MemberDuty
from storage.models import (
    Acceptance,
    AcceptanceStatus,
    CheckIn,
    CheckInKind,
    Community,
    Grid,
    Member,
    Order,
    Unit,
)
from storage.models import OrderStatus as S

GROUP_REPLY_WINDOW = timedelta(hours=2)


def accept(ctx: Context, req: Request) -> list[Outgoing]:
    """/accept [ID] (接单, 我来): take a place on an open order."""
    member = req.member
    candidates = _acceptable(ctx, member)
    if req.incoming.is_group:
        # In a group a bare "我来" may answer anything; take it only right after a whistle.
        recent = ctx.now - GROUP_REPLY_WINDOW
        candidates = [o for o in candidates if o.opened_at and o.opened_at >= recent]
    order = _named_or_only(ctx, req, candidates, "accept")
    pressed_in_group = req.incoming.is_group and req.incoming.button_message_id
    shown_in = (req.incoming.channel, req.incoming.chat_id) if pressed_in_group else None
    places.accept(ctx, order, member, req.actor, shown_in)
    # A pressed 接单 button is rewritten in place: "已接单 2/3", the button gone when full.
    zone = community_zone(ctx.session, order.community_id)
    return req.edit(*place_notices.whistle_state(order, zone))


def decline(ctx: Context, req: Request) -> list[Outgoing]:
    """/decline [ID] (不接): give back an accepted place, or just pass on a whistle."""
    member = req.member
    mine = _mine(ctx, member, states.LIVE)
    if not req.args and not mine:
        return req.reply(t("decline_noted"))
    order = _named_or_only(ctx, req, mine, "decline")
    place = participation.acceptance(ctx.session, order, member)
    started = order.event_at is not None and ctx.now >= order.event_at
    if started and place and not participation.has_checkin(ctx.session, order, member,
                                                           CheckInKind.ARRIVE):
        # Giving the place back once the event has begun is not showing up (爽约).
        no_show.settle(ctx, order, member, place, req.actor)
        return []
    # The words after the order's number say why (/decline 1 出差中), as may a bare reply
    # (不好意思，要出差); the admins are told it.
    reason = (" ".join(req.args[1:]) if len(req.args) > 1
              else parse_reply(req.incoming.text).comment)
    places.withdraw(ctx, order, member, req.actor, reason)
    return []


def checkin(ctx: Context, req: Request) -> list[Outgoing]:
    """/checkin [ID] (报到): report on site, with the shared location when there is one."""
    member = req.member
    order = _named_or_only(ctx, req, _to_arrive(ctx, member), "checkin")
    where = req.incoming.location
    point = (where.lat, where.lon) if where else None
    on_site.check_in(ctx, order, member, req.actor, point, req.incoming.photo,
                     req.incoming.channel)
    return []


def done(ctx: Context, req: Request) -> list[Outgoing]:
    """/done [ID] (完成): mark the work finished, with a photo when one is attached."""
    member = req.member
    order = _named_or_only(ctx, req, _at_work(ctx, member), "done")
    on_site.finish(ctx, order, member, req.actor, req.incoming.photo)
    return []


def media(ctx: Context, req: Request) -> list[Outgoing]:
    """A bare location or photo: a check-in; a photo while at work only says how to finish.

    A photo alone never finishes an order: a "before" picture taken on site is common.
    """
    member = req.member
    at_work = _at_work(ctx, member)
    where = req.incoming.location
    if at_work and not where:
        if req.incoming.photo:
            on_site.keep_photo(ctx, at_work[0], member, req.incoming.photo)
        return req.reply(t("photo_at_work", id=at_work[0].id))
    if at_work and where and not _to_arrive(ctx, member):
        # "/checkin 12" first and the location after it is how many phones send them.
        on_site.locate_check_in(ctx, at_work[0], member, (where.lat, where.lon))
        return req.reply(t("checkin_located", id=at_work[0].id))
    return checkin(ctx, req)


def me(ctx: Context, req: Request) -> list[Outgoing]:
    """/me: the member's registration and record (services, hours); /me 修改 changes it."""
    member = req.member
    if req.args and req.args[0] in profile.EDIT_WORDS:
        return profile.start(ctx, req)
    unit = ctx.session.get(Unit, member.unit_id) if member.unit_id else None
    community = ctx.session.get_one(Community, member.community_id)
    grid = ctx.session.get(Grid, member.grid_id) if member.grid_id else None
    services, hours = participation.service_record(ctx.session, member)
    return req.tell(t("member_profile", name=member.name, community=community.name,
                      grid=grid.name if grid else "—", unit=unit.name if unit else "—",
                      duties="、".join(duty_name(d) for d in member.duties) or "—",
                      skills=member.skills or "—", free_time=member.free_time or "—",
                      services=services, hours=f"{hours:.1f}")
                    + "\n" + standing.points_summary(ctx, member))


def _named_or_only(ctx: Context, req: Request, candidates: list[Order], action: str) -> Order:
    if req.args:
        return order_by_number(ctx.session, req.args[0])
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise WorkflowError(t(f"{action}_nothing"))
    numbers = " ".join(f"#{o.id}" for o in candidates[:10])
    raise WorkflowError(t("which_order", action=t(f"action_{action}"), numbers=numbers))


def _acceptable(ctx: Context, member: Member) -> list[Order]:
    """The community's open orders the member holds no place on, newest first; of several,
    those on a duty the member claimed (member_duty) when there are any."""
    claimed = exists().where(col(MemberDuty.member_id) == member.id,
                             col(MemberDuty.duty) == Order.duty)
    rows = ctx.session.exec(select(Order, claimed.label("claimed")).where(
        Order.community_id == member.community_id, Order.status == S.OPEN,
        ~_holds(member)).order_by(col(Order.id).desc())).all()
    candidates = [order for order, _ in rows]
    matching = [order for order, on_duty in rows if on_duty]
    return matching if len(candidates) > 1 and matching else candidates


def _to_arrive(ctx: Context, member: Member) -> list[Order]:
    return _mine(ctx, member, states.LIVE, ~_checked_in(member, CheckInKind.ARRIVE))


def _at_work(ctx: Context, member: Member) -> list[Order]:
    return _mine(ctx, member, (S.IN_PROGRESS,), _checked_in(member, CheckInKind.ARRIVE),
                 ~_checked_in(member, CheckInKind.DONE))


def _holds(member: Member) -> ColumnElement[bool]:
    """SQL: the member holds a place on the order in its current round."""
    return exists().where(col(Acceptance.order_id) == Order.id,
                          col(Acceptance.member_id) == member.id,
                          col(Acceptance.status) == AcceptanceStatus.ACCEPTED,
                          col(Acceptance.round) == Order.round)


def _checked_in(member: Member, kind: CheckInKind) -> ColumnElement[bool]:
    """SQL: the member arrived or finished (by ``kind``) since the order opened, as
    ``participation.has_checkin`` asks of one order."""
    since = func.coalesce(Order.opened_at, Order.created_at)
    return exists().where(col(CheckIn.order_id) == Order.id,
                          col(CheckIn.member_id) == member.id, col(CheckIn.kind) == kind,
                          col(CheckIn.at) >= since)


def _mine(ctx: Context, member: Member, statuses: Collection[S],
          *also: ColumnElement[bool]) -> list[Order]:
    """The orders in ``statuses`` the member holds a place on (and that meet ``also``),
    newest first, in one statement."""
    return list(ctx.session.exec(
        select(Order).where(_holds(member), col(Order.status).in_(statuses), *also)
        .order_by(col(Order.id).desc())
    ).all())

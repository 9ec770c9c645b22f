"""Event reminders (活动提醒): members holding a place hear the evening before and an hour
before the time the order names ("周六9点大扫除")."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import col, select

from handlers import people
from handlers.context import Context
from handlers.once import already_sent, not_yet_sent, text_of
from handlers.orders import states
from handlers.orders.views import local_time, public_text
from handlers.rules.timerules import rules_for, timezone_of
from handlers.texts import t
from storage.models import Acceptance, AcceptanceStatus, Community, Order


def eve_of(event_at: datetime, hour: int, timezone: str) -> datetime:
    """The evening-before reminder time: ``hour`` o'clock local on the day before."""
    zone = ZoneInfo(timezone)
    day = event_at.astimezone(zone).date() - timedelta(days=1)
    return datetime.combine(day, time(hour), zone).astimezone(UTC)


def run(ctx: Context, community: Community) -> None:
    """Send each due reminder of the community's events once per member.

    The evening-before one goes to places taken before that evening (a member who signs up
    later has just read the time) and only until the hour-before one is due, so a catch-up
    after downtime sends the one that still makes sense.
    """
    horizon = ctx.now + timedelta(days=2)
    orders = ctx.session.exec(select(Order).where(
        Order.community_id == community.id, col(Order.status).in_(states.LIVE),
        col(Order.event_at) > ctx.now, col(Order.event_at) <= horizon)).all()
    for order in orders:
        event_at = order.event_at
        if event_at is None:  # the query wants a time; this says so to the type checker
            continue
        rules = rules_for(ctx.session, ctx.policy, order.community_id)
        zone = timezone_of(ctx.session, order.community_id)
        soon = event_at - rules.event_soon
        eve = eve_of(event_at, rules.event_eve_hour, zone)
        when, what = local_time(event_at, zone), public_text(order)[:40]
        if ctx.now >= soon:
            _remind(ctx, order, "event_soon", None,
                    t("member_event_soon", id=order.id, when=when, what=what))
        elif ctx.now >= eve:
            _remind(ctx, order, "event_eve", eve,
                    t("member_event_eve", id=order.id, when=when, what=what))


def _remind(ctx: Context, order: Order, kind: str, accepted_before: datetime | None,
            text: str) -> None:
    subject = text_of(col(Acceptance.order_id)) + ":" + text_of(col(Acceptance.member_id))
    held = ctx.session.exec(select(Acceptance).where(  # who was reminded is left out in SQL
        Acceptance.order_id == order.id, Acceptance.round == order.round,
        Acceptance.status == AcceptanceStatus.ACCEPTED, not_yet_sent(kind, subject))).all()
    for acceptance in held:
        if accepted_before is not None and acceptance.accepted_at >= accepted_before:
            continue
        if already_sent(ctx, kind, f"{order.id}:{acceptance.member_id}"):
            continue
        ctx.queue(people.to_member(ctx.session, acceptance.member_id, text))

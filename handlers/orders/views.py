"""How orders read in chat: names of states and duties, one-line and detailed views.

Public views never show the resident's phone or exact address; only members
who accepted an order receive those, privately.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from handlers.orders import arrival, states, whereabouts
from handlers.orders.duties import duty_name
from handlers.orders.followers import repeats
from handlers.orders.participation import accepted_members
from handlers.privacy import mask
from handlers.texts import t
from storage.models import Community, Identity, Order, OrderHistory, Rating
from storage.models import OrderStatus as S

WEEKDAYS = "一二三四五六日"

STATUS_NAMES: dict[S, str] = {status: t(f"status_{status.value}") for status in S}


def local_time(moment: datetime, timezone: str) -> str:
    """A UTC time as the community reads it, e.g. ``11-23 20:05``."""
    return moment.astimezone(ZoneInfo(timezone)).strftime("%m-%d %H:%M")


def public_text(order: Order) -> str:
    """The order's text as anyone but its accepted members may read it: personal data
    masked by the privacy guard (138****5678, 3栋2单元***)."""
    return mask(order.text)


def order_line(order: Order) -> str:
    """One line for lists: number, state, duty, places taken and the public text."""
    text = _shorten(public_text(order), 40)
    if order.status in states.LIVE:  # places taken mean something only then
        return t("order_line", id=order.id, status=STATUS_NAMES[order.status],
                 duty=duty_name(order.duty), taken=order.accepted_count,
                 capacity=order.capacity, text=text)
    return t("order_line_ended", id=order.id, status=STATUS_NAMES[order.status],
             duty=duty_name(order.duty), text=text)


def order_summary(order: Order, zone: str | None = None) -> str:
    """The whistle's body: duty, place, time, places needed and the public text.

    With the community's ``zone``, a time the bot understood also shows the date it
    resolved to, so "周六9点" cannot be read as the wrong Saturday.
    """
    parts = [t("summary_head", id=order.id, duty=duty_name(order.duty))]
    if order.place:
        parts.append(t("summary_place", place=order.place))
    when = when_label(order, zone)
    if when:
        parts.append(t("summary_when", when=when))
    parts.append(t("summary_capacity", taken=order.accepted_count, capacity=order.capacity))
    parts.append(public_text(order))
    return "\n".join(parts)


def when_label(order: Order, zone: str | None) -> str:
    """The time as written, with the date it resolved to: 周六9点（11月28日 周六 09:00）."""
    if order.event_at is None or zone is None:
        return order.when_text
    local = order.event_at.astimezone(ZoneInfo(zone))
    resolved = t("when_resolved", month=local.month, day=local.day,
                 weekday=WEEKDAYS[local.weekday()], time=local.strftime("%H:%M"))
    return t("when_with_date", when=order.when_text, resolved=resolved) if order.when_text \
        else resolved


def community_zone(session: Session, community_id: int) -> str:
    """The time zone a community reads times in."""
    return session.get_one(Community, community_id).timezone


def order_detail(session: Session, order: Order, timezone: str) -> str:
    """An admin's full view: summary, guesses, who accepted, and the whole history."""
    lines = [order_summary(order, timezone), t("detail_status", status=STATUS_NAMES[order.status])]
    where = whereabouts.place_line(session, order)
    lines += [where] if where else []
    if order.guesses:
        guesses = "、".join(f"{duty_name(g['duty'])} {g['score']:.2f}" for g in order.guesses)
        lines.append(t("detail_guesses", guesses=guesses))
    if order.beneficiary_name:
        filer = session.get(Identity, order.filed_by) if order.filed_by else None
        lines.append(t("detail_behalf", name=order.beneficiary_name,
                       building=order.beneficiary_building,
                       filer=filer.display_name or filer.user_id if filer else "—"))
    names = [m.name for m in accepted_members(session, order)]
    if names:
        lines.append(t("detail_members", names="、".join(names)))
    lines += arrival.arrival_lines(session, order, lambda at: local_time(at, timezone))
    lines += repeat_lines(order, repeats(session, order))
    lines += [rating_line(rating) for rating in session.exec(
        select(Rating).where(Rating.order_id == order.id).order_by(col(Rating.id))).all()]
    lines.append(t("detail_history"))
    for row in history(session, order):
        lines.append(t("history_line", at=local_time(row.at, timezone), actor=row.actor,
                       frm=STATUS_NAMES[row.from_status] if row.from_status else "—",
                       to=STATUS_NAMES[row.to_status], reason=row.reason))
    return "\n".join(lines)


def repeat_lines(order: Order, merged: list[Order]) -> list[str]:
    """The reports merged into the order (合并的反映) and how many residents follow it."""
    if not merged:
        return []
    lines = [t("detail_repeats", n=order.reports)]
    lines += [t("detail_repeat_line", id=r.id, text=_shorten(public_text(r), 40)) for r in merged]
    others = {r.resident_id for r in merged} - {None, order.resident_id}
    return [*lines, t("detail_followers", n=len(others))]


def reports_mark(order: Order) -> str:
    """🔺3人反映, before an order several residents reported; nothing for one."""
    return t("reports_mark", n=order.reports) if order.reports > 1 else ""


def rating_line(rating: Rating) -> str:
    """评价：2 星，意见：「桌椅摆得乱七八糟」, or 默认好评 for stars nobody gave."""
    if rating.by_default:
        return t("detail_rating_default")
    comment = t("detail_comment", comment=mask(rating.comment)) if rating.comment else ""
    return t("detail_rating", stars=rating.stars, comment=comment)


def history(session: Session, order: Order) -> list[OrderHistory]:
    """The order's history, oldest first."""
    return list(session.exec(select(OrderHistory).where(OrderHistory.order_id == order.id)
                             .order_by(col(OrderHistory.id))).all())


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def file_note(name: str) -> str:
    """Said instead of a file on a channel that cannot send files (WeChat's customer service)."""
    return t("file_not_sent", name=name)


def group_note() -> str:
    """Added under an actionable post in a WeCom group the bot cannot hear (a group robot's
    or an app group chat's)."""
    return t("group_answer_in_app")

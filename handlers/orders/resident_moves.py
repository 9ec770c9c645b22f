"""The resident's moves on an order (居民的操作): withdraw a need, pick its duty, rate the
work, and the close when the rating window passes in silence. Each goes through
``workflow.record``, the one state machine, in the caller's transaction.
"""

from __future__ import annotations

from handlers import people
from handlers.context import Context
from handlers.errors import WorkflowError
from handlers.ledger import points
from handlers.orders import followers, history, notices, participation, ratings, states
from handlers.orders.duties import duty_name
from handlers.orders.views import STATUS_NAMES
from handlers.orders.workflow import record
from handlers.texts import t
from storage.models import Order
from storage.models import OrderStatus as S


def withdraw(ctx: Context, order: Order, resident_id: int, actor: str) -> None:
    """The resident withdraws their own need (撤回) while nobody has arrived; the members
    who accepted it are told not to come."""
    if order.resident_id != resident_id:
        raise WorkflowError(t("withdraw_not_yours", id=order.id))
    if order.status not in states.WITHDRAWABLE:
        raise WorkflowError(t("withdraw_not_now", id=order.id,
                              status=STATUS_NAMES[order.status]))
    record(ctx, order, S.CANCELLED, actor, t("reason_resident_withdrew"))
    ctx.queue(notices.to_resident(ctx.session, order, t("resident_withdrew", id=order.id),
                                  followers=False))
    for acceptance in participation.acceptances(ctx.session, order):
        ctx.queue(people.to_member(ctx.session, acceptance.member_id,
                                   t("member_order_withdrawn", id=order.id)))


def resident_picks(ctx: Context, order: Order, duty: str | None, actor: str) -> None:
    """The resident picked the duty of a need the classifier was unsure of (居民自选类别);
    None means 其他, none of those offered. The order still waits for review.

    The caller records the pick as a labelled example first (``handlers.learning``, a layer
    above this one), while ``order.duty`` still holds the bot's guess.
    """
    if order.status not in states.AWAITING_REVIEW:
        raise WorkflowError(t("pick_not_now", id=order.id, status=STATUS_NAMES[order.status]))
    order.duty = duty
    history.note(ctx, order, actor, t("reason_picked", duty=duty_name(duty)))
    ctx.queue(people.to_admins(ctx.session, order.community_id,
                               t("admin_picked", id=order.id, duty=duty_name(duty))))


def rate(ctx: Context, order: Order, resident_id: int, stars: int, actor: str,
         comment: str = "") -> None:
    """The resident rates the work, with what they wrote beside the stars (``comment``):
    3★ or more closes the order, 2★ or less returns it.

    Residents whose repeats were merged into the order may rate it too (相同诉求): the
    first rating decides; a later one within the window is kept as their opinion.
    """
    if not followers.follows(ctx.session, order, resident_id):
        raise WorkflowError(t("rate_not_yours", id=order.id))
    if not 1 <= stars <= 5:
        raise WorkflowError(t("rate_bad_stars"))
    if order.status != S.AWAITING_RATING:
        ratings.rate_after(ctx, order, resident_id, stars, comment)
        return
    ratings.keep(ctx, order, resident_id, stars, comment)
    to = S.CLOSED if stars >= 3 else S.RETURNED
    record(ctx, order, to, actor, t("reason_rated", stars=stars))
    held = participation.acceptances(ctx.session, order)
    points.award_rating(ctx, order, stars, held)
    ctx.queue(notices.rated(ctx.session, order, stars, members=held, comment=comment))


def close_unrated(ctx: Context, order: Order, by_default: bool) -> None:
    """The rating window passed in silence: close the order, unrated, or as 默认好评 when
    the community's policy says so (a 5★ rating marked as given by default)."""
    if by_default:
        ratings.keep(ctx, order, order.resident_id, 5, by_default=True)
    reason = t("reason_default_good") if by_default else t("reason_unrated")
    record(ctx, order, S.CLOSED, t("actor_system"), reason)
    text = (t("resident_closed_default_good", id=order.id) if by_default
            else t("resident_closed_unrated", id=order.id))
    ctx.queue(notices.to_resident(ctx.session, order, text, followers=False))

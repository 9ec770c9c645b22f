"""One need, one order (相同诉求合并): a repeat joins the order it repeats, and an admin can
merge two orders (/merge) or take a wrong merge apart again (/unmerge).

The moves go through ``workflow.record`` like every other; the repeat's resident follows the
order it joined (``followers``), and the order counts one more report, which raises it on
/pending.
"""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import col

from handlers import people
from handlers.context import Context
from handlers.errors import WorkflowError
from handlers.orders import history, notices, participation, states, workflow
from handlers.orders.views import STATUS_NAMES
from handlers.texts import t
from storage.models import AcceptanceStatus, Order, stored_id
from storage.models import OrderStatus as S


def merge(ctx: Context, order: Order, into: Order, actor: str) -> None:
    """Fold ``order``, a repeat, into ``into``: its resident and its own followers follow
    ``into`` from now on, and ``into`` counts their reports."""
    workflow.record(ctx, order, S.MERGED, actor, t("reason_merged", id=into.id))
    # Set after the move is recorded: the history row's INSERT flushes what the order had
    # changed, and the order's new state and the order it joined are one UPDATE then.
    order.merged_into = into.id
    if order.reports > 1:  # the repeats merged into it follow the order it joins
        ctx.session.exec(update(Order).where(col(Order.merged_into) == order.id)
                         .values(merged_into=into.id))
    into.reports += order.reports
    order.reports = 1
    into.updated_at = ctx.now
    ctx.session.add(into)


def admin_merge(ctx: Context, into: Order, order: Order, actor: str) -> None:
    """/merge A B: B joins A; B's resident and followers are told, and A's history says so;
    the members who had accepted B are let go."""
    _check_admin_merge(order, into)
    # Told before the merge, while B's own followers are still B's.
    ctx.queue(notices.to_resident(ctx.session, order,
                                  t("resident_merged_by_admin", id=order.id, into=into.id)))
    _release_places(ctx, order, into)
    merge(ctx, order, into, actor)
    history.note(ctx, into, actor, t("reason_repeat_joined", id=order.id, reports=into.reports))


def _check_admin_merge(order: Order, into: Order) -> None:
    if order.id == into.id:
        raise WorkflowError(t("merge_self", id=order.id))
    if order.community_id != into.community_id:
        raise WorkflowError(t("merge_other_community", id=order.id, into=into.id))
    if order.status not in states.MERGEABLE:
        raise WorkflowError(t("merge_not_now", id=order.id, status=STATUS_NAMES[order.status]))
    if into.status not in states.MERGE_INTO:
        raise WorkflowError(t("merge_into_not_now", id=into.id,
                              status=STATUS_NAMES[into.status]))


def _release_places(ctx: Context, order: Order, into: Order) -> None:
    """The members who accepted the repeat are let go, and told where the work is now."""
    for acceptance in participation.acceptances(ctx.session, order):
        acceptance.status = AcceptanceStatus.RELEASED
        ctx.session.add(acceptance)
        ctx.queue(people.to_member(ctx.session, acceptance.member_id,
                                   t("member_order_merged", id=order.id, into=into.id)))
    order.accepted_count = 0


def unmerge(ctx: Context, order: Order, actor: str) -> Order | None:
    """/unmerge B: B was wrongly merged; it goes back for review as a need of its own, and
    the order it had joined counts one report fewer. Returns that order."""
    if order.status != S.MERGED or order.merged_into is None:
        raise WorkflowError(t("unmerge_not_merged", id=order.id,
                              status=STATUS_NAMES[order.status]))
    into = ctx.session.get(Order, order.merged_into)
    # Not through ``record``: this undoes a move rather than taking one (states.UNMERGED_TO).
    history.write_history(ctx, order, S.MERGED, states.UNMERGED_TO, actor,
                  t("reason_unmerged", id=order.merged_into))
    order.status, order.merged_into, order.updated_at = states.UNMERGED_TO, None, ctx.now
    ctx.session.add(order)
    if into is not None:
        into.reports = max(1, into.reports - 1)
        history.note(ctx, into, actor, t("reason_repeat_left", id=stored_id(order),
                                 reports=into.reports))
    ctx.queue(notices.to_resident(ctx.session, order,
                                  t("resident_unmerged", id=order.id), followers=False))
    ctx.queue([notices.review_needed(ctx.session, order)])
    return into

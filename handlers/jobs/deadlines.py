"""The order time rules (时限督办): unclaimed orders, rating reminders and closing, overdue.

Each rule finds, in a plain read, what is due at ``ctx.now`` from the deadlines stored on
the orders and works out its notices; ``run`` then acts through the workflow a few orders a
transaction, each step checking that its order is still as it was read, and records each
notice with ``already_sent`` so a second run, or a catch-up run after downtime, sends
nothing twice.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import replace
from datetime import timedelta

from sqlmodel import col, select

from handlers import people
from handlers.context import Context
from handlers.jobs.reminders import eve_of
from handlers.messages import Outgoing
from handlers.once import already_sent, not_yet_sent, text_of
from handlers.orders import notices, ranking, resident_moves, states, workflow
from handlers.orders.duties import duty_name
from handlers.orders.views import local_time, order_line
from handlers.rules.timerules import rules_for, timezone_of
from handlers.texts import t
from storage.db import owns_transaction, read_first
from storage.models import Acceptance, Community, Order, stored_id
from storage.models import OrderStatus as S

CANDIDATES = 5
ORDERS_A_TRANSACTION = 10  # a few escalations or closings: well under 200 ms of write lock
Step = Callable[[Context], None]


def unclaimed(ctx: Context, community: Community) -> list[Step]:
    """An order still short of members when its claim window ends goes to the admins once
    per round, with the members best placed to take it. An event short of members is told
    sooner, on the evening before it (when its members are reminded) if the claim window
    would only end later: a warning after the event is no use to anyone."""
    subject = text_of(col(Order.id)) + ":" + text_of(col(Order.round))
    due = ctx.session.exec(select(Order).where(
        Order.community_id == community.id, Order.status == S.OPEN,
        col(Order.claim_deadline) <= ctx.now, not_yet_sent("unclaimed", subject))).all()
    waiting = {o.id: o for o in [*due, *_short_on_the_eve(ctx, community)]}
    admins = _admins(ctx, community) if waiting else []
    steps = []
    for _, order in sorted(waiting.items()):
        text, reason = _unclaimed_notice(ctx, order)
        steps.append(_escalation(order, "unclaimed", f"{order.id}:{order.round}", {S.OPEN},
                                 reason, people.to_accounts(admins, text)))
    return steps


def _admins(ctx: Context, community: Community) -> list[tuple[str, str]]:
    """The accounts the community's escalations go to, read once for all its orders."""
    return people.admin_accounts(ctx.session, [stored_id(community)])[stored_id(community)]


def _escalation(order: Order, kind: str, subject: str, states_: Collection[S], reason: str,
                messages: list[Outgoing]) -> Step:
    """The step that escalates ``order`` once, if it is still in the round and one of the
    states it was read in (not claimed, closed or cancelled meanwhile)."""
    return _once(stored_id(order), order.round, states_, kind, subject,
                 lambda ctx, found: workflow.escalate(ctx, found, reason, messages))


def _once(order_id: int, round_: int, states_: Collection[S], kind: str, subject: str,
          act: Callable[[Context, Order], None]) -> Step:
    """The step that does ``act`` to the order once: only if it is still as it was read
    (``_still``), and only the first time notice ``kind`` about ``subject`` is recorded, so
    a second run, or a catch-up run, does nothing twice. The order is checked first, so a
    notice is recorded only when it is acted on."""

    def step(ctx: Context) -> None:
        found = _still(ctx, order_id, round_, states_)
        if found is not None and not already_sent(ctx, kind, subject):
            act(ctx, found)

    return step


def _still(ctx: Context, order_id: int, round_: int, states_: Collection[S]) -> Order | None:
    """The order, if it is still in the round and one of the states it was read in."""
    order = ctx.session.get(Order, order_id)
    if order is None or order.status not in states_ or order.round != round_:
        return None
    return order


def _unclaimed_notice(ctx: Context, order: Order) -> tuple[str, str]:
    """The admins' notice of an order short of members, and the history's reason."""
    names = "、".join(f"{c.name}（{c.reasons()}）" for c in candidates(ctx, order))
    names = names or t("candidates_none")
    line, duty = order_line(order), duty_name(order.duty)
    if order.claim_deadline is None or order.claim_deadline > ctx.now:  # the eve
        zone = timezone_of(ctx.session, order.community_id)
        when = local_time(order.event_at, zone) if order.event_at else ""
        return (t("admin_short_before_event", when=when, line=line, id=order.id,
                  candidates=names, taken=order.accepted_count, capacity=order.capacity,
                  duty=duty), t("reason_short_before_event"))
    return (t("admin_unclaimed", line=line, id=order.id, candidates=names,
              taken=order.accepted_count, capacity=order.capacity, duty=duty),
            t("reason_unclaimed"))


def _short_on_the_eve(ctx: Context, community: Community) -> list[Order]:
    """Open orders whose event is tomorrow and whose eve reminder time has come, whistled
    before it (one whistled later was just sent out knowing the time)."""
    soon = ctx.session.exec(select(Order).where(
        Order.community_id == community.id, Order.status == S.OPEN,
        col(Order.event_at) > ctx.now, col(Order.event_at) <= ctx.now + timedelta(days=2))).all()
    found = []
    for order in soon:
        if order.event_at is None:  # the query wants a time; this says so to the type checker
            continue
        rules = rules_for(ctx.session, ctx.policy, order.community_id)
        eve = eve_of(order.event_at, rules.event_eve_hour,
                     timezone_of(ctx.session, order.community_id))
        if order.opened_at is not None and order.opened_at < eve <= ctx.now:
            found.append(order)
    return found


def candidates(ctx: Context, order: Order) -> list[ranking.Candidate]:
    """Members to ask in person, best first, as ``handlers.orders.ranking`` ranks them:
    those of the order's community who claimed its duty and never accepted, withdrew from
    or were released from it, in any round."""
    tried = ctx.session.exec(select(Acceptance.member_id).distinct()
                             .where(Acceptance.order_id == order.id)).all()
    return ranking.ranked(ctx.session, order, ctx.policy, ctx.now, CANDIDATES,
                          duty_only=True, skip=tried)


def rating_reminder(ctx: Context, community: Community) -> list[Step]:
    """Remind the resident once, shortly before the rating window closes (at 20 h of 24).

    Orders already reminded are left out in SQL, so a re-run reads nothing and writes
    nothing."""
    rules = rules_for(ctx.session, ctx.policy, stored_id(community))
    if rules.rating_reminder_before >= rules.rating_window:  # no time to remind
        return []
    subject = text_of(col(Order.id)) + ":" + text_of(col(Order.round))
    due = ctx.session.exec(select(Order).where(
        Order.community_id == community.id, Order.status == S.AWAITING_RATING,
        col(Order.rating_deadline) > ctx.now,
        col(Order.rating_deadline) <= ctx.now + rules.rating_reminder_before,
        not_yet_sent("rating_reminder", subject)).order_by(col(Order.id))).all()
    return [_reminder(order, notices.rating_reminder(ctx.session, order)) for order in due]


def _reminder(order: Order, messages: list[Outgoing]) -> Step:
    """The step that reminds the resident once, unless the order was rated meanwhile."""
    return _once(stored_id(order), order.round, {S.AWAITING_RATING}, "rating_reminder",
                 f"{order.id}:{order.round}", lambda ctx, _: ctx.queue(messages))


def rating_close(ctx: Context, community: Community) -> list[Step]:
    """Close what the resident left unrated when the window ends (unrated, or 默认好评)."""
    due = ctx.session.exec(select(Order).where(Order.community_id == community.id,
                                               Order.status == S.AWAITING_RATING,
                                               col(Order.rating_deadline) <= ctx.now)).all()
    by_default = rules_for(ctx.session, ctx.policy, stored_id(community)).default_good_rating
    return [_closing(stored_id(order), order.round, by_default) for order in due]


def _closing(order_id: int, round_: int, by_default: bool) -> Step:
    """The step that closes the order unrated, unless it was rated meanwhile."""
    return _once(order_id, round_, {S.AWAITING_RATING}, "rating_closed", f"{order_id}:{round_}",
                 lambda ctx, order: resident_moves.close_unrated(ctx, order, by_default))


def overdue(ctx: Context, community: Community) -> list[Step]:
    """An order unfinished when it is overdue (14 days) is escalated to the admins, once."""
    due = ctx.session.exec(select(Order).where(
        Order.community_id == community.id, col(Order.status).in_(states.OUTSTANDING),
        col(Order.overdue_at) <= ctx.now, not_yet_sent("overdue", text_of(col(Order.id))))).all()
    admins = _admins(ctx, community) if due else []
    steps = []
    for order in due:
        days = (ctx.now - order.created_at).days
        text = t("admin_overdue", line=order_line(order), id=order.id, days=days)
        steps.append(_escalation(order, "overdue", str(order.id), states.OUTSTANDING,
                                 t("reason_overdue", days=days), people.to_accounts(admins, text)))
    return steps


def run(ctx: Context, community: Community) -> None:
    """Every order time rule for one community's orders, worked out in a plain read (no
    write lock while the candidates are ranked), then written ``ORDERS_A_TRANSACTION``
    orders a transaction. Closing goes before reminding, so a catch-up after downtime never
    reminds a resident of a window that has already closed."""
    with read_first(ctx.session) as reader:
        seen = replace(ctx, session=reader)
        steps = [*unclaimed(seen, community), *rating_close(seen, community),
                 *rating_reminder(seen, community), *overdue(seen, community)]
    commit = owns_transaction(ctx.session)
    for first in range(0, len(steps), ORDERS_A_TRANSACTION):
        for step in steps[first:first + ORDERS_A_TRANSACTION]:
            step(ctx)
        if commit:  # a short transaction each; the steps re-check what they act on
            ctx.session.commit()

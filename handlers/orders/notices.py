"""The messages each step of an order's life sends, and to whom (those of a member's place
on it are in ``place_notices``)."""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet

from sqlmodel import Session

from handlers import fanout, people
from handlers.context import Context
from handlers.messages import Button, Outgoing
from handlers.orders import followers as following
from handlers.orders import ranking
from handlers.orders.duties import duty_name
from handlers.orders.matching import whistle_targets
from handlers.orders.views import community_zone, order_line, order_summary
from handlers.orders.whistled import record_whistled
from handlers.queued import ToEach
from handlers.recipients import any_of
from handlers.texts import t
from storage.models import Acceptance, Community, Member, Order, WhistleStage, stored_id
from storage.models import OrderStatus as S


def accept_button(order: Order) -> tuple[Button, ...]:
    """The whistle's 接单 button."""
    return (Button(t("button_accept"), f"accept:{order.id}"),)


def rating_buttons(order: Order) -> tuple[Button, ...]:
    """One to five stars, as buttons."""
    return tuple(Button("★" * n, f"rate:{order.id}:{n}") for n in range(1, 6))


def to_resident(session: Session, order: Order, text: str,
                buttons: tuple[Button, ...] = (), followers: bool = True) -> list[Outgoing]:
    """Private messages to the resident who filed the order, and (unless ``followers`` is
    False) to the residents whose repeats of it were merged into it."""
    messages = people.to_resident(session, order.resident_id, text, buttons)
    if followers:
        for resident_id in following.followers(session, order):
            messages += people.to_resident(session, resident_id, text)
    return messages


def review_needed(session: Session, order: Order, unsure: bool = False) -> ToEach:
    """Tell the community's admins a need waits for their review (吹哨把关), chosen by the
    INSERT that queues the message; when the classifier is ``unsure``, with its candidates
    and their shares, for the admin to choose."""
    community = session.get_one(Community, order.community_id).name
    if unsure:
        shown = "　".join(f"{n}. {duty_name(g['duty'])} {round(g['score'] * 100)}%"
                         for n, g in enumerate(order.guesses[:3], start=1))
        example = duty_name(order.guesses[0]["duty"])
        text = t("admin_review_unsure", community=community, line=order_line(order),
                 candidates=shown, id=order.id, example=example)
        return people.admins_of(order.community_id, text)
    guesses = "、".join(f"{duty_name(g['duty'])}" for g in order.guesses[:3]) or t("duty_none")
    text = t("admin_review", community=community, line=order_line(order), guesses=guesses,
             id=order.id)
    return people.admins_of(order.community_id, text)


def approved(session: Session, order: Order, reopened: bool = False) -> list[Outgoing]:
    """Tell the resident their need is open (or reopened) and being whistled."""
    text = (t("resident_reopened", id=order.id) if reopened
            else t("resident_opened", id=order.id, duty=duty_name(order.duty)))
    return to_resident(session, order, text)


def whistle_text(order: Order, zone: str) -> str:
    """The whistle's words, its time read in the community's ``zone`` (its contact details
    masked later, as every group message's)."""
    return t("whistle", summary=order_summary(order, zone), id=order.id)


def whistle(ctx: Context, order: Order, skip: AbstractSet[int] = frozenset()) -> None:
    """Blow the whistle (吹哨): privately to the best-ranked members of the duty
    (``handlers.orders.ranking``, the first ``RankingPolicy.first_members``, but ``skip``
    and those whistled already this round), and to the groups. Should the order stay short,
    ``handlers.jobs.widening`` widens it to the whole duty, then to the whole community.

    An order whose place came free is whistled again by ``handlers.orders.rewhistle``.

    The members' messages are one INSERT … SELECT however many they are (``handlers.fanout``).
    """
    session = ctx.session
    text = whistle_text(order, community_zone(session, order.community_id))
    buttons = accept_button(order)
    first = ranking.candidates(session, order, ctx.policy, ctx.now, duty_only=True,
                               whistle=True, skip=skip)
    whistled = record_whistled(ctx, stored_id(order), order.round, WhistleStage.TOP,
                                      first.limit(ctx.policy.ranking.first_members))
    order.whistle_stage, order.whistled_at = WhistleStage.TOP, ctx.now
    queued = fanout.to_members(ctx, whistled, text, buttons)
    if not queued:
        nobody_whistled(ctx, order, skip)
    ctx.queue(people.to_groups(session, order.community_id, text, buttons))


def nobody_whistled(ctx: Context, order: Order, skip: AbstractSet[int]) -> None:
    """Nobody was whistled: when nobody claimed the duty either, a person has to find
    someone."""
    if not any_of(ctx.session, whistle_targets(order, skip)):
        ctx.queue(people.to_admins(ctx.session, order.community_id,
                                   t("admin_nobody_whistled", id=order.id,
                                     duty=duty_name(order.duty))))


def rating_given(order: Order, stars: int) -> str:
    """The rating request rewritten once the resident pressed a star."""
    return t("rating_given", id=order.id, stars="★" * stars)


def finished(session: Session, order: Order, member: Member) -> list[Outgoing]:
    """Confirm completion to the member; ask the resident to rate."""
    messages = people.to_member(session, stored_id(member), t("member_done", id=order.id))
    ask = (t("resident_rate_behalf", id=order.id, name=member.name,
             beneficiary=order.beneficiary_name) if order.beneficiary_name
           else t("resident_rate", id=order.id, name=member.name))
    messages += to_resident(session, order, ask, rating_buttons(order), followers=False)
    # Who reported the same need is asked too; the first rating decides (see resident_moves.rate).
    return messages + _ask_followers(session, order,
                                     t("follower_rate", id=order.id, name=member.name))


def rating_reminder(session: Session, order: Order) -> list[Outgoing]:
    """Remind whoever was asked to rate, on the beneficiary's behalf for a 代办 need."""
    text = (t("resident_rate_reminder_behalf", id=order.id, beneficiary=order.beneficiary_name)
            if order.beneficiary_name else t("resident_rate_reminder", id=order.id))
    return (to_resident(session, order, text, rating_buttons(order), followers=False)
            + _ask_followers(session, order, t("resident_rate_reminder", id=order.id)))


def _ask_followers(session: Session, order: Order, text: str) -> list[Outgoing]:
    """Ask the residents whose repeats were merged into ``order`` to rate it, with buttons."""
    return [message for resident_id in following.followers(session, order)
            for message in people.to_resident(session, resident_id, text,
                                              rating_buttons(order))]


def rated(session: Session, order: Order, stars: int, members: Sequence[Acceptance],
          comment: str = "") -> list[Outgoing]:
    """Thank the resident, tell the members their rating; a return goes to the admins, with
    what the resident wrote (``comment``)."""
    thanks = (t("resident_thanks", id=order.id, stars=stars) if order.status == S.CLOSED
              else t("resident_thanks_returned", id=order.id, stars=stars))
    messages = to_resident(session, order, thanks)
    for acceptance in members:
        messages += people.to_member(session, acceptance.member_id,
                                     t("member_rated", id=order.id, stars=stars))
    if order.status == S.RETURNED:
        messages += people.to_admins(session, order.community_id,
                                     t("admin_returned", id=order.id, stars=stars,
                                       comment=t("comment_line", comment=comment)
                                       if comment else ""))
    return messages

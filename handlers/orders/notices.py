"""The messages each step of an order's life sends, and to whom."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from typing import TypedDict

from sqlmodel import Session

from handlers import fanout, people
from handlers.context import Context
from handlers.messages import Button, Outgoing
from handlers.orders import followers as following
from handlers.orders import ranking, states
from handlers.orders.duties import duty_name
from handlers.orders.matching import whistle_targets
from handlers.orders.views import community_zone, order_line, order_summary
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


def whistle_text(session: Session, order: Order) -> str:
    """The whistle's words (its contact details masked later, as every group message's)."""
    return t("whistle", summary=order_summary(order, community_zone(session, order.community_id)),
             id=order.id)


def whistle(ctx: Context, order: Order, skip: AbstractSet[int] = frozenset()) -> None:
    """Blow the whistle (吹哨): privately to the best-ranked members of the duty
    (``handlers.orders.ranking``, the first ``RankingPolicy.first_members``, but ``skip``
    and those whistled already this round), and to the groups. Should the order stay short,
    ``handlers.jobs.widening`` widens it to the whole duty, then to the whole community.

    An order whose place came free is whistled again by ``handlers.orders.rewhistle``.

    The members' messages are one INSERT … SELECT however many they are (``handlers.fanout``).
    """
    session = ctx.session
    text, buttons = whistle_text(session, order), accept_button(order)
    first = ranking.candidates(session, order, ctx.policy, ctx.now, duty_only=True,
                               whistle=True, skip=skip)
    whistled = fanout.record_whistled(ctx, stored_id(order), order.round, WhistleStage.TOP,
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


def whistle_state(order: Order, zone: str | None = None) -> tuple[str, tuple[Button, ...]]:
    """A whistle rewritten after an accept: places taken, and the 接单 button only while
    places are free."""
    summary = order_summary(order, zone)
    taken, capacity = order.accepted_count, order.capacity
    if order.status in states.TAKING_SIGN_UPS and taken < capacity:
        return (t("whistle_taken", summary=summary, id=order.id, taken=taken,
                  capacity=capacity, free=capacity - taken), accept_button(order))
    return t("whistle_full", summary=summary, taken=taken, capacity=capacity), ()


def rating_given(order: Order, stars: int) -> str:
    """The rating request rewritten once the resident pressed a star."""
    return t("rating_given", id=order.id, stars="★" * stars)


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


def finished(session: Session, order: Order, member: Member) -> list[Outgoing]:
    """Confirm completion to the member; ask the resident to rate."""
    messages = people.to_member(session, stored_id(member), t("member_done", id=order.id))
    ask = (t("resident_rate_behalf", id=order.id, name=member.name,
             beneficiary=order.beneficiary_name) if order.beneficiary_name
           else t("resident_rate", id=order.id, name=member.name))
    messages += to_resident(session, order, ask, rating_buttons(order), followers=False)
    # Who reported the same need is asked too; the first rating decides (see workflow.rate).
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


def released_each(session: Session,
                  held: Sequence[tuple[Order, Member, Acceptance]]) -> list[Outgoing]:
    """No-shows' places freed (after the orders' counts went down): each member is told
    why; the admins hear of each, with the places taken as that one was freed. The
    accounts are read in two SELECTs however many places."""
    later = Counter(order.id for order, _, _ in held)
    counts = []
    for order, _, _ in held:  # taken once this place was freed: the later ones still held
        later[order.id] -= 1
        counts.append(_counts(order) | {"taken": order.accepted_count + later[order.id]})
    messages = people.to_each_member(session, [(stored_id(member), t("member_no_show",
                                                                     id=order.id))
                                                for order, member, _ in held])
    admins = people.admin_accounts(session, {order.community_id for order, _, _ in held})
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

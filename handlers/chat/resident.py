"""Resident actions (居民点单): file a need, in the community it belongs to (following one's
orders and rating the work: ``handlers.chat.own_orders``)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select as wide_select

from handlers import people
from handlers.chat import conversation, lookup, picking
from handlers.chat.request import Request
from handlers.context import Context
from handlers.errors import WorkflowError
from handlers.learning import learned
from handlers.messages import Outgoing
from handlers.orders import matching, workflow
from handlers.orders.duties import duty_name
from handlers.remembered import remembered_community
from handlers.texts import t
from nlu import (
    Classification,
    classify,
    extract_capacity,
    extract_phone,
    extract_place,
    extract_when,
    public_place,
)
from storage.messaging import Conversation
from storage.models import Community, Order, Resident, stored_id
from storage.models import OrderStatus as S
from storage.rows import attach_joined, core, new_row, table_of
from storage.timers import TimeRules

MAX_NEED_CHARS = 1000


def need(ctx: Context, req: Request) -> list[Outgoing]:
    """/need text: file a need explicitly, whatever the classifier thinks of it."""
    text = " ".join(req.args)
    if not text:
        raise WorkflowError(t("usage_need"))
    return file_need(ctx, req, text, classify(text))


@dataclass(frozen=True)
class Beneficiary:
    """The person a need is filed for by someone else (代办): their name, their building
    and, when they have one, their phone."""

    name: str
    building: str
    phone: str = ""


Where = tuple[Community | None, Resident | None]
"""The sender's community and their resident row when finding it read it (``which_community``)."""


def file_need(ctx: Context, req: Request, text: str, found: Classification,
              where: Where | None = None) -> list[Outgoing]:
    """Turn a need into a submitted order in the sender's community, asking which if unsure.

    Args:
        where: ``which_community``'s answer, when the caller asked it already; a caller that
            did has read ``found`` with that community's learning too (``file_for``'s
            ``refined``), so it is not read again.
    """
    community, known = which_community(ctx, req) if where is None else where
    if community is None:
        _check_length(text)
        return conversation.ask_community(ctx, req, text)
    order = file_for(ctx, req, community, text, found, known=known,
                     refined=where is not None)
    if not req.incoming.is_group and order.status == S.SUBMITTED \
            and matching.unsure(order, ctx.policy):
        return picking.ask(ctx, req, order)  # unsure: the resident knows best
    text = _filed_reply(ctx, order)
    if req.incoming.is_group:
        text = f"@{req.identity.display_name or req.incoming.user_id} {text}"
    return req.reply(text)


def file_for(ctx: Context, req: Request, community: Community, text: str,
             found: Classification, beneficiary: Beneficiary | None = None,
             known: Resident | None = None, refined: bool = False) -> Order:
    """File the sender's need in ``community``, or one for ``beneficiary`` (代办): the sender
    is the order's resident either way, so progress and the rating request reach them.
    ``known`` is the sender's resident row when the caller read it already; ``refined``: the
    caller read ``found`` with the community's learning already."""
    _check_length(text)
    if not refined:
        found = learned.refine(ctx.session, stored_id(community), text, found)
    address = extract_place(text) or ""
    shared = req.incoming.location  # a location sent with the need is where it is
    if beneficiary is None:
        resident = people.resident_for(ctx.session, req.identity,
                                       community_id=stored_id(community),
                                       phone=extract_phone(text), known=known)
        phone = resident.phone
    else:
        resident = people.resident_for(ctx.session, req.identity, known=known)
        resident.community_id = resident.community_id or community.id
        # The contact is the beneficiary's phone when they have one, else the filer's.
        phone = beneficiary.phone or extract_phone(text) or _filer_phone(ctx, req, resident)
        address = address or beneficiary.building
    order = new_row(
        Order, community_id=stored_id(community), resident_id=resident.id, duty=found.duty,
        text=text, confidence=found.confidence,
        address=address, place=public_place(address), phone=phone,
        lat=shared.lat if shared else None, lon=shared.lon if shared else None,
        when_text=extract_when(text) or "", capacity=extract_capacity(text) or 1,
        guesses=[{"duty": c.duty, "score": round(c.score, 3)} for c in found.candidates[:3]],
        source_channel=req.incoming.channel,
        source_chat=req.incoming.chat_id if req.incoming.is_group else None,
        created_at=ctx.now, updated_at=ctx.now,
    )
    if beneficiary is not None:
        order.beneficiary_name, order.beneficiary_building = beneficiary.name, beneficiary.building
        order.beneficiary_phone, order.filed_by = beneficiary.phone, req.identity.id
    workflow.submit(ctx, order, req.actor)
    return order


def _check_length(text: str) -> None:
    if len(text) > MAX_NEED_CHARS:
        raise WorkflowError(t("need_too_long", limit=MAX_NEED_CHARS))


def _filer_phone(ctx: Context, req: Request, resident: Resident) -> str:
    member = people.member_of(ctx.session, req.identity)
    return resident.phone or (member.phone if member else "")


def _filed_reply(ctx: Context, order: Order) -> str:
    if order.status == S.MERGED:
        original = ctx.session.get(Order, order.merged_into)
        if original is not None and original.resident_id == order.resident_id:
            return t("filed_again", into=order.merged_into)
        return t("filed_merged", id=order.id, into=order.merged_into)
    community = ctx.session.get_one(Community, order.community_id).name
    if order.status == S.OPEN:
        return t("filed_open", id=order.id, duty=duty_name(order.duty), community=community)
    return t("filed_review", id=order.id, duty=duty_name(order.duty), community=community)


def answer_community(ctx: Context, req: Request, convo: Conversation) -> list[Outgoing]:
    """The resident named their community: remember it and file the need they wrote."""
    answer = req.incoming.text.strip()
    community = people.community_named(ctx.session, answer)
    if community is None:
        found = classify(answer)
        if found.is_request:  # another need, not an answer: keep it with the first
            return conversation.ask_community(ctx, req, answer)
        dropped = conversation.stopped(ctx, req, convo, answer)
        if dropped is not None:
            return dropped
        return req.reply(t("ask_community_again", names=conversation.community_names(ctx)))
    conversation.end(ctx, convo)
    people.resident_for(ctx.session, req.identity, community_id=stored_id(community))
    replies: list[Outgoing] = []
    for text in convo.data.get("texts", []):
        replies += file_need(ctx, req, text, classify(text))
    return replies


_SOME_COMMUNITIES = people.with_community_notes(
    wide_select(*table_of(Community).c, *table_of(TimeRules).c), table_of(Community).c.id
).limit(2)
"""Two communities, with their time rules and learning's stamp: whether there is only
one; built once."""


def which_community(ctx: Context, req: Request) -> Where:
    """The group's community; else the resident's remembered one; else the only one. With
    it the sender's resident row, when finding the community read it."""
    bound = lookup.group_community(ctx.session, req)
    if bound is not None:
        return bound, None
    remembered, resident = remembered_community(ctx.session, req.identity)
    if remembered is not None:
        return remembered, resident
    communities = core(ctx.session).execute(_SOME_COMMUNITIES).all()
    if len(communities) != 1:
        return None, resident
    only, rules = attach_joined(ctx.session, communities[0], Community, TimeRules)
    people.note_community(ctx.session, only, rules, communities[0])
    return only, resident

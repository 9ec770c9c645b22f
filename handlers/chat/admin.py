"""Community admin commands (社区把关): review, dispatch, follow up, bind groups."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import update
from sqlmodel import col, select

from handlers import people
from handlers.chat import lookup
from handlers.chat.request import Request
from handlers.context import Context
from handlers.errors import WorkflowError
from handlers.learning import examples
from handlers.learning.examples import Source
from handlers.messages import Button, Incoming, Outgoing
from handlers.orders import history, places, ranking, states, workflow
from handlers.orders.duties import duty_code, duty_name, is_duty
from handlers.orders.participation import accepted_members
from handlers.orders.views import STATUS_NAMES, order_detail, order_line, reports_mark
from handlers.rules.targets import lights
from handlers.texts import t
from nlu import extract_phone, extract_place, public_place, resolve_when
from storage.models import Community, GroupChat, Order, stored_id
from storage.models import OrderStatus as S

LIST_LIMIT = 30
MAX_EVENT_CHARS = 1000
MAX_WHEN_CHARS = 50
CANDIDATES_LISTED = 10
"""How many ranked members /assign without a member lists, a button each."""


def pending(ctx: Context, req: Request) -> list[Outgoing]:
    """/pending: needs waiting for review, and returned orders."""
    return _listing(ctx, req, states.AWAITING_REVIEW, t("pending_title"), by_reports=True)


def orders(ctx: Context, req: Request) -> list[Outgoing]:
    """/orders [status]: the community's orders, newest first; a status by code or name."""
    if not req.args:
        return _listing(ctx, req, list(S), t("orders_title"))
    by_name = {name: code for code, name in STATUS_NAMES.items()}
    wanted = S(req.args[0]) if req.args[0] in STATUS_NAMES else by_name.get(req.args[0])
    if wanted is None:
        raise WorkflowError(t("bad_status", arg=req.args[0],
                              statuses="、".join(STATUS_NAMES.values())))
    return _listing(ctx, req, [wanted], t("orders_title"))


def _listing(ctx: Context, req: Request, statuses: Collection[S], title: str,
             by_reports: bool = False) -> list[Outgoing]:
    """``by_reports``: what more residents reported comes first (多人反映, /pending)."""
    communities = req.communities
    first = (col(Order.reports).desc(),) if by_reports else ()
    rows = ctx.session.exec(
        select(Order).where(col(Order.community_id).in_(communities),
                            col(Order.status).in_(statuses))
        .order_by(*first, col(Order.id).desc()).limit(LIST_LIMIT)
    ).all()
    if not rows:
        return req.tell(t("list_empty", title=title))
    names = dict(ctx.session.exec(
        select(Community.id, Community.name).where(col(Community.id).in_(communities))).all())
    lines = [reports_mark(o) + order_line(o) for o in rows]
    if len(names) > 1:  # a district admin needs to know whose order each is
        lines = [f"〔{names[o.community_id]}〕{line}" for o, line in zip(rows, lines, strict=True)]
    glow = lights(ctx.session, rows, ctx.policy, ctx.now)  # 三色督办
    lines = [glow[stored_id(o)] + line for o, line in zip(rows, lines, strict=True)]
    return req.tell("\n".join([t("list_title", title=title, n=len(rows))] + lines))


def order(ctx: Context, req: Request) -> list[Outgoing]:
    """/order ID: the order in full, with its history (told privately)."""
    found = req.order
    community = ctx.session.get_one(Community, found.community_id)
    return req.tell(order_detail(ctx.session, found, community.timezone))


def approve(ctx: Context, req: Request) -> list[Outgoing]:
    """/approve ID [duty] [time]: open a submitted order, or reopen a returned one; with a
    time (周六上午9点), at that new time."""
    found = req.order
    rest = list(req.args[1:])
    # A first word that is no duty and does not begin a time is a mistyped duty: say which
    # duties there are rather than read it as part of the time.
    naive_now = ctx.now.replace(tzinfo=None)
    names_time = bool(rest) and resolve_when(rest[0], naive_now) is not None
    duty = duty_code(rest.pop(0)) if rest and (is_duty(rest[0]) or not names_time) else None
    when = " ".join(rest) or None
    if found.status == S.SUBMITTED and (duty or found.duty):
        # The first review teaches; reopening a returned order judges the work, not the duty.
        source = Source.APPROVE if duty in (None, found.duty) else Source.CORRECT
        examples.record(ctx.session, found, duty or found.duty or "", source, ctx.now)
    workflow.open_order(ctx, found, req.actor, duty, when=when)
    return req.reply(t("admin_approved", id=found.id))


def reject(ctx: Context, req: Request) -> list[Outgoing]:
    """/reject ID reason: turn a need down, with the reason the resident will read."""
    found = req.order
    workflow.reject(ctx, found, req.actor, " ".join(req.args[1:]))
    return req.reply(t("admin_rejected", id=found.id))


def cancel(ctx: Context, req: Request) -> list[Outgoing]:
    """/cancel ID reason: cancel an unfinished order."""
    found = req.order
    workflow.cancel(ctx, found, req.actor, " ".join(req.args[1:]))
    return req.reply(t("admin_cancelled", id=found.id))


def recat(ctx: Context, req: Request) -> list[Outgoing]:
    """/recat ID duty: put an order under another duty."""
    found = req.order
    if len(req.args) < 2:
        raise WorkflowError(t("usage_recat"))
    duty = duty_code(req.args[1])
    examples.record(ctx.session, found, duty, Source.RECAT, ctx.now)
    workflow.recategorise(ctx, found, req.actor, duty)
    return req.reply(t("admin_recat", id=found.id))


def assign(ctx: Context, req: Request) -> list[Outgoing]:
    """/assign ID [member]: give a place on an open order to a named member; without one,
    the members ranked for it, with reasons and a button each (pressing one assigns)."""
    found = req.order
    member = (lookup.member_named(ctx.session, found.community_id, req.args[1])
              if len(req.args) > 1 else None)
    if member is not None and member.id in {m.id for m in accepted_members(ctx.session, found)}:
        raise WorkflowError(t("assign_already", id=found.id, name=member.name))
    if found.status != S.OPEN:
        raise WorkflowError(t("assign_not_open", id=found.id, status=STATUS_NAMES[found.status]))
    if member is None:
        return _candidates(ctx, req, found)
    places.accept(ctx, found, member, req.actor)
    history.note(ctx, found, req.actor, t("reason_assigned", name=member.name))
    done = t("admin_assigned", id=found.id, name=member.name)
    if found.duty is not None and found.duty not in member.duties:
        duty = duty_name(found.duty)
        ctx.queue(people.to_member(ctx.session, stored_id(member),
                                   t("member_assigned_unclaimed", id=found.id, duty=duty)))
        done += "\n" + t("admin_assigned_unclaimed", name=member.name, duty=duty)
    return req.reply(done)


def _candidates(ctx: Context, req: Request, found: Order) -> list[Outgoing]:
    """The members ranked for an order, best first, each with its reasons and a button."""
    ranked = ranking.ranked(ctx.session, found, ctx.policy, ctx.now, CANDIDATES_LISTED)
    if not ranked:
        raise WorkflowError(t("assign_nobody", id=found.id))
    lines = [t("assign_candidate", n=n, name=c.name, reasons=c.reasons())
             for n, c in enumerate(ranked, 1)]
    buttons = tuple(Button(t("button_assign", name=c.name), f"assign:{found.id}:{c.member_id}")
                    for c in ranked)
    return req.tell("\n".join([t("assign_candidates", id=found.id)] + lines), buttons)


def whistle(ctx: Context, req: Request) -> list[Outgoing]:
    """/whistle duty capacity when text: the community calls an event itself (社区吹哨)."""
    community = req.community
    if len(req.args) < 4:
        raise WorkflowError(t("usage_whistle"))
    duty = duty_code(req.args[0])
    if not req.args[1].isdecimal() or not 1 <= int(req.args[1]) <= 1000:
        raise WorkflowError(t("bad_capacity", arg=req.args[1]))
    text = " ".join(req.args[3:])
    if len(text) > MAX_EVENT_CHARS or len(req.args[2]) > MAX_WHEN_CHARS:
        raise WorkflowError(t("event_too_long", limit=MAX_EVENT_CHARS, when=MAX_WHEN_CHARS))
    address = extract_place(text) or ""
    event = Order(community_id=stored_id(community), duty=duty, text=text,
                  capacity=int(req.args[1]), when_text=req.args[2], address=address,
                  place=public_place(address),
                  phone=extract_phone(text) or "",
                  source_channel=req.incoming.channel, created_at=ctx.now, updated_at=ctx.now)
    workflow.call_event(ctx, event, req.actor)
    return req.reply(t("admin_whistled", id=event.id))


def bind(ctx: Context, req: Request) -> list[Outgoing]:
    """/bind COMMUNITY, in a group: whistles for that community are posted here too."""
    community_id = stored_id(req.community)
    chat = ctx.session.exec(select(GroupChat).where(
        col(GroupChat.channel) == req.incoming.channel,
        col(GroupChat.chat_id) == req.incoming.chat_id)
    ).first() or GroupChat(channel=req.incoming.channel, chat_id=req.incoming.chat_id,
                           community_id=community_id)
    chat.community_id = community_id
    ctx.session.add(chat)
    return req.reply(t("bound", community=req.community.name))


def group_moved(ctx: Context, incoming: Incoming, new: str) -> list[Outgoing]:
    """The platform gave a group the new id ``new``: its binding and its orders follow it."""
    old = incoming.chat_id
    chat = ctx.session.exec(select(GroupChat).where(
        col(GroupChat.channel) == incoming.channel, col(GroupChat.chat_id) == old)).first()
    taken = ctx.session.exec(select(GroupChat.id).where(
        col(GroupChat.channel) == incoming.channel, col(GroupChat.chat_id) == new)).first()
    if chat is not None and taken is None:
        chat.chat_id = new
        ctx.session.add(chat)
    ctx.session.execute(update(Order).where(col(Order.source_channel) == incoming.channel,
                                            col(Order.source_chat) == old)
                        .values(source_chat=new))
    return []


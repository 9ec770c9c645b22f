"""Multi-step conversations kept in storage, so a restart resumes them.

Flows: ``register`` (党员注册: name, phone, unit, grid, free time, skills, duties),
``community`` (asking a resident, once, which community a need belongs to), ``profile``
(/me 修改), ``behalf`` (代办), ``withdraw`` (a resident confirming a withdrawal) and ``duty``
(a resident picking the duty of a need the classifier was unsure of).

A command typed mid-flow is handled as that command, never saved as an answer: a look-up
(``ASIDE``) leaves the flow where it was and puts its question again; any other command
leaves it and says so. A need waiting for its community always waits.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import ColumnElement, exists
from sqlmodel import Session, col, select

from handlers import people
from handlers.chat import steps
from handlers.chat.request import Request
from handlers.context import Context
from handlers.errors import WorkflowError
from handlers.ledger import points
from handlers.messages import Incoming, Outgoing
from handlers.texts import t
from storage.messaging import Conversation
from storage.models import Community, Identity, Member
from storage.rows import table_of

STEPS = ("community", "name", "phone", "unit", "grid", "free_time", "skills", "duties")
CANCEL_WORDS = frozenset({"取消", "算了", "退出", "不注册了", "不用了", "/cancel"})
LAPSE = timedelta(hours=24)
ASIDE = frozenset({"help", "start", "me", "my", "top"})
"""Commands that only show something: a conversation under way resumes after them."""
RESUMABLE = frozenset({"register", "profile", "behalf"})
"""Flows that put their question again after a look-up."""
LEFT = {"register": "register_left", "profile": "profile_left", "behalf": "behalf_left",
        "withdraw": "withdraw_left", "duty": "pick_left"}
"""What the sender is told when a command leaves each flow."""
STOPPED = {"register": "register_cancelled", "profile": "profile_cancelled",
           "behalf": "behalf_cancelled", "community": "ask_community_dropped"}
"""What the sender is told when a cancel word stops each flow (``stopped``)."""


def active(ctx: Context, req: Request) -> Conversation | None:
    """The sender's conversation, if one is under way; conversations happen in private chats.

    A question left unanswered for a day lapses, so a need written days later is taken as a
    need, not as the answer to an old question; only a need waiting for its community is
    kept until it is answered.
    """
    i = req.incoming
    if i.is_group or (i.channel, i.user_id) in ctx.session.info.get(_NONE_UNDER_WAY, ()):
        return None
    convo = ctx.session.exec(select(Conversation).where(
        Conversation.channel == i.channel, Conversation.chat_id == i.user_id,
        Conversation.user_id == i.user_id)).first()
    if convo is not None and convo.flow != "community" and convo.updated_at < ctx.now - LAPSE:
        end(ctx, convo)
        return None
    return convo


_NONE_UNDER_WAY = "whistle_no_conversation"
"""The session's note of the senders known to have no conversation (channel, user id)."""


def conversing(channel: ColumnElement[str], user: ColumnElement[str]) -> ColumnElement[bool]:
    """SQL: whether the sender (``channel``, ``user``) has a conversation under way
    (``no_conversation`` notes the answer when it is no, so ``active`` need not ask again)."""
    talks = table_of(Conversation).c
    return exists().where(talks.channel == channel, talks.chat_id == user,
                          talks.user_id == user)


def no_conversation(session: Session, incoming: Incoming) -> None:
    """Note, for this transaction, that the sender has no conversation under way."""
    session.info.setdefault(_NONE_UNDER_WAY, set()).add((incoming.channel, incoming.user_id))


def end(ctx: Context, convo: Conversation) -> None:
    """Forget a finished or abandoned conversation."""
    ctx.session.delete(convo)


def save(ctx: Context, req: Request, flow: str, step: str, data: dict) -> None:
    """Start the sender's conversation ``flow`` at ``step``, or move theirs on to it."""
    convo = active(ctx, req) or Conversation(
        channel=req.incoming.channel, chat_id=req.incoming.user_id,
        user_id=req.incoming.user_id, flow=flow, step=step, updated_at=ctx.now)
    convo.flow, convo.step, convo.data, convo.updated_at = flow, step, data, ctx.now
    ctx.session.add(convo)
    ctx.session.info.get(_NONE_UNDER_WAY, set()).discard(
        (req.incoming.channel, req.incoming.user_id))


def ask_community(ctx: Context, req: Request, text: str) -> list[Outgoing]:
    """Keep the need and ask, privately, which community it is for; later needs queue up."""
    waiting = active(ctx, req)
    texts = waiting.data.get("texts", []) if waiting and waiting.flow == "community" else []
    save(ctx, req, "community", "community", {"texts": [*texts, text]})
    return req.tell(t("ask_community", names=community_names(ctx)))


def set_aside(ctx: Context, req: Request, convo: Conversation,
              command: str | None) -> list[Outgoing]:
    """A command (named ``command``; None for an unknown one) interrupted ``convo``: what
    to say after the command's own answer, leaving the flow or keeping it."""
    if convo.flow == "community":
        return req.tell(t("ask_community_still", names=community_names(ctx)))
    if command in ASIDE and convo.flow in RESUMABLE:
        return req.tell(t("flow_resumed") + steps.prompt(ctx, convo.step, convo.data))
    end(ctx, convo)
    return req.tell(t(LEFT[convo.flow], id=convo.data.get("order_id", "")))


def cancel_words(answer: str) -> bool:
    """Whether an answer means "stop asking me" (取消, 算了, 退出…)."""
    return answer in CANCEL_WORDS


def stopped(ctx: Context, req: Request, convo: Conversation,
            answer: str) -> list[Outgoing] | None:
    """When the ``answer`` means "stop asking me" (``cancel_words``): the conversation ended
    and its flow's words for it (``STOPPED``) the reply; else None."""
    if not cancel_words(answer):
        return None
    end(ctx, convo)
    return req.reply(t(STOPPED[convo.flow]))


def start_register(ctx: Context, req: Request) -> list[Outgoing]:
    """/register: begin the guided registration."""
    if people.member_of(ctx.session, req.identity) is not None:
        return req.tell(t("register_already"))
    waiting = active(ctx, req)
    if waiting is not None and waiting.flow == "community":
        return req.reply(t("ask_community_first", names=community_names(ctx)))
    communities = ctx.session.exec(select(Community)).all()
    if not communities:
        raise WorkflowError(t("no_communities"))
    data: dict = {"community_id": communities[0].id} if len(communities) == 1 else {}
    step = "name" if data else "community"
    save(ctx, req, "register", step, data)
    return req.reply(t("register_intro") + "\n" + steps.prompt(ctx, step, data))


def resume_register(ctx: Context, req: Request, convo: Conversation) -> list[Outgoing]:
    """Take the sender's answer to the registration step the conversation is at."""
    answer = req.incoming.text.strip()
    if (cancelled := stopped(ctx, req, convo, answer)) is not None:
        return cancelled
    data = dict(convo.data)
    try:
        steps.read(ctx, convo.step, data, answer)
    except WorkflowError as refusal:
        return req.reply(f"{refusal}\n{steps.prompt(ctx, convo.step, data)}")
    following = STEPS[STEPS.index(convo.step) + 1:]
    if not following:
        end(ctx, convo)
        return req.reply(_register(ctx, req, data))
    convo.step, convo.data, convo.updated_at = following[0], data, ctx.now
    ctx.session.add(convo)
    return req.reply(steps.prompt(ctx, following[0], data))




def _register(ctx: Context, req: Request, data: dict) -> str:
    unit = steps.unit_named(ctx, data["unit"])
    member = _imported(ctx, data) or Member(
        name=data["name"], phone=data["phone"], community_id=data["community_id"],
        registered_at=ctx.now)
    member.name, member.unit_id, member.duties = data["name"], unit.id, data["duties"]
    member.grid_id = data.get("grid_id") or member.grid_id
    member.skills = data.get("skills") or member.skills
    member.free_time = data.get("free_time") or member.free_time
    ctx.session.add(member)
    ctx.session.flush()
    req.identity.member_id = member.id
    ctx.session.add(req.identity)
    points.grant_on_registering(ctx, member)
    return t("register_done", name=member.name)


def _imported(ctx: Context, data: dict) -> Member | None:
    """A member the community imported with this phone and nobody has claimed yet.

    Registering with the same phone binds the account to that row, so the member's record
    (and what the import filled in, such as free time) is kept rather than duplicated.
    """
    claimed = select(Identity.member_id).where(col(Identity.member_id).is_not(None))
    return ctx.session.exec(select(Member).where(
        Member.phone == data["phone"], Member.community_id == data["community_id"],
        col(Member.id).not_in(claimed))).first()


def community_names(ctx: Context) -> str:
    """The communities' names, for a question that lists them."""
    return "、".join(c.name for c in ctx.session.exec(select(Community)).all())

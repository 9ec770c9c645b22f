"""Multi-step conversations kept in storage, so a restart resumes them.

Two flows: ``register`` (党员注册: name, phone, unit, grid, skills, duties) and
``community`` (asking a resident, once, which community a need belongs to).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import timedelta

from sqlmodel import col, select

from handlers import people
from handlers.chat.request import Request
from handlers.context import Context
from handlers.errors import WorkflowError
from handlers.ledger import points
from handlers.messages import Outgoing
from handlers.orders.duties import ALL_WORDS
from handlers.texts import t
from nlu import DUTIES
from nlu.personal import mobile_number
from storage.models import Community, Conversation, Grid, Identity, Member, Unit

STEPS = ("community", "name", "phone", "unit", "grid", "skills", "duties")
SKIP_WORDS = frozenset({"跳过", "无", "没有", "略"})
CANCEL_WORDS = frozenset({"取消", "算了", "退出", "不注册了", "不用了", "/cancel"})
LAPSE = timedelta(hours=24)


def active(ctx: Context, req: Request) -> Conversation | None:
    """The sender's conversation, if one is under way; conversations happen in private chats.

    A registration left unanswered for a day lapses, so a need written days later is taken
    as a need, not as the answer to an old question.
    """
    i = req.incoming
    if i.is_group:
        return None
    convo = ctx.session.exec(select(Conversation).where(
        Conversation.channel == i.channel, Conversation.chat_id == i.user_id,
        Conversation.user_id == i.user_id)).first()
    if convo is not None and convo.flow == "register" and convo.updated_at < ctx.now - LAPSE:
        end(ctx, convo)
        return None
    return convo


def end(ctx: Context, convo: Conversation) -> None:
    """Forget a finished or abandoned conversation."""
    ctx.session.delete(convo)


def _save(ctx: Context, req: Request, flow: str, step: str, data: dict) -> None:
    convo = active(ctx, req) or Conversation(
        channel=req.incoming.channel, chat_id=req.incoming.user_id,
        user_id=req.incoming.user_id, flow=flow, step=step, updated_at=ctx.now)
    convo.flow, convo.step, convo.data, convo.updated_at = flow, step, data, ctx.now
    ctx.session.add(convo)


def ask_community(ctx: Context, req: Request, text: str) -> list[Outgoing]:
    """Keep the need and ask, privately, which community it is for; later needs queue up."""
    waiting = active(ctx, req)
    texts = waiting.data.get("texts", []) if waiting and waiting.flow == "community" else []
    _save(ctx, req, "community", "community", {"texts": [*texts, text]})
    return req.tell(t("ask_community", names=community_names(ctx)))


def cancel_words(answer: str) -> bool:
    """Whether an answer means "stop asking me" (取消, 算了, 退出…)."""
    return answer in CANCEL_WORDS


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
    _save(ctx, req, "register", step, data)
    return req.reply(t("register_intro") + "\n" + _prompt(ctx, step, data))


def resume_register(ctx: Context, req: Request, convo: Conversation) -> list[Outgoing]:
    """Take the sender's answer to the registration step the conversation is at."""
    answer = req.incoming.text.strip()
    if cancel_words(answer):
        end(ctx, convo)
        return req.reply(t("register_cancelled"))
    data = dict(convo.data)
    try:
        _STEP_READERS[convo.step](ctx, data, answer)
    except WorkflowError as refusal:
        return req.reply(f"{refusal}\n{_prompt(ctx, convo.step, data)}")
    following = STEPS[STEPS.index(convo.step) + 1:]
    if not following:
        end(ctx, convo)
        return req.reply(_register(ctx, req, data))
    convo.step, convo.data, convo.updated_at = following[0], data, ctx.now
    ctx.session.add(convo)
    return req.reply(_prompt(ctx, following[0], data))


def _prompt(ctx: Context, step: str, data: dict) -> str:
    if step == "community":
        return t("register_community", names=community_names(ctx))
    if step == "grid":
        grids = ctx.session.exec(select(Grid).where(
            Grid.community_id == data["community_id"])).all()
        return t("register_grid", names="、".join(g.name for g in grids) or "—")
    if step == "name":
        community = ctx.session.get_one(Community, data["community_id"])
        return t("register_name", community=community.name)
    if step == "duties":
        options = "  ".join(f"{n}.{name}" for n, name in enumerate(DUTIES.values(), 1))
        return t("register_duties", options=options)
    return t(f"register_{step}")


def _read_community(ctx: Context, data: dict, answer: str) -> None:
    community = people.community_named(ctx.session, answer)
    if community is None:
        raise WorkflowError(t("no_such_community", name=answer))
    data["community_id"] = community.id


def _read_name(ctx: Context, data: dict, answer: str) -> None:
    if not 1 <= len(answer) <= 30:
        raise WorkflowError(t("register_bad_name"))
    data["name"] = answer


def _read_phone(ctx: Context, data: dict, answer: str) -> None:
    digits = mobile_number(answer)
    if digits is None:
        raise WorkflowError(t("register_bad_phone"))
    data["phone"] = digits


def _read_unit(ctx: Context, data: dict, answer: str) -> None:
    if not 2 <= len(answer) <= 100:
        raise WorkflowError(t("register_bad_unit"))
    data["unit"] = answer


def _read_grid(ctx: Context, data: dict, answer: str) -> None:
    grids = ctx.session.exec(select(Grid).where(Grid.community_id == data["community_id"])).all()
    if not grids or answer in SKIP_WORDS:
        return
    chosen = [g for g in grids if answer == g.name or answer in g.name]
    if len(chosen) != 1:
        raise WorkflowError(t("register_bad_grid"))
    data["grid_id"] = chosen[0].id


def _read_skills(ctx: Context, data: dict, answer: str) -> None:
    data["skills"] = "" if answer in SKIP_WORDS else answer[:500]


def _read_duties(ctx: Context, data: dict, answer: str) -> None:
    codes = list(DUTIES)
    names = {name: code for code, name in DUTIES.items()}
    chosen: list[str] = []
    answer = unicodedata.normalize("NFKC", answer)
    for token in re.split(r"[\s,，、;；]+", answer.strip()):
        if token in ALL_WORDS:
            chosen += codes
        elif token in names or token in DUTIES:
            chosen.append(names.get(token, token))
        elif numbers := _duty_numbers(token, len(codes)):
            chosen += [codes[n - 1] for n in numbers]
        else:
            raise WorkflowError(t("register_bad_duties", token=token))
    if not chosen:
        raise WorkflowError(t("register_bad_duties", token=answer))
    data["duties"] = list(dict.fromkeys(chosen))


def _duty_numbers(token: str, count: int) -> list[int]:
    """"3", "1-3" or a run of single digits like "123"; empty when it is none of those."""
    if span := re.fullmatch(r"(\d)[-~～至到](\d)", token):
        numbers = list(range(int(span[1]), int(span[2]) + 1))
    elif re.fullmatch(r"\d+", token):
        numbers = [int(token)] if int(token) <= count else [int(d) for d in token]
    else:
        return []
    return numbers if numbers and all(1 <= n <= count for n in numbers) else []


_STEP_READERS: dict[str, Callable[[Context, dict, str], None]] = {
    "community": _read_community, "name": _read_name, "phone": _read_phone,
    "unit": _read_unit, "grid": _read_grid, "skills": _read_skills, "duties": _read_duties,
}


def _register(ctx: Context, req: Request, data: dict) -> str:
    unit = ctx.session.exec(select(Unit).where(Unit.name == data["unit"])).first()
    if unit is None:
        unit = Unit(name=data["unit"])
        ctx.session.add(unit)
        ctx.session.flush()
    member = _imported(ctx, data) or Member(
        name=data["name"], phone=data["phone"], community_id=data["community_id"],
        registered_at=ctx.now)
    member.name, member.unit_id, member.duties = data["name"], unit.id, data["duties"]
    member.grid_id = data.get("grid_id") or member.grid_id
    member.skills = data.get("skills") or member.skills
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

"""A member changes their profile (/me 修改): one item at a time, asked as /register asks it.

``/me 修改`` lists the items; ``/me 修改 空闲时间`` asks for that one; ``/me 修改 空闲时间 周末``
changes it at once.
"""

from __future__ import annotations

from handlers import people
from handlers.chat import conversation, steps
from handlers.chat.request import Request
from handlers.context import Context
from handlers.errors import WorkflowError
from handlers.messages import Outgoing
from handlers.texts import t
from storage.messaging import Conversation
from storage.models import Member

FLOW = "profile"
ITEMS = ("name", "phone", "unit", "grid", "building", "free_time", "skills", "duties")
"""What a member may change, in the order the list shows them."""
WORDS = {"姓名": "name", "名字": "name", "电话": "phone", "手机": "phone", "手机号": "phone",
         "单位": "unit", "工作单位": "unit", "网格": "grid", "楼栋": "building",
         "住址": "building", "空闲时间": "free_time",
         "时间": "free_time", "空闲": "free_time", "特长": "skills", "技能": "skills",
         "技能特长": "skills", "职责": "duties", "服务类别": "duties", "类别": "duties"}
EDIT_WORDS = frozenset({"修改", "改", "更改", "编辑", "edit"})


def start(ctx: Context, req: Request) -> list[Outgoing]:
    """/me 修改 [item [answer]]: change an item of the sender's profile."""
    member = req.member
    data = {"community_id": member.community_id}
    if len(req.args) < 2:
        conversation.save(ctx, req, FLOW, "item", data)
        return req.tell(_menu())
    item = _item(req.args[1])
    if len(req.args) == 2:
        conversation.save(ctx, req, FLOW, item, data)
        return req.tell(steps.prompt(ctx, item, data))
    steps.read(ctx, item, data, " ".join(req.args[2:]))
    return req.tell(_apply(ctx, member, item, data))


def answer(ctx: Context, req: Request, convo: Conversation) -> list[Outgoing]:
    """The item to change, then its new value."""
    said = req.incoming.text.strip()
    if (cancelled := conversation.stopped(ctx, req, convo, said)) is not None:
        return cancelled
    member = people.member_of(ctx.session, req.identity)
    if member is None:  # the member left the roll mid-way
        conversation.end(ctx, convo)
        raise WorkflowError(t("not_a_member"))
    data = dict(convo.data)
    try:
        if convo.step == "item":
            item = _item(said)
            conversation.save(ctx, req, FLOW, item, data)
            return req.reply(steps.prompt(ctx, item, data))
        steps.read(ctx, convo.step, data, said)
    except WorkflowError as refusal:
        again = _menu() if convo.step == "item" else steps.prompt(ctx, convo.step, data)
        return req.reply(f"{refusal}\n{again}")
    conversation.end(ctx, convo)
    return req.reply(_apply(ctx, member, convo.step, data))


def _item(said: str) -> str:
    if said in WORDS:
        return WORDS[said]
    if said.isdecimal() and 1 <= int(said) <= len(ITEMS):
        return ITEMS[int(said) - 1]
    raise WorkflowError(t("profile_bad_item", item=said))


def _menu() -> str:
    options = "  ".join(f"{n}.{t(f'profile_item_{item}')}" for n, item in enumerate(ITEMS, 1))
    return t("profile_which", options=options)


def _apply(ctx: Context, member: Member, item: str, data: dict) -> str:
    """Write the new value; returns what the member is told."""
    if item == "unit":
        member.unit_id = steps.unit_named(ctx, data["unit"]).id
    elif item == "grid":
        member.grid_id = data.get("grid_id")
    elif item == "building":  # whistles prefer members of the order's building (同楼栋)
        member.building_id = data.get("building_id")
        member.grid_id = data.get("building_grid_id") or member.grid_id
    else:
        setattr(member, item, data[item])
    ctx.session.add(member)
    return t("profile_saved", item=t(f"profile_item_{item}"))

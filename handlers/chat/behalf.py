"""Filing a need on someone's behalf (代办, 微心愿): a member or an admin files for a person
without a phone, such as an elderly neighbour.

``/need 代 刘奶奶 6栋 [电话] 内容`` (or 代办 刘奶奶 6栋 …) files at once; ``代办`` alone asks for
the person's name, building, phone (optional) and need. The order records the beneficiary
and who filed it; the filer is the order's resident, so the progress and the rating request
reach them, marked as on the beneficiary's behalf. The beneficiary's phone reaches only the
members who accept, as a resident's does.
"""

from __future__ import annotations

from handlers import people, roles
from handlers.chat import conversation, lookup, resident
from handlers.chat.request import Request
from handlers.context import Context
from handlers.errors import WorkflowError
from handlers.messages import Outgoing
from handlers.texts import t
from nlu import classify
from nlu.personal import mobile_number
from storage.messaging import Conversation
from storage.models import Community

FLOW = "behalf"
MARKERS = frozenset({"代", "代办", "代报", "代他人"})
"""The first word of /need that files for someone else."""
STEPS = ("beneficiary_name", "beneficiary_building", "beneficiary_phone", "beneficiary_need")
SKIP_WORDS = frozenset({"跳过", "无", "没有", "略", "没有电话"})
MAX_NAME_CHARS = 30
MAX_BUILDING_CHARS = 50


def need(ctx: Context, req: Request) -> list[Outgoing]:
    """/need: ``/need 代 刘奶奶 6栋 …`` files on someone's behalf; anything else is the
    sender's own need."""
    if req.args and req.args[0] in MARKERS:
        req.args = req.args[1:]
        return command(ctx, req)
    return resident.need(ctx, req)


def command(ctx: Context, req: Request) -> list[Outgoing]:
    """代办 [姓名 楼栋 [电话] 内容]: file for someone at once, or be asked step by step."""
    community = _filer_community(ctx, req)
    if len(req.args) < 3:
        conversation.save(ctx, req, FLOW, STEPS[0], {"community_id": community.id})
        return req.tell(t("behalf_intro") + "\n" + t("behalf_beneficiary_name"))
    name, building, *rest = req.args
    phone = mobile_number(rest[0]) if rest else None
    text = " ".join(rest[1:] if phone else rest)
    if not text:
        raise WorkflowError(t("usage_behalf"))
    who = resident.Beneficiary(_name(name), _building(building), phone or "")
    return _file(ctx, req, community, who, text)


def answer(ctx: Context, req: Request, convo: Conversation) -> list[Outgoing]:
    """The guided flow's answers: name, building, phone (跳过 for none), then the need."""
    said = req.incoming.text.strip()
    if (cancelled := conversation.stopped(ctx, req, convo, said)) is not None:
        return cancelled
    data = dict(convo.data)
    try:
        _read(convo.step, data, said)
    except WorkflowError as refusal:
        return req.reply(f"{refusal}\n{t(f'behalf_{convo.step}')}")
    following = STEPS[STEPS.index(convo.step) + 1:]
    if following:
        conversation.save(ctx, req, FLOW, following[0], data)
        return req.reply(t(f"behalf_{following[0]}"))
    conversation.end(ctx, convo)
    community = ctx.session.get_one(Community, data["community_id"])
    who = resident.Beneficiary(data["beneficiary_name"], data["beneficiary_building"],
                      data.get("beneficiary_phone", ""))
    return _file(ctx, req, community, who, data["beneficiary_need"])


def _read(step: str, data: dict, said: str) -> None:
    if step == "beneficiary_name":
        data[step] = _name(said)
    elif step == "beneficiary_building":
        data[step] = _building(said)
    elif step == "beneficiary_phone":
        phone = "" if said in SKIP_WORDS else mobile_number(said)
        if phone is None:
            raise WorkflowError(t("register_bad_phone"))
        data[step] = phone
    else:
        data[step] = said


def _name(said: str) -> str:
    if not 1 <= len(said) <= MAX_NAME_CHARS:
        raise WorkflowError(t("register_bad_name"))
    return said


def _building(said: str) -> str:
    if not 1 <= len(said) <= MAX_BUILDING_CHARS:
        raise WorkflowError(t("behalf_bad_building"))
    return said


def _file(ctx: Context, req: Request, community: Community, who: resident.Beneficiary,
          text: str) -> list[Outgoing]:
    order = resident.file_for(ctx, req, community, text, classify(text), who)
    return req.reply(t("behalf_filed", name=who.name, id=order.id))


def _filer_community(ctx: Context, req: Request) -> Community:
    """The community the filer serves: the bound group's, the member's, or the admin's only
    one. Residents file for themselves only.

    Raises:
        WorkflowError: The sender is neither a member nor an admin, or it is unclear which
            community they file for.
    """
    member = people.member_of(ctx.session, req.identity)
    scope = roles.admin_scope(ctx.session, req.identity)
    if member is None and not scope:
        raise WorkflowError(t("behalf_members_only"))
    bound = lookup.group_community(ctx.session, req)
    if bound is not None:
        return bound
    if member is not None:
        return ctx.session.get_one(Community, member.community_id)
    if len(scope.communities) == 1:
        return ctx.session.get_one(Community, next(iter(scope.communities)))
    found, _ = resident.which_community(ctx, req)
    if found is None:
        raise WorkflowError(t("behalf_which_community"))
    return found

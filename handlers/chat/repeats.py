"""Admin commands for repeats of one need (相同诉求): /merge and /unmerge."""

from __future__ import annotations

from handlers.chat import lookup
from handlers.chat.request import Request
from handlers.context import Context
from handlers.errors import WorkflowError
from handlers.messages import Outgoing
from handlers.orders import merging
from handlers.texts import t


def merge(ctx: Context, req: Request) -> list[Outgoing]:
    """/merge A B: order B repeats order A; B joins A, and B's residents follow A."""
    into = req.order
    if len(req.args) < 2:
        raise WorkflowError(t("usage_merge"))
    repeat = lookup.order_by_number(ctx.session, req.args[1])
    merging.admin_merge(ctx, into, repeat, req.actor)
    return req.reply(t("admin_merged", id=repeat.id, into=into.id, reports=into.reports))


def unmerge(ctx: Context, req: Request) -> list[Outgoing]:
    """/unmerge B: B was merged by mistake; it goes back for review as a need of its own."""
    repeat = req.order
    into = repeat.merged_into
    merging.unmerge(ctx, repeat, req.actor)
    return req.reply(t("admin_unmerged", id=repeat.id, into=into))

"""/export in chat (导出): an admin asks for a report and gets the file privately."""

from __future__ import annotations

from sqlmodel import Session

from handlers.chat.request import Request
from handlers.context import Context
from handlers.errors import WorkflowError
from handlers.ledger.periods import current_quarter, parse_period
from handlers.messages import Outgoing
from handlers.reports.export_files import FORMATS
from handlers.reports.exporting import default_name, export_file, kind_named
from handlers.reports.reports import Scope
from handlers.texts import t
from storage.models import Community


def export(ctx: Context, req: Request) -> list[Outgoing]:
    """/export KIND [PERIOD] [csv|xlsx] (导出 台账 2026Q4): the file, sent privately.

    Exports carry members' phone numbers, so the file always goes to the admin alone.
    """
    communities = req.communities
    if not req.args:
        raise WorkflowError(t("usage_export"))
    kind = kind_named(req.args[0])
    zone = _zone(ctx.session, communities)
    fmt, period = "xlsx", current_quarter(ctx.now, zone)
    for arg in req.args[1:]:
        if arg.lower() in FORMATS:
            fmt = arg.lower()
        else:
            period = parse_period(arg)
    scope = Scope(period, zone, communities)
    stamp = ctx.now.strftime("%Y%m%d%H%M%S")
    # One folder per request, so two admins exporting at once never share a file.
    folder = ctx.policy.media_dir / "exports" / f"{req.identity.id}-{stamp}"
    path = folder / default_name(kind, period, fmt)
    report = export_file(ctx.session, ctx.policy, kind, scope, fmt, path)
    sent = [Outgoing(req.incoming.channel, t("export_ready", title=report.title,
                                              n=len(report.rows)),
                     to_user=req.incoming.user_id, attachment=str(path))]
    if req.incoming.is_group:
        sent += req.reply(t("export_sent_privately"))
    return sent


def _zone(session: Session, community_ids: list[int]) -> str:
    community = session.get(Community, community_ids[0]) if community_ids else None
    return community.timezone if community else "Asia/Shanghai"

"""/export in chat (导出): an admin asks for a report and gets the file privately."""

from __future__ import annotations

from sqlmodel import Session

from handlers import people
from handlers.chat.request import Request
from handlers.context import Context
from handlers.errors import WorkflowError
from handlers.ledger.periods import Period, current_quarter, parse_period
from handlers.messages import Outgoing
from handlers.reports.export_files import FORMATS, files
from handlers.reports.exporting import default_name, export_file, kind_named
from handlers.reports.tables import Scope
from handlers.texts import t
from storage.models import Community, stored_id


def export(ctx: Context, req: Request) -> list[Outgoing]:
    """/export KIND [PERIOD] [COMMUNITY] [csv|xlsx] (导出 台账 2026Q4 阳光社区): the file,
    sent privately; a street office's admin may name one of its communities.

    Exports carry members' phone numbers, so the file always goes to the admin alone.
    """
    communities = req.communities
    if not req.args:
        raise WorkflowError(t("usage_export"))
    kind = kind_named(req.args[0])
    fmt, period, communities = _options(ctx, req, communities)
    zone = _zone(ctx.session, communities)
    scope = Scope(period or current_quarter(ctx.now, zone), zone, communities)
    stamp = ctx.now.strftime("%Y%m%d%H%M%S")
    # One folder per request, so two admins exporting at once never share a file.
    folder = ctx.policy.media_dir / "exports" / f"{req.identity.id}-{stamp}"
    path = folder / default_name(kind, scope.period, fmt)
    report = export_file(ctx.session, ctx.policy, kind, scope, fmt, path)
    tables = (report, *report.sheets) if fmt == "csv" else (report,)
    sent = [Outgoing(req.incoming.channel, t("export_ready", title=table.title,
                                              n=len(table.rows)),
                     to_user=req.incoming.user_id, attachment=str(file))
            for table, file in zip(tables, files(report, path, fmt), strict=True)]
    if req.incoming.is_group:
        sent += req.reply(t("export_sent_privately"))
    return sent


def _options(ctx: Context, req: Request,
             communities: list[int]) -> tuple[str, Period | None, list[int]]:
    """The format, the period and the communities the arguments after the kind ask for."""
    fmt, period = "xlsx", None
    for arg in req.args[1:]:
        named = None if arg.lower() in FORMATS else people.community_named(ctx.session, arg)
        if arg.lower() in FORMATS:
            fmt = arg.lower()
        elif named is not None:
            if named.id not in communities:
                raise WorkflowError(t("admin_not_of", community=named.name))
            communities = [stored_id(named)]
        elif any(c.isdigit() for c in arg):
            period = parse_period(arg)
        else:  # periods are written with digits, so a word without any names a community
            raise WorkflowError(t("no_such_community", name=arg))
    return fmt, period, communities


def _zone(session: Session, community_ids: list[int]) -> str:
    community = session.get(Community, community_ids[0]) if community_ids else None
    return community.timezone if community else "Asia/Shanghai"

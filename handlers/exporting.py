"""Exports (导出): a report written to a file, from the command line or /export in chat."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session

from handlers import lookup
from handlers.context import Context
from handlers.errors import WorkflowError
from handlers.export_files import FORMATS, write
from handlers.messages import Outgoing
from handlers.periods import Period, current_quarter, parse_period
from handlers.policy import Policy
from handlers.reports import KINDS, Report, Scope, build
from handlers.request import Request
from handlers.texts import t
from storage.models import Community

KIND_ALIASES = {
    "台账": "ledger", "服务台账": "ledger", "花名册": "roster", "名册": "roster",
    "单位": "units", "反馈卡": "units", "评级": "grades", "年度评级": "grades",
}


def kind_named(arg: str) -> str:
    """An export kind by its code (``ledger``) or Chinese name (``台账``)."""
    kind = KIND_ALIASES.get(arg, arg.lower())
    if kind not in KINDS:
        raise WorkflowError(t("export_bad_kind", arg=arg))
    return kind


def default_name(kind: str, period: Period, fmt: str) -> str:
    """The file an export is written to unless told otherwise: ``ledger-2026Q4.xlsx``."""
    return f"{kind}-{period.label}.{fmt}"


def export_file(session: Session, policy: Policy, kind: str, scope: Scope, fmt: str,
                path: Path) -> Report:
    """Write the export of ``kind`` for ``scope`` to ``path``; returns what was written."""
    if fmt not in FORMATS:
        raise WorkflowError(t("export_bad_format", arg=fmt))
    report = build(session, kind, scope, policy)
    write(report, path, fmt)
    return report


def export(ctx: Context, req: Request) -> list[Outgoing]:
    """/export KIND [PERIOD] [csv|xlsx] (导出 台账 2026Q4): the file, sent privately.

    Exports carry members' phone numbers, so the file always goes to the admin alone.
    """
    communities = lookup.admin_scope(ctx.session, req)
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

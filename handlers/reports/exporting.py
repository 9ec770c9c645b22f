"""Exports (导出): a report written to a file, from the command line or /export in chat."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from sqlmodel import Session

from handlers.errors import WorkflowError
from handlers.ledger.periods import Period
from handlers.reports.export_files import FORMATS, write
from handlers.reports.history import status_history
from handlers.reports.reports import KINDS, build
from handlers.reports.tables import Report, Scope
from handlers.rules.policy import Policy
from handlers.texts import t

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
    """Write the export of ``kind`` for ``scope`` to ``path`` (the ledger with its 流转记录);
    returns what was written, ``export_files.files`` names the files."""
    if fmt not in FORMATS:
        raise WorkflowError(t("export_bad_format", arg=fmt))
    report = build(session, kind, scope, policy)
    if kind == "ledger":
        report = replace(report, sheets=(status_history(session, scope),))
    write(report, path, fmt)
    return report

"""handlers/, nlu/ and storage/ never import a platform library or the runtime (bot/)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = {"telegram", "wechatpy", "xmltodict", "httpx", "bot", "apscheduler", "starlette",
             "uvicorn"}
INNER = ("handlers", "nlu", "storage")


def imported_roots(source: str) -> set[str]:
    """The top-level package of every import in a module's source."""
    roots = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize(
    "path", [p for d in INNER for p in sorted((ROOT / d).rglob("*.py"))],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_inner_packages_do_not_import_platforms_or_bot(path: Path) -> None:
    leaks = imported_roots(path.read_text(encoding="utf-8")) & FORBIDDEN
    assert leaks == set()


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        pytest.param("import telegram", {"telegram"}, id="import"),
        pytest.param("from bot.settings import Settings", {"bot"}, id="from-import"),
        pytest.param("def f():\n    import wechatpy.crypto", {"wechatpy"}, id="nested"),
        pytest.param("from . import x", set(), id="relative"),
    ],
)
def test_the_check_catches_each_form_of_import(source: str, expected: set[str]) -> None:
    assert imported_roots(source) & FORBIDDEN == expected


REPORT_LIBRARIES = {"matplotlib", "openpyxl"}  # charts and spreadsheets: handlers/ only


@pytest.mark.parametrize(
    "path", [p for d in ("nlu", "storage") for p in sorted((ROOT / d).rglob("*.py"))],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_report_libraries_stay_out_of_nlu_and_storage(path: Path) -> None:
    assert imported_roots(path.read_text(encoding="utf-8")) & REPORT_LIBRARIES == set()

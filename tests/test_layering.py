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


LAYERS: tuple[tuple[str, ...], ...] = (
    # An order's states are plain data over the storage enum, so every layer may name them.
    ("handlers.messages", "handlers.texts", "handlers.errors", "handlers.privacy",
     "handlers.orders.states", "handlers.queued"),
    ("handlers.rules",),
    ("handlers.context", "handlers.people", "handlers.remembered", "handlers.roles",
     "handlers.once", "handlers.organisation", "handlers.fanout", "handlers.recipients"),
    ("handlers.ledger",),
    ("handlers.orders",),
    ("handlers.learning",),
    ("handlers.reports",),
    ("handlers.jobs",),
    ("handlers.chat",),
)
"""handlers/ from the bottom up: a part imports its own layer's modules and lower layers'
only, so ``chat`` may use ``orders`` but ``orders`` never reaches into ``chat``."""


def layer_of(module: str) -> tuple[int, str]:
    """The layer a ``handlers`` module belongs to, and the part (package or module) in it."""
    for rank, parts in enumerate(LAYERS):
        for part in parts:
            if module == part or module.startswith(part + "."):
                return rank, part
    raise AssertionError(f"{module} is in no layer: add it to LAYERS")


PACKAGES = {".".join(p.relative_to(ROOT).parent.parts)
            for p in (ROOT / "handlers").rglob("__init__.py")}


def handlers_imports(source: str) -> set[str]:
    """Every ``handlers`` module a source imports, names imported from a package included."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("handlers."))
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module in PACKAGES:
                found.update(f"{node.module}.{a.name}" for a in node.names)
            elif node.module.startswith("handlers."):
                found.add(node.module)
    return found


def upward_imports(module: str, source: str) -> set[str]:
    """The imports of ``module`` that reach a higher layer."""
    rank, _ = layer_of(module)
    return {target for target in handlers_imports(source) if layer_of(target)[0] > rank}


HANDLER_MODULES = sorted(p for p in (ROOT / "handlers").rglob("*.py")
                         if p.name != "__init__.py")


@pytest.mark.parametrize("path", HANDLER_MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_handlers_import_only_downwards(path: Path) -> None:
    module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    assert upward_imports(module, path.read_text(encoding="utf-8")) == set()


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        pytest.param("handlers.orders.workflow", "from handlers.chat import router",
                     {"handlers.chat.router"}, id="orders-to-chat"),
        pytest.param("handlers.ledger.points", "from handlers.orders.views import x",
                     {"handlers.orders.views"}, id="ledger-to-orders"),
        pytest.param("handlers.chat.admin", "from handlers.orders import workflow", set(),
                     id="chat-to-orders"),
        pytest.param("handlers.people", "from handlers import texts, context", set(),
                     id="same-layer-modules"),
        pytest.param("handlers.rules.targets", "from handlers.orders import states", set(),
                     id="rules-to-order-states"),
        pytest.param("handlers.orders.states", "from handlers.orders import views",
                     {"handlers.orders.views"}, id="order-states-to-orders"),
    ],
)
def test_the_layer_check_catches_an_upward_import(module: str, source: str,
                                                  expected: set[str]) -> None:
    assert upward_imports(module, source) == expected

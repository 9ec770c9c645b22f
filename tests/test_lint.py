"""The code stays within the project's lint and type rules (ruff and mypy, configured in
pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_finds_nothing() -> None:
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "."],
                            cwd=ROOT, capture_output=True, text=True)
    assert (result.returncode, result.stdout[-2000:]) == (0, "All checks passed!\n")


def test_mypy_finds_nothing(tmp_path) -> None:
    # A cache of its own: the test checks the code as a clean clone has it.
    result = subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path)],
                            cwd=ROOT, capture_output=True, text=True)
    errors = result.stdout[-3000:] if result.returncode else ""
    assert (result.returncode, errors) == (0, "")

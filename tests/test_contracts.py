"""The house is held by checks, not by goodwill: import-linter contracts (pyproject.toml)
and mypy run here, inside the README's test command; and a deliberately wrong import is
shown to break a contract, so a green run means the contracts are really checked."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([str(BIN / "lint-imports"), "--no-cache"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=300)


def test_import_linter_contracts_are_kept() -> None:
    out = _lint_imports(REPO)
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]
    assert "broken" not in out.stdout.lower().split("contracts:")[-1].split("\n")[0] or "0 broken" in out.stdout
    for name in ("layers import downward only", "never touch the store", "never imports Streamlit",
                 "No import cycles"):
        assert f"{name}" in out.stdout and "KEPT" in out.stdout


@pytest.fixture(scope="module")
def library_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("house")
    shutil.copytree(REPO / "socialfund", root / "socialfund",
                    ignore=shutil.ignore_patterns("__pycache__", "*.txt", "*.csv"))
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    return root


@pytest.mark.parametrize(("module", "line", "broken"), [
    ("socialfund/ideas/__init__.py", "import socialfund.store.engine\n",
     "Pure analytics never touch the store or the services BROKEN"),
    ("socialfund/core/metrics.py", "import streamlit\n", "The library never imports Streamlit BROKEN"),
    ("socialfund/core/errors.py", "import socialfund.services\n", "The library's layers import downward only BROKEN"),
])
def test_a_wrong_import_breaks_a_contract(library_copy: Path, module: str, line: str, broken: str) -> None:
    target = library_copy / module
    original = target.read_text(encoding="utf-8")
    try:
        target.write_text(original + "\n" + line, encoding="utf-8")
        out = _lint_imports(library_copy)
    finally:
        target.write_text(original, encoding="utf-8")
    assert out.returncode != 0
    assert broken in out.stdout, out.stdout[-3000:]


def test_mypy_passes_on_the_library() -> None:
    out = subprocess.run([sys.executable, "-m", "mypy", "--no-incremental"], cwd=REPO, capture_output=True,
                         text=True, timeout=900)
    assert out.returncode == 0, out.stdout[-6000:] + out.stderr[-2000:]
    assert "Success: no issues found" in out.stdout

"""The library stays pure: nothing under socialfund/ imports streamlit, the app glue (app/) or the pages."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FORBIDDEN = {"streamlit", "app", "dashboard", "ui", "pages"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_no_library_module_imports_streamlit_or_the_app() -> None:
    offenders = {str(p.relative_to(REPO)): sorted(_imports(p) & FORBIDDEN)
                 for p in (REPO / "socialfund").rglob("*.py") if _imports(p) & FORBIDDEN}
    assert offenders == {}


def test_the_ast_check_would_catch_an_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    import streamlit as st\n    return st\n")
    assert "streamlit" in _imports(bad)


def test_importing_every_library_module_loads_no_streamlit() -> None:
    code = (
        "import importlib, pkgutil, sys, socialfund\n"
        "for m in pkgutil.walk_packages(socialfund.__path__, 'socialfund.'):\n"
        "    if m.name.endswith('__main__'): continue\n"
        "    importlib.import_module(m.name)\n"
        "print('streamlit' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"

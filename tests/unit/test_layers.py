"""Imports only go down: models and services never import Qt widgets (nor models import services)."""

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "app"


def imports_of(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("layer", ["models", "services"])
def test_no_qt_below_the_ui(layer: str) -> None:
    files = sorted((APP / layer).rglob("*.py"))
    assert files
    offenders = {str(f.relative_to(APP)): sorted(i for i in imports_of(f) if i.startswith("PySide6"))
                 for f in files}  # fmt: skip
    assert {f: i for f, i in offenders.items() if i} == {}


def test_models_do_not_import_services_or_ui() -> None:
    for path in (APP / "models").rglob("*.py"):
        bad = [i for i in imports_of(path) if i.startswith(("app.services", "app.ui", "app.cli"))]
        assert bad == [], path


def test_services_do_not_import_ui_or_cli() -> None:
    for path in (APP / "services").rglob("*.py"):
        bad = [i for i in imports_of(path) if i.startswith(("app.ui", "app.cli"))]
        assert bad == [], path


def test_the_layer_test_would_catch_an_offender(tmp_path: Path) -> None:
    sample = tmp_path / "x.py"
    sample.write_text("from PySide6.QtWidgets import QLabel\n")
    assert "PySide6.QtWidgets" in imports_of(sample)

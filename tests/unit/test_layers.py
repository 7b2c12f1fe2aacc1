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


#: what the window and the command line may take from SQLAlchemy: its errors, the Session
#: type, engines and URLs; a query is a service's work (issue: five UI modules built their own)
SQL_BUILDERS = {"select", "text", "exists", "and_", "or_", "not_", "func", "insert", "update",
                "delete", "case", "literal", "column", "table", "true", "false"}  # fmt: skip


def sql_built_in(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
            found += [a.name for a in node.names if a.name in SQL_BUILDERS]
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name == "sqlalchemy"]
    return found


@pytest.mark.parametrize("layer", ["ui", "cli"])
def test_the_ui_and_the_command_line_run_no_sql_of_their_own(layer: str) -> None:
    offenders = {
        str(f.relative_to(APP)): sql_built_in(f) for f in sorted((APP / layer).rglob("*.py"))
    }
    assert {f: names for f, names in offenders.items() if names} == {}


def test_the_sql_test_would_catch_an_offender(tmp_path: Path) -> None:
    sample = tmp_path / "x.py"
    sample.write_text("def f():\n    from sqlalchemy import select, text\n")
    assert sql_built_in(sample) == ["select", "text"]


def test_all_of_app_is_type_checked() -> None:
    """`make lint` runs mypy strict over all of app/, with no module whose errors are ignored."""
    import tomllib

    config = tomllib.loads((APP.parent / "pyproject.toml").read_text(encoding="utf-8"))
    unchecked = [module for override in config["tool"]["mypy"].get("overrides", [])
                 if override.get("ignore_errors") for module in override["module"]]  # fmt: skip
    assert unchecked == []


SESSION_TYPES = ("Session", "Session|None", "Optional[Session]")


def sessions_kept(path: Path) -> list[str]:
    """Where a UI module keeps a Session beyond one action: an attribute assigned a session
    (`self.session = `, `self._session = `), a class attribute annotated `Session`, or a
    constructor taking one. (A method given the session of the action it serves is fine.)"""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        stored = isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store)
        if stored and node.attr.lstrip("_") == "session":
            found.append(f"line {node.lineno}: self.{node.attr} =")
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.AnnAssign) and _is_session(item.annotation):
                    found.append(f"line {item.lineno}: attribute annotated Session")
                if isinstance(item, ast.FunctionDef) and item.name == "__init__":
                    arguments = item.args.args + item.args.kwonlyargs
                    found += [f"line {arg.lineno}: constructor takes a Session"
                              for arg in arguments if _is_session(arg.annotation)]  # fmt: skip
    return found


def _is_session(annotation: ast.expr | None) -> bool:
    return annotation is not None and ast.unparse(annotation).replace(" ", "") in SESSION_TYPES


def test_the_ui_keeps_no_session() -> None:
    """Windows and dialogs receive a session factory and open a session per user action
    (docs/architecture.md, "Sessions"): none keeps a Session or takes one as a parameter."""
    offenders = {
        str(f.relative_to(APP)): sessions_kept(f) for f in sorted((APP / "ui").rglob("*.py"))
    }
    assert {f: where for f, where in offenders.items() if where} == {}


def test_the_session_test_would_catch_an_offender(tmp_path: Path) -> None:
    sample = tmp_path / "x.py"
    sample.write_text("class W:\n    kept: Session | None\n"
                      "    def __init__(self, session: Session) -> None:\n"
                      "        self._session = session\n"
                      "    def save(self, session: Session) -> None:\n"
                      "        pass\n")  # fmt: skip
    assert sorted(sessions_kept(sample)) == [
        "line 2: attribute annotated Session", "line 3: constructor takes a Session",
        "line 4: self._session =",
    ]  # fmt: skip


def test_the_main_window_is_composed() -> None:
    """At most one base class of ours; the rest of the window is controllers it holds."""
    from app.ui.main_window import MainWindow

    ours = [base for base in MainWindow.__mro__[1:] if base.__module__.startswith("app.")]
    assert len(ours) <= 1, ours

"""No user-visible text in the widgets is left out of the catalogs: a string literal (or an
f-string) with words in it, handed straight to a Qt text setter or a text-taking widget, is a
string a Dutch or French counsellor would see in English. Such text goes through `_()`."""

from __future__ import annotations

import ast
import re
from pathlib import Path

UI = Path(__file__).resolve().parents[2] / "app" / "ui"
#: methods whose listed positional arguments are shown to the person
SETTERS: dict[str, tuple[int, ...]] = {
    "setText": (0,), "setWindowTitle": (0,), "setPlaceholderText": (0,), "setToolTip": (0,),
    "setStatusTip": (0,), "setWhatsThis": (0,), "setTitle": (0,), "setAccessibleName": (0,),
    "setAccessibleDescription": (0,), "addItem": (0,), "insertItem": (1,), "addTab": (1,),
    "setTabText": (1,), "showMessage": (0,), "setSuffix": (0,), "setPrefix": (0,),
    "setSpecialValueText": (0,), "addMenu": (0,), "addRow": (0,), "insertRow": (1,),
    "setHorizontalHeaderLabels": (0,), "setVerticalHeaderLabels": (0,), "setLabelText": (0,),
    "setCancelButtonText": (0,), "setInformativeText": (0,), "setDetailedText": (0,),
    "addButton": (0,), "warning": (1, 2), "critical": (1, 2), "information": (1, 2),
    "question": (1, 2), "getText": (1, 2), "getInt": (1, 2), "getItem": (1, 2),
    "getSaveFileName": (1,), "getOpenFileName": (1,), "getExistingDirectory": (1,),
}  # fmt: skip
#: widgets whose first argument is their text
TEXT_WIDGETS = {"QLabel", "QPushButton", "QCheckBox", "QRadioButton", "QGroupBox", "QAction",
                "QMenu", "QToolButton", "QCommandLinkButton"}  # fmt: skip
WORDS = re.compile(r"[^\W\d_]{2,}")  # two letters in a row: a word, not ":" or "%p%"
MARKUP = re.compile(r"<[^>]*>")  # <b>, <br>: rich-text tags are not words


def _has_words(text: str) -> bool:
    return bool(WORDS.search(MARKUP.sub("", text)))


def _literal_words(node: ast.AST) -> str | None:
    """The words of a literal that reaches the person as it is written, if any."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value if _has_words(node.value) else None
    if isinstance(node, ast.JoinedStr):
        text = "".join(
            v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)
        )
        return text if _has_words(text) else None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _literal_words(node.left) or _literal_words(node.right)
    if isinstance(node, (ast.List, ast.Tuple)):
        return next((w for w in (_literal_words(e) for e in node.elts) if w), None)
    return None


def unmarked_strings(source: str, name: str = "") -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        positions: tuple[int, ...] = ()
        if isinstance(func, ast.Attribute) and func.attr in SETTERS:
            positions = SETTERS[func.attr]
        elif isinstance(func, ast.Name) and func.id in TEXT_WIDGETS:
            positions = (0,)
        for position in positions:
            if position < len(node.args):
                words = _literal_words(node.args[position])
                if words:
                    found.append(f"{name}:{node.lineno}: {words!r}")
    return found


def test_every_visible_string_in_the_widgets_is_translatable() -> None:
    found = []
    for path in sorted(UI.rglob("*.py")):  # the capability packages too
        found += unmarked_strings(path.read_text(encoding="utf-8"), path.name)
    assert found == []


def test_the_scan_finds_what_it_should() -> None:
    source = """
label = QLabel("Family name")
box.setTitle(f"Clients of {name}")
QMessageBox.warning(self, _("Title"), "Something went wrong")
table.setHorizontalHeaderLabels([_("Line"), "Reason"])
ok = QLabel(_("Family name")); sep = QLabel(" — "); bar.setFormat("%p%"); edit.setText(value)
rich = QLabel(f"<b>{when}</b><br>{_('Status')}: {status}")
"""
    assert unmarked_strings(source) == [
        ":2: 'Family name'",
        ":3: 'Clients of '",
        ":4: 'Something went wrong'",
        ":5: 'Reason'",
    ]

"""The Qt binding Traject runs on keeps Python's reference counts: an empty QVariant (a role
never set, a combo item without data) comes back as None without taking a reference from it.
PySide6 6.12.0 did take one, so after enough such calls Python freed None and aborted; the
pin in pyproject.toml keeps that release out, and this test fails on any release like it."""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

CALLS = 1000
NEVER_SET = int(Qt.ItemDataRole.UserRole) + 7


def test_an_empty_qvariant_leaves_nones_references_alone(qtbot: QtBot) -> None:
    model = QStandardItemModel()
    model.appendRow(QStandardItem("Turks"))
    index = model.index(0, 0)
    combo = QComboBox()
    qtbot.addWidget(combo)
    combo.addItem("—")
    before = sys.getrefcount(None)
    for _call in range(CALLS):
        assert index.data(NEVER_SET) is None
        assert combo.currentData() is None
    # other code may take or drop a few references meanwhile; a lost one per call is 2,000
    assert sys.getrefcount(None) - before > -CALLS

"""The organisation settings dialog: offered to administrators, refusals under the setting."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from app.db import Database
from app.models.enums import CounsellorRole
from app.services import org_settings
from app.ui.main_window import MainWindow
from app.ui.org_settings_dialog import OrgSettingsDialog
from tests.helpers import actor


def test_only_an_administrator_is_offered_the_settings(
    window: MainWindow, session: Session, caseload
) -> None:  # type: ignore[no-untyped-def]
    _made, anna, _bart = caseload
    window.counsellor.setCurrentIndex(window.counsellor.findData(anna.id))
    window.counsellor.activated.emit(0)
    assert not window.oversight.org_settings_action.isEnabled()
    anna.role = CounsellorRole.ADMIN
    session.commit()
    window.counsellor.activated.emit(0)
    assert window.oversight.org_settings_action.isEnabled()


def test_a_refused_choice_is_named_under_its_setting_and_kept(
    qtbot: QtBot, database: Database, session: Session, make_counsellor, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    ada = make_counsellor("ada", "Ada Admin")
    ada.role = CounsellorRole.ADMIN
    session.commit()
    dialog = OrgSettingsDialog(database.sessions, actor(ada))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.export_number.setChecked(True)  # exporting numbers that are not recorded
    dialog.retention.setValue(8)
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    message = dialog.errors[org_settings.EXPORT_NATIONAL_NUMBER]
    assert (
        dialog.isVisible() and message.isVisible() and "Record national numbers" in message.text()
    )
    assert (
        dialog.retention.value() == 8 and org_settings.retention_years(session) == 5
    )  # nothing stored
    dialog.grab().save(str(tmp_path / "org-settings.png"))
    dialog.record_number.setChecked(True)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    session.expire_all()  # the dialog saved in a session of its own
    assert org_settings.policy(session) == org_settings.Policy(True, True, 8)

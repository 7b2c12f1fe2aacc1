"""What a counsellor sees and does in the caseload window."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QDialogButtonBox, QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from app.models.enums import CounsellorRole
from app.services.caseload import assignments, clients
from app.ui.main_window import MainWindow
from app.ui.ui_settings import UiSettings


def visible_names(window: MainWindow) -> list[str]:
    model = window.model
    return [
        f"{model.index(r, 2).data()} {model.index(r, 1).data()}" for r in range(model.rowCount())
    ]


def test_typing_in_search_filters_the_table(qtbot: QtBot, window: MainWindow) -> None:
    assert window.model.rowCount() == 5
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search.hasFocus()
    qtbot.keyClicks(window.search, "yilmaz")
    qtbot.waitUntil(lambda: window.model.rowCount() == 2)
    assert sorted(visible_names(window)) == ["Ayşe Yılmaz", "Mehmet Yılmaz"]
    qtbot.waitUntil(lambda: "Showing 2 of 5 clients" in window.figures.counts.full_text())
    qtbot.keyClick(window.search, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.model.rowCount() == 5)
    assert window.search.text() == ""


def test_last_digits_of_a_phone_find_the_client(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClicks(window.search, "3456")
    qtbot.waitUntil(lambda: window.model.rowCount() == 1)
    assert visible_names(window) == ["Ayşe Yılmaz"]


def open_by_keyboard(qtbot: QtBot, window: MainWindow, query: str) -> None:
    qtbot.keyClicks(window.search, query)
    qtbot.keyClick(window.search, Qt.Key.Key_Return)  # into the results
    qtbot.keyClick(window.table, Qt.Key.Key_Return)  # open the file


def test_editing_a_field_saves_and_invalid_email_keeps_the_rest(
    qtbot: QtBot, window: MainWindow, session, caseload
) -> None:  # type: ignore[no-untyped-def]
    made, _anna, _bart = caseload
    open_by_keyboard(qtbot, window, "nour")
    panel = window.panel
    assert panel.client_id == made["Nour"].id
    assert panel.fields["given_name"].editor.hasFocus()
    municipality: QLineEdit = panel.fields["municipality"].editor  # type: ignore[assignment]
    municipality.setFocus()
    qtbot.keyClicks(municipality, "Gent")
    qtbot.keyClick(municipality, Qt.Key.Key_Tab)
    session.expire_all()
    assert clients.get_client(session, made["Nour"].id).municipality == "Gent"

    email: QLineEdit = panel.fields["email"].editor  # type: ignore[assignment]
    email.setFocus()
    email.selectAll()
    qtbot.keyClicks(email, "nour@")
    qtbot.keyClick(email, Qt.Key.Key_Return)
    message: QLabel = panel.fields["email"].message
    assert message.isVisible()
    assert message.text().startswith("E-mail:") and "not a valid e-mail address" in message.text()
    assert email.text() == "nour@"  # what was typed stays
    assert municipality.text() == "Gent"
    session.expire_all()
    stored = clients.get_client(session, made["Nour"].id)
    assert stored.email == "nour@example.be" and stored.municipality == "Gent"

    email.selectAll()
    qtbot.keyClicks(email, "nour.el.amrani@example.be")
    qtbot.keyClick(email, Qt.Key.Key_Return)
    assert not message.isVisible()
    session.expire_all()
    assert clients.get_client(session, made["Nour"].id).email == "nour.el.amrani@example.be"


def test_bad_date_names_the_field_and_the_format(qtbot: QtBot, window: MainWindow) -> None:
    open_by_keyboard(qtbot, window, "jan")
    field = window.panel.fields["birth_date"]
    field.editor.setFocus()
    qtbot.keyClicks(field.editor, "1990/02")
    qtbot.keyClick(field.editor, Qt.Key.Key_Return)
    assert field.message.text().startswith("Date of birth: type the date as dd/mm/yyyy")


def _answer_assign_dialog(qtbot: QtBot, counsellor_name: str) -> None:
    dialog = QApplication.activeModalWidget()
    assert dialog is not None
    combo = dialog.findChild(QComboBox, "assign_counsellor")
    combo.setCurrentIndex(combo.findText(counsellor_name, Qt.MatchFlag.MatchStartsWith))
    buttons = dialog.findChild(QDialogButtonBox)
    qtbot.mouseClick(buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def test_changing_the_referent_records_history_and_continuity(
    qtbot: QtBot, window: MainWindow, session, caseload
) -> None:  # type: ignore[no-untyped-def]
    made, anna, bart = caseload
    open_by_keyboard(qtbot, window, "lukasz")
    box = window.panel.assignments
    assert not box.change_referent.isEnabled()  # a counsellor does not reassign
    anna.role = CounsellorRole.TEAM_LEAD
    session.commit()
    window.panel.reload()
    assert box.change_referent.isEnabled()
    assert box.continuity.text() == "Continuity: this client has had 1 counsellor."
    assert box.history.rowCount() == 1
    QTimer.singleShot(0, lambda: _answer_assign_dialog(qtbot, "Bart Baert"))
    qtbot.mouseClick(box.change_referent, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: box.history.rowCount() == 2)
    assert box.referent.text().startswith("Referent: Bart Baert")
    assert box.continuity.text() == "Continuity: this client has had 2 different counsellors."
    assert box.history.item(0, 1).text() == "Bart Baert"
    assert box.history.item(1, 1).text() == "Anna Aerts" and box.history.item(1, 3).text() != ""
    session.expire_all()  # the dialog wrote in a session of its own
    assert assignments.current_referent(session, made["Łukasz"].id).counsellor_id == bart.id
    row = window.model.row_of(made["Łukasz"].id)
    assert window.model.index(row, 5).data() == "Bart Baert"


def test_filters_show_my_clients(qtbot: QtBot, window: MainWindow, caseload) -> None:  # type: ignore[no-untyped-def]
    _made, anna, bart = caseload
    window.counsellor.setCurrentIndex(window.counsellor.findData(bart.id))
    window.counsellor.activated.emit(window.counsellor.currentIndex())
    window.filters.mine.setChecked(True)
    assert window.model.rowCount() == 0
    window.counsellor.setCurrentIndex(window.counsellor.findData(anna.id))
    window.counsellor.activated.emit(window.counsellor.currentIndex())
    assert window.model.rowCount() == 5


def test_geometry_filters_and_last_client_are_remembered(
    qtbot: QtBot, database, settings: UiSettings, caseload
) -> None:  # type: ignore[no-untyped-def]
    made, _anna, _bart = caseload
    first = MainWindow(database, settings)
    qtbot.addWidget(first)
    first.show()
    first.resize(760, 560)  # the offscreen screen is 800 x 600
    first.open_client(made["Jan"].id)
    first.filters.no_email.setChecked(True)
    first.close()
    second = MainWindow(database, settings)
    qtbot.addWidget(second)
    second.show()
    qtbot.waitUntil(lambda: second.panel.client_id == made["Jan"].id)
    assert (second.size().width(), second.size().height()) == (760, 560)
    assert second.filters.no_email.isChecked()


def test_language_menu_switches_and_is_remembered(
    qtbot: QtBot, window: MainWindow, settings: UiSettings
) -> None:
    open_by_keyboard(qtbot, window, "jan")
    window.languages.switch_language("nl")
    assert window.model.headerData(1, Qt.Orientation.Horizontal) == "Familienaam"
    assert window.panel.fields["employment_situation"].combo.itemText(0) == "Onbekend"
    assert settings.text("language") == "nl"
    window.languages.switch_language("fr")
    assert window.filters.mine.text() == "&Mes clients (référent)"
    window.languages.switch_language("en")


def test_the_file_side_invites_to_choose_until_a_client_is_opened(
    qtbot: QtBot, window: MainWindow, caseload
) -> None:  # type: ignore[no-untyped-def]
    from app.ui.caseload.client_panel import ClientPanel

    made, _anna, _bart = caseload
    assert window.no_client.isVisible()
    assert window.no_client.title.text() == "No client selected"
    assert window.findChildren(ClientPanel) == []  # built on first use, not at start
    width = window.no_client.width()
    window.open_client(made["Jan"].id)
    panel = window.panel
    assert panel.isVisible() and panel.client_id == made["Jan"].id
    assert panel.width() > width  # an open file gets the room: the caseload narrows (issue 24)
    assert window.findChildren(ClientPanel) == [panel]


def test_someone_elses_client_opens_only_with_a_reason_that_the_referent_sees(
    qtbot: QtBot, window: MainWindow, session, caseload
) -> None:  # type: ignore[no-untyped-def]
    from app.ui.privacy.file_access import BreakGlassDialog

    made, anna, bart = caseload
    window.counsellor.setCurrentIndex(window.counsellor.findData(bart.id))
    window.counsellor.activated.emit(window.counsellor.currentIndex())
    window.open_client(made["Jan"].id)
    panel = window.panel
    assert panel.client_id is None and panel.closed_client_id == made["Jan"].id
    assert panel.title.text() == "Jan Peeters"  # the name, as in the list; nothing more
    assert panel.fields["phone"].editor.text() == "" and not panel.open_anyway.isHidden()

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, BreakGlassDialog)
        dialog.edits["reason"].setText("Walk-in at the permanence desk")
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    QTimer.singleShot(0, answer)
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    assert panel.client_id == made["Jan"].id and panel.closed_client_id is None
    window.counsellor.setCurrentIndex(window.counsellor.findData(anna.id))
    window.counsellor.activated.emit(window.counsellor.currentIndex())  # the referent looks
    assert panel.client_id == made["Jan"].id and panel.looked.isVisible()
    texts = [panel.looked.table.item(r, 2).text() for r in range(panel.looked.table.rowCount())]
    assert "Opened someone else's file: Walk-in at the permanence desk" in texts


def test_the_audit_trail_is_for_team_leads(
    qtbot: QtBot, window: MainWindow, session, caseload
) -> None:  # type: ignore[no-untyped-def]
    from app.ui.privacy.audit_view import AuditDialog

    made, anna, _bart = caseload
    assert not window.oversight.audit_action.isEnabled()
    anna.role = CounsellorRole.TEAM_LEAD
    session.commit()
    window.counsellor.activated.emit(window.counsellor.currentIndex())
    assert window.oversight.audit_action.isEnabled()
    window.open_client(made["Ayşe"].id)
    dialog = AuditDialog(window.sessions, window.actor(), window)
    qtbot.addWidget(dialog)
    dialog.dossier.setText(made["Ayşe"].dossier)
    dialog.refresh()
    actions = [dialog.table.item(r, 2).text() for r in range(dialog.table.rowCount())]
    assert actions == ["Viewed the file", "Created"]


def test_consent_export_and_erasure_from_the_file(
    qtbot: QtBot, window: MainWindow, session, caseload, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    import json

    from PySide6.QtWidgets import QFileDialog

    from app.ui.privacy.privacy_box import EraseDialog

    made, anna, _bart = caseload
    window.open_client(made["Nour"].id)
    privacy = window.panel.privacy
    assert privacy.isVisible() and not privacy.erase.isEnabled()  # only team leads erase

    def fill_consent() -> None:
        dialog = QApplication.activeModalWidget()
        dialog.purpose.setCurrentIndex(dialog.purpose.findData("share_with_partner"))
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()  # partner missing
        assert dialog.errors["partner"].text().startswith("Partner:")
        dialog.edits["partner"].setText("CVO Gent")
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    QTimer.singleShot(0, fill_consent)
    privacy.add.click()
    assert privacy.table.rowCount() == 1 and privacy.table.item(0, 1).text() == "CVO Gent"
    target = tmp_path / "nour.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "JSON"))
    privacy.export.click()
    assert json.loads(target.read_text())["records"]["consents"][0]["partner"] == "CVO Gent"

    anna.role = CounsellorRole.TEAM_LEAD
    session.commit()
    window.panel.reload()
    assert privacy.erase.isEnabled()

    def confirm() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, EraseDialog)
        dialog.edits["reason"].setText("Asked for erasure by letter")
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    QTimer.singleShot(0, confirm)
    privacy.erase.click()
    assert window.panel.client_id is None
    assert "Nour" not in visible_names(window)


def test_traject_has_its_own_icon(qapp: QApplication) -> None:
    """Every window shows Traject's icon (the SVG in app.resources, at any size), and the
    desktop matches the windows to the installed traject.desktop entry."""
    from app.ui.application import make_qt_app

    assert make_qt_app() is qapp
    icon = qapp.windowIcon()
    for size in (16, 32, 256):
        image = icon.pixmap(size).toImage()
        assert image.width() == size and image.pixelColor(size // 2, size // 4).alpha() == 255
    assert qapp.desktopFileName() == "traject"


def test_the_search_has_the_focus_at_start_and_no_file_opens_by_itself(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: window.search.hasFocus(), timeout=2000)
    assert window.no_client.isVisible() and window.open_client_id() is None
    qtbot.keyClicks(window.search, "Peet")  # typing finds a client at once
    window.apply_search_now()
    assert visible_names(window) == ["Jan Peeters"]


def test_adding_a_counsellor_does_not_open_the_file_again(
    qtbot: QtBot,
    window: MainWindow,
    session,
    caseload,
    monkeypatch,  # type: ignore[no-untyped-def]
) -> None:
    from sqlalchemy import func, select

    from app.models import AuditEntry
    from app.models.enums import AuditAction
    from app.ui.caseload import dialogs

    made, _anna, _bart = caseload
    client_id = made["Jan"].id

    def views() -> int:
        return session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == AuditAction.VIEW, AuditEntry.client_id == client_id)) or 0  # fmt: skip

    window.open_client(client_id)
    before = views()
    session.commit()  # ends the test's read, so it sees what the window writes next
    monkeypatch.setattr(dialogs.CounsellorDialog, "exec", lambda self: 1)  # filled in, saved
    window.working_as.new_counsellor_action.trigger()
    assert views() == before and window.open_client_id() == client_id

"""The screens in the pseudo-language `xx` (every translated text accented, 40 % longer and in
brackets): no visible text without brackets (it never went through the catalogs) and no
label or button cut short (a long translation would be cut the same way)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtWidgets import QAbstractButton, QApplication, QGroupBox, QLabel, QWidget
from pytestqt.qtbot import QtBot

from app.db import Database
from app.i18n import set_language
from app.pseudo_locale import pseudo
from app.ui.main_window import MainWindow
from app.ui.qt_i18n import install_qt_translations
from app.ui.ui_settings import UiSettings

WORDS = re.compile(r"[^\W\d_]{2,}")


def text_problems(root: QWidget, data: set[str]) -> list[str]:
    """Visible texts without brackets (but for the caseload's own data) and texts that do not
    fit their label or button."""
    found = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible():
            continue
        if isinstance(widget, (QLabel, QAbstractButton)):
            text = widget.text()
        elif isinstance(widget, QGroupBox):
            text = widget.title()
        else:
            continue
        plain = re.sub(r"<[^>]*>", "", text).replace("&", "")
        if isinstance(widget, QLabel) and re.search(r"&[^&\s]", text) and widget.buddy() is None:
            found.append(f"shortcut marker shown, no buddy: {text!r}")
        if WORDS.search(plain) and "[" not in plain and plain.strip() not in data:
            found.append(f"not translated: {type(widget).__name__} {plain!r}")
        elif isinstance(widget, QLabel) and not widget.wordWrap() and "<" not in text:
            if widget.fontMetrics().horizontalAdvance(plain) > widget.contentsRect().width() + 1:
                found.append(f"cut: {plain!r} in {widget.contentsRect().width()} px")
        elif isinstance(widget, QAbstractButton) and widget.sizeHint().width() > widget.width() + 1:
            found.append(f"cut: button {plain!r}")
    return found


@pytest.fixture
def pseudo_window(
    qtbot: QtBot, database: Database, caseload, settings: UiSettings
) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    set_language("xx")
    install_qt_translations("xx")
    win = MainWindow(database, settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    set_language("en")
    install_qt_translations("en")


def _data(caseload) -> set[str]:  # type: ignore[no-untyped-def]
    made, anna, bart = caseload
    names = {c.full_name for c in made.values()} | {c.dossier for c in made.values()}
    return names | {anna.full_name, bart.full_name}


def test_pseudo_text_keeps_what_must_work() -> None:
    assert pseudo("&Save {name} at %(time)s, <b>now</b>") == (
        "[&Šàvé {name} àţ %(time)s, <b>ñöŵ</b> ~~~~~~~~~~~~~~]"
    )
    assert pseudo("") == ""


def test_the_caseload_and_a_client_file_in_the_pseudo_language(
    qtbot: QtBot, pseudo_window: MainWindow, caseload
) -> None:  # type: ignore[no-untyped-def]
    made, _anna, _bart = caseload
    window = pseudo_window
    window.open_client(made["Nour"].id)
    window.figures.now()
    qtbot.wait(50)
    assert text_problems(window, _data(caseload)) == []
    assert window.figures.counts.full_text().startswith("[Šĥöŵîñĝ 5 öf 5 çļîéñţš")
    assert window.file_menu.title().startswith("[")


def _dialogs(window: MainWindow, client_id: int) -> Iterator[tuple[str, Callable[[], QWidget]]]:
    from app.ui.caseload.dialogs import NewClientDialog
    from app.ui.contact.appointment_dialog import AppointmentDialog
    from app.ui.contact.contact_dialog import LogContactDialog
    from app.ui.privacy.audit_view import AuditDialog
    from app.ui.reliability.import_dialog import ImportDialog

    sessions, actor = window.sessions, window.actor()
    yield "new client", lambda: NewClientDialog(sessions, actor, window)
    yield "log a contact", lambda: LogContactDialog(sessions, actor, client_id, window)
    yield (
        "appointment",
        lambda: AppointmentDialog(sessions, actor, client_id=client_id, parent=window),
    )
    yield "audit trail", lambda: AuditDialog(sessions, actor, window)
    yield "import", lambda: ImportDialog(sessions, actor, window)
    from app.ui.caseload.dialogs import CounsellorDialog
    from app.ui.contact.desk_window import DeskWindow
    from app.ui.contact.reach_view import ReachDialog
    from app.ui.privacy.privacy_box import ConsentDialog
    from app.ui.referrals.referrals_window import ReferralsDialog
    from app.ui.scripts.script_outcomes import ScriptOutcomesDialog

    yield "counsellor", lambda: CounsellorDialog(sessions, parent=window)
    yield "consent", lambda: ConsentDialog(sessions, actor, client_id, window)
    yield "reach monitor", lambda: ReachDialog(sessions, window.actor, window)
    yield "permanence desk", lambda: DeskWindow(sessions, window.actor, window)
    yield "referrals", lambda: ReferralsDialog(sessions, actor, client_id, window)
    yield "outcomes", lambda: ScriptOutcomesDialog(sessions, actor, window)
    import datetime as dt

    from app.ui.caseload.action_point_dialogs import ClosingDialog, PointDialog
    from app.ui.caseload.action_points_box import ActionPointsBox
    from app.ui.caseload.test_results_box import TestResultsBox
    from app.ui.language_picker import LanguageBox
    from app.ui.referrals.offer_catalogue_dialog import OfferForm

    def shown(box: ActionPointsBox | TestResultsBox) -> QWidget:
        box.show_client(client_id)
        return box

    yield "action points", lambda: shown(ActionPointsBox(sessions, window.actor))
    yield "new action point", lambda: PointDialog("x", "", dt.date(2027, 1, 4), lambda *_: None)
    yield "action point done", lambda: ClosingDialog("outcome", "x", lambda _text: None)
    yield "test results", lambda: shown(TestResultsBox(sessions, window.actor))
    yield "language picker", LanguageBox
    yield "offer form", lambda: OfferForm(sessions, actor, None, window)


def test_dialogs_in_the_pseudo_language(qtbot: QtBot, pseudo_window: MainWindow, caseload) -> None:  # type: ignore[no-untyped-def]
    made, _anna, _bart = caseload
    problems = []
    for name, make in _dialogs(pseudo_window, made["Nour"].id):
        dialog = make()
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        problems += [f"{name}: {p}" for p in text_problems(dialog, _data(caseload))]
        dialog.close()
    QApplication.processEvents()
    assert problems == []

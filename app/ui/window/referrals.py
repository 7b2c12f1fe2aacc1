"""The caseload window's referral side: the Referrals menu (the selected client's referrals
with Ctrl+R, the letters for every referral sent this week with progress and cancel, the offer
catalogue)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenuBar, QMessageBox, QProgressDialog

from app.i18n import _, ngettext
from app.ui.window.activity import may_work_on

if TYPE_CHECKING:
    from app.ui.window.host import WindowHost


class ReferralController(QObject):
    """The Referrals menu; `changed(client_id)` is told when a client's referrals changed."""

    def __init__(
        self, host: WindowHost, menu_bar: QMenuBar, changed: Callable[[int | None], None]
    ) -> None:
        super().__init__(host.window())
        self._host, self._changed = host, changed
        self.actions = {
            "referrals": QAction(host.window(), shortcut=QKeySequence("Ctrl+R")),
            "week": QAction(host.window()),
            "catalogue": QAction(host.window()),
        }
        self.actions["referrals"].triggered.connect(self.show_referrals)
        self.actions["week"].triggered.connect(self.letters_of_the_week)
        self.actions["catalogue"].triggered.connect(self.show_offer_catalogue)
        self.menu = menu_bar.addMenu("")
        self.menu.addActions(list(self.actions.values()))

    def retranslate(self) -> None:
        texts = {"referrals": _("&Referrals of the selected client…"),
                 "week": _("&Letters for the referrals sent this week…"),
                 "catalogue": _("&Offer catalogue…")}  # fmt: skip
        for key, action in self.actions.items():
            action.setText(texts[key])
        self.menu.setTitle(_("&Referrals"))

    def show_referrals(self) -> None:
        client_id = self._host.selected_client()
        if client_id is None or not may_work_on(self._host, client_id, _("Referrals")):
            return
        from app.ui.referrals.referrals_window import ReferralsDialog

        dialog = ReferralsDialog(
            self._host.sessions, self._host.actor(), client_id, self._host.window()
        )
        dialog.exec()
        if dialog.changed:
            self._changed(client_id)

    def show_offer_catalogue(self) -> None:
        from app.ui.referrals.offer_catalogue_dialog import OfferCatalogueDialog

        OfferCatalogueDialog(self._host.sessions, self._host.actor(), self._host.window()).exec()

    def letters_of_the_week(self) -> None:
        from app.services.clock import local_today
        from app.services.referrals.letters import batch

        parent = self._host.window()
        folder = QFileDialog.getExistingDirectory(parent, _("Folder for the letters"))
        if not folder:
            return
        progress = QProgressDialog(_("Writing the letters…"), _("Cancel"), 0, 0, parent)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)

        def step(done: int, total: int) -> None:
            progress.setMaximum(total)
            progress.setValue(done)
            QCoreApplication.processEvents()  # keeps the window drawn and Cancel clickable

        if self._host.locked:  # locked while the folder was chosen (a native dialog stays)
            return
        actor = self._host.actor()
        with self._host.long_actions.keeping_open(), self._host.sessions() as session:
            result = batch.write_week(session, actor, Path(folder), local_today(), step,
                                      progress.wasCanceled)  # fmt: skip
            session.commit()  # the audit entries of the letters written
        progress.close()
        text = ngettext("{n} letter written to {folder}.", "{n} letters written to {folder}.",
                        len(result.written)).format(n=len(result.written), folder=folder)  # fmt: skip
        if result.cancelled:
            text += " " + _("Stopped before the end.")
        if result.skipped:
            text += "\n\n" + _("Not written:") + "\n" + "\n".join(
                _("referral {id} ({copy}): {reason}").format(id=r, copy=c, reason=why)
                for r, c, why in result.skipped
            )  # fmt: skip
        QMessageBox.information(parent, _("Letters of the week"), text)

"""The caseload window's referral side: the Referrals menu (the selected client's referrals
with Ctrl+R, the letters for every referral sent this week with progress and cancel, the offer
catalogue). A mixin of the window, through `ActivityActions`."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog

from app.i18n import _, ngettext


class ReferralActions:
    """Needs the window's sessions(), actor(), _selected_client(), _may_work_on() and
    _activity_changed()."""

    def _build_referrals(self) -> None:
        self.referral_actions = {
            "referrals": QAction(self, shortcut=QKeySequence("Ctrl+R")),
            "week": QAction(self),
            "catalogue": QAction(self),
        }
        self.referral_actions["referrals"].triggered.connect(self.show_referrals)
        self.referral_actions["week"].triggered.connect(self.letters_of_the_week)
        self.referral_actions["catalogue"].triggered.connect(self.show_offer_catalogue)
        self.referrals_menu = self.menuBar().addMenu("")
        self.referrals_menu.addActions(list(self.referral_actions.values()))

    def _retranslate_referrals(self) -> None:
        texts = {"referrals": _("&Referrals of the selected client…"),
                 "week": _("&Letters for the referrals sent this week…"),
                 "catalogue": _("&Offer catalogue…")}  # fmt: skip
        for key, action in self.referral_actions.items():
            action.setText(texts[key])
        self.referrals_menu.setTitle(_("&Referrals"))

    def show_referrals(self) -> None:
        client_id = self._selected_client()
        if client_id is None or not self._may_work_on(client_id, _("Referrals")):
            return
        from app.ui.referrals.referrals_window import ReferralsDialog

        dialog = ReferralsDialog(self.sessions, self.actor(), client_id, self)
        dialog.exec()
        if dialog.changed:
            self._activity_changed(client_id)

    def show_offer_catalogue(self) -> None:
        from app.ui.referrals.offer_catalogue_dialog import OfferCatalogueDialog

        OfferCatalogueDialog(self.sessions, self.actor(), self).exec()

    def letters_of_the_week(self) -> None:
        from app.services.clock import local_today
        from app.services.referrals.letters import batch

        folder = QFileDialog.getExistingDirectory(self, _("Folder for the letters"))
        if not folder:
            return
        progress = QProgressDialog(_("Writing the letters…"), _("Cancel"), 0, 0, self)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)

        def step(done: int, total: int) -> None:
            progress.setMaximum(total)
            progress.setValue(done)
            QCoreApplication.processEvents()  # keeps the window drawn and Cancel clickable

        actor = self.actor()
        with self.sessions() as session:
            result = batch.write_week(session, actor, Path(folder), local_today(), step,
                                      progress.wasCanceled)  # fmt: skip
            session.commit()  # the audit entries of the letters written
        progress.close()
        text = ngettext("{n} letter written to {folder}.", "{n} letters written to {folder}.",
                        len(result.written)).format(n=len(result.written), folder=folder)  # fmt: skip
        if result.cancelled:
            text += " " + _("Stopped before the end.")
        if result.skipped:
            text += (
                "\n\n"
                + _("Not written:")
                + "\n"
                + "\n".join(
                    _("referral {id} ({copy}): {reason}").format(id=r, copy=c, reason=why)
                    for r, c, why in result.skipped
                )
            )
        QMessageBox.information(self, _("Letters of the week"), text)

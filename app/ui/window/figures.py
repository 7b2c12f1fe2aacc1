"""The caseload window's status bar figures: how many clients the filters show of how many,
the active ones and the working counsellor's own; and the continuity of the caseload (how many
counsellors a client met). Counting every match is slower than showing the first page, so the
counts wait until typing pauses."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QStatusBar

from app.i18n import _, format_number, format_percent, ngettext
from app.models.enums import ClientStatus
from app.services.caseload import continuity
from app.services.caseload import listing as caseload
from app.ui.caseload.caseload_widgets import StatusLabel

if TYPE_CHECKING:
    from app.ui.window.host import FiguresHost

COUNT_DELAY_MS = 250


class StatusFigures(QObject):
    """`matching` says how many clients the filters select (the caseload model knows)."""

    def __init__(
        self, host: FiguresHost, status_bar: QStatusBar, matching: Callable[[], int]
    ) -> None:
        super().__init__(host.window())
        self._host, self._matching = host, matching
        self.counts = StatusLabel()
        self.continuity = StatusLabel()
        status_bar.addWidget(self.counts, 1)
        status_bar.addPermanentWidget(self.continuity)
        self._timer = QTimer(self, singleShot=True, interval=COUNT_DELAY_MS)
        self._timer.timeout.connect(self.update_counts)

    def later(self) -> None:
        """Count once typing (or a burst of changes) pauses."""
        self._timer.start()

    def now(self) -> None:
        """Counts and continuity at once."""
        self._timer.stop()
        self.update_counts()
        self.update_continuity()

    def clear(self) -> None:
        """Nothing about the caseload while it is locked or closed."""
        self._timer.stop()
        self.counts.clear()
        self.continuity.clear()

    def _readable(self) -> bool:
        return not self._host.locked and not self._host.database_closed

    def update_counts(self) -> None:
        if not self._readable():
            return
        with self._host.sessions() as session:
            counts = caseload.counts(session, self._host.acting_counsellor_id())
        shown = self._matching()
        self.counts.setText(
            ngettext("Showing {shown} of {total} client", "Showing {shown} of {total} clients", counts.total).format(
                shown=format_number(shown), total=format_number(counts.total))
            + " · " + _("{active} active").format(active=format_number(counts.by_status.get(ClientStatus.ACTIVE, 0)))
            + " · " + ngettext("my caseload: {n} active client", "my caseload: {n} active clients", counts.mine).format(
                n=format_number(counts.mine))
        )  # fmt: skip

    def update_continuity(self) -> None:
        if not self._readable():
            return
        with self._host.sessions() as session:
            figures = continuity.caseload_continuity(session)
        if figures.clients:
            self.continuity.setText(
                _("Continuity: {mean} counsellors per client on average; {share} had only one").format(
                    mean=format_number(round(figures.mean, 2)), share=format_percent(figures.share_with_one))
            )  # fmt: skip

"""The caseload balance for team leads: each counsellor's open caseload beside their maximum and
the continuity figure of their clients, the open files per office, and a chart of the open
caseload per counsellor or per office at the end of each of the last twelve months.

pyqtgraph is imported when the chart is first drawn, never at start-up."""

from __future__ import annotations

from typing import Any

from babel.dates import format_skeleton
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.db import SessionFactory
from app.i18n import _, current_locale, format_number, has_right_to_left
from app.services.privacy.access import Actor
from app.services.team import caseload_balance
from app.ui.labels import colon

#: line colours that stay apart for most colour-blind readers (Okabe and Ito)
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
#: a counsellor above their maximum: a soft red row with dark text (the words say it too)
OVER_BACKGROUND, OVER_TEXT = QColor("#fde0dc"), QColor("#7a1500")


def _number_item(value: float | None, text: str | None = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text if text is not None else "")
    item.setData(Qt.ItemDataRole.UserRole, value)
    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


class BalanceView(QDialog):
    def __init__(
        self, sessions: SessionFactory, actor: Actor, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("balance_view")
        self.setWindowTitle(_("Caseload balance"))
        with sessions() as session:
            self.balance = caseload_balance.balance(session, actor)
        self.people = QTableWidget(len(self.balance.counsellors), 5)
        self.people.setObjectName("balance_counsellors")
        self.people.setAccessibleName(_("Open caseload per counsellor"))
        self.people.setHorizontalHeaderLabels([
            _("Counsellor"), _("Office"), _("Open files"), _("Maximum"),
            _("Counsellors met per client")])  # fmt: skip
        self.people.setToolTip(_("“Counsellors met per client”: how many counsellors the "
                                 "counsellor's current clients have had, on average"))  # fmt: skip
        for row, person in enumerate(self.balance.counsellors):
            self.people.setItem(row, 0, QTableWidgetItem(person.name))
            self.people.setItem(row, 1, QTableWidgetItem(person.office or "—"))
            open_files = format_number(person.open)
            over = person.open > person.maximum
            if over:
                open_files = _("{count} (above the maximum)").format(count=open_files)
            self.people.setItem(row, 2, _number_item(person.open, open_files))
            self.people.setItem(row, 3, _number_item(person.maximum, format_number(person.maximum)))
            shown = "—" if person.continuity is None else format_number(round(person.continuity, 1))
            self.people.setItem(row, 4, _number_item(person.continuity, shown))
            if over:
                self._mark_over(row, person.name, person.open, person.maximum)
        self.offices = QTableWidget(len(self.balance.offices), 2)
        self.offices.setObjectName("balance_offices")
        self.offices.setAccessibleName(_("Open caseload per office"))
        self.offices.setHorizontalHeaderLabels([_("Office"), _("Open files")])
        for row, (office, count) in enumerate(self.balance.offices.items()):
            self.offices.setItem(row, 0, QTableWidgetItem(office or _("No office")))
            self.offices.setItem(row, 1, _number_item(count, format_number(count)))
        for table in (self.people, self.offices):
            table.verticalHeader().hide()
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.resizeColumnsToContents()
            table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.per = QComboBox()
        self.per.setObjectName("balance_per")
        self.per.addItem(_("per counsellor"), "counsellor")
        self.per.addItem(_("per office"), "office")
        self.per.currentIndexChanged.connect(lambda _index: self.draw())
        per_label = QLabel(colon(_("&Open caseload over the last twelve months")))
        per_label.setBuddy(self.per)
        self.chart_holder = QVBoxLayout()
        self.chart: Any = None
        chart_box = QWidget()
        column = QVBoxLayout(chart_box)
        column.setContentsMargins(0, 0, 0, 0)
        heading = QHBoxLayout()
        heading.addWidget(per_label)
        heading.addWidget(self.per)
        heading.addStretch()
        column.addLayout(heading)
        column.addLayout(self.chart_holder, 1)
        tables = QSplitter(Qt.Orientation.Horizontal)
        tables.addWidget(self.people)
        tables.addWidget(self.offices)
        tables.setStretchFactor(0, 3)
        tables.setStretchFactor(1, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tables, 2)
        layout.addWidget(chart_box, 3)
        layout.addWidget(buttons)
        self.resize(1000, 700)
        self.draw()

    def _mark_over(self, row: int, name: str, count: int, maximum: int) -> None:
        said = _("{name} has {count} open files, above the maximum of {maximum}.").format(
            name=name, count=format_number(count), maximum=format_number(maximum))  # fmt: skip
        for column in range(self.people.columnCount()):
            item = self.people.item(row, column)
            assert item is not None
            item.setBackground(QBrush(OVER_BACKGROUND))
            item.setForeground(QBrush(OVER_TEXT))
            item.setToolTip(said)
        name_item = self.people.item(row, 0)
        assert name_item is not None
        name_item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, said)
        font = name_item.font()
        font.setBold(True)
        name_item.setFont(font)

    def month_labels(self) -> list[str]:
        """The months as Babel writes a month and year ("jan 2026", "يناير 2026"). The chart
        draws through a QPicture, whose replay drops a space between Arabic letters and digits
        ("2026يناير"): a right-to-left mark after the space keeps it."""
        labels = [
            format_skeleton("MMMyy", day, locale=current_locale()) for day in self.balance.months
        ]
        return [
            label.replace(" ", " \u200f") if has_right_to_left(label) else label for label in labels
        ]

    def series(self) -> dict[str, list[int]]:
        """The lines the chart draws, by the name in its legend."""
        if self.per.currentData() == "office":
            return {office or _("No office"): counts
                    for office, counts in sorted(self.balance.per_office().items())}  # fmt: skip
        names = {c.counsellor_id: c.name for c in self.balance.counsellors}
        return {names[who]: counts for who, counts in self.balance.per_counsellor.items()
                if who in names}  # fmt: skip

    def draw(self) -> None:
        import pyqtgraph as pg  # a second's import: only when the chart is drawn

        if self.chart is None:
            pg.setConfigOptions(antialias=True, background="w", foreground="k")
            self.chart = pg.PlotWidget()
            self.chart.setObjectName("balance_chart")
            self.chart.setAccessibleName(_("Chart of the open caseload per month"))
            self.chart.setMinimumHeight(240)
            # time runs to the right in every language; mirrored, the axis would cut a label
            self.chart.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
            self.chart.getPlotItem().setLayoutDirection(Qt.LayoutDirection.LeftToRight)
            self.chart_holder.addWidget(self.chart)
        plot = self.chart.getPlotItem()
        plot.clear()
        if plot.legend is None:
            legend = plot.addLegend(offset=(10, 10))
            # each line's sample right beside its name, as in the left-to-right chart
            legend.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        plot.legend.clear()
        plot.showGrid(y=True, alpha=0.3)
        plot.setLabel("left", _("Open files"))
        labels = self.month_labels()
        plot.getAxis("bottom").setTicks([list(enumerate(labels))])
        for n, (name, counts) in enumerate(self.series().items()):
            colour = COLOURS[n % len(COLOURS)]
            plot.plot(list(range(len(counts))), counts, name=name,
                      pen=pg.mkPen(colour, width=2), symbol="o", symbolSize=5,
                      symbolBrush=colour)  # fmt: skip
        plot.setXRange(-0.5, len(labels) - 0.5, padding=0)  # room for the last label
        # room beside the axis for half a label at both ends, and under it for the labels
        plot.layout.setContentsMargins(4, 4, 24, 8)

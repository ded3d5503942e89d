"""Charts of a decision's money drawn with plain QPainter (no QtCharts dependency): decided vs.
received vs. spent over time, and spending per person against the fixed amount. German axis
labels; every amount is formatted with ``format_cents``. The widgets only draw what
:mod:`paktdesk.core.balance_series` computed."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from ...core.balance_series import MonthlySeries, PersonBar
from ...core.money import format_cents

LINE_COLORS = {
    "decided": QColor("#5b6770"),
    "received": QColor("#2e7d32"),
    "used": QColor("#c05600"),
    "spent": QColor("#1f5fa8"),
}
LINE_LABELS = {"decided": "Bewilligt", "received": "Erhalten", "used": "Ausgegeben gesamt",
               "spent": "davon eigene Belege"}
OVER = QColor("#b3261e")
FIXED = QColor("#d7dde3")
ACTUAL = QColor("#1f5fa8")


def nice_step(maximum: int, ticks: int = 5) -> int:
    """A round step (1, 2, 2.5 or 5 × 10^n cents-of-euros) so ``ticks`` steps cover ``maximum``."""
    if maximum <= 0:
        return 100_000
    raw = maximum / ticks
    magnitude = 100
    while magnitude * 10 <= raw:
        magnitude *= 10
    for factor in (1, 2, 2.5, 5, 10):
        step = int(magnitude * factor)
        if step >= raw:
            return step
    return magnitude * 10


def euro_label(cents: int) -> str:
    """Axis label in whole euros, formatted like every other amount: ``120.000 €``."""
    text = format_cents(cents)
    return text.replace(",00 €", " €")


class MoneyLineChart(QWidget):
    """Cumulative amounts by month; the decided amount as a step line."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.series: MonthlySeries | None = None
        self.title = ""
        self.setMinimumSize(420, 260)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Diagramm: bewilligt, erhalten und ausgegeben im Zeitverlauf")

    def set_series(self, series: MonthlySeries | None, *, title: str = "") -> None:
        self.series = series
        self.title = title
        self.setToolTip(self.describe())
        self.update()

    def describe(self) -> str:
        """The chart's last values as text (tool tip and screen readers)."""
        if not self.series or not self.series.months:
            return "Keine Daten"
        s = self.series
        return (f"Stand {s.labels[-1]}: bewilligt {format_cents(s.decided[-1])}, erhalten {format_cents(s.received[-1])}, "
                f"ausgegeben {format_cents(s.used[-1])} (davon eigene Belege {format_cents(s.spent[-1])})")

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(640, 300)

    @staticmethod
    def _legend_rows(metrics: QFontMetrics, width: float) -> list[list[str]]:
        rows: list[list[str]] = [[]]
        used = 0.0
        for key in ("decided", "received", "used", "spent"):
            needed = 22 + metrics.horizontalAdvance(LINE_LABELS[key]) + 18
            if rows[-1] and used + needed > width:
                rows.append([])
                used = 0.0
            rows[-1].append(key)
            used += needed
        return rows

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        metrics = QFontMetrics(self.font())
        if not self.series or not self.series.months:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "Noch keine Daten für ein Diagramm.")
            return
        s = self.series
        step = nice_step(s.maximum)
        top_value = max(step, -(-s.maximum // step) * step)
        label_width = max(metrics.horizontalAdvance(euro_label(top_value)), metrics.horizontalAdvance("0 €")) + 10
        title_height = metrics.height() + 6 if self.title else 0
        legend = self._legend_rows(metrics, self.width() - label_width - 24)
        legend_height = len(legend) * (metrics.height() + 4) + 4
        half_label = metrics.horizontalAdvance("Mär 2023") / 2 + 4
        plot = QRectF(label_width + 8, 8 + title_height + legend_height, self.width() - label_width - 16 - half_label,
                      self.height() - 8 - title_height - legend_height - metrics.height() * 2 - 10)
        if plot.width() < 40 or plot.height() < 40:
            return
        if self.title:
            bold = QFont(self.font())
            bold.setBold(True)
            painter.setFont(bold)
            painter.setPen(self.palette().text().color())
            painter.drawText(QRectF(0, 4, self.width(), metrics.height() + 2), Qt.AlignmentFlag.AlignHCenter,
                             self.title)
            painter.setFont(self.font())
        # legend (wrapped onto more rows when narrow)
        for number, keys in enumerate(legend):
            x = plot.left()
            y = 8 + title_height + number * (metrics.height() + 4)
            for key in keys:
                pen = QPen(LINE_COLORS[key], 3)
                if key == "decided":
                    pen.setStyle(Qt.PenStyle.DashLine)
                painter.setPen(pen)
                painter.drawLine(QPointF(x, y + metrics.height() / 2), QPointF(x + 18, y + metrics.height() / 2))
                painter.setPen(self.palette().text().color())
                painter.drawText(QPointF(x + 22, y + metrics.ascent()), LINE_LABELS[key])
                x += 22 + metrics.horizontalAdvance(LINE_LABELS[key]) + 18
        # y axis with € labels and grid
        grid_pen = QPen(self.palette().mid().color(), 1, Qt.PenStyle.DotLine)
        value = 0
        while value <= top_value:
            y = plot.bottom() - plot.height() * value / top_value
            painter.setPen(grid_pen)
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(self.palette().text().color())
            painter.drawText(QRectF(0, y - metrics.height() / 2, label_width, metrics.height()),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, euro_label(value))
            value += step
        count = len(s.months)

        def point(index: int, amount: int) -> QPointF:
            x_pos = plot.left() + (plot.width() * (index + 0.5) / count)
            return QPointF(x_pos, plot.bottom() - plot.height() * max(0, amount) / top_value)

        # x axis: month labels, as many as fit
        widest = metrics.horizontalAdvance("Mär 2023") + 12
        every = max(1, -(-count * widest // max(1, int(plot.width()))))
        painter.setPen(self.palette().text().color())
        for index, label in enumerate(s.labels):
            if index % every:
                continue
            p = point(index, 0)
            painter.drawLine(QPointF(p.x(), plot.bottom()), QPointF(p.x(), plot.bottom() + 4))
            painter.drawText(QRectF(p.x() - widest / 2, plot.bottom() + 6, widest, metrics.height()),
                             Qt.AlignmentFlag.AlignHCenter, label)
        painter.drawLine(QPointF(plot.left(), plot.bottom()), QPointF(plot.right(), plot.bottom()))
        painter.drawText(QRectF(plot.left(), plot.bottom() + metrics.height() + 8, plot.width(), metrics.height()),
                         Qt.AlignmentFlag.AlignHCenter, "Monat (Summen jeweils zum Monatsende)")
        # lines
        for key in ("decided", "received", "used", "spent"):
            values = getattr(s, key)
            path = QPainterPath(point(0, values[0]))
            for index in range(1, count):
                if key == "decided":  # a step: the amount changes with the decision
                    path.lineTo(point(index, values[index - 1]))
                path.lineTo(point(index, values[index]))
            pen = QPen(LINE_COLORS[key], 2.5 if key != "spent" else 2)
            if key == "decided":
                pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawPath(path)


class PersonBarsChart(QWidget):
    """Per person: the fixed amount as a light bar, the actual cost as a filled bar on top (red
    where it exceeds the fixed amount: the owner's own share)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.bars: tuple[PersonBar, ...] = ()
        self.title = ""
        self.setMinimumSize(420, 160)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setAccessibleName("Diagramm: Ausgaben je Person gegenüber dem Festbetrag")

    def set_bars(self, bars: tuple[PersonBar, ...], *, title: str = "") -> None:
        self.bars = tuple(bars)
        self.title = title
        self.setToolTip("\n".join(f"{b.label}: {format_cents(b.actual)} von {format_cents(b.fixed)}" for b in bars))
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        metrics = QFontMetrics(self.font())
        return QSize(480, 40 + max(1, len(self.bars)) * (metrics.height() * 2 + 10))

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().base())
        metrics = QFontMetrics(self.font())
        if not self.bars:
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "Keine Stellen in diesem Bescheid.")
            return
        top = 6
        if self.title:
            bold = QFont(self.font())
            bold.setBold(True)
            painter.setFont(bold)
            painter.setPen(self.palette().text().color())
            painter.drawText(QRectF(0, 2, self.width(), metrics.height() + 2), Qt.AlignmentFlag.AlignHCenter,
                             self.title)
            painter.setFont(self.font())
            top += metrics.height() + 6
        left, width = 10.0, max(40.0, self.width() - 20.0)
        maximum = max(max(b.fixed, b.actual) for b in self.bars) or 1
        row_height = max(metrics.height() * 2 + 6, (self.height() - top - 4) / len(self.bars))
        bar_height = min(metrics.height() * 0.9, row_height - metrics.height() - 6)
        for index, bar in enumerate(self.bars):
            y = top + index * row_height
            value = f"{format_cents(bar.actual)} von {format_cents(bar.fixed)}"
            painter.setPen(self.palette().text().color())
            value_width = metrics.horizontalAdvance(value)
            painter.drawText(QRectF(left, y, width - value_width - 8, metrics.height()),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, int(width - value_width - 12)))
            painter.setPen(OVER if bar.over else self.palette().text().color())
            painter.drawText(QRectF(left, y, width, metrics.height()),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, value)
            bar_top = y + metrics.height() + 3
            fixed_width = width * bar.fixed / maximum
            actual_width = width * max(0, bar.actual) / maximum
            painter.fillRect(QRectF(left, bar_top, fixed_width, bar_height), FIXED)
            painter.fillRect(QRectF(left, bar_top + bar_height * 0.2, min(actual_width, fixed_width),
                                    bar_height * 0.6), ACTUAL)
            if actual_width > fixed_width:
                painter.fillRect(QRectF(left + fixed_width, bar_top + bar_height * 0.2, actual_width - fixed_width,
                                        bar_height * 0.6), OVER)
            painter.setPen(QPen(self.palette().dark().color(), 1))
            painter.drawLine(QPointF(left + fixed_width, bar_top - 2), QPointF(left + fixed_width, bar_top + bar_height + 2))

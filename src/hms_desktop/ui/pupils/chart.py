"""Level over time, drawn with QPainter from the same plain series the PDF report draws: one
band per framework, its levels up the side, each assessment a dot joined in date order."""

from datetime import date
from itertools import pairwise

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from hms_desktop.domain.progress import LevelSeries

COLOURS = ("#1f4e8c", "#b5541c", "#2e7d32")
MAX_BANDS = 2


class LevelChart(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._series: tuple[LevelSeries, ...] = ()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMinimumHeight(150)
        self.setAccessibleName("Level over time")

    def set_series(self, series: tuple[LevelSeries, ...]) -> None:
        self._series = series[:MAX_BANDS]
        self.setMinimumHeight(150 if len(self._series) < 2 else 240)
        self.setAccessibleDescription(self.describe())
        self.update()

    def describe(self) -> str:
        """The chart in words (for a screen reader and a tooltip)."""
        if not self._series:
            return "No levels recorded yet."
        parts = []
        for s in self._series:
            steps = ", ".join(f"{p.level} ({p.on:%b %Y})" for p in s.points)
            parts.append(f"{s.framework}: {steps}")
        return "; ".join(parts)

    def sizeHint(self) -> QSize:
        return QSize(520, 110 * max(1, len(self._series)) + 30)

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        if not self._series:
            painter.setPen(QColor("#555555"))
            painter.drawText(
                self.rect(),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                "No level recorded yet: the chart fills in as assessments are recorded.",
            )
            return
        days = [p.on for s in self._series for p in s.points]
        first, last = min(days), max(days)
        if (last - first).days < 60:  # a single point still sits inside a readable span
            first = date.fromordinal(last.toordinal() - 60)
        band_h = (self.height() - 24) / len(self._series)
        for i, series in enumerate(self._series):
            band = QRectF(0, i * band_h, self.width(), band_h)
            self._draw_band(painter, band, series, first, last, QColor(COLOURS[i % 3]))
        self._draw_years(painter, first, last)

    def _plot_area(self, band: QRectF) -> QRectF:
        return QRectF(band.left() + 86, band.top() + 18, band.width() - 100, band.height() - 26)

    def _x(self, area: QRectF, first: date, last: date, on: date) -> float:
        span = max(1, (last - first).days)
        return area.left() + area.width() * (on - first).days / span

    def _draw_band(self, painter, band, series, first, last, colour) -> None:
        area = self._plot_area(band)
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() - 1.5))
        painter.setFont(small)
        painter.setPen(QColor("#222222"))
        painter.drawText(
            QRectF(band.left() + 4, band.top(), band.width(), 16),
            Qt.AlignmentFlag.AlignLeft,
            series.framework,
        )
        shown = series.shown_levels()
        step = area.height() / max(1, len(shown) - 1)

        def y(ordinal: int) -> float:
            return area.bottom() - ordinal * step

        grid = QPen(QColor("#dddddd"))
        reached = {p.ordinal for p in series.points}
        every = max(1, int(14 // max(step, 1)) + 1)  # labels at least ~14 px apart
        for ordinal in shown:
            painter.setPen(grid)
            painter.drawLine(QPointF(area.left(), y(ordinal)), QPointF(area.right(), y(ordinal)))
            if ordinal % every and ordinal not in reached:
                continue
            painter.setPen(QColor("#555555"))
            painter.drawText(
                QRectF(band.left(), y(ordinal) - 8, 82, 16),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                series.levels[ordinal],
            )
        points = [QPointF(self._x(area, first, last, p.on), y(p.ordinal)) for p in series.points]
        painter.setPen(QPen(colour, 2.5))
        for a, b in pairwise(points):
            painter.drawLine(a, QPointF(b.x(), a.y()))  # a level holds until the next one
            painter.drawLine(QPointF(b.x(), a.y()), b)
        painter.setBrush(colour)
        for point in points:
            painter.drawEllipse(point, 4.5, 4.5)
        painter.setBrush(Qt.BrushStyle.NoBrush)

    def _draw_years(self, painter, first: date, last: date) -> None:
        area = self._plot_area(QRectF(0, 0, self.width(), self.height()))
        painter.setPen(QColor("#555555"))
        marks = [date(y, 9, 1) for y in range(first.year - 1, last.year + 1)]
        for mark in marks:
            x = self._x(area, first, last, mark)
            if first <= mark <= last and area.left() + 80 < x < area.right() - 80:
                painter.drawText(
                    QRectF(x - 40, self.height() - 20, 80, 18),
                    Qt.AlignmentFlag.AlignCenter,
                    f"Sep {mark.year}",
                )
        painter.drawText(
            QRectF(area.left(), self.height() - 20, 120, 18),
            Qt.AlignmentFlag.AlignLeft,
            f"{first:%b %Y}",
        )
        painter.drawText(
            QRectF(area.right() - 120, self.height() - 20, 120, 18),
            Qt.AlignmentFlag.AlignRight,
            f"{last:%b %Y}",
        )

"""A pupil's levels over time as plain values: what the screen's chart and the printed report's
chart both draw."""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class LevelPoint:
    on: date
    ordinal: int
    level: str


@dataclass(frozen=True)
class LevelSeries:
    """One framework's levels over time, for the chart a parent reads at a glance."""

    framework: str
    levels: tuple[str, ...]  # the framework's levels in order (ordinal 0 first)
    points: tuple[LevelPoint, ...]  # oldest first

    def shown_levels(self) -> range:
        """The ordinals a chart shows: from the first level to one above the highest reached."""
        top = max((p.ordinal for p in self.points), default=0)
        return range(0, min(len(self.levels), top + 2))

"""Geometry of a horizontal bar chart drawn as inline SVG by a template (no JavaScript, no chart
library): one labelled bar per row, each against its own maximum, so that it reads on a phone
(``stats.chart`` draws the vertical, integer, two-series monthly trend). Pure: no Django."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 400
ROW = 42  # label line + bar
BAR_H = 15
PAD = 4
VALUE_W = 84  # room for "17.71 / 20" right of the longest track


@dataclass(frozen=True)
class HBar:
    label: str
    value: float
    maximum: float
    text: str  # "14 / 20"
    label_y: float
    bar_y: float
    track_width: float
    width: float


@dataclass(frozen=True)
class HBarChart:
    width: int
    height: int
    left: int
    bar_height: int
    bars: tuple[HBar, ...]


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def hbar_chart(
    rows: Sequence[tuple[str, float, float]], *, scale: float | None = None
) -> HBarChart:
    """``rows`` are (label, value, maximum). Tracks are drawn to scale against ``scale`` (default:
    the largest maximum), so a group worth 22 points is longer than one worth 10."""
    top = scale or max((m for _, _, m in rows), default=1.0) or 1.0
    span = WIDTH - 2 * PAD - VALUE_W
    bars = []
    for i, (label, value, maximum) in enumerate(rows):
        track = span * maximum / top
        filled = track * max(0.0, min(value, maximum)) / maximum if maximum else 0.0
        y = i * ROW
        bars.append(
            HBar(
                label=label if len(label) <= 44 else label[:43] + "…",
                value=value,
                maximum=maximum,
                text=f"{_number(value)} / {_number(maximum)}",
                label_y=y + 15,
                bar_y=y + 21,
                track_width=round(track, 1),
                width=round(filled, 1),
            )
        )
    return HBarChart(
        width=WIDTH, height=max(ROW * len(bars), ROW), left=PAD, bar_height=BAR_H, bars=tuple(bars)
    )

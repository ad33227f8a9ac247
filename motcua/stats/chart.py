"""Geometry of a grouped bar chart drawn as inline SVG by a template (no JavaScript, no chart
library): two series per month, a scale with round ticks. Pure: no Django."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 640
HEIGHT = 240
LEFT, RIGHT, TOP, BOTTOM = 40, 8, 10, 28


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    series: int  # 0 or 1


@dataclass(frozen=True)
class Tick:
    y: float
    value: int


@dataclass(frozen=True)
class Label:
    x: float
    text: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    left: int
    bottom: float  # y of the axis
    right: int
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    labels: tuple[Label, ...]


def nice_max(value: int) -> int:
    """The smallest 1/2/5 × 10^k at or above ``value`` (at least 1)."""
    if value <= 1:
        return 1
    power = int(10 ** math.floor(math.log10(value)))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power  # pragma: no cover


def bar_chart(labels: Sequence[str], series: Sequence[Sequence[int]]) -> BarChart:
    """Bars for ``series`` (each a value per label) side by side within each label's slot."""
    top_value = nice_max(max((v for s in series for v in s), default=0))
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    axis = TOP + plot_h
    slot = plot_w / max(len(labels), 1)
    bar_w = slot * 0.8 / max(len(series), 1)
    bars = []
    for i in range(len(labels)):
        for k, values in enumerate(series):
            value = values[i]
            h = plot_h * value / top_value
            bars.append(
                Bar(
                    x=round(LEFT + i * slot + slot * 0.1 + k * bar_w, 1),
                    y=round(axis - h, 1),
                    width=round(bar_w, 1),
                    height=round(h, 1),
                    value=value,
                    series=k,
                )
            )
    ticks = tuple(
        Tick(y=round(axis - plot_h * f, 1), value=round(top_value * f))
        for f in (0, 0.25, 0.5, 0.75, 1)
        if f == 0 or top_value * f == int(top_value * f)
    )
    return BarChart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        bottom=axis,
        right=WIDTH - RIGHT,
        bars=tuple(bars),
        ticks=ticks,
        labels=tuple(
            Label(x=round(LEFT + i * slot + slot / 2, 1), text=t) for i, t in enumerate(labels)
        ),
    )

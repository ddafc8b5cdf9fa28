"""Small statistics for the figures: median, spread, percentiles and a fitted growth exponent."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Sample:
    """Several measurements of one quantity, in seconds (or bytes, or pages per second)."""

    values: tuple[float, ...]

    @property
    def median(self) -> float:
        """Return the median."""
        return statistics.median(self.values)

    @property
    def low(self) -> float:
        """Return the smallest value."""
        return min(self.values)

    @property
    def high(self) -> float:
        """Return the largest value."""
        return max(self.values)

    def percentile(self, p: float) -> float:
        """Return the ``p``-th percentile (0–100) by linear interpolation between ranks."""
        ordered = sorted(self.values)
        if len(ordered) == 1:
            return ordered[0]
        rank = (len(ordered) - 1) * p / 100
        below = math.floor(rank)
        above = min(below + 1, len(ordered) - 1)
        return ordered[below] + (ordered[above] - ordered[below]) * (rank - below)


def timed_result(work: Callable[[], T], runs: int) -> tuple[Sample, T]:
    """Run ``work`` ``runs`` times (at least once); return the times and the last result."""
    values = []
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        values.append(time.perf_counter() - started)
    return Sample(tuple(values)), result


def timed(work: Callable[[], object], runs: int) -> Sample:
    """Run ``work`` ``runs`` times and return the times."""
    return timed_result(work, runs)[0]


def exponent(sizes: Sequence[float], times: Sequence[float]) -> float:
    """Return b of the least-squares fit time = a * size ** b on log–log axes."""
    xs = [math.log(s) for s in sizes]
    ys = [math.log(t) for t in times]
    mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
    num = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    den = sum((x - mean_x) ** 2 for x in xs)
    return num / den


def seconds(value: float) -> str:
    """Return a duration written the way a person reads it: ms below a second, else s."""
    if value < 1:
        return f"{value * 1000:.3g} ms" if value < 0.0995 else f"{value * 1000:.0f} ms"
    return f"{value:.2f} s"


def spread(sample: Sample, unit: Callable[[float], str] = seconds) -> str:
    """Return ``low–high`` of a sample in its unit."""
    return f"{unit(sample.low)} – {unit(sample.high)}"


def ratio(value: float) -> str:
    """Return a ratio with two significant figures, e.g. ``2.3×`` or ``0.028×``."""
    if value >= 10:
        return f"{value:.0f}×"
    return f"{value:.1f}×" if value >= 1 else f"{value:.2g}×"

"""Timing statistics for benchmarks: repeated runs, medians, percentiles, ratios.

Benchmarks never assert on time; they report a median of several runs and the
ratio against a baseline measured in the same run on the same machine.
"""
from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field, asdict
from typing import Callable


@dataclass
class Timing:
    name: str
    runs_s: list[float] = field(default_factory=list)
    items: int | None = None          # rows, relationships or nodes handled per run
    note: str = ""

    @property
    def median_s(self) -> float:
        return statistics.median(self.runs_s)

    @property
    def p95_s(self) -> float:
        return percentile(self.runs_s, 95)

    @property
    def per_second(self) -> float | None:
        return None if not self.items or self.median_s == 0 else self.items / self.median_s

    def as_dict(self) -> dict:
        d = asdict(self)
        d.update(median_s=self.median_s, p95_s=self.p95_s, per_second=self.per_second)
        return d


def percentile(values: list[float], q: float) -> float:
    """Linear-interpolation percentile (numpy's default), without numpy."""
    xs = sorted(values)
    if not xs:
        raise ValueError("no values")
    pos = (len(xs) - 1) * q / 100.0
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def measure(name: str, fn: Callable[[], object], *, repeat: int = 5, setup: Callable[[], object] | None = None,
            items: int | None = None, note: str = "") -> Timing:
    """Run `fn` `repeat` times (after `setup` each time, untimed) and keep every wall time."""
    t = Timing(name=name, items=items, note=note)
    for _ in range(repeat):
        if setup is not None:
            setup()
        start = time.perf_counter()
        fn()
        t.runs_s.append(time.perf_counter() - start)
    return t


def ratio(baseline: Timing, other: Timing) -> float:
    """How many times faster `other` is than `baseline` (by median, per item when both have items)."""
    if baseline.items and other.items:
        return (other.items / other.median_s) / (baseline.items / baseline.median_s)
    return baseline.median_s / other.median_s

"""The results of one benchmark run: figures (a Timing plus what it is compared with) and extras."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bench.stats import Timing, ratio


@dataclass
class Figure:
    section: str              # load | centrality | paths | explorer
    dataset: str              # firms-10k, wiod-1995, ...
    timing: Timing
    baseline: str | None = None   # name of the same-run figure it is compared with
    ratio: float | None = None    # how many times faster than the baseline (per item when both have items)
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict:
        d = {"section": self.section, "dataset": self.dataset, **self.timing.as_dict(),
             "baseline": self.baseline, "ratio": self.ratio}
        d.update(self.extra)
        return d


@dataclass
class Record:
    figures: list[Figure] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)   # agreement, counts, targets, notes

    def add(self, section: str, dataset: str, timing: Timing, **extra) -> Figure:
        fig = Figure(section, dataset, timing, extra=extra)
        self.figures.append(fig)
        return fig

    def find(self, section: str, dataset: str, name: str) -> Figure | None:
        for f in self.figures:
            if (f.section, f.dataset, f.timing.name) == (section, dataset, name):
                return f
        return None

    def compare(self, section: str, dataset: str, baseline: str) -> None:
        """Set every figure's ratio of this (section, dataset) against the named same-run baseline."""
        base = self.find(section, dataset, baseline)
        if base is None or not base.timing.runs_s:
            return
        for f in self.figures:
            if (f.section, f.dataset) == (section, dataset) and f is not base and f.timing.runs_s:
                f.baseline, f.ratio = baseline, ratio(base.timing, f.timing)

    def note(self, key: str, value: Any) -> None:
        self.facts[key] = value

"""What a load did: created / updated / unchanged / deleted per label and relationship type,
seconds per stage and relationships written per second. Every loader returns one."""
from __future__ import annotations

from dataclasses import dataclass, field


class Counts(dict):
    """name -> count. Relationships are named 'TYPE (From->To)'; a bare type sums its label pairs,
    so ``created["SUPPLIES"]`` counts SUPPLIES of every pair. Names never seen count 0."""

    def __missing__(self, name: str) -> int:
        return sum(v for k, v in self.items() if k.startswith(f"{name} ("))


def _counts():
    return field(default_factory=Counts)


@dataclass
class LoadSummary:
    created: Counts = _counts()
    updated: Counts = _counts()
    unchanged: Counts = _counts()
    deleted: Counts = _counts()
    stages: dict[str, float] = field(default_factory=dict)   # stage -> seconds, in the order they ran
    seconds: float = 0.0                                       # the whole load
    rows: int = 0                                              # rows the loader handed to the writer
    title: str = ""
    notes: list[str] = field(default_factory=list)
    dropped_below_min: int = 0   # rows a loader's threshold left out before writing (MRIO --min-coefficient)
    # stored firm links the load did not carry whose shares a/b it set (their buyers' or sellers' totals moved)
    shares_set: int = 0
    # kept (dataset, year) listings the load marked changed, listed again after it (schema.listings)
    listings: list[str] = field(default_factory=list)
    # the store held the rows as the last load of them left them: nothing read or written (loader.graph.unchanged)
    held: bool = False
    # the load left a record of its rows, so that running it again reads nothing
    recorded: bool = False

    def add(self, name: str, created: int, updated: int, total: int, deleted: int = 0) -> None:
        for counts, n in ((self.created, created), (self.updated, updated),
                          (self.unchanged, total - created - updated), (self.deleted, deleted)):
            counts[name] = counts.get(name, 0) + n

    def stage(self, name: str, seconds: float, first: bool = False) -> None:
        self.stages[name] = self.stages.get(name, 0.0) + seconds
        if first:
            self.stages = {name: self.stages.pop(name), **self.stages}

    @property
    def relationships_written(self) -> int:
        return sum(counts.get(n, 0) for counts in (self.created, self.updated, self.deleted)
                   for n in self.created if " (" in n)

    @property
    def relationships_per_s(self) -> float:
        """Relationships created, updated or deleted per second of the stages that wrote them."""
        # a bulk load writes everything in its "neo4j-admin import" stage (loader.graph.bulk)
        s = sum(self.stages.get(k, 0.0) for k in ("write relationships", "delete relationships", "neo4j-admin import"))
        return self.relationships_written / s if s else 0.0

    def render(self) -> str:
        names = list(self.created)
        width = max([len(n) for n in names] + [10])
        lines = [self.title] if self.title else []
        for n in names:
            lines.append(f"{n:<{width}}  created {self.created[n]:>9,}  updated {self.updated[n]:>9,}  "
                         f"unchanged {self.unchanged[n]:>9,}  deleted {self.deleted.get(n, 0):>9,}")
        rate = self.rows / self.seconds if self.seconds else 0.0
        lines.append(f"{self.rows:,} rows in {self.seconds:.2f} s ({rate:,.0f} rows/s); "
                     f"{self.relationships_written:,} relationships written"
                     + (f" at {self.relationships_per_s:,.0f} relationships/s" if self.relationships_written else "")
                     + (f"; shares a/b set on {self.shares_set:,} more stored links" if self.shares_set else ""))
        if self.stages:
            lines.append("seconds per stage: " + ", ".join(f"{k} {v:.1f}" for k, v in self.stages.items()))
        return "\n".join(lines + self.notes)

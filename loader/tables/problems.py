"""One validation problem, and the error that carries all of them."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int | None  # 1-based line in a CSV (header = 1); data row + 1 in a Parquet file, so both count alike
    column: str | None
    message: str  # what was found and what was expected

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line is not None else "")
        col = f" column '{self.column}':" if self.column else ""
        return f"{where}:{col} {self.message}"


class TablesError(ValueError):
    """Raised with every problem found; nothing has been written when it is raised."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.file, p.line or 0, p.column or "", p.message))
        head = f"{len(self.problems)} problem(s) found; nothing was written:"
        super().__init__("\n".join([head] + [f"  {p}" for p in self.problems]))

"""A tiny valid MRIO table in pymrio's saved-folder format, written cell by cell so tests can break it.

Two regions (KOR, JPN) x three sectors, two final-demand categories per region. The
cells are plain strings, so a test can put anything into one (text, 'nan', '1e999')
before the folder is written; ``read_mrio(folder, 'pymrio', year=YEAR)`` reads it.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

REGIONS = ["KOR", "JPN"]
SECTORS = ["Agriculture", "Manufacturing", "Services"]
CATEGORIES = ["Household", "Investment"]
YEAR = 2019
SOURCE = "reliability-tiny"
CLASSIFICATION = "TINY3"

FILE_PARAMETERS = {
    "files": {
        "Z": {"name": "Z.txt", "nr_index_col": "2", "nr_header": "2"},
        "Y": {"name": "Y.txt", "nr_index_col": "2", "nr_header": "2"},
        "x": {"name": "x.txt", "nr_index_col": "2", "nr_header": "1"},
    },
    "systemtype": "IOSystem",
}


def _pairs(regions, sectors):
    return [(r, s) for r in regions for s in sectors]


@dataclass
class TinyMrio:
    """Row labels, column labels and string cells of Z, Y and x; mutable before ``write``."""
    rows: list[tuple[str, str]] = field(default_factory=lambda: _pairs(REGIONS, SECTORS))
    z_cols: list[tuple[str, str]] = field(default_factory=lambda: _pairs(REGIONS, SECTORS))
    y_cols: list[tuple[str, str]] = field(default_factory=lambda: _pairs(REGIONS, CATEGORIES))
    x_rows: list[tuple[str, str]] = field(default_factory=lambda: _pairs(REGIONS, SECTORS))
    Z: list[list[str]] = field(default_factory=list)
    Y: list[list[str]] = field(default_factory=list)
    x: list[str] = field(default_factory=list)
    params: object = field(default_factory=lambda: json.loads(json.dumps(FILE_PARAMETERS)))
    # raw bytes that replace a whole file (e.g. truncated or re-encoded), by file name
    raw: dict[str, bytes | None] = field(default_factory=dict)

    def __post_init__(self):
        n = len(self.rows)
        if not self.Z:
            self.Z = [[str(float(1 + i * n + j)) for j in range(n)] for i in range(n)]
        if not self.Y:
            self.Y = [[str(float(5 + 3 * (i * 4 + j))) for j in range(len(self.y_cols))] for i in range(n)]
        if not self.x:
            # x = Z 1 + Y 1, so every sector has positive output and value added
            self.x = [str(sum(float(v) for v in self.Z[i]) + sum(float(v) for v in self.Y[i]) + 10.0)
                      for i in range(n)]

    def texts(self) -> dict[str, str]:
        def matrix(cols, cells, second):
            lines = ["region\t\t" + "\t".join(c[0] for c in cols),
                     f"{second}\t\t" + "\t".join(c[1] for c in cols),
                     "region\tsector" + "\t" * len(cols)]
            lines += [f"{r}\t{s}\t" + "\t".join(row) for (r, s), row in zip(self.rows, cells)]
            return "\n".join(lines) + "\n"

        x = ["region\tsector\tindout"] + [f"{r}\t{s}\t{v}" for (r, s), v in zip(self.x_rows, self.x)]
        return {"Z.txt": matrix(self.z_cols, self.Z, "sector"), "Y.txt": matrix(self.y_cols, self.Y, "category"),
                "x.txt": "\n".join(x) + "\n",
                "file_parameters.json": self.params if isinstance(self.params, str) else json.dumps(self.params),
                "metadata.json": json.dumps({"name": SOURCE, "history": []})}

    def write(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in self.texts().items():
            content = self.raw.get(name, text.encode("utf-8"))
            if content is None:
                continue  # the file is left out
            (folder / name).write_bytes(content)
        return folder


def read_and_load(folder: Path, settings):
    """What ``loader mrio`` does with a folder: read and validate, then write (idempotent)."""
    from loader.mrio.read import read_mrio
    from loader.mrio.load import write_table

    table = read_mrio(folder, "pymrio", year=YEAR, source=SOURCE, classification=CLASSIFICATION)
    return write_table(table, settings=settings, progress=False)

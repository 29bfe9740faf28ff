"""Read a folder of CSV/Parquet tables into raw rows with their line numbers (no checking of values).

CSV files are decoded strictly as UTF-8 (a BOM is allowed) and split with the csv
module rather than pandas so that every record keeps the line it starts on, even
when a quoted field spans lines. Parquet rows are numbered like CSV lines (first
data row = line 2) so one error format serves both.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from loader.tables.problems import Problem
from loader.tables.spec import SPECS

SUFFIXES = (".csv", ".parquet")


@dataclass
class RawTable:
    stem: str
    file: str  # file name used in messages
    header: list[str]
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # (line, {column: value})


def read_folder(folder: Path) -> tuple[dict[str, RawTable], list[Problem]]:
    folder = Path(folder)
    problems: list[Problem] = []
    if not folder.is_dir():
        return {}, [Problem(str(folder), None, None, "is not a folder; expected a folder of .csv/.parquet files")]
    tables: dict[str, RawTable] = {}
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    for path in files:
        stem, suffix = path.stem, path.suffix.lower()
        if suffix not in SUFFIXES or stem not in SPECS:
            problems.append(Problem(path.name, None, None,
                                    f"unexpected file; expected only {', '.join(s + '.csv|.parquet' for s in SPECS)}"))
            continue
        if stem in tables:
            problems.append(Problem(path.name, None, None,
                                    f"{tables[stem].file} holds the same table; expected one file per table"))
            continue
        table, probs = read_csv(path) if suffix == ".csv" else read_parquet(path)
        problems += probs
        if table is not None:
            tables[stem] = table
    if not files:
        problems.append(Problem(str(folder), None, None, "holds no files; expected at least one table"))
    return tables, problems


def read_csv(path: Path) -> tuple[RawTable | None, list[Problem]]:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b"\n") + 1
        col = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        return None, [Problem(path.name, line, None,
                              f"byte 0x{data[e.start]:02x} at character {col} is not UTF-8; "
                              "expected a UTF-8 encoded file")]
    if not text.strip():
        return None, [Problem(path.name, None, None, "is empty; expected a header line and at least one data row")]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    problems = []
    try:
        header = [h.strip() for h in next(reader)]
        table = RawTable(path.stem, path.name, header)
        start = reader.line_num + 1
        for record in reader:
            line, start = start, reader.line_num + 1
            if not record or all(not f.strip() for f in record):
                continue  # blank lines carry no data
            if len(record) != len(header):
                problems.append(Problem(path.name, line, None,
                                        f"has {len(record)} fields; expected {len(header)} like the header"))
                continue
            table.rows.append((line, dict(zip(header, map(str.strip, record)))))
    except csv.Error as e:
        return None, [Problem(path.name, reader.line_num, None, f"is not valid CSV ({e}); expected RFC 4180 quoting")]
    if not table.rows and not problems:
        problems.append(Problem(path.name, None, None, "has a header but no data rows; expected at least one row "
                                                       "(leave the file out instead)"))
    return table, problems


def read_parquet(path: Path) -> tuple[RawTable | None, list[Problem]]:
    import pyarrow.parquet as pq

    try:
        t = pq.read_table(path)
    except Exception as e:  # pyarrow raises several types for a broken file; all mean the same to a user
        return None, [Problem(path.name, None, None, f"is not a readable Parquet file ({e})")]
    header = list(t.column_names)
    table = RawTable(path.stem, path.name, header)
    for i, row in enumerate(t.to_pylist()):
        table.rows.append((i + 2, {k: (v.strip() if isinstance(v, str) else v) for k, v in row.items()}))
    if not table.rows:
        return table, [Problem(path.name, None, None, "has no rows; expected at least one row")]
    return table, []

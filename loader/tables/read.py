"""Read a folder of CSV/Parquet tables as raw rows with their line numbers (no checking of values),
chunk by chunk, so a table is never held whole as raw text or raw rows.

CSV files are checked strictly as UTF-8 (a BOM is allowed) in one pass over their bytes, then
split with the csv module rather than pandas so that every record keeps the line it starts on,
even when a quoted field spans lines. Parquet files are read in record batches; their rows are
numbered like CSV lines (first data row = line 2) so one error format serves both.

``RawTable.chunks()`` yields lists of at most ``CHUNK_ROWS`` (line, {column: value}) rows and
appends what it finds wrong while reading (a record with the wrong number of fields, a header
without data rows) to ``RawTable.problems``; a table that cannot be read on (broken quoting, an
unreadable Parquet page) gets ``RawTable.broken``: that one problem replaces any other found in
it, as when the whole file was read before being checked.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from loader.tables.problems import Problem
from loader.tables.spec import SPECS

SUFFIXES = (".csv", ".parquet")
CHUNK_ROWS = 100_000
_BLOCK = 8 << 20   # bytes per block of the UTF-8 check


@dataclass
class RawTable:
    stem: str
    file: str  # file name used in messages
    header: list[str]
    path: Path | None = None
    problems: list[Problem] = field(default_factory=list)   # found while reading the rows
    broken: Problem | None = None

    def chunks(self) -> Iterator[list[tuple[int, dict[str, Any]]]]:
        """The rows, (line, {column: value}), in lists of at most ``CHUNK_ROWS``; read once."""
        if self.path.suffix.lower() == ".csv":
            yield from _csv_chunks(self)
        else:
            yield from _parquet_chunks(self)


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


def _utf8_problem(path: Path) -> tuple[Problem | None, bool]:
    """(the first byte that is not UTF-8, as a problem, or None; whether the file holds any non-blank text).
    Blocks end at a newline, which is never part of a multi-byte character."""
    line, rest, seen_text, first = 1, b"", False, True
    with open(path, "rb") as fh:
        while True:
            block = fh.read(_BLOCK)
            data = rest + block
            if not data:
                break
            cut = data.rfind(b"\n") + 1 if block else len(data)
            if cut == 0:
                cut = len(data) if not block else 0
            part, rest = data[:cut], data[cut:]
            if not part:
                continue
            try:
                text = part.decode("utf-8-sig" if first else "utf-8")
            except UnicodeDecodeError as e:
                start = e.start
                col = start - (part.rfind(b"\n", 0, start) + 1) + 1
                return Problem(path.name, line + part[:start].count(b"\n"), None,
                               f"byte 0x{part[start]:02x} at character {col} is not UTF-8; "
                               "expected a UTF-8 encoded file"), seen_text
            first = False
            seen_text = seen_text or bool(text.strip())
            line += part.count(b"\n")
    return None, seen_text


def read_csv(path: Path) -> tuple[RawTable | None, list[Problem]]:
    bad, has_text = _utf8_problem(path)
    if bad is not None:
        return None, [bad]
    if not has_text:
        return None, [Problem(path.name, None, None, "is empty; expected a header line and at least one data row")]
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh, strict=True)
        try:
            header = [h.strip() for h in next(reader)]
        except csv.Error as e:
            return None, [Problem(path.name, reader.line_num, None, f"is not valid CSV ({e}); expected RFC 4180 quoting")]
    return RawTable(path.stem, path.name, header, path), []


def _csv_chunks(table: RawTable):
    name, header = table.file, table.header
    width, rows, any_rows = len(header), [], False
    with open(table.path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh, strict=True)
        try:
            next(reader)
            start = reader.line_num + 1
            for record in reader:
                line, start = start, reader.line_num + 1
                if not record or all(not f.strip() for f in record):
                    continue  # blank lines carry no data
                if len(record) != width:
                    table.problems.append(Problem(name, line, None,
                                                  f"has {len(record)} fields; expected {width} like the header"))
                    continue
                rows.append((line, dict(zip(header, map(str.strip, record)))))
                if len(rows) >= CHUNK_ROWS:
                    any_rows = True
                    yield rows
                    rows = []
        except csv.Error as e:
            table.broken = Problem(name, reader.line_num, None, f"is not valid CSV ({e}); expected RFC 4180 quoting")
            return
    if rows:
        any_rows = True
        yield rows
    if not any_rows and not table.problems:
        table.problems.append(Problem(name, None, None, "has a header but no data rows; expected at least one row "
                                                        "(leave the file out instead)"))


def read_parquet(path: Path) -> tuple[RawTable | None, list[Problem]]:
    import pyarrow.parquet as pq

    try:
        f = pq.ParquetFile(path)
        header, n = list(f.schema_arrow.names), f.metadata.num_rows
    except Exception as e:  # pyarrow raises several types for a broken file; all mean the same to a user
        return None, [Problem(path.name, None, None, f"is not a readable Parquet file ({e})")]
    table = RawTable(path.stem, path.name, header, path)
    if not n:
        return table, [Problem(path.name, None, None, "has no rows; expected at least one row")]
    return table, []


def _parquet_chunks(table: RawTable):
    import pyarrow.parquet as pq

    line = 2
    try:
        for batch in pq.ParquetFile(table.path).iter_batches(batch_size=CHUNK_ROWS):
            rows = []
            for row in batch.to_pylist():
                rows.append((line, {k: (v.strip() if isinstance(v, str) else v) for k, v in row.items()}))
                line += 1
            yield rows
    except Exception as e:  # noqa: BLE001 - as in read_parquet
        table.broken = Problem(table.file, None, None, f"is not a readable Parquet file ({e})")

"""The product's Parquet table format: one MRIO table year as a folder of small files.

Layout of a table folder (``data/wiod2013/1995/`` is one)::

    table.json            name, year, units, classification, source, citation, shape, format
    sectors.parquet       one row per sector, in the order of Z's rows and columns:
                          region (string), sector (string) and, when the table carries its own
                          gross output, x (same type as the Z values)
    final_demand.parquet  one row per column of Y, in order: region (string), category (string)
    Z.parquet             the non-zero entries of Z: row, col (uint16/uint32 positions into
                          sectors.parquet), value; sorted by (row, col), each pair once
    Y.parquet             the non-zero entries of Y: row (sector position), col (final-demand
                          position), value

Every cell not listed in Z.parquet or Y.parquet is zero, so a table is rebuilt exactly: the
values keep their Parquet type (int64 for tables of whole numbers such as WIOD, float64
otherwise) and are never rounded or rescaled. Positions use delta encoding and values byte
stream split, both zstd-compressed: WIOD's 1,435 x 1,435 table takes about 0.4 MB a year.

``table.json`` keys: ``format`` (``"gvn-mrio-parquet"``), ``format_version`` (1), ``name``,
``year``, ``units``, ``classification``, ``source``, ``citation``, ``synthetic``,
``n_sectors``, ``n_final_demand``, ``nnz_Z``, ``nnz_Y``, ``index_names`` (the level names of
Z's rows and Y's columns) and ``x_name`` (the name of the gross-output column). An inter-regional
table (some regions sub-national, loader.mrio.regional) adds ``inter_regional`` (true) and
``region_countries`` (an object: sub-national region code -> ISO3 country, e.g. ``{"KR-11": "KOR"}``).

:func:`write_table` writes this layout from an :class:`MrioTable`; :func:`read_table` reads it
back into one (no pymrio involved), naming the file and the field on every problem.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from loader.mrio.read import MrioInputError, MrioTable

FORMAT = "gvn-mrio-parquet"
FORMAT_VERSION = 1
FILES = ("table.json", "sectors.parquet", "final_demand.parquet", "Z.parquet", "Y.parquet")
REQUIRED_KEYS = ("format", "format_version", "name", "year", "units", "classification", "source",
                 "n_sectors", "n_final_demand", "nnz_Z", "nnz_Y")
VALUE_TYPES = ("int64", "float64")


# ---------------------------------------------------------------- writing

def _position_type(n: int) -> pa.DataType:
    return pa.uint16() if n <= np.iinfo(np.uint16).max + 1 else pa.uint32()


def _value_array(values: np.ndarray) -> pa.Array:
    if values.dtype.kind in "iu":
        return pa.array(values.astype(np.int64, copy=False), type=pa.int64())
    if values.dtype.kind == "f":
        return pa.array(values.astype(np.float64, copy=False), type=pa.float64())
    raise ValueError(f"values of type {values.dtype} cannot be stored (expected integers or floats)")


def _write(table: pa.Table, path: Path, positions: tuple[str, ...] = ()) -> None:
    floats = [f.name for f in table.schema if pa.types.is_floating(f.type)]
    encoding = {name: "DELTA_BINARY_PACKED" for name in positions}
    encoding.update({name: "BYTE_STREAM_SPLIT" for name in floats})
    # dictionary encoding is kept only for the text columns; it would override the encodings above
    text = [f.name for f in table.schema if pa.types.is_string(f.type)]
    pq.write_table(table, path, compression="zstd", compression_level=19, use_dictionary=text or False,
                   column_encoding=encoding or None, write_statistics=False)


def _sparse(matrix: np.ndarray, n_rows: int, n_cols: int) -> pa.Table:
    r, c = np.nonzero(matrix)          # row-major: sorted by (row, col)
    return pa.table({"row": pa.array(r, type=_position_type(n_rows)),
                     "col": pa.array(c, type=_position_type(n_cols)),
                     "value": _value_array(matrix[r, c])})


def write_table(t: MrioTable, folder: str | Path, *, units: str, citation: str = "",
                has_own_x: bool = True) -> dict:
    """Write one table year into `folder` (created; existing files of the layout are replaced).

    ``has_own_x``: store x (the table's own gross output). Leave it False for a table whose x
    is only Z 1 + Y 1, so the reader recomputes it instead of storing a derived vector.
    Returns the table.json contents.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    Z, Y = t.Z.to_numpy(), t.Y.to_numpy()
    n, f = Z.shape[0], Y.shape[1]
    for name, m in (("Z", Z), ("Y", Y)):
        if m.dtype.kind not in "iuf":
            raise ValueError(f"{name} holds {m.dtype} values (expected numbers)")
    sectors = {"region": pa.array([str(v) for v in t.Z.index.get_level_values(0)], type=pa.string()),
               "sector": pa.array([str(v) for v in t.Z.index.get_level_values(1)], type=pa.string())}
    if has_own_x:
        sectors["x"] = _value_array(t.x.to_numpy())
    _write(pa.table(sectors), folder / "sectors.parquet")
    _write(pa.table({"region": pa.array([str(v) for v in t.Y.columns.get_level_values(0)], type=pa.string()),
                     "category": pa.array([str(v) for v in t.Y.columns.get_level_values(1)], type=pa.string())}),
           folder / "final_demand.parquet")
    z, y = _sparse(Z, n, n), _sparse(Y, n, f)
    _write(z, folder / "Z.parquet", positions=("row", "col"))
    _write(y, folder / "Y.parquet", positions=("row", "col"))
    meta = {
        "format": FORMAT, "format_version": FORMAT_VERSION,
        "name": t.name, "year": int(t.year), "units": units, "classification": t.classification,
        "source": t.source, "citation": citation, "synthetic": bool(t.synthetic),
        "n_sectors": n, "n_final_demand": f, "nnz_Z": z.num_rows, "nnz_Y": y.num_rows,
        "index_names": {"Z": [str(v) for v in t.Z.index.names], "Y": [str(v) for v in t.Y.columns.names]},
        "x_name": str(t.x.name) if has_own_x and t.x.name is not None else None,
    }
    if t.inter_regional or t.region_countries:
        meta["inter_regional"] = True
        meta["region_countries"] = dict(t.region_countries)
    (folder / "table.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return meta


# ---------------------------------------------------------------- reading

def table_folder(path: str | Path, year: int | None) -> Path:
    """A table folder, or a data-set folder holding one folder per year (then `year` picks it)."""
    path = Path(path)
    if (path / "table.json").is_file() or year is None:
        return path
    candidate = path / str(year)
    if (candidate / "table.json").is_file():
        return candidate
    years = sorted(p.name for p in path.iterdir() if (p / "table.json").is_file()) if path.is_dir() else []
    raise MrioInputError([f"{path}: no table for {year} (expected {candidate}/table.json; "
                          f"years here: {', '.join(years) or 'none'})"])


def _meta(folder: Path) -> dict:
    file = folder / "table.json"
    if not file.is_file():
        years = sorted(p.name for p in folder.iterdir() if (p / "table.json").is_file()) if folder.is_dir() else []
        hint = f"; this folder holds years {', '.join(years)}: pass --year" if years else ""
        raise MrioInputError([f"{file}: missing (expected a table folder of the Parquet table format: "
                              f"{', '.join(FILES)}){hint}"])
    try:
        meta = json.loads(file.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise MrioInputError([f"{file}: not valid JSON ({exc})"]) from exc
    if not isinstance(meta, dict):
        raise MrioInputError([f"{file}: expected a JSON object, found {type(meta).__name__}"])
    problems = [f"{file}: field {k!r} is missing" for k in REQUIRED_KEYS if k not in meta]
    if not problems:
        if meta["format"] != FORMAT:
            problems.append(f"{file}: field 'format' is {meta['format']!r}, expected {FORMAT!r}")
        if meta["format_version"] != FORMAT_VERSION:
            problems.append(f"{file}: field 'format_version' is {meta['format_version']!r}, "
                            f"expected {FORMAT_VERSION} (the version this loader reads)")
        for k in ("year", "n_sectors", "n_final_demand", "nnz_Z", "nnz_Y"):
            if not isinstance(meta[k], int) or isinstance(meta[k], bool) or meta[k] < 0:
                problems.append(f"{file}: field {k!r} is {meta[k]!r}, expected a whole number >= 0")
        for k in ("name", "units", "classification", "source"):
            if not isinstance(meta[k], str) or not meta[k].strip():
                problems.append(f"{file}: field {k!r} is {meta[k]!r}, expected a non-empty text")
        if "inter_regional" in meta and not isinstance(meta["inter_regional"], bool):
            problems.append(f"{file}: field 'inter_regional' is {meta['inter_regional']!r}, expected true or false")
        rc = meta.get("region_countries", {})
        if not isinstance(rc, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in rc.items()):
            problems.append(f"{file}: field 'region_countries' is {rc!r}, expected an object mapping region codes "
                            "to ISO3 country codes, e.g. {\"KR-11\": \"KOR\"}")
    if problems:
        raise MrioInputError(problems)
    return meta


def _read(file: Path, columns: dict[str, str]) -> pa.Table:
    """Read a Parquet file and check that it has `columns` (name -> 'text', 'position' or 'number')."""
    if not file.is_file():
        raise MrioInputError([f"{file}: missing (expected a Parquet file with columns {', '.join(columns)})"])
    try:
        table = pq.read_table(file)
    except (pa.ArrowException, OSError) as exc:
        raise MrioInputError([f"{file}: not a readable Parquet file ({exc})"]) from exc
    problems = []
    for name, kind in columns.items():
        if name not in table.column_names:
            if kind != "optional number":
                problems.append(f"{file}: column {name!r} is missing (expected columns {', '.join(columns)})")
            continue
        t = table.schema.field(name).type
        ok = {"text": pa.types.is_string(t) or pa.types.is_large_string(t),
              "position": pa.types.is_unsigned_integer(t) or pa.types.is_integer(t),
              }.get(kind, pa.types.is_int64(t) or pa.types.is_float64(t))
        if not ok:
            want = {"text": "text", "position": "whole numbers"}.get(kind, " or ".join(VALUE_TYPES))
            problems.append(f"{file}: column {name!r} has type {t}, expected {want}")
        elif table.column(name).null_count:
            problems.append(f"{file}: column {name!r} has {table.column(name).null_count} empty cell(s)")
    if problems:
        raise MrioInputError(problems)
    return table


def _dense(file: Path, table: pa.Table, shape: tuple[int, int], expected_nnz: int, meta_file: Path) -> np.ndarray:
    """Scatter (row, col, value) into a dense matrix, checking positions and repeats."""
    rows = table.column("row").to_numpy().astype(np.int64)
    cols = table.column("col").to_numpy().astype(np.int64)
    values = table.column("value").to_numpy()
    problems = []
    if table.num_rows != expected_nnz:
        problems.append(f"{file}: holds {table.num_rows} entries, {meta_file.name} says {expected_nnz}")
    for name, pos, limit in (("row", rows, shape[0]), ("col", cols, shape[1])):
        bad = np.flatnonzero((pos < 0) | (pos >= limit))
        if len(bad):
            problems.append(f"{file}: line {bad[0] + 1}: {name} {pos[bad[0]]} is outside 0..{limit - 1} "
                            f"({len(bad)} such entries)")
    if problems:
        raise MrioInputError(problems)
    flat = rows * shape[1] + cols
    order = np.argsort(flat, kind="stable")
    repeated = np.flatnonzero(np.diff(flat[order]) == 0)
    if len(repeated):
        i = order[repeated[0] + 1]
        raise MrioInputError([f"{file}: line {i + 1}: entry (row {rows[i]}, col {cols[i]}) is listed again "
                              f"({len(repeated)} repeated entries; expected each cell once)"])
    dense = np.zeros(shape, dtype=values.dtype)
    dense[rows, cols] = values
    return dense


def read_table(path: str | Path, *, year: int | None = None, source: str | None = None,
               classification: str | None = None) -> MrioTable:
    """Read a table folder of the Parquet table format (no validation; see read.validate_table)."""
    folder = table_folder(path, year)
    meta_file = folder / "table.json"
    meta = _meta(folder)
    if year is not None and year != meta["year"]:
        raise MrioInputError([f"{meta_file}: field 'year' is {meta['year']}, but --year {year} was asked for"])
    files = {"system": str(folder), "meta": str(meta_file), "Z": str(folder / "Z.parquet"), "Y": str(folder / "Y.parquet"),
             "x": str(folder / "sectors.parquet")}
    sectors = _read(folder / "sectors.parquet", {"region": "text", "sector": "text", "x": "optional number"})
    fd = _read(folder / "final_demand.parquet", {"region": "text", "category": "text"})
    z = _read(folder / "Z.parquet", {"row": "position", "col": "position", "value": "number"})
    y = _read(folder / "Y.parquet", {"row": "position", "col": "position", "value": "number"})
    problems = []
    if sectors.num_rows != meta["n_sectors"]:
        problems.append(f"{folder / 'sectors.parquet'}: has {sectors.num_rows} rows, "
                        f"{meta_file.name} says n_sectors = {meta['n_sectors']}")
    if fd.num_rows != meta["n_final_demand"]:
        problems.append(f"{folder / 'final_demand.parquet'}: has {fd.num_rows} rows, "
                        f"{meta_file.name} says n_final_demand = {meta['n_final_demand']}")
    if problems:
        raise MrioInputError(problems)
    n, f = sectors.num_rows, fd.num_rows
    Zm = _dense(folder / "Z.parquet", z, (n, n), meta["nnz_Z"], meta_file)
    Ym = _dense(folder / "Y.parquet", y, (n, f), meta["nnz_Y"], meta_file)
    names = meta.get("index_names") or {}
    z_names = names.get("Z") or ["region", "sector"]
    y_names = names.get("Y") or ["region", "category"]
    index = pd.MultiIndex.from_arrays([sectors.column("region").to_pylist(), sectors.column("sector").to_pylist()],
                                      names=z_names)
    columns = pd.MultiIndex.from_arrays([fd.column("region").to_pylist(), fd.column("category").to_pylist()],
                                        names=y_names)
    Z = pd.DataFrame(Zm, index=index, columns=index.copy())
    Y = pd.DataFrame(Ym, index=index.copy(), columns=columns)
    if "x" in sectors.column_names:
        x = pd.Series(sectors.column("x").to_numpy(), index=index.copy(), name=meta.get("x_name") or "x")
    else:
        x = (Z.sum(axis=1) + Y.sum(axis=1)).rename("x")
        files["x"] = f"x computed as Z 1 + Y 1 from {files['Z']}"
    return MrioTable(Z=Z, Y=Y, x=x, year=int(meta["year"]), classification=classification or meta["classification"],
                     source=source or meta["source"], name=meta["name"], synthetic=bool(meta.get("synthetic")),
                     files=files, units=meta["units"], citation=meta.get("citation") or None,
                     inter_regional=bool(meta.get("inter_regional")),
                     region_countries=dict(meta.get("region_countries") or {}))

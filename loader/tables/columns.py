"""Column-wise typing and checking of the large tables (firms, firm supply links) with Arrow: the fast path
of ``loader tables`` for clean files.

The row-wise checker (``loader.tables.validate``) stays the one that *words* problems. This module only
decides, column by column, whether a table is certainly clean by the same rules, and gives its typed
columns when it is. Wherever it is not sure (an odd quote, a cell with surrounding spaces, a number
written in a way Arrow and Python might read differently, any rule broken), it answers None / False and
the table goes through the row-wise checker, which then reports the problem with file, line and column,
or accepts the table after all. So it can make a load faster, never accept more, and never change a value:

* text cells are kept as they are (a cell with leading or trailing white space goes row-wise, where it is
  stripped); an empty optional cell is null (None), as ``parse_cell`` gives;
* whole numbers are ASCII digits with an optional sign, read into int64 (an overflow goes row-wise);
* numbers are plain decimals with an optional exponent, read by Arrow's correctly rounded parser (the same
  double as Python's ``float``); a non-finite one goes row-wise;
* choices, bounds, required cells, the table's key, references and the tables' own row rules (a firm's region
  in its country; a supplier is not its own buyer) are checked on whole columns.

Parquet columns of the expected types are taken as they are (strings still checked for spaces; a NaN goes
row-wise, where it means an empty cell or a problem depending on the column).
"""
from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.compute as pc

from loader.tables.read import RawTable
from loader.tables.spec import SPECS, Col, FileSpec
from loader.tables.validate import check_header

# the tables worth a column-wise path: large, and their row rules are written below
FAST = ("firms", "firm_supply")
# Python's str.strip() removes more than ASCII space; any of these at either end sends the table row-wise
_EDGE_SPACE = r"^[\t\n\x0b\x0c\r\x1c-\x1f \x85\pZ]|[\t\n\x0b\x0c\r\x1c-\x1f \x85\pZ]$"
_INT = r"^[+-]?[0-9]+$"
_FLOAT = r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$"
# a quote between two characters of a field: a literal quote, or text after a closing quote, which Python's
# strict csv reader refuses and Arrow's reader joins; either way the row-wise reader decides
_ODD_QUOTE = re.compile(rb'[^,\r\n"]"[^,"\r\n]')
_BLOCK = 16 << 20
_BATCH_BYTES = 16 << 20   # of CSV text per batch: ~400,000 supply links


class NotClean(Exception):
    """The table is not certainly clean by the column-wise checks: check it row by row."""


def type_table(table: RawTable) -> pa.Table | None:
    """The typed columns of a table of ``FAST`` (in the spec's column order), or None: check it row-wise.
    Read and typed a batch at a time, so the raw text is never held whole."""
    spec = SPECS[table.stem]
    if table.stem not in FAST or check_header(table, spec):
        return None
    try:
        batches = _csv_batches(table) if table.path.suffix.lower() == ".csv" else _parquet_batches(table)
        typed = [pa.record_batch([_typed(c, b.column(c.name)) for c in spec.columns], names=spec.names)
                 for b in batches]
        if not typed or not sum(b.num_rows for b in typed):
            raise NotClean("no rows")
        out = pa.Table.from_batches(typed).combine_chunks()
        if not _key_unique(out, spec):
            raise NotClean("duplicate key")
        return out
    except (NotClean, pa.ArrowException, ValueError, OverflowError):
        return None


def _csv_batches(table: RawTable):
    import pyarrow.csv as pcsv

    with open(table.path, "rb") as fh:
        tail = b""
        while True:
            block = fh.read(_BLOCK)
            if not block:
                break
            data = tail + block
            if b'"' in data and _ODD_QUOTE.search(data):
                raise NotClean("quote inside a field")
            tail = data[-2:]
    header = table.header
    reader = pcsv.open_csv(
        table.path,
        read_options=pcsv.ReadOptions(column_names=header, skip_rows=1, block_size=_BATCH_BYTES),
        parse_options=pcsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=True),
        convert_options=pcsv.ConvertOptions(column_types={h: pa.string() for h in header},
                                            strings_can_be_null=False, quoted_strings_can_be_null=False))
    yield from reader


def _parquet_batches(table: RawTable):
    import pyarrow.parquet as pq

    yield from pq.ParquetFile(table.path).iter_batches(batch_size=1 << 20, columns=SPECS[table.stem].names)


def _typed(col: Col, values: pa.Array) -> pa.Array:
    t = values.type
    if pa.types.is_large_string(t):
        values, t = values.cast(pa.string()), pa.string()
    if pa.types.is_string(t):
        if pc.any(pc.match_substring_regex(values, _EDGE_SPACE)).as_py():
            raise NotClean("spaces at the edge of a cell")
        empty = pc.equal(values, "")
        if pc.any(empty).as_py():   # an empty cell is no value, as parse_cell reads it
            values = pc.if_else(empty, pa.scalar(None, pa.string()), values)
        out = _parse_text(col, values)
    else:
        out = _parquet_values(col, values)
    if col.required and out.null_count:
        raise NotClean("empty required cell")
    _check_values(col, out)
    return out


def _parse_text(col: Col, values: pa.Array) -> pa.Array:
    if col.type == "str":
        return values
    pattern = _INT if col.type == "int" else _FLOAT
    present = pc.drop_null(values)
    if len(present) and not pc.all(pc.match_substring_regex(present, pattern)).as_py():
        raise NotClean(f"{col.name}: a cell that is not a plain number")
    return values.cast(pa.int64() if col.type == "int" else pa.float64())


def _parquet_values(col: Col, values: pa.Array) -> pa.Array:
    t = values.type
    if col.type == "int" and pa.types.is_integer(t):
        return values.cast(pa.int64())
    if col.type == "float" and (pa.types.is_floating(t) or pa.types.is_integer(t)):
        out = values.cast(pa.float64())   # safe cast: an int64 a double cannot hold raises
        if len(out) - out.null_count and pc.any(pc.is_nan(out)).as_py():
            raise NotClean("NaN")
        return out
    raise NotClean(f"{col.name}: Parquet type {t}")


def _check_values(col: Col, out: pa.Array) -> None:
    if len(out) == out.null_count:
        return
    if col.type == "float" and not pc.all(pc.is_finite(pc.drop_null(out))).as_py():
        raise NotClean("a non-finite number")
    if col.choices and not pc.all(pc.is_in(pc.drop_null(out), value_set=pa.array(col.choices))).as_py():
        raise NotClean("not one of the choices")
    if col.min is not None and pc.min(out).as_py() < col.min:
        raise NotClean("below the minimum")
    if col.max is not None and pc.max(out).as_py() > col.max:
        raise NotClean("above the maximum")


def _key_unique(typed: pa.Table, spec: FileSpec) -> bool:
    """Whether the key columns are distinct together: each column as integer codes, combined into one int64
    per row and sorted (a hash aggregation of the text columns took a gigabyte at five million links)."""
    import numpy as np

    combined = np.zeros(typed.num_rows, dtype=np.int64)
    room = 1
    for name in spec.key:
        encoded = typed.column(name).combine_chunks().dictionary_encode()
        width = len(encoded.dictionary)
        if room * width >= 2 ** 62:   # no room left in an int64: compare the codes row-wise
            import pandas as pd

            codes = {n: np.asarray(typed.column(n).combine_chunks().dictionary_encode().indices) for n in spec.key}
            return not pd.DataFrame(codes).duplicated().any()
        combined = combined * width + np.asarray(encoded.indices, dtype=np.int64)
        room *= width
    combined.sort()
    return not bool((combined[1:] == combined[:-1]).any())


# ---------------------------------------------------------------- references and row rules

def references(stem: str, typed: pa.Table, defined: dict[str, pa.Array]) -> dict[str, set[str]]:
    """Every key of each entity kind the table points at, except those in ``defined`` (the keys column-held
    tables define: a million supply links name their firms without a Python set of a million keys)."""
    out: dict[str, set[str]] = {}
    for col in SPECS[stem].columns:
        if col.ref:
            keys = pc.unique(pc.drop_null(typed.column(col.name)))
            if col.ref in defined:
                keys = pc.filter(keys, pc.invert(pc.is_in(keys, value_set=defined[col.ref])))
            out.setdefault(col.ref, set()).update(keys.to_pylist())
    return out


def defined(stem: str, typed: pa.Table) -> tuple[str, pa.Array] | None:
    """(entity kind, the keys) the table defines."""
    kind = SPECS[stem].entity
    return (kind, typed.column("key").combine_chunks()) if kind else None


def check_rules(stem: str, typed: pa.Table, exists: dict[str, pa.Array], region_country: dict[str, str]) -> bool:
    """References (``exists``: per entity kind, every key known) and the table's row rules; True when all hold."""
    for col in SPECS[stem].columns:
        if col.ref:
            present = pc.drop_null(typed.column(col.name))
            if len(present) and not pc.all(pc.is_in(present, value_set=exists[col.ref])).as_py():
                return False
    if stem == "firms" and region_country:
        regions = pa.array(list(region_country), type=pa.string())
        countries = pa.array(list(region_country.values()), type=pa.string())
        theirs = pc.take(countries, pc.index_in(typed.column("region"), value_set=regions))
        clash = pc.and_(pc.is_valid(theirs), pc.not_equal(theirs, typed.column("country")))
        if pc.any(clash).as_py():
            return False
    if stem == "firm_supply" and pc.any(pc.equal(typed.column("supplier"), typed.column("buyer"))).as_py():
        return False
    return True

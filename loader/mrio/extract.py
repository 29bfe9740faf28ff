"""Make a compact extract of MRIO tables in the product's Parquet table format.

    python -m loader.mrio.extract SRC DST --format pymrio --units "..." --citation-file FILE [--year Y ...]

SRC is one table (any format ``loader mrio`` reads) or, with ``--year``, a folder holding
one table per year (``SRC/<year>``, as ``../shared/data/wiod2013`` does). Each year is read
and validated exactly as ``loader mrio`` reads it, then written to ``DST/<year>/`` by
:func:`loader.mrio.parquet.write_table`, and read back and compared cell by cell before the
command reports success: a write that does not reproduce the table exactly is an error.

The shipped ``data/wiod2013`` extract was made with the command in ``data/wiod2013/README.md``.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from loader.mrio.parquet import read_table, write_table
from loader.mrio.read import FORMATS, MrioInputError, MrioTable, read_mrio


def same_table(a: MrioTable, b: MrioTable) -> list[str]:
    """Differences between two tables: labels, dtypes and every bit of Z, Y and x."""
    out = []
    for name in ("Z", "Y", "x"):
        fa, fb = getattr(a, name), getattr(b, name)
        if not fa.index.equals(fb.index) or list(fa.index.names) != list(fb.index.names):
            out.append(f"{name}: row labels differ")
        if name != "x" and (not fa.columns.equals(fb.columns) or list(fa.columns.names) != list(fb.columns.names)):
            out.append(f"{name}: column labels differ")
        va, vb = fa.to_numpy(), fb.to_numpy()
        if va.dtype != vb.dtype:
            out.append(f"{name}: value type {va.dtype} vs {vb.dtype}")
        elif va.shape != vb.shape or va.tobytes() != vb.tobytes():
            out.append(f"{name}: values differ")
    return out


def extract_year(src: Path, dst: Path, fmt: str, *, year: int | None, units: str, citation: str,
                 own_x: bool = True) -> dict:
    table = read_mrio(src, fmt, year=year)
    meta = write_table(table, dst, units=units, citation=citation, has_own_x=own_x)
    back = read_table(dst)
    if own_x:
        problems = same_table(table, back)
        if problems:
            raise MrioInputError([f"{dst}: the extract does not reproduce {src}: {'; '.join(problems)}"])
    meta["bytes"] = sum(p.stat().st_size for p in dst.iterdir() if p.is_file())
    return meta


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m loader.mrio.extract", description=__doc__.split("\n\n")[0])
    ap.add_argument("src", type=Path, help="a table, or with --year a folder of one table per year")
    ap.add_argument("dst", type=Path, help="output folder (one sub-folder per year)")
    ap.add_argument("--format", dest="fmt", default="pymrio", choices=FORMATS)
    ap.add_argument("--year", type=int, action="append", help="repeatable: read SRC/<year> for each")
    ap.add_argument("--units", required=True, help="what the values are, e.g. 'million US dollars, current prices'")
    ap.add_argument("--citation", default="", help="the reference users must cite")
    ap.add_argument("--citation-file", type=Path, help="read the citation from this file instead")
    ap.add_argument("--no-x", action="store_true",
                    help="do not store x (the table has no gross output of its own; readers recompute Z 1 + Y 1)")
    args = ap.parse_args(argv)
    citation = args.citation_file.read_text(encoding="utf-8").strip() if args.citation_file else args.citation
    jobs = [(args.src / str(y), args.dst / str(y), y) for y in args.year] if args.year else \
        [(args.src, args.dst, None)]
    try:
        for src, dst, year in jobs:
            meta = extract_year(src, dst, args.fmt, year=year, units=args.units, citation=citation,
                                own_x=not args.no_x)
            print(f"{dst}: {meta['name']} {meta['year']}, {meta['n_sectors']:,} sectors, "
                  f"{meta['nnz_Z']:,} non-zero Z and {meta['nnz_Y']:,} non-zero Y entries, "
                  f"{meta['bytes']:,} bytes; read back identical")
    except MrioInputError as e:
        print(str(e), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

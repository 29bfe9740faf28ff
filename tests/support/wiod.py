"""The real WIOD 2013 tables the tests read: the extracts the repository ships in data/wiod2013.

They equal the release cell for cell (tests/test_wiod_extract.py), so a fresh clone tests against
real data without anything beside it.
"""
from __future__ import annotations

import math
from pathlib import Path

from loader.mrio.read import MrioTable, read_mrio

DATA = Path(__file__).resolve().parents[2] / "data" / "wiod2013"
YEARS = (1995, 2000, 2005, 2008)


def folder(year: int = 1995):
    """The year's folder in the Parquet table format (`loader mrio FOLDER --format parquet`)."""
    return DATA / str(year)


def read(year: int = 1995, **kwargs) -> MrioTable:
    """The year as the MRIO loader reads it (kwargs: source, classification)."""
    return read_mrio(folder(year), "parquet", **kwargs)


def stored(driver, table: MrioTable) -> bool:
    """Whether the database holds the table's year as a load of it leaves it: no load of its Dataset under way,
    one SectorYear per sector and one SUPPLIES per non-zero flow in its (source, year) slice, with the flows'
    values summing to Z's total. Lets a module reuse the year the module before it loaded (a reload that
    finds nothing to write costs about as much as the first load: it compares every record)."""
    z = table.Z.to_numpy(dtype=float)
    rec = driver.execute_query(
        "OPTIONAL MATCH (d:Dataset {key: $source}) "
        "CALL (d) { RETURN d IS NOT NULL AND d.loading IS NULL AS ready } "
        "CALL () { MATCH (y:SectorYear {source: $source, year: $year}) RETURN count(y) AS years } "
        "CALL () { MATCH (:Sector)-[r:SUPPLIES {source: $source, year: $year}]->(:Sector) "
        "          RETURN count(r) AS flows, sum(r.value) AS total } "
        "RETURN ready, years, flows, total", source=table.source, year=int(table.year)).records[0]
    return bool(rec["ready"]) and rec["years"] == z.shape[0] and rec["flows"] == int((z != 0).sum()) \
        and math.isclose(rec["total"], z.sum(), rel_tol=1e-12)

"""The real WIOD 2013 tables the tests read: the extracts the repository ships in data/wiod2013.

They equal the release cell for cell (tests/test_wiod_extract.py), so a fresh clone tests against
real data without anything beside it.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from loader.mrio.read import MrioTable, read_mrio

DATA = Path(__file__).resolve().parents[2] / "data" / "wiod2013"
YEARS = (1995, 2000, 2005, 2008)


def folder(year: int = 1995):
    """The year's folder in the Parquet table format (`loader mrio FOLDER --format parquet`)."""
    return DATA / str(year)


def read(year: int = 1995, **kwargs) -> MrioTable:
    """The year as the MRIO loader reads it (kwargs: source, classification)."""
    return read_mrio(folder(year), "parquet", **kwargs)


def stored(driver, table: MrioTable, min_coefficient: float = 0.0) -> bool:
    """Whether the database holds the table's year as a load of it with ``min_coefficient`` leaves it: no load of
    its Dataset under way, one SectorYear per sector, one CountryYear (GVC accounts) per country of final demand,
    and one SUPPLIES per non-zero flow kept (max(a, b) >= min_coefficient, a and b computed here) in its
    (source, year) slice, the flows' values summing to those of the table. Lets a module reuse the year the module
    before it loaded (a reload that finds nothing to write costs about as much as the first load: it compares
    every record)."""
    z = table.Z.to_numpy(dtype=float)
    x = table.x.to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.where(x[None, :] > 0, z / x[None, :], 0.0)
        b = np.where(x[:, None] > 0, z / x[:, None], 0.0)
    kept = (z != 0) & (np.maximum(a, b) >= min_coefficient) if min_coefficient > 0 else z != 0
    countries = len(set(table.Y.columns.get_level_values(0)))
    rec = driver.execute_query(
        "OPTIONAL MATCH (d:Dataset {key: $source}) "
        "CALL (d) { RETURN d IS NOT NULL AND d.loading IS NULL AS ready } "
        "CALL () { MATCH (y:SectorYear {source: $source, year: $year}) RETURN count(y) AS years } "
        "CALL () { MATCH (c:CountryYear {source: $source, year: $year}) RETURN count(c) AS countries } "
        "CALL () { MATCH (:Sector)-[r:SUPPLIES {source: $source, year: $year}]->(:Sector) "
        "          RETURN count(r) AS flows, sum(r.value) AS total } "
        "RETURN ready, years, countries, flows, total", source=table.source, year=int(table.year)).records[0]
    return bool(rec["ready"]) and rec["years"] == z.shape[0] and rec["countries"] == countries \
        and rec["flows"] == int(kept.sum()) and math.isclose(rec["total"], z[kept].sum(), rel_tol=1e-12)

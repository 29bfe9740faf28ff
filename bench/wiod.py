"""The WIOD 2013 tables the benchmarks read: the extracts the repository ships in data/wiod2013.

Given as a pymrio IOSystem (Z, Y, x as the release has them, equal cell for cell: tests/
test_wiod_extract.py) because the load suites time pymrio-shaped input through every method.
"""
from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data" / "wiod2013"


def iosystem(year: int = 1995):
    import pymrio

    from loader.mrio.read import read_mrio

    t = read_mrio(DATA / str(year), "parquet")
    return pymrio.IOSystem(Z=t.Z, Y=t.Y, x=t.x.to_frame("indout"), name=t.name)

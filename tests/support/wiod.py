"""The real WIOD 2013 tables the tests read: the extracts the repository ships in data/wiod2013.

They equal the release cell for cell (tests/test_wiod_extract.py), so a fresh clone tests against
real data without anything beside it.
"""
from __future__ import annotations

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

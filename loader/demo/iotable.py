"""The small base of the demo (``--table pymrio-test``): pymrio's bundled test system with real country codes.

``pymrio.load_test()`` is a made-up 6-region x 8-sector MRIO shipped with pymrio.
Its regions are relabelled to real ISO3 countries (mapping below) so the synthetic
firms sit on real reference data; its sectors keep their own names
(classification PYMRIO_TEST, including pymrio's spelling "manufactoring").
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

REGION_TO_COUNTRY = {"reg1": "KOR", "reg2": "CHN", "reg3": "JPN", "reg4": "USA", "reg5": "DEU", "reg6": "VNM"}
CLASSIFICATION = "PYMRIO_TEST"
MRIO_SOURCE = "demo:pymrio-test"
YEAR = 2020  # the test system has no year; the demo dates everything to this one

# Which ISIC Rev.4 divisions firms of each pymrio test sector belong to (a demo concordance).
SECTOR_DIVISIONS = {
    "food": ["A01", "A03", "C10", "C11"],
    "mining": ["B05", "B06", "B07", "B08"],
    "manufactoring": ["C13", "C20", "C22", "C24", "C25", "C26", "C27", "C28", "C29", "C30"],
    "electricity": ["D35", "E36"],
    "construction": ["F41", "F42", "F43"],
    "trade": ["G45", "G46", "G47"],
    "transport": ["H49", "H50", "H51", "H52"],
    "other": ["J62", "K64", "M71", "M72", "N82"],
}
# Typical unit values of traded goods (USD per kg); None: services, traded without weight.
UNIT_VALUE = {"food": 2.5, "mining": 0.15, "manufactoring": 18.0, "electricity": None, "construction": None,
              "trade": None, "transport": None, "other": None}


@lru_cache(maxsize=1)
def demo_iosystem():
    """The relabelled pymrio test system (Z, Y, x, A computed)."""
    import pymrio

    io = pymrio.load_test()
    io.rename_regions(REGION_TO_COUNTRY)
    io.calc_all()
    return io


def io_frames() -> tuple[pd.DataFrame, pd.Series, pd.DataFrame]:
    """(A, x, Y) of the relabelled system; A's rows supply A's columns."""
    io = demo_iosystem()
    return io.A, io.x.iloc[:, 0], io.Y


def countries() -> list[str]:
    return list(REGION_TO_COUNTRY.values())


def sectors() -> list[str]:
    return list(SECTOR_DIVISIONS)


def value_added_share() -> pd.Series:
    """v_j = 1 - sum_i A_ij per (country, sector)."""
    A, _, _ = io_frames()
    return (1.0 - A.sum(axis=0)).clip(lower=0.05)


def as_array(A: pd.DataFrame) -> np.ndarray:
    return A.to_numpy(dtype=float)

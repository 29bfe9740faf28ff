"""The input-output table a demo is calibrated to: which countries and sectors firms sit in, the
technical coefficients their supply links follow, and the ISIC Rev.4 divisions of each sector (pure
apart from reading the table).

Two bases:

* ``wiod2013`` (the default): the shipped WIOD 2013 extract (``data/wiod2013``), latest year 2008,
  firms in six of its 40 countries, industries WIOD35 mapped to ISIC Rev.4 divisions through the
  concordance in ``loader/reference/data/wiod35.csv``.
* ``pymrio-test``: pymrio's made-up 6 x 8 test system, regions relabelled to six countries
  (``loader/demo/iotable.py``); kept for tests that need a tiny table.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parent.parent.parent
WIOD_FOLDER = REPO / "data" / "wiod2013"
WIOD_YEARS = (1995, 2000, 2005, 2008)
WIOD_SOURCE = "wiod-2013-release"   # the Dataset key `loader mrio --format parquet` gives the extract
# The demo's countries: the studies' home economies and an efficiency-seeking host WIOD has as a
# country of its own (Viet Nam is only inside WIOD's RoW).
WIOD_COUNTRIES = ("KOR", "CHN", "JPN", "USA", "DEU", "IDN")
# Short words for synthetic firm names, per WIOD35 industry (in the table's order).
WIOD_WORDS = ("Agro", "Mining", "Foods", "Textiles", "Leather", "Timber", "Paper", "Petroleum", "Chemicals",
              "Polymers", "Ceramics", "Metals", "Machinery", "Electronics", "Motors", "Manufacturing", "Utilities",
              "Construction", "Auto Service", "Trading", "Retail", "Hospitality", "Transport", "Shipping",
              "Airways", "Logistics", "Telecom", "Finance", "Realty", "Business Services", "Public Services",
              "Education", "Health", "Community Services", "Household Services")


@dataclass(frozen=True)
class BaseTable:
    """One year of an MRIO table as the firm generator sees it."""
    name: str                     # 'wiod2013' | 'pymrio-test'
    year: int                     # the year firms, links and stages are dated to
    classification: str           # Industry classification of the sectors
    source: str                   # Dataset key of the MRIO table in the graph
    countries: tuple[str, ...]    # where firms are (Country keys; each a region of the table)
    A: pd.DataFrame               # technical coefficients on a (region, sector) index; rows supply columns
    x: pd.Series                  # gross output on the same index
    divisions: dict               # sector -> ISIC Rev.4 divisions ('C26') firms of that sector belong to
    words: dict                   # sector -> word for synthetic firm names
    goods: frozenset              # sectors that make goods (parts, assembly); the rest are services
    manufacturing: frozenset      # sectors whose SMEs work as subcontractors of TNCs
    mining: str                   # the sector resource-seeking affiliates go into
    unit_values: dict             # sector -> USD per kg for made-up weights; empty: no weights

    @property
    def sectors(self) -> list[str]:
        return list(self.divisions)

    def value_added_share(self) -> pd.Series:
        """v_j = 1 - sum_i A_ij per (country, sector), at least 0.05 (a firm always adds some value)."""
        return (1.0 - self.A.sum(axis=0)).clip(lower=0.05)


def wiod_divisions() -> dict[str, list[str]]:
    """WIOD35 industry name -> its ISIC Rev.4 divisions with their section letter (C26), from the concordance."""
    from loader.reference.industries import _read, isic4_division_keys

    keys = isic4_division_keys()
    return {r["name"]: [keys[d].split("|", 1)[1] for d in r["isic4_divisions"].split()] for r in _read("wiod35.csv")}


@lru_cache(maxsize=4)
def wiod2013(year: int = WIOD_YEARS[-1]) -> BaseTable:
    from loader.mrio.read import read_mrio

    table = read_mrio(WIOD_FOLDER, "parquet", year=year)
    Z = table.Z.to_numpy(dtype=float)
    x = table.x.to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        A = np.where(x[None, :] > 0, Z / x[None, :], 0.0)   # zero-output sectors buy nothing
    A = pd.DataFrame(A, index=table.Z.index, columns=table.Z.index)
    divisions = wiod_divisions()
    sectors = table.industries
    assert list(divisions) == sectors, "wiod35.csv lists the table's industries in the table's order"
    goods = frozenset(sectors[:16])            # c1-c16: agriculture, mining, manufacturing
    return BaseTable(name="wiod2013", year=int(table.year), classification=table.classification,
                     source=table.source, countries=WIOD_COUNTRIES, A=A, x=table.x.astype(float),
                     divisions=divisions, words=dict(zip(sectors, WIOD_WORDS)), goods=goods,
                     manufacturing=frozenset(sectors[2:16]), mining=sectors[1], unit_values={})


def pymrio_test() -> BaseTable:
    from loader.demo import iotable

    A, x, _ = iotable.io_frames()
    from loader.demo.names import SECTOR_WORD

    return BaseTable(name="pymrio-test", year=iotable.YEAR, classification=iotable.CLASSIFICATION,
                     source=iotable.MRIO_SOURCE, countries=tuple(iotable.countries()), A=A, x=x,
                     divisions=iotable.SECTOR_DIVISIONS, words=SECTOR_WORD,
                     goods=frozenset({"food", "mining", "manufactoring"}), manufacturing=frozenset({"manufactoring"}),
                     mining="mining", unit_values=iotable.UNIT_VALUE)


BASES = {"wiod2013": wiod2013, "pymrio-test": pymrio_test}


def base_table(name: str) -> BaseTable:
    if name not in BASES:
        raise ValueError(f"--table {name}: expected one of {', '.join(BASES)}")
    return BASES[name]()

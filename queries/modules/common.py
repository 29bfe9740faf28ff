"""Parameters every module shares, with one wording: which dataset and year it reads, and at which region level.

The rule behind ``source``, ``year`` and ``all_years`` is ``queries.provenance``'s: by default one
dataset and one year, the latest year of real (non-synthetic) data.
"""
from __future__ import annotations

from queries.model import Param
from queries.modules.populations import REGION_KINDS

SOURCE = Param("source", "str", "", help="Dataset key to read; empty = the dataset holding the latest year of real "
                                         "(non-synthetic) data; * = every dataset (rows say which)")
YEAR = Param("year", "int", None, 1900, 2100, help="year; empty = the latest year of the dataset read")
ALL_YEARS = Param("all_years", "bool", False, help="read every year of the dataset instead of one (rows or the "
                                                   "provenance say which)")
REGION_KIND = Param("region_kind", "choice", "economic_region", choices=REGION_KINDS,
                    help="region level firms are compared at: economic_region (a subdivision counts as the "
                         "economic region it is part of; in countries without economic regions, the firm's own "
                         "region) or subdivision; another country is always another region")

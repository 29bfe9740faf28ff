"""The demo's country indicators file (``country_indicators``): SYNTHETIC values, labelled as such.

No published indicator values ship with the project's dependencies, so the demo draws them: a level
per country (of the rough order of the six demo countries' published figures around 2020, so charts
look plausible) that grows along a trend with noise, from its own ``numpy.random.Generator`` seeded
by the demo seed (the firm layer's draws are untouched). Every row's ``source`` says
``synthetic: ...``; the demo Dataset is marked synthetic as well. Never read these as statistics.

``country_indicators(seed, countries, years)`` returns the frame in the table format; the demo
generator adds it to its frames (``generate``: ``frames["country_indicators"] = ...``).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from loader.tables.spec import INDICATOR_UNITS, SPECS

SOURCE = "synthetic: demo generator (drawn, not published values)"
FIRST_YEAR = 2000
# rough 2020 levels: GDP per capita (USD), average wage (USD), R&D (% of GDP), schooling (years), population (m)
_LEVELS = {
    "KOR": (31_000, 38_000, 4.6, 12.2, 52), "CHN": (10_000, 14_000, 2.4, 8.1, 1_410),
    "JPN": (40_000, 38_000, 3.3, 12.9, 126), "USA": (63_000, 69_000, 3.4, 13.7, 331),
    "DEU": (46_000, 53_000, 3.1, 14.1, 83), "VNM": (3_500, 4_000, 0.5, 8.4, 97),
}
_DEFAULT = (20_000, 20_000, 1.5, 10.0, 50)


def country_indicators(seed: int, countries: list[str], years: list[int]) -> pd.DataFrame:
    """One row per country, year and indicator; values in each indicator's unit (``spec.INDICATOR_UNITS``)."""
    rng = np.random.default_rng([seed, 20_000])   # its own stream: the firm layer's draws stay as they were
    last = max(years)
    rows = []
    for country in countries:
        income, wage, rnd, school, people = _LEVELS.get(country, _DEFAULT)
        growth = rng.uniform(0.01, 0.06)   # a yearly real-terms trend per country
        for year in sorted(years):
            trend = (1 + growth) ** (year - last)
            noise = rng.normal(0, 0.03, size=4)
            gdp_pc = income * trend * (1 + noise[0])
            values = {
                "gdp_per_capita": gdp_pc,
                "gdp": gdp_pc * people,   # USD per person x million persons = million USD
                "wage": wage * trend * (1 + noise[1]),
                "rnd_share": max(rnd * (1 + 0.5 * (trend - 1)) * (1 + noise[2]), 0.05),
                "education": max(school - 0.08 * (last - year) + noise[3], 1.0),
            }
            for code in INDICATOR_UNITS:
                rows.append({"country": country, "year": int(year), "indicator": code,
                             "value": round(float(values[code]), 3), "unit": INDICATOR_UNITS[code],
                             "source": SOURCE})
    return pd.DataFrame(rows, columns=SPECS["country_indicators"].names)


def demo_years(fdi_years, last: int) -> list[int]:
    """The years the demo's indicators cover: FIRST_YEAR (or the first FDI year after it) to ``last``."""
    first = max(FIRST_YEAR, min([int(y) for y in fdi_years] or [last]))
    return list(range(min(first, last), last + 1))

"""Per-country aggregates for the world maps. Pure: DataFrames in and out.

Tables name their rest of world 'RoW'/'ROW'; it has no place on a map and is left out (and
reported) rather than being matched to some country.
"""
from __future__ import annotations

import pandas as pd

# How each metric adds up over a country's sectors/firms.
HOW = {"output": "sum", "value_added": "sum", "exports": "sum", "pagerank": "sum", "in_strength": "sum",
       "out_strength": "sum", "backward_linkage": "mean", "forward_linkage": "mean", "upstreamness": "mean",
       "betweenness": "sum", "degree": "sum", "amount": "sum", "value": "sum"}


def is_mappable(code: object) -> bool:
    return isinstance(code, str) and len(code) == 3 and code.isalpha() and code.upper() not in ("ROW", "WLD")


def by_country(frame: pd.DataFrame, metric: str, country_col: str = "country") -> tuple[pd.DataFrame, list[str]]:
    """(country, value) for mappable ISO-3 codes, and the codes that were left out."""
    if frame.empty or metric not in frame:
        return pd.DataFrame(columns=["country", metric]), []
    how = HOW.get(metric, "sum")
    agg = frame.groupby(country_col, dropna=True)[metric].agg(how).reset_index()
    agg = agg.rename(columns={country_col: "country"})
    mask = agg["country"].map(is_mappable)
    left_out = sorted(str(c) for c in agg.loc[~mask, "country"])
    return agg[mask].sort_values(metric, ascending=False).reset_index(drop=True), left_out

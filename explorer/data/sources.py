"""Which datasets hold a kind of record, for charts and tables of results without a provenance record.

Module results carry ``df.attrs["provenance"]`` (datasets read, years, units) once the runner
records it; before that, or for numbers a page computes itself, the page names the kind of record
it read and the year it asked for, and this lists the datasets holding such records of that year.
"""
from __future__ import annotations

import streamlit as st

from connection import read
from schema.model import check_label, check_rel_type

TTL_S = 60

_SECTOR_YEAR, _FIRM, _DATASET = map(check_label, ("SectorYear", "Firm", "Dataset"))
_SUPPLIES, _EXPORTS, _INVESTS_IN = map(check_rel_type, ("SUPPLIES", "EXPORTS", "INVESTS_IN"))

# kind of record -> Cypher pattern binding it to x (labels and types from the schema's whitelist)
KINDS = {
    "sector": f"(x:{_SECTOR_YEAR})",  # input-output tables: a sector's accounts per year
    "firm_links": f"(:{_FIRM})-[x:{_SUPPLIES}]->(:{_FIRM})",
    "trade": f"()-[x:{_EXPORTS}]->()",
    "fdi": f"()-[x:{_INVESTS_IN}]->()",
    "firms": f"(x:{_FIRM})",
}


def _cypher(kind: str) -> str:
    pattern = KINDS[kind]
    yearly = kind != "firms"
    year = "x.year" if yearly else "null"
    where = "WHERE $year IS NULL OR x.year = $year" if yearly else ""
    return (f"MATCH {pattern} {where} WITH DISTINCT x.source AS key, {year} AS year "
            f"WITH key, collect(year) AS years "
            f"OPTIONAL MATCH (d:{_DATASET} {{key: key}}) "
            "RETURN key, d.name AS name, d['synthetic'] AS synthetic, years ORDER BY key")


@st.cache_data(ttl=TTL_S, show_spinner=False)
def holding(kind: str, year: int | None = None) -> list[dict]:
    """The datasets (key, name, synthetic, years) with records of ``kind`` in ``year`` (None: any year)."""
    if kind not in KINDS:
        raise ValueError(f"kind of record {kind!r}; expected one of {', '.join(KINDS)}")
    return [{**r, "years": sorted(y for y in r["years"] if y is not None)}
            for r in read(_cypher(kind), {"year": year}) if r["key"] is not None]

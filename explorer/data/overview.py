"""What is loaded: counts per label and relationship type, datasets (and which are synthetic), years."""
from __future__ import annotations

import streamlit as st
from neo4j.exceptions import ServiceUnavailable

from connection import Settings, read
from explorer.data.status import database_status

TTL_S = 60

_DATASETS = """
MATCH (d:Dataset)
OPTIONAL CALL (d) { MATCH (n) WHERE n.source = d.key RETURN count(n) AS nodes }
RETURN d.key AS key, d.name AS name, coalesce(d.synthetic, false) AS synthetic,
       d.description AS description, toString(d.loaded_at) AS loaded_at, nodes,
       toString(d['loading']) AS unfinished_since
ORDER BY key
"""

# Years: a scan of the year property per relationship type (no relationship index: see
# schema/cypher/003_*), cached by the page; SectorYear has a node index.
_YEARS = """
CALL () { MATCH ()-[r:SUPPLIES]->() WHERE r.year IS NOT NULL RETURN DISTINCT 'SUPPLIES' AS kind, r.year AS year
          UNION MATCH ()-[r:EXPORTS]->() WHERE r.year IS NOT NULL RETURN DISTINCT 'EXPORTS' AS kind, r.year AS year
          UNION MATCH ()-[r:INVESTS_IN]->() WHERE r.year IS NOT NULL RETURN DISTINCT 'INVESTS_IN' AS kind, r.year AS year
          UNION MATCH ()-[r:FDI_STATISTIC]->() WHERE r.year IS NOT NULL RETURN DISTINCT 'FDI_STATISTIC' AS kind, r.year AS year
          UNION MATCH (y:SectorYear) WHERE y.year IS NOT NULL RETURN DISTINCT 'SectorYear' AS kind, y.year AS year }
RETURN kind, collect(DISTINCT year) AS years ORDER BY kind
"""


@st.cache_data(ttl=TTL_S, show_spinner=False)
def counts() -> tuple[dict[str, int], dict[str, int]]:
    status = database_status(Settings.from_env())
    if not status.ok:
        raise ServiceUnavailable(status.error)
    return status.label_counts, status.rel_counts


@st.cache_data(ttl=TTL_S, show_spinner=False)
def datasets() -> list[dict]:
    return read(_DATASETS)


@st.cache_data(ttl=TTL_S, show_spinner=False)
def years_by_kind() -> dict[str, list[int]]:
    return {r["kind"]: sorted(r["years"]) for r in read(_YEARS)}


def all_years() -> list[int]:
    return sorted({y for ys in years_by_kind().values() for y in ys})


def synthetic_sources() -> set[str]:
    return {d["key"] for d in datasets() if d["synthetic"]}

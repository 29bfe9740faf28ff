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
CALL () { MATCH ()-[r:SUPPLIES]->() WHERE r.year IS NOT NULL
          RETURN DISTINCT 'SUPPLIES' AS kind, coalesce(r.source, '') AS source, r.year AS year
          UNION MATCH ()-[r:EXPORTS]->() WHERE r.year IS NOT NULL
          RETURN DISTINCT 'EXPORTS' AS kind, coalesce(r.source, '') AS source, r.year AS year
          UNION MATCH ()-[r:INVESTS_IN]->() WHERE r.year IS NOT NULL
          RETURN DISTINCT 'INVESTS_IN' AS kind, coalesce(r.source, '') AS source, r.year AS year
          UNION MATCH ()-[r:FDI_STATISTIC]->() WHERE r.year IS NOT NULL
          RETURN DISTINCT 'FDI_STATISTIC' AS kind, coalesce(r.source, '') AS source, r.year AS year
          UNION MATCH (y:SectorYear) WHERE y.year IS NOT NULL
          RETURN DISTINCT 'SectorYear' AS kind, coalesce(y.source, '') AS source, y.year AS year }
RETURN kind, source, collect(DISTINCT year) AS years ORDER BY kind, source
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
def _yearly() -> list[dict]:
    """(kind, source, years) of the yearly records: one scan serves both views below."""
    return read(_YEARS)


def years_by_kind() -> dict[str, list[int]]:
    out: dict[str, set] = {}
    for r in _yearly():
        out.setdefault(r["kind"], set()).update(r["years"])
    return {k: sorted(v) for k, v in out.items()}


def years_by_source() -> dict[str, list[int]]:
    """Dataset key ('' for records without a source) -> the years its yearly records hold."""
    out: dict[str, set] = {}
    for r in _yearly():
        out.setdefault(r["source"], set()).update(r["years"])
    return {k: sorted(v) for k, v in out.items()}


def all_years() -> list[int]:
    return sorted({y for ys in years_by_kind().values() for y in ys})


def synthetic_sources() -> set[str]:
    return {d["key"] for d in datasets() if d["synthetic"]}

"""Spillover paths (query modules) and what the page needs about the nodes on them."""
from __future__ import annotations

import streamlit as st

from connection import read
from explorer.transform.search import node_id
from queries.model import Param

TTL_S = 120

# Region of a node for the same/other-region split: a firm's economic region when its region is a
# subdivision PART_OF one, else its region, else its country; a sector's country.
_NODE_INFO = """
UNWIND $keys AS k
OPTIONAL MATCH (s:Sector {key: k})
OPTIONAL MATCH (f:Firm {key: k})
WITH k, coalesce(s, f) AS n, s IS NOT NULL AS is_sector
WHERE n IS NOT NULL
OPTIONAL CALL (n) {
  MATCH (n)-[:LOCATED_IN]->(r:Region)
  OPTIONAL MATCH (r)-[:PART_OF]->(e:Region)
  RETURN coalesce(e.key, r.key) AS region LIMIT 1
}
RETURN k AS key, CASE WHEN is_sector THEN 'Sector' ELSE 'Firm' END AS label, properties(n) AS props,
       n.country AS country, coalesce(region, n.region) AS region
"""


@st.cache_data(ttl=TTL_S, show_spinner=False)
def node_info(keys: tuple[str, ...]) -> dict[str, dict]:
    rows = read(_NODE_INFO, {"keys": list(keys)})
    return {r["key"]: {"label": r["label"], "props": r["props"], "country": r["country"],
                       "region": r["region"], "id": node_id(r["label"], r["key"])} for r in rows}


# The page's own choices (the path modules' parameters come from the modules themselves).
DIRECTION = Param("direction", "choice", "upstream", choices=("upstream", "downstream"), label="Direction",
                  help="upstream: suppliers of the node (upstream-paths); downstream: its buyers (downstream-paths)")
COMPARE_BY = Param("by", "choice", "region", choices=("region", "country"), label="Compare regions by",
                   help="Firms: economic region (a subdivision counts as the economic region it is part of). "
                        "Sectors have a country only.")

"""Neighbourhood browsing: one node's details and the relationships around a set of nodes.

Labels are spliced into Cypher only after ``schema.model.check_label``; everything a user
chooses (keys, relationship types, labels to show, year, minimum value) is a parameter.
"""
from __future__ import annotations

from typing import Any

import streamlit as st

from connection import read
from explorer.transform.search import node_id, split_node_id
from schema.model import REL_TYPES, USER_FACING_LABELS, check_label

TTL_S = 120

# Browsing hides bookkeeping relationships (SectorYear accounts, report versions) by default.
BROWSABLE_REL_TYPES = tuple(t for t in REL_TYPES if t not in ("HAS_YEAR", "HAS_VERSION"))

# The number that ranks and filters a relationship: flows by value, FDI by amount, ownership by share.
_WEIGHT = "coalesce(r.value, r.amount, r.share, r.value_added)"

_NEIGHBOURHOOD = """
MATCH (n:{label} {{key: $key}})-[r]-(m)
WHERE type(r) IN $types
  AND any(l IN labels(m) WHERE l IN $labels)
  AND ($year IS NULL OR r.year IS NULL OR r.year = $year)
  AND ($min_value IS NULL OR {weight} IS NULL OR {weight} >= $min_value)
WITH n, r, m, {weight} AS weight
ORDER BY weight IS NULL, weight DESC
WITH n, collect({{r: r, m: m, weight: weight}}) AS all_rows
RETURN size(all_rows) AS total,
       [row IN all_rows[0..$cap] | {{
          type: type(row.r), props: properties(row.r), weight: row.weight,
          outgoing: startNode(row.r) = n,
          other_label: [l IN labels(row.m) WHERE l IN $labels][0],
          other: properties(row.m)}}] AS rows
"""

_NODE = "MATCH (n:{label} {{key: $key}}) RETURN properties(n) AS props"

# Counts per relationship type and direction around a node: the details panel's summary.
_DEGREE = """
MATCH (n:{label} {{key: $key}})-[r]-()
RETURN type(r) AS type, CASE WHEN startNode(r) = n THEN 'out' ELSE 'in' END AS direction, count(*) AS count
ORDER BY type, direction
"""


# A sector's numbers live on its SectorYear nodes: the chosen year, or the latest one.
_SECTOR_ACCOUNTS = """
UNWIND $keys AS k
MATCH (:Sector {key: k})-[:HAS_YEAR]->(y:SectorYear)
WHERE $year IS NULL OR y.year = $year
WITH k, y ORDER BY y.year DESC
WITH k, collect(y)[0] AS y
RETURN k AS key, y.year AS accounts_year, y.output AS output, y.value_added AS value_added,
       y.backward_linkage AS backward_linkage, y.forward_linkage AS forward_linkage, y.upstreamness AS upstreamness
"""


def _clean(props: dict[str, Any]) -> dict[str, Any]:
    # neo4j temporal values are not JSON/Arrow friendly; the explorer only displays them
    return {k: (v if isinstance(v, (str, int, float, bool, list, type(None))) else str(v)) for k, v in props.items()}


@st.cache_data(ttl=TTL_S, show_spinner=False)
def node_details(nid: str) -> dict[str, Any] | None:
    label, key = split_node_id(nid)
    rows = read(_NODE.format(label=check_label(label)), {"key": key})
    return _clean(rows[0]["props"]) if rows else None


@st.cache_data(ttl=TTL_S, show_spinner=False)
def sector_accounts(keys: tuple[str, ...], year: int | None = None) -> dict[str, dict[str, Any]]:
    """{sector key: {accounts_year, output, value_added, backward_linkage, ...}} for sizing and colouring."""
    rows = read(_SECTOR_ACCOUNTS, {"keys": list(keys), "year": year})
    return {r.pop("key"): r for r in rows}


@st.cache_data(ttl=TTL_S, show_spinner=False)
def node_degree(nid: str) -> list[dict]:
    label, key = split_node_id(nid)
    return read(_DEGREE.format(label=check_label(label)), {"key": key})


@st.cache_data(ttl=TTL_S, show_spinner=False)
def neighbourhood(nid: str, types: tuple[str, ...] = BROWSABLE_REL_TYPES,
                  labels: tuple[str, ...] = USER_FACING_LABELS, year: int | None = None,
                  min_value: float | None = None, cap: int = 300) -> dict[str, Any]:
    """Relationships of one node, heaviest first, at most ``cap``; ``total`` says how many match.

    Returns {'nodes': {id: {label, props}}, 'edges': [{source, target, type, props, weight}],
    'total': int, 'shown': int}.
    """
    label, key = split_node_id(nid)
    cypher = _NEIGHBOURHOOD.format(label=check_label(label), weight=_WEIGHT)
    rows = read(cypher, {"key": key, "types": list(types), "labels": list(labels), "year": year,
                            "min_value": min_value, "cap": int(cap)})
    out: dict[str, Any] = {"nodes": {}, "edges": [], "total": 0, "shown": 0}
    if not rows:
        return out
    out["total"] = rows[0]["total"]
    for row in rows[0]["rows"]:
        other = node_id(row["other_label"], row["other"]["key"])
        out["nodes"][other] = {"label": row["other_label"], "props": _clean(row["other"])}
        src, dst = (nid, other) if row["outgoing"] else (other, nid)
        out["edges"].append({"source": src, "target": dst, "type": row["type"],
                             "props": _clean(row["props"]), "weight": row["weight"]})
    out["shown"] = len(out["edges"])
    return out

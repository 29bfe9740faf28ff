"""Upstream and downstream paths from one sector or firm, pruned while they are expanded.

Upstream (backward, to suppliers): a path k_m -> ... -> k_1 -> j ending at the start node j
has value a_{k_m k_(m-1)} ... a_{k_1 j}, the product of technical coefficients
a_ij = z_ij / x_j along it (GUIDE section 3); summed over all paths of length m it is
(A^m)_ij, so with threshold 0 the per-depth totals are the column sums of A^m.
Downstream (forward, to buyers): a path j -> k_1 -> ... -> k_m has value
b_{j k_1} b_{k_1 k_2} ..., the product of allocation coefficients b_ij = z_ij / x_i; sums
are powers of B (Ghosh). For firms the coefficients are the supply shares ``a`` (value /
buyer's purchases from firms) and ``b`` (value / seller's sales to firms) of that year,
summed over products of the same pair. Self-loops (own-industry flows) count.

Pruning happens DURING expansion: one parameterized Cypher statement per depth takes the
frontier (the surviving paths, grouped by the node they end at) as a parameter and
returns only extensions whose running product is >= ``threshold``; a path below the
threshold is never extended (all coefficients are <= 1 in a productive table, so no
extension of it could come back above). Nothing is enumerated and filtered afterwards.

Parameters: node (Sector key COUNTRY|INDUSTRY or Firm key), year (int; empty = the latest
year of the node's flows), depth 1..6 (default 3), threshold (share, default 0.001),
limit (top paths listed per depth, 0 = all), layer (auto|sector|firm), source (Dataset key of
the flows, empty = any).
Rows: path (list of node keys: start node LAST upstream, FIRST downstream), depth, value
(product of coefficients, a share), rank (within its depth), depth_total (sum of the
values of all paths of that depth above the threshold), depth_paths (how many),
depth_share_listed (share of depth_total the listed rows of that depth cover).
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any

from queries.errors import ParameterError
from queries.model import Column, Param, QueryModule
from schema.model import check_label, check_rel_type

MAX_FRONTIER = 3_000_000  # paths kept in memory at one depth; raise the threshold beyond that

# One expansion step; only the MATCH differs by direction.
_STEP_TAIL = """
WHERE r.year = $year AND ($source = '' OR r.source = $source){prefilter}
WITH h, s, sum(r.{coef}) AS c
WHERE c > 0 AND c * h.max >= $threshold * (1 - 1e-12)
UNWIND h.items AS it
WITH it[0] AS parent, s.key AS node, it[1] * c AS value
WHERE value >= $threshold
RETURN parent, node, value
"""
_STEP = {
    # start node last: extend at the path's head by its suppliers
    "up": "\nUNWIND $heads AS h\nMATCH (s:{label})-[r:{rel}]->(:{label} {{key: h.key}})" + _STEP_TAIL,
    # start node first: extend at the path's tail by its buyers
    "down": "\nUNWIND $heads AS h\nMATCH (:{label} {{key: h.key}})-[r:{rel}]->(s:{label})" + _STEP_TAIL,
}


def _resolve(tx, node: str, layer: str) -> str:
    if layer in ("sector", "firm"):
        label = "Sector" if layer == "sector" else "Firm"
        if not tx.run(f"MATCH (n:{check_label(label)} {{key: $k}}) RETURN n.key AS k", {"k": node}):
            raise ParameterError(f"no {label} with key {node!r}")
        return label
    for label in ("Sector", "Firm"):
        if tx.run(f"MATCH (n:{check_label(label)} {{key: $k}}) RETURN n.key AS k", {"k": node}):
            return label
    raise ParameterError(f"no Sector or Firm with key {node!r} (sector keys look like 'KOR|Electrical and "
                         f"Optical Equipment')")


def trace(tx, p: dict[str, Any], direction: str) -> list[dict[str, Any]]:
    """Expand paths depth by depth with threshold pruning; see the module docstring."""
    label = _resolve(tx, p["node"], p["layer"])
    rel = check_rel_type("SUPPLIES")
    coef = "a" if direction == "up" else "b"
    year = p["year"]
    if year is None:
        rows = tx.run(f"MATCH (:{label} {{key: $k}})-[r:{rel}]-() RETURN max(r.year) AS y", {"k": p["node"]})
        year = rows[0]["y"] if rows else None
        if year is None:
            return []
    # Sectors have one SUPPLIES edge per pair and year, so a single edge can be pruned before the
    # sum (2.5x faster on WIOD); firms may have one edge per product, which must be summed first.
    prefilter = f" AND r.{coef} * h.max >= $threshold * (1 - 1e-12)" if label == "Sector" else ""
    cypher = _STEP[direction].format(label=label, rel=rel, coef=coef, prefilter=prefilter)
    threshold = p["threshold"]
    # level d: parallel lists parent index (into level d-1), node key, value; level 0 is the start
    parents: list[list[int]] = [[-1]]
    nodes: list[list[str]] = [[p["node"]]]
    values: list[list[float]] = [[1.0]]
    for d in range(1, p["depth"] + 1):
        groups: dict[str, list] = defaultdict(list)
        for i, (k, v) in enumerate(zip(nodes[-1], values[-1])):
            groups[k].append([i, v])
        if not groups:
            break
        heads = [{"key": k, "items": items, "max": max(v for _, v in items)} for k, items in groups.items()]
        out = tx.run(cypher, {"heads": heads, "year": year, "threshold": threshold, "source": p["source"]})
        if len(out) > MAX_FRONTIER:
            raise ParameterError(f"more than {MAX_FRONTIER} paths of depth {d} are above threshold {threshold}; "
                                 "raise the threshold or lower the depth")
        parents.append([r["parent"] for r in out])
        nodes.append([r["node"] for r in out])
        values.append([r["value"] for r in out])

    rows: list[dict[str, Any]] = []
    for d in range(1, len(values)):
        vals = values[d]
        if not vals:
            continue
        total = float(sum(vals))
        order = sorted(range(len(vals)), key=lambda i: -vals[i])
        if p["limit"]:
            order = order[: p["limit"]]
        listed = float(sum(vals[i] for i in order))
        for rank, i in enumerate(order, start=1):
            keys, lvl, idx = [], d, i
            while lvl >= 0:
                keys.append(nodes[lvl][idx])
                idx = parents[lvl][idx]
                lvl -= 1
            # keys runs from the path's far end back to the start node
            path = keys if direction == "up" else keys[::-1]
            rows.append({"path": path, "depth": d, "value": vals[i], "rank": rank, "depth_total": total,
                         "depth_paths": len(vals), "depth_share_listed": listed / total if total else 0.0,
                         "year": year})
    return rows


def _params(default_threshold: float) -> tuple[Param, ...]:
    return (
        Param("node", "str", None, required=True, help="start Sector key (COUNTRY|INDUSTRY) or Firm key"),
        Param("year", "int", None, 1900, 2100, help="year of the flows; empty = the latest year of the node"),
        Param("depth", "int", 3, 1, 6, help="longest path (number of links)"),
        Param("threshold", "float", default_threshold, 0.0, 1.0,
              help="smallest product of coefficients a path may have; paths below are not extended"),
        Param("limit", "int", 20, 0, 100000, help="top paths listed per depth (0 = all)"),
        Param("layer", "choice", "auto", choices=("auto", "sector", "firm"), help="which node kind `node` is"),
        Param("source", "str", "", help="Dataset key of the flows (when several tables share keys and years); "
                                        "empty = any"),
    )


def _columns(first: str) -> tuple[Column, ...]:
    return (
        Column("path", "list of keys", f"node keys along the path, start node {first}"),
        Column("depth", "links", "number of links in the path"),
        Column("value", "share", "product of coefficients along the path"),
        Column("rank", "rank", "rank of the path within its depth"),
        Column("depth_total", "share", "sum of the values of all paths of this depth above the threshold"),
        Column("depth_paths", "count", "number of paths of this depth above the threshold"),
        Column("depth_share_listed", "share 0..1", "share of depth_total covered by the listed paths of this depth"),
        Column("year", "year", "year of the flows"),
    )


UPSTREAM_PATHS = QueryModule(
    name="upstream-paths",
    title="Upstream (supplier) paths",
    description=("Every supplier path k_m -> ... -> k_1 -> j of length 1..depth into the start node j whose "
                 "product of technical coefficients a_ik = z_ik / x_k is at least the threshold (pruned during "
                 "expansion; self-loops count); summed over all paths of length m this is (A^m)_ij (GUIDE "
                 "section 3). Top paths per depth with the depth totals and the share the listed paths cover."),
    params=_params(0.001),
    columns=_columns("last"),
    steps=lambda tx, p: trace(tx, p, "up"),
)

DOWNSTREAM_PATHS = QueryModule(
    name="downstream-paths",
    title="Downstream (buyer) paths",
    description=("Every buyer path j -> k_1 -> ... -> k_m of length 1..depth out of the start node j whose "
                 "product of allocation coefficients b_ik = z_ik / x_i is at least the threshold (pruned during "
                 "expansion; self-loops count); sums are powers of B and tend to the Ghosh inverse (GUIDE "
                 "section 3). Top paths per depth with the depth totals and the share the listed paths cover."),
    params=_params(0.001),
    columns=_columns("first"),
    steps=lambda tx, p: trace(tx, p, "down"),
)

MODULES = (UPSTREAM_PATHS, DOWNSTREAM_PATHS)

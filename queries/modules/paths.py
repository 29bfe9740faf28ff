"""Upstream and downstream paths from one sector or firm, pruned while they are expanded.

Upstream (backward, to suppliers): a path k_m -> ... -> k_1 -> j ending at the start node j
has value a_{k_m k_(m-1)} ... a_{k_1 j}, the product of technical coefficients
a_ij = z_ij / x_j along it (docs/methods.md, section 7); summed over all paths of length m it is
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

Before tracing, the work is estimated (``estimate``): one statement per depth counts the paths
per node of the frontier, not the paths themselves, and bounds them from above by
min(paths through unpruned links, their summed value / threshold), since every surviving path
is worth at least the threshold. (When a bound is known without that pass - firm shares sum to 1,
a table's column sums of A are 1 - v_j - and gamma^d / threshold summed over the depths fits, the
pass is skipped.) When the bound exceeds what fits in the time limit
(``PATHS_PER_SECOND`` x the limit) or the memory cap (``MAX_FRONTIER`` paths at one depth), the
module stops before tracing with a ``ParameterError`` naming the depth and the threshold that fit.

Same place or not: every path's far end (the farthest supplier upstream, buyer downstream) is
compared with the start node, over EVERY path above the threshold, not only the listed ones:
per depth, the value of the paths ending in the start's country and elsewhere, and (firms) in the
start's economic region (a subdivision counts as the economic region it is part of; a region that
is part of none stands for itself), elsewhere (another country is always another region), or
unknown (one country, but one end has no region). Sectors of an inter-regional table (KR-11|...,
LOCATED_IN their Region) get the region split as firms do; sectors of national tables have none.

Parameters: node (Sector key COUNTRY|INDUSTRY or Firm key), year and source (the dataset and year
of the flows; empty = the latest year of real data among the node's flows, queries.provenance),
depth 1..6 (default 3), threshold (share, default 0.001), limit (top paths listed per depth,
0 = all), layer (auto|sector|firm).
Rows: path (list of node keys: start node LAST upstream, FIRST downstream), depth, value
(product of coefficients, a share), rank (within its depth), depth_total (sum of the values of
all paths of that depth above the threshold), depth_paths (how many), depth_share_listed (share
of depth_total the listed rows of that depth cover), the same/other splits of depth_total, year
and source.
"""
from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from queries.errors import ParameterError
from queries.model import Column, Param, QueryModule
from queries.modules.common import YEAR
from queries.modules.populations import COMPARED_KIND, compared_region
from queries.provenance import node_flows, resolve
from schema.model import check_label, check_rel_type

MAX_FRONTIER = 3_000_000  # paths kept in memory at one depth; raise the threshold beyond that
# Tracing speed on the 2-core test machine: 100,147 firm paths (depth 6) in 6.8 s and 112,944 sector
# paths (depth 3) in 7.4 s, about 15,000 paths/s. The estimate allows half of that, as the machine is shared.
PATHS_PER_SECOND = 7_500

# One expansion step; only the MATCH differs by direction. $heads: the frontier grouped by end node.
_STEP_TAIL = """
WHERE r.year = $year AND coalesce(r.source, '') IN $sources{prefilter}
WITH h, s, sum(r.{coef}) AS c
WHERE c > 0 AND c * h.max >= $threshold * (1 - 1e-12)
UNWIND h.items AS it
WITH it[0] AS parent, s.key AS node, it[1] * c AS value
WHERE value >= $threshold
RETURN parent, node, value
"""
# The same step over path COUNTS per node (n paths, their summed value, the largest): the estimate.
_COUNT_TAIL = """
WHERE r.year = $year AND coalesce(r.source, '') IN $sources{prefilter}
WITH h, s, sum(r.{coef}) AS c
WHERE c > 0 AND c * h.max >= $threshold * (1 - 1e-12)
RETURN s.key AS key, sum(h.n) AS n, sum(h.mass * c) AS mass, max(h.max * c) AS max
"""
_MATCH = {
    # start node last: extend at the path's head by its suppliers
    "up": "\nUNWIND $heads AS h\nMATCH (s:{label})-[r:{rel}]->(:{label} {{key: h.key}})",
    # start node first: extend at the path's tail by its buyers
    "down": "\nUNWIND $heads AS h\nMATCH (:{label} {{key: h.key}})-[r:{rel}]->(s:{label})",
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


def _statement(tail: str, label: str, direction: str) -> str:
    coef = "a" if direction == "up" else "b"
    # Sectors have one SUPPLIES edge per pair and year, so a single edge can be pruned before the
    # sum (2.5x faster on WIOD); firms may have one edge per product, which must be summed first.
    prefilter = f" AND r.{coef} * h.max >= $threshold * (1 - 1e-12)" if label == "Sector" else ""
    return (_MATCH[direction] + tail).format(label=check_label(label), rel=check_rel_type("SUPPLIES"), coef=coef,
                                            prefilter=prefilter)


def estimate(tx, cypher: str, node: str, base: dict[str, Any], threshold: float, depth: int,
             budget: float) -> tuple[list[float], list[float]]:
    """Upper bounds of the number of paths at depths 1.. and the summed value of the paths counted.

    Per depth and end node: n = paths reaching it over links the pruning keeps, mass = their summed
    value; with a threshold t > 0 at most mass / t of them reach t, so n is cut to that before it is
    extended. Stops after the first depth whose running total passes ``budget`` (or MAX_FRONTIER)."""
    heads = [{"key": node, "n": 1.0, "mass": 1.0, "max": 1.0}]
    counts: list[float] = []
    masses: list[float] = []
    for _ in range(depth):
        nxt, n_d, mass_d = [], 0.0, 0.0
        for r in tx.run(cypher, {**base, "heads": heads, "threshold": threshold}):
            n = float(r["n"])
            if threshold > 0:
                n = min(n, math.floor(r["mass"] / threshold * (1 + 1e-9)))
            if n >= 1:
                nxt.append({"key": r["key"], "n": n, "mass": r["mass"], "max": r["max"]})
                n_d += n
                mass_d += r["mass"]
        counts.append(n_d)
        masses.append(mass_d)
        heads = nxt
        if not heads or sum(counts) > budget or n_d > MAX_FRONTIER:
            break
    return counts, masses


def _fits(counts: list[float], budget: float) -> bool:
    return sum(counts) <= budget and max(counts, default=0) <= MAX_FRONTIER


def _nice_up(x: float) -> float:
    """The smallest of 1, 2, 5 x 10^k at or above x."""
    k = math.floor(math.log10(x))
    for m in (1, 2, 5, 10):
        if m * 10 ** k >= x * (1 - 1e-9):
            return float(f"{m * 10 ** k:.3g}")
    return float(10 ** (k + 1))


def largest_sum(tx, label: str, direction: str, base: dict[str, Any]) -> float | None:
    """An upper bound of the coefficient sums a path can spread over (column sums of A upstream, row sums of B
    downstream), when one is known without scanning the links: firm a and b are shares of a buyer's purchases
    and a seller's sales (each sums to 1); a table's column sums of A are 1 - v_j (SectorYear.va_coef)."""
    if label == "Firm":
        return 1.0
    if direction == "up":
        rows = tx.run(f"MATCH (y:{check_label('SectorYear')}) WHERE y.year = $year AND coalesce(y.source, '') IN $sources "
                      "RETURN max(1.0 - y.va_coef) AS g, count(y.va_coef) AS n", base)
        if rows and rows[0]["n"]:
            return max(float(rows[0]["g"]), 0.0)
    return None


def check_work(tx, cypher: str, p: dict[str, Any], base: dict[str, Any], gamma: float | None) -> list[float]:
    """Refuse, before tracing, a trace whose estimated paths do not fit in the time limit; say what fits."""
    budget = PATHS_PER_SECOND * tx.timeout_s
    depth, threshold = p["depth"], p["threshold"]
    if threshold > 0 and gamma is not None:
        # the paths of depth d are worth (A^d) column sums <= gamma^d together and each at least the threshold:
        # when that already fits, the estimate is not needed
        bounds = [gamma ** d / threshold for d in range(1, depth + 1)]
        if _fits(bounds, budget):
            return bounds
    counts, masses = estimate(tx, cypher, p["node"], base, threshold, depth, budget)
    if _fits(counts, budget):
        return counts
    running = [sum(counts[:d]) for d in range(1, len(counts) + 1)]
    fit_depth = max((d for d, total in enumerate(running, start=1)
                     if d < depth and total <= budget and counts[d - 1] <= MAX_FRONTIER), default=0)
    # a threshold T bounds the paths of depth d by mass_d / T; deeper masses than were counted are
    # extrapolated by the last ratio (never growing), then the candidate is checked with a fresh estimate
    ratio = min(1.0, masses[-1] / masses[-2]) if len(masses) > 1 and masses[-2] > 0 else 1.0
    mass = masses + [masses[-1] * ratio ** k for k in range(1, depth - len(masses) + 1)]
    candidate = _nice_up(max(sum(mass) / budget, threshold * 10, 1e-12))
    fit_threshold = None
    for _ in range(6):
        if candidate > 1:
            break
        if _fits(estimate(tx, cypher, p["node"], base, candidate, depth, budget)[0], budget):
            fit_threshold = candidate
            break
        candidate = _nice_up(candidate * 2.5)
    per_depth = ", ".join(f"depth {d}: {c:,.0f}" for d, c in enumerate(counts, start=1))
    advice = []
    if fit_depth:
        advice.append(f"depth {fit_depth} fits at threshold {threshold:g}")
    if fit_threshold is not None:
        advice.append(f"threshold {fit_threshold:g} fits at depth {depth}")
    raise ParameterError(
        f"tracing {p['node']!r} to depth {depth} with threshold {threshold:g} would take too long: up to "
        f"{sum(counts):,.0f} paths ({per_depth}{' and more' if len(counts) < depth else ''}), but about "
        f"{budget:,.0f} fit in the {tx.timeout_s:g} s time limit"
        f"{f' (and {MAX_FRONTIER:,} at one depth)' if max(counts) > MAX_FRONTIER else ''}; "
        + ("; ".join(advice) if advice else "raise the threshold or lower the depth")
        + " (or allow more time)")


def _places(tx, label: str, keys: list[str]) -> dict[str, tuple]:
    # sectors of an inter-regional table are LOCATED_IN their Region, like firms; national sectors have none
    region = compared_region("n")
    rows = tx.run(f"UNWIND $keys AS k MATCH (n:{check_label(label)} {{key: k}}) "
                  f"RETURN n.key AS key, n.country AS country, {region} AS region",
                  {"keys": keys, "region_kind": COMPARED_KIND})
    return {r["key"]: (r["country"], r["region"]) for r in rows}


def _split(values: list[float], far: list[str], home: tuple, places: dict[str, tuple], regional: bool) -> dict:
    """Per depth: the value of paths whose far end is in the start's country / region, elsewhere, unknown.
    ``regional``: the start node has a region (every firm; a sector of an inter-regional table)."""
    out = {"depth_same_country": 0.0, "depth_other_country": 0.0}
    if regional:
        out.update({"depth_same_region": 0.0, "depth_other_region": 0.0, "depth_unknown_region": 0.0})
    else:  # sectors of a national table have a country only
        out.update({"depth_same_region": None, "depth_other_region": None, "depth_unknown_region": None})
    for v, k in zip(values, far):
        there = places.get(k, (None, None))
        out["depth_same_country" if there[0] == home[0] else "depth_other_country"] += v
        if regional:
            out[f"depth_{region_relation(home, there)}_region"] += v
    return out


def region_relation(home: tuple, there: tuple) -> str:
    """'same', 'other' or 'unknown' region for two (country, region) places: another country is another
    region; within one country, a place without a region at the level compared is unknown."""
    if home[0] is not None and there[0] is not None and home[0] != there[0]:
        return "other"
    if home[1] is None or there[1] is None:
        return "unknown"
    return "same" if home[1] == there[1] else "other"


def trace(tx, p: dict[str, Any], direction: str) -> list[dict[str, Any]]:
    """Expand paths depth by depth with threshold pruning; see the module docstring."""
    label = _resolve(tx, p["node"], p["layer"])
    scope = resolve(tx, node_flows(label), source=p["source"], year=p["year"],
                    allow_all_sources=label == "Firm", params={"node": p["node"]})
    if not scope.pairs:
        return []
    year = scope.year
    base = {"year": year, "sources": scope.sources}
    check_work(tx, _statement(_COUNT_TAIL, label, direction), p, base, largest_sum(tx, label, direction, base))
    cypher = _statement(_STEP_TAIL, label, direction)
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
        out = tx.run(cypher, {**base, "heads": heads, "threshold": threshold})
        parents.append([r["parent"] for r in out])
        nodes.append([r["node"] for r in out])
        values.append([r["value"] for r in out])

    places = _places(tx, label, sorted({k for level in nodes for k in level}))
    home = places.get(p["node"], (None, None))
    source = ", ".join(scope.sources)
    rows: list[dict[str, Any]] = []
    for d in range(1, len(values)):
        vals = values[d]
        if not vals:
            continue
        total = float(sum(vals))
        # every path of the depth, listed or not: the node at level d is the path's far end
        split = _split(vals, nodes[d], home, places, label == "Firm" or home[1] is not None)
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
                         **split, "year": year, "source": source})
    return rows


def _params(default_threshold: float) -> tuple[Param, ...]:
    return (
        Param("node", "str", None, required=True, help="start Sector key (COUNTRY|INDUSTRY) or Firm key"),
        YEAR,
        Param("depth", "int", 3, 1, 6, help="longest path (number of links)"),
        Param("threshold", "float", default_threshold, 0.0, 1.0,
              help="smallest product of coefficients a path may have; paths below are not extended"),
        Param("limit", "int", 20, 0, 100000, help="top paths listed per depth (0 = all)"),
        Param("layer", "choice", "auto", choices=("auto", "sector", "firm"), help="which node kind `node` is"),
        Param("source", "str", "", help="Dataset key of the flows; empty = the one holding the latest year of real "
                                        "(non-synthetic) data among the node's flows; * = every dataset's firm "
                                        "links of the year (firms only)"),
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
        Column("depth_same_country", "share", "part of depth_total from paths whose far end is in the start's country"),
        Column("depth_other_country", "share", "part of depth_total from paths whose far end is in another country"),
        Column("depth_same_region", "share",
               "firms and sectors of inter-regional tables: part of depth_total from paths whose far end is in the "
               "start's economic region (a subdivision counts as the economic region it is part of; a region in none "
               "stands for itself); empty for sectors of national tables"),
        Column("depth_other_region", "share", "part from paths ending in another region; empty for sectors of "
                                              "national tables"),
        Column("depth_unknown_region", "share",
               "firms: part from paths whose two ends are in one country but one has no region (another country "
               "always counts as another region)"),
        Column("year", "year", "year of the flows"),
        Column("source", "Dataset key", "dataset of the flows"),
    )


UPSTREAM_PATHS = QueryModule(
    name="upstream-paths",
    title="Upstream (supplier) paths",
    description=("Every supplier path k_m -> ... -> k_1 -> j of length 1..depth into the start node j whose "
                 "product of technical coefficients a_ik = z_ik / x_k is at least the threshold (pruned during "
                 "expansion; self-loops count); summed over all paths of length m this is (A^m)_ij (docs/methods.md, "
                 "section 7). Top paths per depth with the depth totals and the share the listed paths cover."),
    params=_params(0.001),
    columns=_columns("last"),
    steps=lambda tx, p: trace(tx, p, "up"),
)

DOWNSTREAM_PATHS = QueryModule(
    name="downstream-paths",
    title="Downstream (buyer) paths",
    description=("Every buyer path j -> k_1 -> ... -> k_m of length 1..depth out of the start node j whose "
                 "product of allocation coefficients b_ik = z_ik / x_i is at least the threshold (pruned during "
                 "expansion; self-loops count); sums are powers of B and tend to the Ghosh inverse (docs/methods.md, "
                 "section 7). Top paths per depth with the depth totals and the share the listed paths cover."),
    params=_params(0.001),
    columns=_columns("first"),
    steps=lambda tx, p: trace(tx, p, "down"),
)

MODULES = (UPSTREAM_PATHS, DOWNSTREAM_PATHS)

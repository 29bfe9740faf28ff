"""Value-added paths: structural path analysis of the value added of an origin that ends in a destination's
final demand (docs/methods.md 19.6).

A path i -> k_1 -> ... -> j -> d follows goods: origin sector i sells to k_1, ..., and the last
producer j sells to final demand in country d. Its value is

    v_i a_{i k_1} a_{k_1 k_2} ... a_{k_m j} y_j^d     (table currency)

with v_i the value-added coefficient, a_kl = z_kl / x_l the technical coefficients and y_j^d the
final demand of d for j's output, all with x = Z 1 + Y 1 (SectorYear.gvc_va_coef, SUPPLIES.a_gvc,
SERVES.final_demand: the GVC accounting of loader.mrio.gvc). Summed over every path of length m
this is v_i (A^m Y^d)_i, and over all lengths v_i (B Y)_id, the value added of i absorbed by d's
final demand (SERVES.va_final_demand): with threshold 0 the depth totals are those partial sums.

Pruning happens while the paths are expanded, as in the supply paths (queries/modules/paths.py):
one parameterized Cypher statement per depth takes the surviving frontier (paths grouped by the
sector they end at, with their weight w = v_i a ... a) and returns only extensions whose bound
|w| (B |Y^d|)_j (SERVES.induced_output_abs) reaches the threshold. That bound is the most the
extension and all of its continuations can add up to (with A >= 0; final demand holds negative
changes in inventories, hence |Y|), so nothing above the threshold is lost. A sector whose own
output Z 1 + Y 1 is negative (WIOD 1995 has one) has negative a's into it; the bound uses |a|.

``origin``: a Sector key (COUNTRY|INDUSTRY) or a country code (then every sector of it);
``through``: a Sector key or a country code that a listed path must pass through after its origin
(e.g. 'CHN|Electrical and Optical Equipment': German value added reaching US final demand through
Chinese electronics). Depth totals cover every surviving path; ``through_total`` the part that passes.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any

from queries.errors import ParameterError
from queries.model import Column, Param, QueryModule
from queries.modules.common import SOURCE, YEAR
from queries.modules.gvc import MONEY, scope_params
from schema.model import check_label, check_rel_type

SECTOR, SECTOR_YEAR, COUNTRY = map(check_label, ("Sector", "SectorYear", "Country"))
SUPPLIES, SERVES, HAS_YEAR = map(check_rel_type, ("SUPPLIES", "SERVES", "HAS_YEAR"))

MAX_FRONTIER = 1_000_000   # surviving paths at one depth; beyond that the module asks for a higher threshold

_ORIGINS = f"""
MATCH (s:{SECTOR})-[:{HAS_YEAR}]->(y:{SECTOR_YEAR})
WHERE (s.key = $origin OR s.country = $origin) AND y.source = $source AND y.year = $year
RETURN s.key AS key, y.gvc_va_coef AS v
"""
_DESTINATION = f"""
MATCH (k:{SECTOR})-[r:{SERVES}]->(:{COUNTRY} {{key: $destination}})
WHERE r.source = $source AND r.year = $year
RETURN k.key AS key, k.country AS country, r.final_demand AS y, r.induced_output_abs AS bound,
       r.va_final_demand AS va
"""
_STEP = f"""
UNWIND $heads AS h
MATCH (:{SECTOR} {{key: h.key}})-[r:{SUPPLIES}]->(s:{SECTOR})
WHERE r.year = $year AND r.source = $source AND r.a_gvc <> 0
WITH h, s, r.a_gvc AS a, coalesce($bound[s.key], 0.0) AS bound
WHERE bound > 0 AND abs(a) * h.max * bound >= $threshold
UNWIND h.items AS it
WITH it[0] AS parent, s.key AS node, it[1] * a AS w, bound
WHERE abs(w) * bound >= $threshold
RETURN parent, node, w
LIMIT $cap
"""


def _matches(key: str, country: str, through: str) -> bool:
    return key == through or country == through


def trace(tx, p: dict[str, Any]) -> list[dict[str, Any]]:
    base = scope_params(tx, p)
    if base is None:
        return []
    origins = tx.run(_ORIGINS, {**base, "origin": p["origin"]})
    if not origins:
        raise ParameterError(f"parameter 'origin': no sector {p['origin']!r} (a Sector key COUNTRY|INDUSTRY or a "
                             f"country code) with GVC accounts in {base['source']} {base['year']}")
    dest = {r["key"]: r for r in tx.run(_DESTINATION, {**base, "destination": p["destination"]})}
    if not dest:
        raise ParameterError(f"parameter 'destination': no country {p['destination']!r} with final demand in "
                             f"{base['source']} {base['year']}")
    country_of = {k: r["country"] for k, r in dest.items()}
    y = {k: r["y"] or 0.0 for k, r in dest.items()}
    bound = {k: r["bound"] or 0.0 for k, r in dest.items()}
    origin_keys = {r["key"] for r in origins}
    total = sum(dest[k]["va"] or 0.0 for k in origin_keys if k in dest)
    threshold, through = p["threshold"], p["through"]

    # level d: parallel lists (parent index into level d-1, sector key, weight w, passed `through` yet)
    parents: list[list[int]] = [[-1] * len(origins)]
    nodes: list[list[str]] = [[r["key"] for r in origins]]
    weights: list[list[float]] = [[float(r["v"] or 0.0) for r in origins]]
    passed: list[list[bool]] = [[False] * len(origins)]
    for _ in range(p["depth"]):
        groups: dict[str, list] = defaultdict(list)
        for i, (k, w) in enumerate(zip(nodes[-1], weights[-1])):
            if w != 0 and bound.get(k, 0.0) > 0 and abs(w) * bound[k] >= threshold:
                groups[k].append([i, w])
        if not groups:
            break
        heads = [{"key": k, "items": items, "max": max(abs(w) for _, w in items)} for k, items in groups.items()]
        out = tx.run(_STEP, {**base, "heads": heads, "threshold": threshold, "bound": bound, "cap": MAX_FRONTIER + 1},
                     cap=MAX_FRONTIER + 1)
        if len(out) > MAX_FRONTIER:
            raise ParameterError(f"more than {MAX_FRONTIER:,} paths at depth {len(nodes)} with threshold "
                                 f"{threshold:g}: raise the threshold or lower the depth")
        prev = passed[-1]
        parents.append([r["parent"] for r in out])
        nodes.append([r["node"] for r in out])
        weights.append([r["w"] for r in out])
        passed.append([prev[r["parent"]] or (bool(through) and _matches(r["node"], country_of.get(r["node"]), through))
                       for r in out])

    rows: list[dict[str, Any]] = []
    running = 0.0
    for d in range(len(nodes)):
        values = [w * y.get(k, 0.0) for k, w in zip(nodes[d], weights[d])]
        depth_total = float(sum(values))
        running += depth_total
        through_total = float(sum(v for v, ok in zip(values, passed[d]) if ok)) if through else None
        keep = [i for i, v in enumerate(values) if v != 0 and abs(v) >= threshold and (not through or passed[d][i])]
        keep.sort(key=lambda i: -abs(values[i]))
        if p["limit"]:
            keep = keep[: p["limit"]]
        for rank, i in enumerate(keep, start=1):
            keys, lvl, idx = [], d, i
            while lvl >= 0:
                keys.append(nodes[lvl][idx])
                idx = parents[lvl][idx]
                lvl -= 1
            keys.reverse()
            rows.append({"path": keys, "origin": keys[0], "producer": keys[-1], "destination": p["destination"],
                         "depth": d, "value": values[i], "share": values[i] / total if total else None,
                         "rank": rank, "depth_total": depth_total, "depth_paths": len(values),
                         "through_total": through_total, "cumulative": running, "total_va": total, **base})
    if not rows:
        tx.provenance.notes.append(f"no path reaches the threshold {threshold:g}")
    return rows


VA_PATHS = QueryModule(
    name="va-paths",
    title="Value-added paths to final demand",
    description=("Every path i -> k_1 -> ... -> j -> d along which value added of the origin i reaches final "
                 "demand in d, valued v_i a_ik1 ... a_kj y_j^d (x = Z 1 + Y 1), pruned during expansion by the "
                 "bound |w| (B |Y^d|)_j of what a path and its continuations can add; with threshold 0 the depth "
                 "totals are v_i (A^m Y^d)_i and converge to v_i (B Y)_id, the value added of i absorbed by d "
                 "(total_va). docs/methods.md 19.6."),
    params=(
        Param("origin", "str", None, required=True,
              help="origin Sector key (COUNTRY|INDUSTRY) or country code (every sector of it)"),
        Param("destination", "str", None, required=True, help="country whose final demand absorbs the value added"),
        Param("through", "str", "", help="Sector key or country code a listed path passes through after its "
                                         "origin; empty = any path"),
        YEAR, SOURCE,
        Param("depth", "int", 3, 0, 8, help="longest path (SUPPLIES links between origin and last producer)"),
        Param("threshold", "float", 1.0, 0.0, 1e12,
              help="smallest value of a listed path (table currency); paths whose bound is below are not extended"),
        Param("limit", "int", 20, 0, 100000, help="top paths listed per depth (0 = all)"),
    ),
    columns=(
        Column("path", "list of Sector keys", "origin first, last producer last (its output goes to final demand)"),
        Column("origin", "key", "origin sector"), Column("producer", "key", "last producer j"),
        Column("destination", "ISO3", "country of the final demand"),
        Column("depth", "links", "SUPPLIES links in the path (0 = the origin sells to final demand directly)"),
        Column("value", MONEY, "v_i a_ik1 ... a_kj y_j^d"),
        Column("share", "share", "value / total_va"),
        Column("rank", "rank", "within its depth, by |value|"),
        Column("depth_total", MONEY, "sum of the values of every surviving path of this depth"),
        Column("depth_paths", "count", "surviving paths of this depth"),
        Column("through_total", MONEY, "part of depth_total from paths passing `through` (empty without it)"),
        Column("cumulative", MONEY, "depth totals summed up to this depth"),
        Column("total_va", MONEY, "value added of the origin absorbed by the destination, v (B Y): the limit"),
        Column("year", "year", "table year"), Column("source", "Dataset key", "table read"),
    ),
    steps=trace,
)

MODULES = (VA_PATHS,)

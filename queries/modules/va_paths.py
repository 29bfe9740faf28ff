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

Same place or not: every surviving path (listed or not) is compared with its own origin sector, as the
supply paths compare their far end with the start (queries/modules/paths.py): per depth, the value of
the paths whose every sector lies in the origin's country and of those passing through another
country; and, when the origin sectors have a region (an inter-regional table: KR-11|..., LOCATED_IN
their Region), of the paths whose every sector lies in the origin's economic region (a subdivision
counts as the economic region it is part of) and of those passing through another region, with the
running sums over the depths. same + other (+ unknown region) = the depth total, exactly.

Inter-regional tables (docs/methods.md 19.7) store SUPPLIES between the sectors of the split country's
regions only, and SERVES from those sectors to every destination country with the final demand, bound
and limit over the country's DOMESTIC inverse L^CC = (I - A^CC)^-1 (loader.mrio.regional): their paths
run inside the country to its last producer j, and total_va = v_i (L^CC y^d)_i, the origin's value added
reaching d's final demand along chains that stay in the country. Such a table is read when ``source``
names it; the default is the latest real national year with GVC accounts, as for the other GVC modules.

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
from queries.modules.paths import region_relation
from queries.modules.populations import COMPARED_KIND, compared_region
from queries.provenance import Basis
from schema.model import check_label, check_rel_type

SECTOR, SECTOR_YEAR, COUNTRY = map(check_label, ("Sector", "SectorYear", "Country"))
SUPPLIES, SERVES, HAS_YEAR = map(check_rel_type, ("SUPPLIES", "SERVES", "HAS_YEAR"))

# Years a named ``source`` may be: every table whose sectors carry v (SectorYear.gvc_va_coef), national years
# with GVC accounts and inter-regional tables alike (the name starts with 'sector': the table's currency)
VA_PATHS_BASIS = Basis("sector_va_paths", "value-added coefficients of input-output tables (SectorYear)",
                       f"(y:{SECTOR_YEAR} WHERE y.gvc_va_coef IS NOT NULL)", "y")

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


def _places(tx, keys: list[str]) -> dict[str, tuple]:
    """Sector key -> (country, region compared at): the economic region of an inter-regional table's sector
    (queries.modules.populations), None for the sectors of national tables."""
    rows = tx.run(f"UNWIND $keys AS k MATCH (n:{SECTOR} {{key: k}}) "
                  f"RETURN n.key AS key, n.country AS country, {compared_region('n')} AS region",
                  {"keys": keys, "region_kind": COMPARED_KIND})
    return {r["key"]: (r["country"], r["region"]) for r in rows}


_RELATION = {"same": 0, "unknown": 1, "other": 2}   # a path is as far from home as its farthest sector


def _splits(parents: list[list[int]], nodes: list[list[str]], places: dict[str, tuple]
            ) -> tuple[list[list[bool]], list[list[int]]]:
    """Per level and path: whether it has passed through another country than its origin's, and its region
    relation to the origin (0 same, 1 unknown, 2 other), the farthest over its sectors so far."""
    roots = [list(range(len(nodes[0])))]
    abroad = [[False] * len(nodes[0])]
    region = [[0] * len(nodes[0])]
    for d in range(1, len(nodes)):
        r_prev, a_prev, g_prev = roots[-1], abroad[-1], region[-1]
        r_d, a_d, g_d = [], [], []
        for parent, key in zip(parents[d], nodes[d]):
            root = r_prev[parent]
            home = places.get(nodes[0][root], (None, None))
            there = places.get(key, (None, None))
            r_d.append(root)
            a_d.append(a_prev[parent] or there[0] != home[0])
            g_d.append(max(g_prev[parent], _RELATION[region_relation(home, there)]))
        roots.append(r_d)
        abroad.append(a_d)
        region.append(g_d)
    return abroad, region


def trace(tx, p: dict[str, Any]) -> list[dict[str, Any]]:
    # a named source may be an inter-regional table (no CountryYear); the default is a national GVC year
    base = scope_params(tx, p, VA_PATHS_BASIS) if p["source"] else scope_params(tx, p)
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

    places = _places(tx, sorted({k for level in nodes for k in level}))
    regional = any(places.get(k, (None, None))[1] is not None for k in nodes[0])
    abroad, region = _splits(parents, nodes, places)
    rows: list[dict[str, Any]] = []
    running = 0.0
    run_split = dict.fromkeys(("same_country", "other_country", "same_region", "other_region", "unknown_region"), 0.0)
    for d in range(len(nodes)):
        values = [w * y.get(k, 0.0) for k, w in zip(nodes[d], weights[d])]
        depth_total = float(sum(values))
        running += depth_total
        # every surviving path of the depth, listed or not
        split = {"same_country": float(sum(v for v, out in zip(values, abroad[d]) if not out)),
                 "other_country": float(sum(v for v, out in zip(values, abroad[d]) if out))}
        for name, code in (("same_region", 0), ("unknown_region", 1), ("other_region", 2)):
            split[name] = float(sum(v for v, g in zip(values, region[d]) if g == code))
        for k in run_split:
            run_split[k] += split[k]
        columns = {}
        for k in run_split:
            columns[f"depth_{k}"] = split[k] if regional or k.endswith("country") else None
            columns[f"cumulative_{k}"] = run_split[k] if regional or k.endswith("country") else None
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
                         "through_total": through_total, "cumulative": running, **columns, "total_va": total,
                         **base})
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
                 "(total_va). Every surviving path, listed or not, is compared with its origin sector: per depth "
                 "and summed over the depths, the value of paths whose every sector lies in the origin's country "
                 "and of those passing through another country, and (inter-regional tables, read when `source` "
                 "names one: paths over the country's own regions, total_va over its domestic inverse) of those "
                 "staying in the origin's economic region and of those passing through another region; same + "
                 "other = the depth total. docs/methods.md 19.6."),
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
        Column("depth_same_country", MONEY, "part of depth_total from paths whose every sector lies in the origin's "
                                            "country"),
        Column("depth_other_country", MONEY, "part of depth_total from paths passing through another country"),
        Column("depth_same_region", MONEY,
               "inter-regional tables: part of depth_total from paths whose every sector lies in the origin's "
               "economic region (a subdivision counts as the economic region it is part of); empty for national "
               "tables"),
        Column("depth_other_region", MONEY, "part of depth_total from paths passing through another region (another "
                                            "country is another region); empty for national tables"),
        Column("depth_unknown_region", MONEY, "part from paths that stay in the origin's country and region as far as "
                                              "known but pass a sector without a region; empty for national tables"),
        Column("cumulative_same_country", MONEY, "depth_same_country summed up to this depth"),
        Column("cumulative_other_country", MONEY, "depth_other_country summed up to this depth"),
        Column("cumulative_same_region", MONEY, "depth_same_region summed up to this depth"),
        Column("cumulative_other_region", MONEY, "depth_other_region summed up to this depth"),
        Column("cumulative_unknown_region", MONEY, "depth_unknown_region summed up to this depth"),
        Column("total_va", MONEY, "value added of the origin absorbed by the destination, v (B Y): the limit (an "
                                  "inter-regional table: v (L^CC y^d) over the country's domestic inverse)"),
        Column("year", "year", "table year"), Column("source", "Dataset key", "table read"),
    ),
    steps=trace,
)

MODULES = (VA_PATHS,)

"""Years compared: how sectors, countries and paths of one dataset changed between year A and year B.

Each module reads ONE dataset (``source``; empty = the dataset holding the latest year of real data,
``queries.provenance``) in two of its years: ``year_b`` (empty = its latest year) and ``year_a`` (empty
= its earliest year). The provenance lists both years. Ranks are within each year over the rows the
filters keep (1 = largest; ties broken by key); ``rank_change`` = rank_a - rank_b, so a positive
change means the row moved up. ``change`` = value_b - value_a in the measure's units.

- ``linkage-shifts``: a SectorYear measure (backward / forward linkage, upstreamness, output, ...)
  in both years (sector-linkages' definitions).
- ``centrality-shifts``: a centrality measure (PageRank, strength, degree) of the sector or firm
  supply network of each year, computed by the ``centrality`` module on each year's network.
- ``va-shifts``: per country, gross exports, DVA, FVA and the FVA share of exports (fva-share's
  definitions, from the same SectorYear properties) in both years. ``COUNTRY_MEASURES`` is the
  extension point for further country measures built from SectorYear sums (e.g. GVC participation
  and position once they are stored): add an entry and it becomes a choice.
- ``path-shifts``: the upstream or downstream paths of one node in year A beside year B, joined by
  path (the node keys along it): value_a, value_b, change and ``present`` = both | a_only | b_only
  (a path is missing from a year when it is absent there or below the threshold).
"""
from __future__ import annotations

from typing import Any

from queries import listing
from queries.errors import ParameterError
from queries.model import Column, Param, QueryModule
from queries.modules.centrality import CENTRALITY
from queries.modules.common import SOURCE
from queries.modules.paths import DOWNSTREAM_PATHS, UPSTREAM_PATHS, _resolve, trace
from queries.provenance import BASES, Basis, node_flows, resolve

YEAR_A = Param("year_a", "int", None, 1900, 2100, help="first year; empty = the earliest year of the dataset")
YEAR_B = Param("year_b", "int", None, 1900, 2100, help="second year; empty = the latest year of the dataset")
COUNTRY = Param("country", "str", "", help="country code as the table names it (e.g. KOR); empty = all")
INDUSTRY = Param("industry", "str", "", help="text the industry name contains (case-insensitive); empty = all")
LIMIT = Param("limit", "int", 50, 1, 100000, help="rows returned")
ORDER = Param("order_by", "choice", "rank_change", choices=("rank_change", "change", "rank_b"),
              help="rank_change: largest moves (up or down) first; change: largest |value_b - value_a| first; "
                   "rank_b: in year B's order")


def two_years(tx, basis: Basis, p: dict[str, Any], params: dict[str, Any] | None = None):
    """(scope A, scope B) of one dataset, or None when nothing can be read (e.g. every year under load)."""
    b = resolve(tx, basis, source=p["source"], year=p["year_b"], allow_all_sources=False, params=params)
    if not b.pairs:
        return None
    source, year_b = b.source, b.year
    year_a = p["year_a"]
    if year_a is None:
        held = sorted({y for s, y in listing.pairs(tx, basis, params)
                       if s == source and y is not None and y < year_b and not tx.provenance.skipped(s, y)})
        if not held:
            raise ParameterError(f"parameter 'year_a': dataset {source!r} holds no {basis.what} before {year_b}; "
                                 "nothing to compare (load another year, or give year_a after year_b)")
        year_a = held[0]
    if year_a == year_b:
        raise ParameterError(f"parameters 'year_a' and 'year_b': both are {year_b}; expected two different years")
    a = resolve(tx, basis, source=source, year=year_a, allow_all_sources=False, params=params)
    if not a.pairs:
        return None
    return a, b


def rank_rows(values: dict[str, float]) -> dict[str, int]:
    """1 = largest; ties by key."""
    return {k: i for i, k in enumerate(sorted(values, key=lambda k: (-values[k], k)), start=1)}


def joined(a: dict[str, dict], b: dict[str, dict], measure: str) -> list[dict[str, Any]]:
    """Rows of both years side by side, by key: value_a/b, change, rank_a/b, rank_change (None where a year
    lacks the row)."""
    ra = rank_rows({k: r[measure] for k, r in a.items()})
    rb = rank_rows({k: r[measure] for k, r in b.items()})
    out = []
    for k in sorted(set(a) | set(b)):
        va = a[k][measure] if k in a else None
        vb = b[k][measure] if k in b else None
        out.append({"key": k, "value_a": va, "value_b": vb,
                    "change": vb - va if va is not None and vb is not None else None,
                    "rank_a": ra.get(k), "rank_b": rb.get(k),
                    "rank_change": ra[k] - rb[k] if k in ra and k in rb else None})
    return out


def order(rows: list[dict], how: str, limit: int) -> list[dict]:
    def key(r):
        if how == "rank_b":
            return (r["rank_b"] is None, r["rank_b"] or 0, r["key"])
        v = r["rank_change"] if how == "rank_change" else r["change"]
        return (v is None, -abs(v or 0), r["key"])
    return sorted(rows, key=key)[:limit]


# ---------------------------------------------------------------- linkages

LINKAGE_MEASURES = ("backward_linkage", "forward_linkage", "upstreamness", "output", "value_added", "va_coef")
_LINKAGE_UNITS = {"backward_linkage": "index (mean 1)", "forward_linkage": "index (mean 1)", "upstreamness": "steps",
                  "output": "table currency", "value_added": "table currency", "va_coef": "share"}

_SECTOR_YEARS = """
MATCH (y:SectorYear)
WHERE y.source = $source AND y.year = $year
  AND ($country = '' OR y.country = $country)
  AND ($industry = '' OR toLower(y.industry) CONTAINS toLower($industry))
RETURN y.sector AS key, y.country AS country, y.industry AS industry, y[$measure] AS value
"""


def linkage_shifts(tx, p: dict[str, Any]) -> list[dict[str, Any]]:
    scopes = two_years(tx, BASES["sector_table"], p)
    if scopes is None:
        return []
    tx.provenance.units.update({c: _LINKAGE_UNITS[p["measure"]] for c in ("value_a", "value_b", "change")})
    side, names = [], {}
    for scope in scopes:
        rows = tx.run(_SECTOR_YEARS, {"source": scope.source, "year": scope.year, "country": p["country"],
                                      "industry": p["industry"], "measure": p["measure"]})
        side.append({r["key"]: {"v": float(r["value"] or 0.0)} for r in rows})
        names.update({r["key"]: (r["country"], r["industry"]) for r in rows})
    a, b = scopes
    out = order(joined(side[0], side[1], "v"), p["order_by"], p["limit"])
    return [{"sector": r["key"], "country": names[r["key"]][0], "industry": names[r["key"]][1],
             "measure": p["measure"], **{k: r[k] for k in r if k != "key"},
             "year_a": a.year, "year_b": b.year, "source": b.source} for r in out]


SHIFT_COLUMNS = (
    Column("value_a", "measure's unit", "value in year A"),
    Column("value_b", "measure's unit", "value in year B"),
    Column("change", "measure's unit", "value_b - value_a"),
    Column("rank_a", "rank", "rank in year A (1 = largest)"),
    Column("rank_b", "rank", "rank in year B (1 = largest)"),
    Column("rank_change", "ranks", "rank_a - rank_b: positive = moved up"),
    Column("year_a", "year", "year A"), Column("year_b", "year", "year B"),
    Column("source", "Dataset key", "dataset read"),
)

LINKAGE_SHIFTS = QueryModule(
    name="linkage-shifts",
    title="Linkage rank shifts between two years",
    description=("A sector measure of sector-linkages (backward linkage BL_j = n sum_i L_ij / sum_ij L_ij, Ghosh "
                 "forward linkage, upstreamness U = G 1, output, value added, v_j) in year A and year B of one "
                 "dataset: both values, both ranks and the change."),
    params=(SOURCE, YEAR_A, YEAR_B,
            Param("measure", "choice", "backward_linkage", choices=LINKAGE_MEASURES, help="which SectorYear measure"),
            COUNTRY, INDUSTRY, ORDER, LIMIT),
    columns=(Column("sector", "key", "Sector key COUNTRY|INDUSTRY"), Column("country", "code", "country"),
             Column("industry", "name", "industry"), Column("measure", "name", "the measure compared"))
    + SHIFT_COLUMNS,
    steps=linkage_shifts,
)


# ---------------------------------------------------------------- centrality

CENTRALITY_MEASURES = ("pagerank", "in_strength", "out_strength", "degree")


def centrality_shifts(tx, p: dict[str, Any]) -> list[dict[str, Any]]:
    basis = BASES["sector_flows" if p["layer"] == "sector" else "firm_flows"]
    scopes = two_years(tx, basis, p)
    if scopes is None:
        return []
    side, names = [], {}
    for scope in scopes:
        # the whole layer (limit: every node) with betweenness from one source only: it is not compared here
        q = CENTRALITY.coerce_params({"layer": p["layer"], "year": scope.year, "source": scope.source,
                                      "weight": p["weight"], "order_by": p["measure"], "limit": 1_000_000,
                                      "betweenness_sampling": 1, "country": p["country"],
                                      "industry": p["industry"]})
        rows = CENTRALITY.steps(tx, q)
        side.append({r["key"]: {"v": float(r[p["measure"]])} for r in rows})
        names.update({r["key"]: (r["name"], r["country"], r["industry"]) for r in rows})
    unit = tx.provenance.units.get("in_strength", "weight units") if "strength" in p["measure"] else \
        ("share 0..1" if p["measure"] == "pagerank" else "count")
    tx.provenance.units.update({c: unit for c in ("value_a", "value_b", "change")})
    a, b = scopes
    out = order(joined(side[0], side[1], "v"), p["order_by"], p["limit"])
    return [{"key": r["key"], "name": names[r["key"]][0], "country": names[r["key"]][1],
             "industry": names[r["key"]][2], "measure": p["measure"], **{k: r[k] for k in r if k != "key"},
             "year_a": a.year, "year_b": b.year, "source": b.source} for r in out]


CENTRALITY_SHIFTS = QueryModule(
    name="centrality-shifts",
    uses_gds_projection=True,
    title="Centrality rank shifts between two years",
    description=("PageRank (weighted, sum 1), in/out strength or degree of every node of the sector or firm supply "
                 "network in year A and in year B of one dataset (the centrality module on each year's network), "
                 "with both values, both ranks and the change. Ranks are over the listed nodes (after the country "
                 "and industry filters); the scores are computed on the whole network of each year."),
    params=(Param("layer", "choice", "sector", choices=("sector", "firm"), help="which network"),
            SOURCE, YEAR_A, YEAR_B,
            Param("measure", "choice", "pagerank", choices=CENTRALITY_MEASURES, help="which centrality"),
            Param("weight", "choice", "value", choices=("value", "a", "b"), help="edge weight of strength and PageRank"),
            COUNTRY, INDUSTRY, ORDER, LIMIT),
    columns=(Column("key", "key", "Sector or Firm key"), Column("name", "name", "node name"),
             Column("country", "code", "country"), Column("industry", "name/key", "industry"),
             Column("measure", "name", "the measure compared")) + SHIFT_COLUMNS,
    steps=centrality_shifts,
)


# ---------------------------------------------------------------- value added in exports

# Country measures from sums of SectorYear properties (fva-share's inputs): name -> (Cypher expression over
# the sums e = exports, d = dva_exports, f = fva_exports of the country's sectors, unit). EXTENSION POINT:
# GVC participation and position measures stored on SectorYear/CountryYear can be added here (and their
# sums to _COUNTRY_SUMS) once loaded; each entry becomes a choice of `measure`.
COUNTRY_MEASURES: dict[str, tuple[str, str]] = {
    "fva_share": ("CASE WHEN e = 0 THEN 0.0 ELSE f / e END", "share 0..1"),
    "gross_exports": ("e", "table currency"),
    "dva": ("d", "table currency"),
    "fva": ("f", "table currency"),
}

_COUNTRY_SUMS = """
MATCH (y:SectorYear)
WHERE y.source = $source AND y.year = $year AND ($country = '' OR y.country = $country)
WITH y.country AS key, sum(coalesce(y.exports, 0.0)) AS e, sum(coalesce(y.dva_exports, 0.0)) AS d,
     sum(coalesce(y.fva_exports, 0.0)) AS f
RETURN key, {expr} AS value
"""


def va_shifts(tx, p: dict[str, Any]) -> list[dict[str, Any]]:
    scopes = two_years(tx, BASES["sector_table"], p)
    if scopes is None:
        return []
    expr, unit = COUNTRY_MEASURES[p["measure"]]
    tx.provenance.units.update({c: unit for c in ("value_a", "value_b", "change")})
    side = []
    for scope in scopes:
        rows = tx.run(_COUNTRY_SUMS.format(expr=expr), {"source": scope.source, "year": scope.year,
                                                        "country": p["country"]})
        side.append({r["key"]: {"v": float(r["value"])} for r in rows})
    a, b = scopes
    out = order(joined(side[0], side[1], "v"), p["order_by"], p["limit"])
    return [{"country": r["key"], "measure": p["measure"], **{k: r[k] for k in r if k != "key"},
             "year_a": a.year, "year_b": b.year, "source": b.source} for r in out]


VA_SHIFTS = QueryModule(
    name="va-shifts",
    title="Value added in exports: changes between two years",
    description=("Per country, fva-share's measures in year A and year B of one dataset: gross exports E_c, "
                 "domestic and foreign value added in them (diag(v) L e) and the FVA share FVA_c / E_c, with both "
                 "values, both ranks and the change."),
    params=(SOURCE, YEAR_A, YEAR_B,
            Param("measure", "choice", "fva_share", choices=tuple(COUNTRY_MEASURES), help="which country measure"),
            COUNTRY, ORDER, LIMIT),
    columns=(Column("country", "code", "exporting country"), Column("measure", "name", "the measure compared"))
    + SHIFT_COLUMNS,
    steps=va_shifts,
)


# ---------------------------------------------------------------- paths

def path_shifts(tx, p: dict[str, Any]) -> list[dict[str, Any]]:
    label = _resolve(tx, p["node"], p["layer"])
    scopes = two_years(tx, node_flows(label), p, params={"node": p["node"]})
    if scopes is None:
        return []
    module = UPSTREAM_PATHS if p["direction"] == "upstream" else DOWNSTREAM_PATHS
    side = []
    for scope in scopes:
        # every path above the threshold (limit 0): a path outside one year's top list is still compared
        q = module.coerce_params({"node": p["node"], "year": scope.year, "source": scope.source, "depth": p["depth"],
                                  "threshold": p["threshold"], "limit": 0, "layer": label.lower()})
        side.append({tuple(r["path"]): r["value"] for r in trace(tx, q, "up" if module is UPSTREAM_PATHS else "down")})
    a, b = scopes
    rows = []
    for path in set(side[0]) | set(side[1]):
        va, vb = side[0].get(path), side[1].get(path)
        rows.append({"path": list(path), "depth": len(path) - 1, "value_a": va, "value_b": vb,
                     "change": (vb or 0.0) - (va or 0.0),
                     "present": "both" if va is not None and vb is not None else ("a_only" if vb is None else "b_only"),
                     "year_a": a.year, "year_b": b.year, "source": b.source})
    # per depth, the paths with the largest value in either year first
    rows.sort(key=lambda r: (r["depth"], -max(r["value_a"] or 0.0, r["value_b"] or 0.0), r["path"]))
    out, per_depth = [], {}
    for r in rows:
        per_depth[r["depth"]] = per_depth.get(r["depth"], 0) + 1
        if not p["limit"] or per_depth[r["depth"]] <= p["limit"]:
            out.append(r)
    return out


PATH_SHIFTS = QueryModule(
    name="path-shifts",
    title="Paths of a node: year A beside year B",
    description=("The upstream-paths or downstream-paths of one node (products of a, resp. b, above the threshold) "
                 "run in year A and in year B of one dataset and joined by path: value_a, value_b, the change, and "
                 "whether the path is found in both years or in one only (absent, or below the threshold, in the "
                 "other). Per depth, the paths with the largest value in either year first."),
    params=(Param("node", "str", None, required=True, help="start Sector key (COUNTRY|INDUSTRY) or Firm key"),
            Param("direction", "choice", "upstream", choices=("upstream", "downstream"),
                  help="upstream: supplier paths (a); downstream: buyer paths (b)"),
            SOURCE, YEAR_A, YEAR_B,
            Param("depth", "int", 2, 1, 6, help="longest path (number of links)"),
            Param("threshold", "float", 0.001, 0.0, 1.0, help="smallest product of coefficients a path may have"),
            Param("limit", "int", 20, 0, 100000, help="paths listed per depth (0 = all)"),
            Param("layer", "choice", "auto", choices=("auto", "sector", "firm"), help="which node kind `node` is")),
    columns=(Column("path", "list of keys", "node keys along the path as the path module lists them"),
             Column("depth", "links", "number of links"),
             Column("value_a", "share", "product of coefficients in year A (empty: not found that year)"),
             Column("value_b", "share", "product of coefficients in year B (empty: not found that year)"),
             Column("change", "share", "value_b - value_a (a missing year counts 0)"),
             Column("present", "both|a_only|b_only", "in which years the path is found above the threshold"),
             Column("year_a", "year", "year A"), Column("year_b", "year", "year B"),
             Column("source", "Dataset key", "dataset read")),
    steps=path_shifts,
)

MODULES = (LINKAGE_SHIFTS, CENTRALITY_SHIFTS, VA_SHIFTS, PATH_SHIFTS)

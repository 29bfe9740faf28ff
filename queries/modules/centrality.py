"""Centrality of sectors or firms through Neo4j Graph Data Science (GDS 2.13).

Layers: ``sector`` (the Sector -[:SUPPLIES {year}]-> Sector network of one year) or ``firm``
(the Firm -[:SUPPLIES {year}]-> Firm supply network of one year). Parallel edges of a pair
(firm products) are summed into one weighted edge; the weight is ``value`` (flow, table
currency / thousand USD), ``a`` or ``b`` (coefficients); self-loops are kept unless
``self_loops`` is false.

Measures: degree (distinct partners, in + out), weighted in-strength sum_i w_ij and
out-strength sum_j w_ij, PageRank (Brin and Page 1998; weighted: a node passes its score
to its buyers in proportion to w, damping d, GDS ``gds.pageRank``; reported normalized to
sum 1 over the layer, which equals networkx's ``pagerank`` when every node has a buyer;
GDS does not hand the score of nodes without out-edges back to all nodes as networkx
does), betweenness (Brandes 2001, directed) and eigenvector centrality (weighted, GDS
``gds.eigenvector``, L2-normalized).

Betweenness counts shortest paths. ``betweenness`` = 'unweighted' (default): shortest = fewest
links, whatever the edge weight. 'strongest_chain': shortest = the chain with the largest product
of coefficients, found with the distance -ln c of each link (sums of -ln are -ln of products):
c = a (the share of the buyer's inputs the link carries) for weight ``a``, and also for weight
``value``, since -ln of a money amount means nothing; c = b for weight ``b``. Parallel links of a
pair (firm products) are summed first, and c is capped at 1 (distance 0). The
``betweenness_distance`` column says which was used ('hops', '-ln a', '-ln b').

Which network: the SUPPLIES links of one dataset and year (``queries.provenance``: by default
the latest year of real data); ``source = '*'`` joins every dataset's firm links of the year.

Betweenness is exact by default: one shortest-path search from every node, O(n m) work, so
a 100,000-firm network takes about an hour. ``betweenness_sampling`` = k > 0 runs GDS's
source sampling instead (``samplingSize`` k, ``samplingSeed`` ``SAMPLING_SEED``): only k
source nodes, drawn with probability proportional to their degree, start a search, so the
work is O(k m). GDS does NOT rescale the result: a sampled score is the dependency sum over
those k sources only, smaller than the exact count and meant for ranking. With the same
graph, k, seed and ``concurrency`` (by default chosen from the graph: ``threads``) the sources
(and so the scores) repeat; k >= the node count uses every node and equals the exact result.
The ``betweenness_sources`` column says how many sources were used (the node count when exact).

Which measures: ``measures`` (default degree, strength, PageRank: linear in the links, seconds at
1M links). Betweenness and eigenvector run only when named there (or when ``order_by`` ranks by
them): exact betweenness is O(n m). Columns of measures not computed are empty.

How it stays fast (docs/scaling.md): the projection is kept in GDS's catalog and reused by later
requests for the same layer, year, weight and data (``queries.gds_cache``: a load that changes the
data changes the name requests look for). It holds the weight, and the distance of strongest-chain
betweenness only when that is asked for (one sum and a logarithm less per link: 15.9 s instead of
19.3 s at 5M links); a projection with distances serves later requests without them. Each measure
is computed into the projection (``mutate``) and kept there for the same settings (up to
``gds_cache.MAX_KEPT``; past that under a name of the request's own, removed at the end), and only
the top ``limit`` rows leave the server, ranked there. Before starting, the module estimates the run
from the projection's size and measured rates (``centrality_cost``; a measure kept for the same
settings costs only its ranking) and refuses one that would need more than twice its time limit,
naming the parameter that fits.

Convergence: PageRank and eigenvector are iterative; ``pagerank_converged`` and
``eigenvector_converged`` say whether GDS reached ``tolerance`` within ``max_iterations`` (GDS's
``didConverge``), and the provenance notes say so in words (eigenvector centrality does not
converge on WIOD tables: its scores are then where the iterations stopped).

How GDS runs safely: the module is trusted library code, run by the runner in a READ
transaction on the analytics connection (``NEO4J_GDS_URI``, by default the main server).
``gds.graph.project`` (the Cypher aggregation form) and the ``.mutate`` algorithms declare
procedure mode READ: they read the store and write nothing to it, only to GDS's in-memory
catalog. A projection that cannot be cached gets a unique name (``gvn_tmp_<uuid>``) and is
dropped at the end of the transaction, and again in a fresh READ transaction if the run failed or
timed out; the request's own measure properties are removed from a cached projection the same
way. User Cypher may not call catalog-changing GDS procedures (see ``queries.guard``).
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from queries import gds_cache, listing
from queries.errors import ParameterError
from queries.model import Column, Param, QueryModule
from queries.modules.centrality_cost import threads, too_slow
from queries.modules.common import YEAR
from queries.provenance import BASES, resolve
from schema.model import check_label, check_rel_type

# GDS picks the betweenness sample sources with this seed, so a sampled run repeats.
SAMPLING_SEED = 42

ORDER = ("pagerank", "betweenness", "eigenvector", "in_strength", "out_strength", "degree")
MEASURES = ("degree", "strength", "pagerank", "betweenness", "eigenvector")
CHEAP = ("degree", "strength", "pagerank")          # linear in the links: the default
# the measure a ranking column needs
_NEEDS = {"pagerank": "pagerank", "betweenness": "betweenness", "eigenvector": "eigenvector",
          "in_strength": "strength", "out_strength": "strength", "degree": "degree"}

BETWEENNESS = ("unweighted", "strongest_chain")
# the distance of a link for weighted betweenness: -ln of the coefficient summed over the pair's links, capped at 1
_DISTANCE = {"value": ("a", "-ln a"), "a": ("a", "-ln a"), "b": ("b", "-ln b")}

_LINKS = """
MATCH (s:{label})-[r:{rel}]->(t:{label})
WHERE r.year = $year AND coalesce(r.source, '') IN $sources AND ($self_loops OR s <> t)
"""
_RETURN = "RETURN g.graphName AS graph, g.nodeCount AS nodes, g.relationshipCount AS rels\n"
# the weight only: what every measure but strongest-chain betweenness reads
_PROJECT = _LINKS + """WITH s, t, sum(coalesce(r[$weight], 0.0)) AS w
WHERE w >= $min_weight AND w > 0
WITH gds.graph.project($graph, s, t, {{relationshipProperties: {{w: w}}}}) AS g
""" + _RETURN
# and the distance -ln c, for strongest-chain betweenness: a second sum over every link, and a logarithm
_PROJECT_DISTANCES = _LINKS + """
WITH s, t, sum(coalesce(r[$weight], 0.0)) AS w, sum(coalesce(r[$coefficient], 0.0)) AS c
WHERE w >= $min_weight AND w > 0
WITH s, t, w, CASE WHEN c >= 1.0 THEN 0.0 WHEN c > 0 THEN -log(c) ELSE 1.0e9 END AS d
WITH gds.graph.project($graph, s, t, {{relationshipProperties: {{w: w, d: d}}}}) AS g
""" + _RETURN

# When the request reads every link of its layer (the writer's stored listing, ``schema.listings``, holds no
# (dataset, year) but the request's), GDS's own store scan projects them instead: 5-11 s against 22-32 s for
# the Cypher aggregation at 5M links (docs/scaling.md). It sums the links of a pair as the aggregation does;
# the same weight filter follows, then the nodes left without a link go (the aggregation never holds them),
# so the graph is the Cypher form's. Each step makes a graph of its own; the intermediate ones are dropped.
_WHOLE = """
CALL gds.graph.project($graph, $label, {links: {type: $rel, orientation: 'NATURAL', aggregation: 'SUM',
     properties: {w: {property: $weight, defaultValue: 0.0, aggregation: 'SUM'}}}})
YIELD graphName RETURN graphName
"""
_WHOLE_LINKS = """
CALL gds.graph.filter($graph, $from, '*', 'r.w >= $min_weight AND r.w > 0.0', {parameters: {min_weight: $min_weight}})
YIELD graphName RETURN graphName
"""
_WHOLE_DEGREE = """
CALL gds.degree.mutate($from, {orientation: 'UNDIRECTED', mutateProperty: 'gvn_links'}) YIELD nodePropertiesWritten
RETURN nodePropertiesWritten
"""
_WHOLE_NODES = """
CALL gds.graph.filter($graph, $from, 'n.gvn_links > 0.0', '*') YIELD graphName, nodeCount, relationshipCount
CALL gds.graph.nodeProperties.drop($graph, ['gvn_links']) YIELD propertiesRemoved
RETURN nodeCount AS nodes, relationshipCount AS rels
"""

# the top `limit` nodes by the ranking property (plus a second one: degree = out + in), filtered and
# tie-broken by key on the server; only these rows travel, with every measure's value
_SCORES = """
CALL gds.graph.nodeProperty.stream($g, $order) YIELD nodeId, propertyValue
WITH {carry}nodeId, propertyValue + CASE WHEN $order_plus IS NULL THEN 0.0
                                  ELSE gds.util.nodeProperty($g, nodeId, $order_plus) END AS score
"""
_ROWS = """
WITH nodeId, score, n ORDER BY score DESC, n.key LIMIT $limit
RETURN n.key AS key, n.name AS name, n.country AS country, n.industry AS industry,
       [q IN $props | gds.util.nodeProperty($g, nodeId, q)] AS vals
"""
_TOP_FILTERED = _SCORES.format(carry="") + """
WITH nodeId, score, gds.util.asNode(nodeId) AS n
WHERE ($country = '' OR n.country = $country)
  AND ($industry = '' OR toLower(coalesce(n.industry, '')) CONTAINS toLower($industry))
""" + _ROWS
# Without a filter only the nodes that can make the top are looked up (the key breaks ties, so every node
# scoring at least the limit-th score is one; a NaN anywhere keeps them all): at 1M firms a node lookup
# each was most of a warm request (docs/scaling.md).
_TOP = _SCORES.format(carry="") + """
WITH score ORDER BY score DESC LIMIT $limit
WITH collect(score)[-1] AS floor
""" + _SCORES.format(carry="floor, ") + """
WITH floor, nodeId, score WHERE isNaN(floor) OR isNaN(score) OR score >= floor
WITH nodeId, score, gds.util.asNode(nodeId) AS n
""" + _ROWS

def wanted(measures, order_by: str) -> list[str]:
    """The measures a run computes: those asked for, plus the one the ranking needs, in MEASURES order."""
    chosen = set(measures or CHEAP) | {_NEEDS[order_by]}
    return [m for m in MEASURES if m in chosen]


@dataclass(frozen=True)
class _Target:
    """What a request projects and computes, found before anything runs."""
    label: str
    rel: str
    scope: Any                 # queries.provenance scope: the (source, year) pairs read
    measures: list[str]
    coefficient: str           # the link property the distance is -ln of
    distance: str              # "hops", "-ln a" or "-ln b"
    bases: dict[bool, str]     # the cache's base name without / with distances
    state: dict[str, Any] | None

    @property
    def distances(self) -> bool:
        """Whether the projection needs the distance: only strongest-chain betweenness reads it."""
        return self.distance != "hops" and "betweenness" in self.measures


def _target(tx, p: dict[str, Any]) -> _Target | None:
    label = check_label("Sector" if p["layer"] == "sector" else "Firm")
    rel = check_rel_type("SUPPLIES")
    scope = resolve(tx, BASES["sector_flows" if label == "Sector" else "firm_flows"], source=p["source"],
                    year=p["year"], allow_all_sources=label == "Firm")
    if not scope.pairs:
        return None
    coefficient, distance = _DISTANCE[p["weight"]]
    spec = {"layer": p["layer"], "year": scope.year, "weight": p["weight"], "sources": sorted(scope.sources),
            "min_weight": p["min_weight"], "self_loops": p["self_loops"]}
    bases = {d: gds_cache.base_name(p["layer"], scope.year, p["weight"], {**spec, "distances": d})
             for d in (False, True)}
    return _Target(label, rel, scope, wanted(p["measures"], p["order_by"]), coefficient,
                   "hops" if p["betweenness"] == "unweighted" else distance, bases,
                   gds_cache.data_state(tx, scope.sources, label, rel))


def _runs(p: dict[str, Any], t: _Target, nodes: int, rels: int) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(measure, column, GDS algorithm, configuration) of every computation the request makes, in order."""
    iterative = {"maxIterations": p["max_iterations"], "tolerance": p["tolerance"], "relationshipWeightProperty": "w"}
    between = betweenness_config(p["betweenness_sampling"], nodes)
    if t.distance != "hops":
        between["relationshipWeightProperty"] = "d"
    every = [("degree", "out_degree", "degree", {"orientation": "NATURAL"}),
             ("degree", "in_degree", "degree", {"orientation": "REVERSE"}),
             ("strength", "out_strength", "degree", {"orientation": "NATURAL", "relationshipWeightProperty": "w"}),
             ("strength", "in_strength", "degree", {"orientation": "REVERSE", "relationshipWeightProperty": "w"}),
             ("pagerank", "pagerank_raw", "pageRank", {**iterative, "dampingFactor": p["damping"]}),
             ("betweenness", "betweenness", "betweenness", between),
             ("eigenvector", "eigenvector", "eigenvector", iterative)]
    return [(m, column, algo, {**cfg, "concurrency": p["concurrency"] or threads(algo, rels)})
            for m, column, algo, cfg in every if m in t.measures]


def _kept(graph: str, runs, present: set[str]) -> set[str]:
    """The measures whose every computation the projection keeps from an earlier request."""
    missing = {m for m, _, algo, cfg in runs if not gds_cache.kept(gds_cache.result_key(graph, algo, cfg), present)}
    return {m for m, *_ in runs} - missing


def _whole(tx, t: _Target, p: dict[str, Any]) -> bool:
    """Whether the request reads every link of its layer, so GDS's store scan may project it: the writer's
    current listing holds exactly the request's (dataset, year) pairs, and neither the distance nor the
    leaving out of self-loops (which no GDS filter can express) is asked for."""
    if t.distances or not p["self_loops"] or t.scope.basis.kept is None:
        return False
    held = listing.stored(tx, t.scope.basis)
    return held is not None and set(held) == set(t.scope.pairs)


def _project_whole(tx, name: str, t: _Target, p: dict[str, Any]) -> tuple[int, int]:
    """The projection of every link of the layer by GDS's store scan, as ``_PROJECT`` makes it (see ``_WHOLE``)."""
    raw, linked = (f"{gds_cache.TEMP_PREFIX}{uuid.uuid4().hex}" for _ in range(2))
    drop = "CALL gds.graph.drop($g, false) YIELD graphName RETURN graphName"
    for g in (raw, linked):
        tx.on_exit(drop, {"g": g})   # also when a step fails
    tx.run(_WHOLE, {"graph": raw, "label": t.label, "rel": t.rel, "weight": p["weight"]})
    tx.run(_WHOLE_LINKS, {"graph": linked, "from": raw, "min_weight": float(p["min_weight"])})
    tx.run(drop, {"g": raw})
    tx.run(_WHOLE_DEGREE, {"from": linked})
    info = tx.run(_WHOLE_NODES, {"graph": name, "from": linked})
    tx.run(drop, {"g": linked})
    return int(info[0]["nodes"]), int(info[0]["rels"])


def _find(tx, t: _Target, project=None) -> gds_cache.Projection | None:
    """The cached projection that serves the request (one with distances serves one without them too), or
    with ``project`` the one made for it, which replaces one without distances it makes redundant."""
    also = () if t.distances else (t.bases[True],)
    if project is None:
        return gds_cache.find(tx, t.bases[t.distances], t.state, also=also)
    return gds_cache.projection(tx, t.bases[t.distances], t.state, project, also=also,
                                covers=(t.bases[False],) if t.distances else ())


def centrality(tx, p: dict[str, Any]) -> list[dict[str, Any]]:
    t = _target(tx, p)
    if t is None:
        return []
    label, year, measures, distance, scope = t.label, t.scope.year, t.measures, t.distance, t.scope
    money = "table currency" if label == "Sector" else "thousand USD"
    unit = money if p["weight"] == "value" else f"share ({p['weight']})"
    tx.provenance.units.update({"in_strength": unit, "out_strength": unit})

    def project(name: str) -> tuple[int, int]:
        if _whole(tx, t, p):
            tx.provenance.notes.append("every link of the layer is read: projected by GDS's own store scan")
            return _project_whole(tx, name, t, p)
        info = tx.run((_PROJECT_DISTANCES if t.distances else _PROJECT).format(label=label, rel=t.rel),
                      {"year": year, "sources": t.scope.sources, "weight": p["weight"], "coefficient": t.coefficient,
                       "min_weight": p["min_weight"], "self_loops": p["self_loops"], "graph": name})
        return (int(info[0]["nodes"]), int(info[0]["rels"])) if info else (0, 0)

    graph = _find(tx, t, project)
    tx.provenance.notes.append(
        f"GDS projection of {graph.nodes:,} nodes and {graph.rels:,} links: " +
        ("reused from the cache" if graph.reused else "kept for later requests" if graph.cached
         else "temporary (data without a load version cannot be cached)"))
    if not graph.nodes:
        return []
    present = gds_cache.node_properties(tx, graph.name) if graph.cached else set()
    runs = _runs(p, t, graph.nodes, graph.rels)
    why = too_slow(p, measures, graph.nodes, graph.rels, getattr(tx, "timeout_s", 30.0),
                   kept=_kept(graph.name, runs, present))
    if why:
        raise ParameterError(f"centrality: {why}")

    g = graph.name
    tag = uuid.uuid4().hex[:12]
    props: dict[str, str] = {}       # column -> the request's own property in the projection
    written: list[str] = []          # the same names, for the clean-up (filled as they are made)
    if graph.cached:   # a temporary graph goes whole; a cached one keeps only what it was projected with
        tx.on_exit("CALL gds.graph.nodeProperties.drop($g, $props, {failIfMissing: false}) "
                   "YIELD propertiesRemoved RETURN propertiesRemoved", {"g": g, "props": written, "mine": tag})
    converged: dict[str, dict[str, Any]] = {}

    room = [gds_cache.MAX_KEPT - sum(1 for n in present if n.startswith(gds_cache.KEEP_PREFIX))]

    def mutate(algo: str, column: str, cfg: dict[str, Any]) -> dict[str, Any]:
        key = gds_cache.result_key(g, algo, cfg)
        found = gds_cache.kept(key, present) if graph.cached else None
        if found:   # the same algorithm and settings ran on this projection before: only rank
            props[column] = found[0]
            return found[1]
        keep = graph.cached and room[0] > 0
        props[column] = f"{key}{uuid.uuid4().hex[:8]}" if keep else f"gvn_{tag}_{column}"
        if keep:
            room[0] -= 1
        else:
            written.append(props[column])
        extra = ", didConverge, ranIterations" if algo in ("pageRank", "eigenvector") else ""
        out = tx.run(f"CALL gds.{algo}.mutate($g, $cfg) YIELD nodePropertiesWritten{extra} "
                     f"RETURN nodePropertiesWritten{extra}", {"g": g, "cfg": {**cfg, "mutateProperty": props[column]}})[0]
        if keep:
            gds_cache.keep(props[column], out)
        return out

    for m, column, algo, cfg in runs:
        out = mutate(algo, column, cfg)
        if m in ("pagerank", "eigenvector"):
            converged[m] = out
    sources = None
    if "betweenness" in measures:
        sources = graph.nodes if not p["betweenness_sampling"] else min(p["betweenness_sampling"], graph.nodes)
    for m, c in converged.items():
        name = "PageRank" if m == "pagerank" else "Eigenvector centrality"
        tx.provenance.notes.append(
            f"{name} converged to tolerance {p['tolerance']:g} in {c['ranIterations']} iterations" if c["didConverge"]
            else f"{name} did NOT converge: tolerance {p['tolerance']:g} not reached in {c['ranIterations']} "
                 "iterations (max_iterations); its scores are where the iterations stopped")

    pr_sum = 1.0
    if "pagerank" in measures:
        pr_sum = tx.run("CALL gds.graph.nodeProperty.stream($g, $p) YIELD propertyValue "
                        "RETURN sum(propertyValue) AS s", {"g": g, "p": props["pagerank_raw"]})[0]["s"] or 1.0
    order = {"degree": ("out_degree", "in_degree"), "pagerank": ("pagerank_raw", None)}.get(
        p["order_by"], (p["order_by"], None))
    columns = list(props)
    top = tx.run(_TOP_FILTERED if p["country"] or p["industry"] else _TOP,
                 {"g": g, "order": props[order[0]], "order_plus": props.get(order[1]) if order[1] else None,
                  "country": p["country"], "industry": p["industry"], "limit": p["limit"],
                  "props": [props[c] for c in columns]})
    if graph.cached and written:
        tx.run("CALL gds.graph.nodeProperties.drop($g, $props, {failIfMissing: false}) "
               "YIELD propertiesRemoved RETURN propertiesRemoved", {"g": g, "props": written})
        tx.cleanup[:] = [c for c in tx.cleanup if c[1].get("mine") != tag]

    rows = []
    for rank, row in enumerate(top, start=1):
        v = dict(zip(columns, row["vals"]))
        degree = "degree" in measures
        rows.append({"key": row["key"], "name": row["name"], "country": row["country"], "industry": row["industry"],
                     "degree": int(v["in_degree"] + v["out_degree"]) if degree else None,
                     "in_degree": int(v["in_degree"]) if degree else None,
                     "out_degree": int(v["out_degree"]) if degree else None,
                     "in_strength": v.get("in_strength"), "out_strength": v.get("out_strength"),
                     "pagerank": v["pagerank_raw"] / pr_sum if "pagerank_raw" in v else None,
                     "pagerank_raw": v.get("pagerank_raw"),
                     "betweenness": v.get("betweenness"), "betweenness_sources": sources,
                     "betweenness_distance": distance if sources is not None else None,
                     "eigenvector": v.get("eigenvector"),
                     "pagerank_converged": converged["pagerank"]["didConverge"] if "pagerank" in converged else None,
                     "eigenvector_converged": (converged["eigenvector"]["didConverge"]
                                               if "eigenvector" in converged else None),
                     "year": year, "source": ", ".join(scope.sources), "rank": rank})
    return rows


def betweenness_config(sampling: int, nodes: int) -> dict[str, Any]:
    """GDS betweenness settings: exact for 0, else ``samplingSize`` (at most the node count) and the fixed seed."""
    if not sampling:
        return {}
    return {"samplingSize": min(int(sampling), nodes), "samplingSeed": SAMPLING_SEED}


CENTRALITY = QueryModule(
    name="centrality",
    uses_gds_projection=True,
    title="Centrality (GDS)",
    description=("Degree, weighted in/out strength, PageRank (Brin and Page 1998; weighted by the flow, damping d, "
                 "normalized to sum 1), betweenness (Brandes 2001, directed; unweighted = fewest links, or "
                 "strongest_chain = shortest by the distance -ln a (weights value and a) or -ln b (weight b), "
                 "i.e. the chain with the largest product of coefficients) and "
                 "eigenvector centrality of the sector network of one year or of the firm supply network, "
                 "computed by Neo4j Graph Data Science on an in-memory projection kept for later requests until "
                 "a load changes the data. Degree, strength and PageRank by default; betweenness and eigenvector "
                 "only when named in measures (or ranked by). PageRank and eigenvector say whether they "
                 "converged. Betweenness is exact "
                 "unless betweenness_sampling = k > 0: then GDS starts shortest-path searches from only k "
                 "degree-weighted random source nodes (fixed seed, so runs repeat) and the scores are sums over "
                 "those k sources, not rescaled to the exact count (use them for ranking; column "
                 "betweenness_sources says how many sources were used)."),
    params=(
        Param("layer", "choice", "sector", choices=("sector", "firm"), help="which network"),
        YEAR,
        Param("source", "str", "", help="Dataset key of the flows; empty = the one holding the latest year of real "
                                        "(non-synthetic) data; * = every dataset's firm links of the year (firms "
                                        "only)"),
        Param("weight", "choice", "value", choices=("value", "a", "b"),
              help="edge weight of strength, PageRank and eigenvector"),
        Param("betweenness", "choice", "unweighted", choices=BETWEENNESS,
              help="unweighted: shortest = fewest links; strongest_chain: shortest = largest product of "
                   "coefficients (distance -ln a for weights value and a, -ln b for weight b)"),
        Param("min_weight", "float", 0.0, 0.0, None, help="drop edges lighter than this (weight units)"),
        Param("self_loops", "bool", True, help="keep own-industry / own-firm flows"),
        Param("country", "str", "", help="list only nodes of this country (computed on the whole layer)"),
        Param("industry", "str", "", help="list only nodes whose industry contains this text"),
        Param("order_by", "choice", "pagerank", choices=ORDER, help="ranking column"),
        Param("damping", "float", 0.85, 0.0, 0.99, help="PageRank damping factor"),
        Param("max_iterations", "int", 200, 1, 10000,
              help="PageRank/eigenvector iterations at most (PageRank to 1e-7 took 96-113 at damping 0.85)"),
        Param("tolerance", "float", 1e-7, 1e-15, 1.0, help="PageRank/eigenvector convergence tolerance"),
        Param("betweenness_sampling", "int", 0, 0, 100_000_000,
              help="betweenness source nodes: 0 = exact (every node; about an hour on 100k firms); k > 0 = GDS "
                   "sampling of k degree-weighted sources with a fixed seed, scores not rescaled (for ranking); "
                   "k >= node count is exact"),
        Param("concurrency", "int", 0, 0, 64,
              help="GDS threads (Community GDS uses at most 4); 0 = chosen per measure and graph (threads()): 2, "
                   "but 1 for eigenvector below 2M links, where 2 threads ran it 2.6x slower at 1M links"),
        Param("limit", "int", 100, 1, 1000000, help="rows returned: the top ones in the chosen order"),
        Param("measures", "multi", None, choices=MEASURES, label="Measures",
              help="what to compute; empty = degree, strength, pagerank (linear in the links: seconds at 1M); "
                   "betweenness (O(n m) exact; see betweenness_sampling) and eigenvector only when named here "
                   "or ranked by (order_by)"),
    ),
    columns=(
        Column("key", "key", "Sector or Firm key"), Column("name", "name", "node name"),
        Column("country", "code", "country"), Column("industry", "name/key", "industry"),
        Column("degree", "count", "distinct partners in + out (a self-loop counts in both)"),
        Column("in_degree", "count", "suppliers"), Column("out_degree", "count", "buyers"),
        Column("in_strength", "weight units", "sum of incoming edge weights (money for weight value: the table's "
                                              "currency for sectors, thousand USD for firms)"),
        Column("out_strength", "weight units", "sum of outgoing edge weights"),
        Column("pagerank", "share 0..1", "weighted PageRank normalized to sum 1"),
        Column("pagerank_raw", "score", "GDS PageRank score ((1-d) + d sum ...)"),
        Column("betweenness", "count of shortest paths",
               "Brandes betweenness, directed, over the shortest paths by betweenness_distance; when "
               "betweenness_sources < the node count, GDS sampled that many sources and the score sums over them "
               "only (not rescaled)"),
        Column("betweenness_distance", "hops|-ln a|-ln b", "what 'shortest' meant: fewest links, or the distance "
                                                           "-ln of the coefficient (strongest chain)"),
        Column("betweenness_sources", "count",
               "source nodes the betweenness summed over: the node count when exact, betweenness_sampling when "
               "sampled"),
        Column("eigenvector", "score (L2 = 1)", "weighted eigenvector centrality"),
        Column("pagerank_converged", "true/false", "GDS didConverge: PageRank reached the tolerance within "
                                                   "max_iterations (empty when not computed)"),
        Column("eigenvector_converged", "true/false", "GDS didConverge of eigenvector centrality (it does not "
                                                      "converge on WIOD tables: the scores are then unsettled)"),
        Column("year", "year", "year of the flows"), Column("source", "Dataset key", "dataset of the flows"),
        Column("rank", "rank", "1 = first in the chosen order"),
    ),
    steps=centrality,
    layer="any",
)

MODULES = (CENTRALITY,)


def preview(layer: str, year: int | None = None, *, params: dict[str, Any] | None = None,
            settings=None) -> dict[str, Any]:
    """The size of the graph a request would project, for an estimate BEFORE running it. With the request's
    ``params`` and a cached projection that serves them: its own counts (``projected`` True) and the
    measures it keeps for these settings (``kept``). Else the size of the largest cached projection of the
    layer and year (``projected`` only without ``params``), or the count store's totals of the layer's
    nodes and SUPPLIES links over every year, an upper bound read in O(1); ``distances``: the projection to
    be made needs the distances of strongest-chain betweenness; ``whole``: it reads every link of the layer
    (GDS's store scan projects it)."""
    from connection import analytics
    from queries.runner import ReadTx

    label, rel = check_label("Sector" if layer == "sector" else "Firm"), check_rel_type("SUPPLIES")
    prefix = f"{gds_cache.PREFIX}{layer}_" + (f"{int(year)}_" if year is not None else "")
    p = None if params is None else CENTRALITY.coerce_params({**params, "layer": layer, "year": year})

    def work(tx) -> dict[str, Any]:
        distances = whole = False
        if p is not None:   # year None: the one the module would choose
            rt = ReadTx(tx, row_cap=1000)
            t = _target(rt, p)
            graph = None if t is None else _find(rt, t)
            if graph is not None:
                runs = _runs(p, t, graph.nodes, graph.rels)
                return {"nodes": graph.nodes, "rels": graph.rels, "projected": True, "distances": False,
                        "whole": False,
                        "kept": sorted(_kept(graph.name, runs, gds_cache.node_properties(rt, graph.name)))}
            distances = t is not None and t.distances
            whole = t is not None and _whole(rt, t, p)
        hit = tx.run("CALL gds.graph.list() YIELD graphName, nodeCount, relationshipCount "
                     "WHERE graphName STARTS WITH $prefix RETURN nodeCount AS nodes, relationshipCount AS rels "
                     "ORDER BY rels DESC LIMIT 1", {"prefix": prefix}).single()
        if hit is not None and year is not None:   # another projection of the year: its size, if not itself
            return {"nodes": int(hit["nodes"]), "rels": int(hit["rels"]), "projected": p is None,
                    "distances": distances, "whole": whole, "kept": []}
        nodes = tx.run(f"MATCH (n:{label}) RETURN count(n) AS c").single()["c"]
        rels = tx.run(f"MATCH (:{label})-[r:{rel}]->() RETURN count(r) AS c").single()["c"]
        return {"nodes": int(nodes), "rels": int(rels), "projected": False, "distances": distances, "whole": whole,
                "kept": []}

    return analytics(work, settings=settings)

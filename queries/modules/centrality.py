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
graph, k, seed and ``concurrency`` the sources (and so the scores) repeat; k >= the node
count uses every node and equals the exact result. The ``betweenness_sources`` column says
how many sources were used (the node count when exact).

How GDS runs safely: the module is trusted library code, run by the runner in a READ
transaction. ``gds.graph.project`` (the Cypher aggregation form) and the ``.stream``
algorithms declare procedure mode READ: they read the store and write nothing to it,
only to GDS's in-memory catalog. The projection gets a unique name (``gvn_tmp_<uuid>``)
and is dropped at the end of the transaction, and again in a fresh READ transaction if
the run failed or timed out. User Cypher may not call catalog-changing GDS procedures
(see ``queries.guard``).
"""
from __future__ import annotations

import uuid
from typing import Any

from queries.model import Column, Param, QueryModule
from queries.modules.common import YEAR
from queries.provenance import BASES, resolve
from schema.model import check_label, check_rel_type

# GDS picks the betweenness sample sources with this seed, so a sampled run repeats.
SAMPLING_SEED = 42

ORDER = ("pagerank", "betweenness", "eigenvector", "in_strength", "out_strength", "degree")

BETWEENNESS = ("unweighted", "strongest_chain")
# the distance of a link for weighted betweenness: -ln of the coefficient summed over the pair's links, capped at 1
_DISTANCE = {"value": ("a", "-ln a"), "a": ("a", "-ln a"), "b": ("b", "-ln b")}

_PROJECT = """
MATCH (s:{label})-[r:{rel}]->(t:{label})
WHERE r.year = $year AND coalesce(r.source, '') IN $sources AND ($self_loops OR s <> t)
WITH s, t, sum(coalesce(r[$weight], 0.0)) AS w, sum(coalesce(r[$coefficient], 0.0)) AS c
WHERE w >= $min_weight AND w > 0
WITH s, t, w, CASE WHEN c >= 1.0 THEN 0.0 WHEN c > 0 THEN -log(c) ELSE 1.0e9 END AS d
WITH gds.graph.project($graph, s, t, {{relationshipProperties: {{w: w, d: d}}}}) AS g
RETURN g.graphName AS graph, g.nodeCount AS nodes, g.relationshipCount AS rels
"""


def centrality(tx, p: dict[str, Any]) -> list[dict[str, Any]]:
    label = check_label("Sector" if p["layer"] == "sector" else "Firm")
    rel = check_rel_type("SUPPLIES")
    scope = resolve(tx, BASES["sector_flows" if label == "Sector" else "firm_flows"], source=p["source"],
                    year=p["year"], allow_all_sources=label == "Firm")
    if not scope.pairs:
        return []
    year = scope.year
    coefficient, distance = _DISTANCE[p["weight"]]
    if p["betweenness"] == "unweighted":
        distance = "hops"
    money = "table currency" if label == "Sector" else "thousand USD"
    unit = money if p["weight"] == "value" else f"share ({p['weight']})"
    tx.provenance.units.update({"in_strength": unit, "out_strength": unit})
    graph = f"gvn_tmp_{uuid.uuid4().hex}"
    tx.on_exit("CALL gds.graph.drop($g, false) YIELD graphName RETURN graphName", {"g": graph})
    info = tx.run(_PROJECT.format(label=label, rel=rel),
                  {"year": year, "sources": scope.sources, "weight": p["weight"], "coefficient": coefficient,
                   "min_weight": p["min_weight"], "self_loops": p["self_loops"], "graph": graph})
    if not info or not info[0]["nodes"]:
        return []
    scores: dict[int, dict[str, float]] = {}

    def collect(cypher: str, column: str, cfg: dict[str, Any]) -> None:
        cfg = {**cfg, "concurrency": p["concurrency"]}
        for r in tx.run(cypher, {"g": graph, "cfg": cfg}):
            scores.setdefault(r["nodeId"], {})[column] = r["score"]

    collect("CALL gds.degree.stream($g, $cfg) YIELD nodeId, score RETURN nodeId, score", "out_degree",
            {"orientation": "NATURAL"})
    collect("CALL gds.degree.stream($g, $cfg) YIELD nodeId, score RETURN nodeId, score", "in_degree",
            {"orientation": "REVERSE"})
    collect("CALL gds.degree.stream($g, $cfg) YIELD nodeId, score RETURN nodeId, score", "out_strength",
            {"orientation": "NATURAL", "relationshipWeightProperty": "w"})
    collect("CALL gds.degree.stream($g, $cfg) YIELD nodeId, score RETURN nodeId, score", "in_strength",
            {"orientation": "REVERSE", "relationshipWeightProperty": "w"})
    collect("CALL gds.pageRank.stream($g, $cfg) YIELD nodeId, score RETURN nodeId, score", "pagerank_raw",
            {"relationshipWeightProperty": "w", "dampingFactor": p["damping"],
             "maxIterations": p["max_iterations"], "tolerance": p["tolerance"]})
    nodes = int(info[0]["nodes"])
    sources = nodes if not p["betweenness_sampling"] else min(p["betweenness_sampling"], nodes)
    between = betweenness_config(p["betweenness_sampling"], nodes)
    if distance != "hops":
        between["relationshipWeightProperty"] = "d"
    collect("CALL gds.betweenness.stream($g, $cfg) YIELD nodeId, score RETURN nodeId, score", "betweenness",
            between)
    collect("CALL gds.eigenvector.stream($g, $cfg) YIELD nodeId, score RETURN nodeId, score", "eigenvector",
            {"relationshipWeightProperty": "w", "maxIterations": p["max_iterations"],
             "tolerance": p["tolerance"]})
    tx.run("CALL gds.graph.drop($g, false) YIELD graphName RETURN graphName", {"g": graph})
    tx.cleanup[:] = [c for c in tx.cleanup if c[1].get("g") != graph]

    ids = list(scores)
    names = {r["id"]: r for r in tx.run(
        "UNWIND $ids AS id WITH id, gds.util.asNode(id) AS n "
        "RETURN id, n.key AS key, n.name AS name, n.country AS country, n.industry AS industry", {"ids": ids})}
    pr_sum = sum(s.get("pagerank_raw", 0.0) for s in scores.values()) or 1.0
    rows = []
    for i, s in scores.items():
        n = names[i]
        if p["country"] and n["country"] != p["country"]:
            continue
        if p["industry"] and p["industry"].lower() not in (n["industry"] or "").lower():
            continue
        rows.append({"key": n["key"], "name": n["name"], "country": n["country"], "industry": n["industry"],
                     "degree": int(s.get("in_degree", 0) + s.get("out_degree", 0)),
                     "in_degree": int(s.get("in_degree", 0)), "out_degree": int(s.get("out_degree", 0)),
                     "in_strength": s.get("in_strength", 0.0), "out_strength": s.get("out_strength", 0.0),
                     "pagerank": s.get("pagerank_raw", 0.0) / pr_sum, "pagerank_raw": s.get("pagerank_raw", 0.0),
                     "betweenness": s.get("betweenness", 0.0), "betweenness_sources": sources,
                     "betweenness_distance": distance, "eigenvector": s.get("eigenvector", 0.0),
                     "year": year, "source": ", ".join(scope.sources)})
    rows.sort(key=lambda r: (-r[p["order_by"]], r["key"]))
    rows = rows[: p["limit"]]
    for rank, r in enumerate(rows, start=1):
        r["rank"] = rank
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
                 "computed by Neo4j Graph Data Science on a temporary in-memory projection. Betweenness is exact "
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
        Param("max_iterations", "int", 100, 1, 10000, help="PageRank/eigenvector iterations"),
        Param("tolerance", "float", 1e-7, 1e-15, 1.0, help="PageRank/eigenvector convergence tolerance"),
        Param("betweenness_sampling", "int", 0, 0, 100_000_000,
              help="betweenness source nodes: 0 = exact (every node; about an hour on 100k firms); k > 0 = GDS "
                   "sampling of k degree-weighted sources with a fixed seed, scores not rescaled (for ranking); "
                   "k >= node count is exact"),
        Param("concurrency", "int", 1, 1, 64,
              help="GDS threads; 1 is fastest on small graphs and small machines (thread hand-offs dominate)"),
        Param("limit", "int", 100, 1, 1000000, help="rows returned"),
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
        Column("year", "year", "year of the flows"), Column("source", "Dataset key", "dataset of the flows"),
        Column("rank", "rank", "1 = first in the chosen order"),
    ),
    steps=centrality,
    layer="any",
)

MODULES = (CENTRALITY,)

"""Communities of a network through Neo4j Graph Data Science: Louvain or Leiden on a temporary projection.

What is grouped: either the nodes given (``nodes``: ids ``Label:key``, e.g. the nodes of a network
drawing) with the relationships of the chosen ``types`` among them (of every dataset unless
``source`` names one; the provenance lists the datasets and years met), or a whole layer (the
Sector or Firm ``SUPPLIES`` network of one dataset and year: by default the latest year of real
data, as ``queries.provenance`` chooses for ``centrality``). The graph is treated as undirected: the
relationships between two nodes, both ways, add up into one weight (``weight`` = ``value``: the
flow value, FDI amount or ownership share, whichever the relationship has, so mixing types mixes
units; ``count``: one per relationship). Self-loops are left out.

Algorithms: Louvain (Blondel et al. 2008, GDS ``gds.louvain``) and Leiden (Traag, Waltman and van
Eck 2019, GDS ``gds.leiden``, which also guarantees connected communities), both maximising
modularity Q = sum over communities c of [W_c / W - (S_c / 2W)^2], W the total edge weight, W_c
the weight inside c and S_c the summed weighted degree of c's nodes (Newman 2006). With
``concurrency`` 1 (and Leiden's fixed seed) the same graph gives the same partition.

GDS's partition is then polished here, on the projected edges (up to ``REFINE_MAX_EDGES``), in
rounds until nothing changes: single nodes move to the neighbouring community that raises Q most
(Louvain's local-moving phase, run on the finished partition; GDS stops at its last aggregation
level, where a single node may still gain by moving) and linked communities whose union raises Q
merge (best pair first); at the end a community that fell apart is split into its connected
pieces (which never lowers Q and keeps Leiden's connected communities). Every step only raises Q.
On a 90-node planted-partition test graph GDS alone gave Q 0.442-0.463 (Louvain) and 0.433-0.449
(Leiden), depending on the order the nodes were stored in; polished, 0.461-0.463, where
networkx's ``louvain_communities`` gives 0.438-0.450 over five seeds. The module reports Q of the
final partition (Newman's formula over the projected edges) and whether it was polished.

How it runs safely: like ``centrality``, trusted library code in the runner's READ transaction;
``gds.graph.project`` and the ``.stream`` procedures declare mode READ and change only GDS's
in-memory catalog; the projection gets a unique name and is dropped at the end, and again in a
fresh READ transaction if the run failed or timed out.
"""
from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from queries.errors import ParameterError
from queries.model import Column, Param, QueryModule
from queries.modules.common import SOURCE
from queries.provenance import BASES, resolve
from schema.model import REL_TYPES, USER_FACING_LABELS, check_label, check_rel_type

# relationship types communities may follow (bookkeeping ones left out)
TYPES = tuple(t for t in REL_TYPES if t not in ("HAS_YEAR", "HAS_VERSION"))
LEIDEN_SEED = 42
_WEIGHT = "coalesce(r.value, r.amount, r.share)"

# nodes given: look each up by its label and key, then the relationships among them
_PROJECT_NODES = """
UNWIND $ids AS id
MATCH (s)-[r]->(t)
WHERE elementId(s) = id AND elementId(t) IN $ids AND s <> t AND type(r) IN $types
  AND ($year IS NULL OR r.year IS NULL OR r.year = $year)
  AND ($source = '' OR r.source = $source)
  AND NOT coalesce(r.year IN $skip[r.source], r.source IN $loading_all, false)
WITH s, t, CASE $weight WHEN 'count' THEN 1.0 ELSE toFloat({weight}) END AS w
WHERE w IS NOT NULL
WITH CASE WHEN elementId(s) < elementId(t) THEN [s, t] ELSE [t, s] END AS pair, sum(w) AS w
WHERE w > $min_weight
WITH gds.graph.project($graph, pair[0], pair[1], {{relationshipProperties: {{w: w}}}},
                       {{undirectedRelationshipTypes: ['*']}}) AS g
RETURN g.nodeCount AS nodes, g.relationshipCount AS rels
"""

_READ_NODES = """
UNWIND $ids AS id
MATCH (s)-[r]->(t)
WHERE elementId(s) = id AND elementId(t) IN $ids AND s <> t AND type(r) IN $types
  AND ($year IS NULL OR r.year IS NULL OR r.year = $year)
  AND ($source = '' OR r.source = $source)
  AND NOT coalesce(r.year IN $skip[r.source], r.source IN $loading_all, false)
RETURN DISTINCT r.source AS source, r.year AS year
"""
_PROJECT_LAYER = """
MATCH (s:{label})-[r:{rel}]->(t:{label})
WHERE r.year = $year AND r.source IN $sources AND s <> t
WITH s, t, CASE $weight WHEN 'count' THEN 1.0 ELSE toFloat({weight}) END AS w
WHERE w IS NOT NULL
WITH CASE WHEN elementId(s) < elementId(t) THEN [s, t] ELSE [t, s] END AS pair, sum(w) AS w
WHERE w > $min_weight
WITH gds.graph.project($graph, pair[0], pair[1], {{relationshipProperties: {{w: w}}}},
                       {{undirectedRelationshipTypes: ['*']}}) AS g
RETURN g.nodeCount AS nodes, g.relationshipCount AS rels
"""


def _element_ids(tx, ids: list[str]) -> list[str]:
    by_label: dict[str, list[str]] = defaultdict(list)
    for nid in ids:
        label, sep, key = nid.partition(":")
        if not sep or label not in USER_FACING_LABELS:
            raise ParameterError(f"parameter 'nodes': {nid!r} is not a node id; allowed: Label:key with Label one "
                                 f"of {', '.join(USER_FACING_LABELS)}")
        by_label[label].append(key)
    out: list[str] = []
    for label, keys in sorted(by_label.items()):
        rows = tx.run(f"UNWIND $keys AS k MATCH (n:{check_label(label)} {{key: k}}) RETURN elementId(n) AS id",
                      {"keys": keys})
        out += [r["id"] for r in rows]
    return out


def modularity(edges: list[tuple[int, int, float]], community: dict[int, int]) -> float:
    """Newman's Q of a partition; ``edges`` lists every undirected edge in both directions (as GDS streams them)."""
    two_w = sum(w for _, _, w in edges)
    if two_w <= 0:
        return 0.0
    inside: dict[int, float] = defaultdict(float)
    degree: dict[int, float] = defaultdict(float)
    for a, b, w in edges:
        degree[community[a]] += w
        if community[a] == community[b]:
            inside[community[a]] += w
    return sum(inside[c] / two_w - (degree[c] / two_w) ** 2 for c in degree)


# past this many streamed edge entries (each undirected pair twice) the pure-Python polish is skipped
REFINE_MAX_EDGES = 400_000


def _move_nodes(adj, k, two_w, comm, nodes, max_passes) -> bool:
    """Louvain's local moving: each node to the neighbouring community that raises Q most; True if any moved."""
    tot: dict[int, float] = defaultdict(float)
    for n, c in comm.items():
        tot[c] += k[n]
    any_moved = False
    for _ in range(max_passes):
        moved = 0
        for n in nodes:
            here = comm[n]
            links: dict[int, float] = defaultdict(float)
            for m, w in adj[n].items():
                if m != n:
                    links[comm[m]] += w
            tot[here] -= k[n]
            # gain of joining c (up to a common factor): links to c - tot(c) k_n / 2W
            best, gain = here, links.get(here, 0.0) - tot[here] * k[n] / two_w
            for c, w_in in sorted(links.items()):
                g = w_in - tot[c] * k[n] / two_w
                if g > gain + 1e-12:
                    best, gain = c, g
            tot[best] += k[n]
            if best != here:
                comm[n] = best
                moved += 1
        if not moved:
            break
        any_moved = True
    return any_moved


def _merge_communities(adj, k, two_w, comm) -> bool:
    """Merge the pair of linked communities whose union raises Q most, while one does; True if any merged."""
    merged_any = False
    while True:
        tot: dict[int, float] = defaultdict(float)
        between: dict[tuple[int, int], float] = defaultdict(float)
        for n, c in comm.items():
            tot[c] += k[n]
        for a, nbrs in adj.items():
            for b, w in nbrs.items():
                ca, cb = comm[a], comm[b]
                if ca < cb:
                    between[(ca, cb)] += w
        # dQ of merging a and b = 2 (w_ab / 2W - tot_a tot_b / (2W)^2), w_ab counted once per direction
        best, gain = None, 1e-12
        for (ca, cb), w in sorted(between.items()):
            g = w / two_w - tot[ca] * tot[cb] / two_w ** 2
            if g > gain:
                best, gain = (ca, cb), g
        if best is None:
            return merged_any
        for n, c in comm.items():
            if c == best[1]:
                comm[n] = best[0]
        merged_any = True


def refine(edges: list[tuple[int, int, float]], community: dict[int, int], max_rounds: int = 20) -> dict[int, int]:
    """Polish a partition: move single nodes and merge communities while Q rises, then split
    communities that fall apart into their connected pieces (see the module docstring)."""
    adj: dict[int, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    k: dict[int, float] = defaultdict(float)
    for a, b, w in edges:
        adj[a][b] += w
        k[a] += w
    two_w = sum(k.values())
    comm = dict(community)
    if two_w <= 0:
        return comm
    nodes = sorted(comm)
    for _ in range(max_rounds):
        moved = _move_nodes(adj, k, two_w, comm, nodes, 50)
        if not _merge_communities(adj, k, two_w, comm) and not moved:
            break
    # connected pieces of each community (a search inside it)
    out: dict[int, int] = {}
    label = max(comm.values(), default=0) + 1
    for start in nodes:
        if start in out:
            continue
        out[start] = label
        queue = [start]
        while queue:
            u = queue.pop()
            for v in adj[u]:
                if v not in out and comm[v] == comm[start]:
                    out[v] = label
                    queue.append(v)
        label += 1
    return out


def communities(tx, p: dict[str, Any]) -> list[dict[str, Any]]:
    graph = f"gvn_tmp_{uuid.uuid4().hex}"
    tx.on_exit("CALL gds.graph.drop($g, false) YIELD graphName RETURN graphName", {"g": graph})
    weight = _WEIGHT
    if p["nodes"]:
        types = [check_rel_type(t) for t in (p["types"] or ["SUPPLIES"])]
        ids = _element_ids(tx, p["nodes"])
        prov = tx.provenance
        source = "" if p["source"] in ("", "*") else p["source"]   # given nodes: every dataset unless named
        # the datasets and years of the relationships grouped, for the result's provenance
        for r in tx.run(_READ_NODES, {"ids": ids, "types": types, "year": p["year"], "source": source,
                                      **prov.skip_params()}):
            prov.saw(r["source"], r["year"])
        info = tx.run(_PROJECT_NODES.format(weight=weight),
                      {"ids": ids, "types": types, "year": p["year"], "weight": p["weight"], "source": source,
                       "min_weight": p["min_weight"], "graph": graph, **prov.skip_params()})
    else:
        label = check_label("Sector" if p["layer"] == "sector" else "Firm")
        rel = check_rel_type("SUPPLIES")
        # one dataset and year, the latest of real data unless named (as centrality reads the same layer)
        scope = resolve(tx, BASES["sector_flows" if label == "Sector" else "firm_flows"], source=p["source"],
                        year=p["year"], allow_all_sources=label == "Firm")
        if not scope.pairs:
            return []
        info = tx.run(_PROJECT_LAYER.format(label=label, rel=rel, weight=weight),
                      {"year": scope.year, "sources": scope.sources, "weight": p["weight"],
                       "min_weight": p["min_weight"], "graph": graph})
    if not info or not info[0]["nodes"]:
        return []
    algo = p["algorithm"]
    cfg: dict[str, Any] = {"relationshipWeightProperty": "w", "concurrency": p["concurrency"],
                           "maxLevels": p["max_levels"]}
    if algo == "leiden":
        cfg["randomSeed"] = LEIDEN_SEED
    found = {r["nodeId"]: r["communityId"] for r in tx.run(
        f"CALL gds.{algo}.stream($g, $cfg) YIELD nodeId, communityId RETURN nodeId, communityId",
        {"g": graph, "cfg": cfg})}
    edges = [(r["a"], r["b"], r["w"]) for r in tx.run(
        "CALL gds.graph.relationshipProperty.stream($g, 'w') YIELD sourceNodeId AS a, targetNodeId AS b, "
        "propertyValue AS w RETURN a, b, w", {"g": graph})]
    tx.run("CALL gds.graph.drop($g, false) YIELD graphName RETURN graphName", {"g": graph})
    tx.cleanup[:] = [c for c in tx.cleanup if c[1].get("g") != graph]

    polished = len(edges) <= REFINE_MAX_EDGES
    if polished:
        found = refine(edges, found)
    q = modularity(edges, found)
    nodes = {r["id"]: r for r in tx.run(
        "UNWIND $ids AS id WITH id, gds.util.asNode(id) AS n "
        "RETURN id, [l IN labels(n) WHERE l IN $labels][0] AS label, n.key AS key, n.name AS name, "
        "n.country AS country", {"ids": list(found), "labels": list(USER_FACING_LABELS)})}
    members: dict[int, list[int]] = defaultdict(list)
    for nid, c in found.items():
        members[c].append(nid)
    # communities numbered 1, 2, ... from the largest (ties: the one whose first key sorts first)
    order = sorted(members, key=lambda c: (-len(members[c]), min(str(nodes[n]["key"]) for n in members[c])))
    number = {c: i for i, c in enumerate(order, start=1)}
    rows = []
    for nid, c in found.items():
        n = nodes[nid]
        rows.append({"id": f"{n['label']}:{n['key']}", "label": n["label"], "key": n["key"], "name": n["name"],
                     "country": n["country"], "community": number[c], "community_size": len(members[c]),
                     "communities": len(members), "modularity": q, "algorithm": algo, "polished": polished,
                     "nodes": len(found), "relationships": len(edges) // 2})
    rows.sort(key=lambda r: (r["community"], str(r["key"])))
    return rows


COMMUNITIES = QueryModule(
    name="communities",
    uses_gds_projection=True,
    title="Communities (GDS Louvain / Leiden)",
    description=("Groups of nodes more tightly linked among themselves than with the rest, found by Louvain "
                 "(Blondel et al. 2008) or Leiden (Traag et al. 2019) modularity maximisation in Neo4j Graph Data "
                 "Science on a temporary undirected projection: either the nodes given (e.g. a network drawing's, "
                 "with the relationships of the chosen types among them) or the sector or firm supply network of "
                 "one year. Weights add up both directions of a pair. GDS's partition is polished by moving single "
                 "nodes while modularity rises and splitting communities that fall apart. Communities are numbered "
                 "from the largest; modularity Q (Newman 2006) of the final partition is reported."),
    params=(
        Param("nodes", "multi", None, help="node ids Label:key to group (e.g. a drawing's nodes); empty = the whole "
                                           "layer", label="Nodes"),
        Param("layer", "choice", "sector", choices=("sector", "firm"), help="which supply network when no nodes "
                                                                             "are given"),
        Param("types", "multi", None, choices=TYPES, help="relationship types among the given nodes; empty = "
                                                          "SUPPLIES", label="Relationship types"),
        Param("year", "int", None, 1900, 2100, help="year of the relationships; empty = any year for given nodes, "
                                                    "the latest for a layer"),
        SOURCE,
        Param("weight", "choice", "value", choices=("value", "count"),
              help="edge weight: value (flow value, FDI amount or ownership share) or count of relationships"),
        Param("min_weight", "float", 0.0, 0.0, None, help="leave out pairs whose summed weight is not above this"),
        Param("algorithm", "choice", "louvain", choices=("louvain", "leiden"), help="community detection method"),
        Param("max_levels", "int", 10, 1, 100, help="levels of aggregation at most"),
        Param("concurrency", "int", 1, 1, 64, help="GDS threads; 1 gives the same partition on every run"),
    ),
    columns=(
        Column("id", "Label:key", "node id as the explorer writes it"), Column("label", "label", "node label"),
        Column("key", "key", "node key"), Column("name", "name", "node name"), Column("country", "code", "country"),
        Column("community", "number", "community, 1 = the largest"),
        Column("community_size", "count", "nodes in this node's community"),
        Column("communities", "count", "communities found"),
        Column("modularity", "Q, -0.5..1", "Newman modularity of the whole partition"),
        Column("algorithm", "name", "louvain or leiden"),
        Column("polished", "true/false", "whether single-node moves and merges refined GDS's partition "
                                         f"(done up to {REFINE_MAX_EDGES // 2:,} pairs)"),
        Column("nodes", "count", "nodes projected"),
        Column("relationships", "count", "undirected weighted pairs projected"),
    ),
    steps=communities,
    layer="any",
)

MODULES = (COMMUNITIES,)

"""Section 2: PageRank and betweenness in GDS vs networkx vs igraph on the same weighted edge list.

Same definition everywhere: directed, weight = flow value, damping 0.85, every library
iterating to convergence far below 1e-6 (GDS tolerance 1e-10 on raw scores with up to 200
iterations; networkx tol such that the L1 change is below 1e-10; igraph PRPACK solves
exactly). GDS scores are normalized to sum 1 (as the `centrality` module reports them).
Betweenness: directed, unweighted (Brandes); exact where feasible, otherwise from k
sources; networkx and igraph then use the SAME k sources (so they must agree exactly),
while GDS picks its own k random sources (samplingSize), so only its time is comparable.
"""
from __future__ import annotations

import time
import uuid

import numpy as np

from connection import Settings, get_driver
from queries.modules.centrality import _PROJECT, _PROJECT_DISTANCES

DAMPING = 0.85
MAX_ITER = 200
GDS_TOLERANCE = 1e-10
L1_TOLERANCE = 1e-10


def _run(cypher: str, **params):
    s = Settings.from_env()
    return get_driver(s).execute_query(cypher, params, database_=s.database).records


def sources_of(label: str, year: int) -> list[str]:
    """Every dataset holding SUPPLIES links of the layer in ``year`` ('' for links without one)."""
    return [r["s"] for r in _run(f"MATCH (:{label})-[r:SUPPLIES]->() WHERE r.year = $year "
                                 "RETURN DISTINCT coalesce(r.source, '') AS s", year=year)]


def gds_project(label: str, year: int) -> tuple[str, float, int, int]:
    name = f"bench_{uuid.uuid4().hex[:8]}"
    t0 = time.perf_counter()
    sources = sources_of(label, year)
    r = _run(_PROJECT.format(label=label, rel="SUPPLIES"), year=year, sources=sources, weight="value",
             coefficient="a", min_weight=0.0, self_loops=True, graph=name)[0]
    return name, time.perf_counter() - t0, r["nodes"], r["rels"]


def gds_drop(name: str) -> None:
    _run("CALL gds.graph.drop($g, false) YIELD graphName RETURN graphName", g=name)


PR_CONFIG = {"relationshipWeightProperty": "w", "dampingFactor": DAMPING, "maxIterations": MAX_ITER,
             "tolerance": GDS_TOLERANCE}


# the target is agreement to 1e-6: the loosest tolerance of these that reaches it is timed
ACCURACY = 1e-6
TOLERANCES = (1e-6, 1e-7, 1e-8, 1e-9, 1e-10)


def pr_config(tolerance: float) -> dict:
    return {**PR_CONFIG, "tolerance": tolerance}


def gds_pagerank_stats(name: str, cfg: dict = PR_CONFIG) -> dict:
    r = _run("CALL gds.pageRank.stats($g, $cfg) YIELD ranIterations, didConverge, computeMillis "
             "RETURN ranIterations, didConverge, computeMillis", g=name, cfg=cfg)[0]
    return dict(r)


def gds_pagerank_scores(name: str, cfg: dict = PR_CONFIG) -> dict[str, float]:
    rows = _run("CALL gds.pageRank.stream($g, $cfg) YIELD nodeId, score "
                "RETURN gds.util.asNode(nodeId).key AS key, score", g=name, cfg=cfg)
    total = sum(r["score"] for r in rows)
    return {r["key"]: r["score"] / total for r in rows}


def gds_betweenness(name: str, sampling: int | None) -> dict:
    cfg = {} if sampling is None else {"samplingSize": sampling, "samplingSeed": 42}
    r = _run("CALL gds.betweenness.stats($g, $cfg) YIELD computeMillis RETURN computeMillis", g=name, cfg=cfg)[0]
    return dict(r)


def gds_betweenness_scores(name: str) -> dict[str, float]:
    rows = _run("CALL gds.betweenness.stream($g, {}) YIELD nodeId, score "
                "RETURN gds.util.asNode(nodeId).key AS key, score", g=name)
    return {r["key"]: r["score"] for r in rows}


# --- networkx and igraph on (src, dst, weight) arrays of node indices -----------------------------

def nx_graph(src: np.ndarray, dst: np.ndarray, w: np.ndarray):
    import networkx as nx

    g = nx.DiGraph()
    g.add_weighted_edges_from(zip(src.tolist(), dst.tolist(), w.tolist()))
    return g


def nx_pagerank(g, l1_tolerance: float = L1_TOLERANCE) -> dict[int, float]:
    """networkx stops when the L1 change of the scores is below n * tol: tol = l1_tolerance / n."""
    import networkx as nx

    return nx.pagerank(g, alpha=DAMPING, weight="weight", max_iter=MAX_ITER, tol=l1_tolerance / g.number_of_nodes())


def loosest_accurate(run, reference: dict, tolerances=TOLERANCES) -> tuple[float, dict]:
    """The first (loosest) tolerance whose scores are within ACCURACY (max abs) of the reference."""
    for tol in tolerances:
        a = agreement(run(tol), reference)
        if a["max_abs"] <= ACCURACY:
            return tol, a
    return tolerances[-1], a


def reference_pagerank(src: np.ndarray, dst: np.ndarray, w: np.ndarray) -> dict[int, float]:
    """PageRank by plain numpy power iteration to an L1 change below 1e-15: the yardstick for every library.

    Same definition as networkx/igraph: out-weights normalized per node, dangling mass and the
    teleport share spread uniformly, scores sum to 1. Written here from the formula, with no graph library.
    """
    nodes = np.unique(np.concatenate([src, dst]))
    s, d = np.searchsorted(nodes, src), np.searchsorted(nodes, dst)
    n = len(nodes)
    out_w = np.bincount(s, weights=w, minlength=n)
    share = w / out_w[s]
    dangling = out_w == 0
    x = np.full(n, 1.0 / n)
    for _ in range(10_000):
        nxt = np.bincount(d, weights=x[s] * share, minlength=n) * DAMPING
        nxt += (DAMPING * x[dangling].sum() + 1.0 - DAMPING) / n
        change = np.abs(nxt - x).sum()
        x = nxt
        if change < 1e-15:
            break
    return dict(zip(nodes.tolist(), (x / x.sum()).tolist()))


def nx_betweenness(g, sources: list[int] | None) -> dict[int, float]:
    import networkx as nx

    if sources is None:
        return nx.betweenness_centrality(g, normalized=False)
    return nx.betweenness_centrality_subset(g, sources=sources, targets=list(g.nodes), normalized=False)


def ig_graph(src: np.ndarray, dst: np.ndarray, w: np.ndarray):
    import igraph as ig

    nodes = np.unique(np.concatenate([src, dst]))
    pos = {int(v): i for i, v in enumerate(nodes.tolist())}
    s = np.searchsorted(nodes, src)
    d = np.searchsorted(nodes, dst)
    g = ig.Graph(n=len(nodes), edges=np.column_stack([s, d]).tolist(), directed=True)
    g.es["weight"] = w.tolist()
    g["ids"] = nodes
    g["pos"] = pos
    return g


def ig_pagerank(g) -> dict[int, float]:
    pr = g.pagerank(damping=DAMPING, weights="weight", directed=True, implementation="prpack")
    return dict(zip(g["ids"].tolist(), pr))


def ig_betweenness(g, sources: list[int] | None) -> dict[int, float]:
    srcs = None if sources is None else [g["pos"][s] for s in sources]
    b = g.betweenness(directed=True, sources=srcs)
    return dict(zip(g["ids"].tolist(), b))


def agreement(a: dict, b: dict) -> dict:
    """Max absolute and relative difference over the union of keys (missing = 0), and L1."""
    keys = set(a) | set(b)
    x = np.array([a.get(k, 0.0) for k in keys])
    y = np.array([b.get(k, 0.0) for k in keys])
    diff = np.abs(x - y)
    scale = np.maximum(np.abs(x), np.abs(y))
    rel = np.divide(diff, scale, out=np.zeros_like(diff), where=scale > 0)
    return {"nodes": len(keys), "max_abs": float(diff.max()), "max_rel": float(rel.max()), "l1": float(diff.sum())}


def dangling(src: np.ndarray, dst: np.ndarray) -> int:
    """Nodes with in-links but no out-link (PageRank's dangling nodes)."""
    return len(np.setdiff1d(np.unique(dst), np.unique(src)))


# ---------------------------------------------------------------- the request path before the projection cache

def old_request(label: str, year: int, sources: list[str], *, betweenness_sampling: int = 0,
                expensive: bool = True, limit: int = 100, timeout_s: float = 600.0) -> int:
    """The ``centrality`` module as it was before the cache (the baseline of the request figures): a temporary
    projection per request, every measure (``expensive``: betweenness and eigenvector too) streamed for EVERY
    node to Python, every node's name looked up, sorted and cut to ``limit`` in Python. Returns the rows kept."""
    from connection import read
    from queries.modules.centrality import betweenness_config

    def work(tx):
        graph = f"bench_old_{uuid.uuid4().hex}"
        try:
            # the old module projected the distances on every request
            info = tx.run(_PROJECT_DISTANCES.format(label=label, rel="SUPPLIES"),
                          {"year": year, "sources": sources, "weight": "value", "coefficient": "a",
                           "min_weight": 0.0, "self_loops": True, "graph": graph}).single()
            if info is None:
                raise RuntimeError(f"no {label} SUPPLIES links of {year} from {sources}")
            scores: dict[int, dict[str, float]] = {}

            def collect(proc: str, column: str, cfg: dict) -> None:
                for r in tx.run(f"CALL {proc}($g, $cfg) YIELD nodeId, score RETURN nodeId, score",
                                {"g": graph, "cfg": {**cfg, "concurrency": 1}}):
                    scores.setdefault(r["nodeId"], {})[column] = r["score"]

            for col, cfg in (("out_degree", {"orientation": "NATURAL"}), ("in_degree", {"orientation": "REVERSE"}),
                             ("out_strength", {"orientation": "NATURAL", "relationshipWeightProperty": "w"}),
                             ("in_strength", {"orientation": "REVERSE", "relationshipWeightProperty": "w"})):
                collect("gds.degree.stream", col, cfg)
            iterative = {"relationshipWeightProperty": "w", "maxIterations": 100, "tolerance": 1e-7}
            collect("gds.pageRank.stream", "pagerank", {**iterative, "dampingFactor": 0.85})
            if expensive:
                collect("gds.betweenness.stream", "betweenness",
                        betweenness_config(betweenness_sampling, int(info["nodes"])))
                collect("gds.eigenvector.stream", "eigenvector", iterative)
            names = {r["id"]: r for r in tx.run(
                "UNWIND $ids AS id WITH id, gds.util.asNode(id) AS n "
                "RETURN id, n.key AS key, n.name AS name, n.country AS country, n.industry AS industry",
                {"ids": list(scores)})}
            total = sum(v.get("pagerank", 0.0) for v in scores.values()) or 1.0
            rows = [{"key": names[i]["key"], "pagerank": v.get("pagerank", 0.0) / total, **v}
                    for i, v in scores.items()]
            rows.sort(key=lambda r: (-r["pagerank"], r["key"]))
            return len(rows[:limit])
        finally:
            # in a fresh transaction: a failed one refuses further statements
            read("CALL gds.graph.drop($g, false) YIELD graphName RETURN graphName", {"g": graph})

    return read(work, timeout_s=timeout_s, settings=Settings.from_env())

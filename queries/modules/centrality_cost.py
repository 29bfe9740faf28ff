"""What a centrality run costs, in seconds, before it runs: measured rates times the work of each part.

Pure arithmetic on the graph's size and the request's settings; ``queries.modules.centrality`` refuses a
run that would need more than twice its time limit (``too_slow``) and the Centrality page says so before
starting one that would pass its limit, both naming what fits (docs/scaling.md gives the measurements).
"""
from __future__ import annotations

import math
from collections.abc import Collection
from typing import Any

# Seconds per unit of work on the benchmark machine (2 cores, GDS 2.13, concurrency 2; the largest graph measured,
# 1M firms and 5M links, idle machine, 2026-12-03, statement by statement: docs/scaling.md): what ``estimate``
# multiplies. The larger of the figures measured, so the estimate stays high below that size.
RATES = {
    "project_fixed_s": 0.5, "project_per_rel_s": 4.7e-6,     # Cypher-aggregation projection, weight only: 16.1 s
                                                              # at 5M links, 23.9 s on a cold page cache
    "project_distance_per_rel_s": 0.7e-6,                     # and the distance (19.3 s against 15.9 s at 5M)
    "project_whole_per_rel_s": 2.9e-6,                        # every link of the layer by GDS's store scan and
                                                              # its filters: 14.4 s at 5M on a cold page cache,
                                                              # 6.1 s warm (the aggregation took 31-36 s then)
    "call_s": 0.05,                                           # one GDS procedure call
    "degree_per_rel_s": 2.0e-9,                               # each of the four degree/strength passes
    "iteration_per_rel_s": 3.0e-8,                            # one PageRank iteration (96 in 8.1-14.3 s at 5M,
                                                              # the most on a first run after a start)
    "eigenvector_iteration_per_rel_s": 7.6e-8,                # one eigenvector iteration (376 ms at 5M)
    "betweenness_per_source_rel_s": 1.0e-7,                   # one Brandes search over one link
    "top_per_node_s": 1.1e-6,                                 # ranking on the server (a warm request: 1.3 s)
}


# Links from which two GDS threads run eigenvector centrality faster than one. Below, its iterations pay for
# the threads' hand-over: per iteration, one thread against two, 1.4 vs 7 ms on 5 nodes, 5 vs 99 ms at 10k
# links, 54 vs 140 ms at 1M, but 569 vs 376 ms at 5M (2-core machine, GDS 2.13, docs/scaling.md). PageRank
# is as fast or faster with two at every size measured (2.25x at 5M), betweenness within milliseconds below
# 100k links and faster from 1M.
EIGENVECTOR_TWO_THREADS_FROM = 2_000_000


def threads(algo: str, links: int) -> int:
    """GDS threads for ``algo`` on a projection of ``links`` when the request leaves ``concurrency`` at 0: a
    function of the graph only, so the same graph is always run alike (sampled betweenness picks its sources
    with the thread count)."""
    return 1 if algo == "eigenvector" and links < EIGENVECTOR_TWO_THREADS_FROM else 2


# The largest PageRank score (GDS's raw scale, where a node without suppliers scores 1 - d) that
# ``pagerank_iterations`` plans for. At most the node count; 4-20 on the graphs measured, where GDS took 96
# iterations to 1e-7 at 1M firms, 99 on WIOD 1995, 101 and 113 on the demo's firm and sector layers (the
# estimate says 116). A graph with one buyer of most of the network runs longer; the time limit stops it.
SCORE_SCALE = 100.0


def pagerank_iterations(tolerance: float, damping: float, max_iterations: int, scale: float = SCORE_SCALE) -> int:
    """How many iterations GDS's PageRank runs before no score moves by ``tolerance``: scores start at
    1 - d and each iteration passes on each node's change damped by d, so after k iterations no score moves
    by more than about d^k (1 - d) S, S the largest score (``scale``; S = the node count makes this a
    bound); never more than ``max_iterations``."""
    if damping >= 1.0:      # no damping: nothing shrinks the changes
        return max_iterations
    start = (1.0 - damping) * max(scale, 1.0)
    if damping <= 0.0 or tolerance >= start:
        return 1
    return max(1, min(max_iterations, 1 + math.ceil(math.log(tolerance / start) / math.log(damping))))


def estimate(nodes: int, rels: int, measures, *, sampling: int = 0, max_iterations: int = 200,
             tolerance: float = 1e-7, damping: float = 0.85, projected: bool = False, distances: bool = False,
             whole: bool = False, kept: Collection[str] = (), rates: dict[str, float] | None = None
             ) -> dict[str, float]:
    """Seconds each part of a run should take on a graph of ``nodes`` and ``rels``; key ``total`` sums them.
    ``projected``: the projection exists (``distances``: one with the distance of strongest-chain
    betweenness is to be made; ``whole``: every link of the layer, projected by GDS's store scan); ``kept``: measures whose results the projection keeps for these settings,
    which cost only their ranking. PageRank counts the iterations it should need to reach ``tolerance``
    (pagerank_iterations); eigenvector every iteration up to ``max_iterations``, since nothing bounds its
    convergence in advance (a graph with a cycle of period two never converges)."""
    r = {**RATES, **(rates or {})}
    per_rel = r["project_whole_per_rel_s"] if whole and not distances else \
        r["project_per_rel_s"] + (r["project_distance_per_rel_s"] if distances else 0.0)
    parts = {"projection": 0.0 if projected else r["project_fixed_s"] + rels * per_rel}
    todo = [m for m in measures if m not in kept]
    if "degree" in todo:
        parts["degree"] = 2 * (r["call_s"] + rels * r["degree_per_rel_s"])
    if "strength" in todo:
        parts["strength"] = 2 * (r["call_s"] + rels * r["degree_per_rel_s"])
    if "pagerank" in todo:
        parts["pagerank"] = r["call_s"] + pagerank_iterations(tolerance, damping, max_iterations) * rels * r[
            "iteration_per_rel_s"]
    if "eigenvector" in todo:
        parts["eigenvector"] = r["call_s"] + max_iterations * rels * r["eigenvector_iteration_per_rel_s"]
    if "betweenness" in todo:
        sources = min(sampling, nodes) if sampling else nodes
        parts["betweenness"] = r["call_s"] + sources * rels * r["betweenness_per_source_rel_s"]
    parts["ranking"] = r["call_s"] + nodes * r["top_per_node_s"]
    parts["total"] = sum(parts.values())
    return parts


def fitting_sampling(nodes: int, rels: int, budget_s: float, rates: dict[str, float] | None = None) -> int:
    """The most betweenness sources whose searches fit in ``budget_s`` seconds (at least 1)."""
    r = {**RATES, **(rates or {})}
    per_source = max(rels, 1) * r["betweenness_per_source_rel_s"]
    return max(1, min(nodes, int(max(budget_s - r["call_s"], 0.0) / per_source)))


def too_slow(p: dict[str, Any], measures: list[str], nodes: int, rels: int, limit_s: float,
             kept: Collection[str] = ()) -> str | None:
    """Why the run would need more than twice its time limit, and what fits; None when it may fit.
    ``kept``: measures the projection already holds for these settings."""
    est = estimate(nodes, rels, measures, sampling=p["betweenness_sampling"], max_iterations=p["max_iterations"],
                   tolerance=p["tolerance"], damping=p["damping"], projected=True, kept=kept)
    if est["total"] <= 2 * limit_s:
        return None
    heavy = sorted((m for m in ("betweenness", "eigenvector") if m in est), key=lambda m: -est[m])
    fits = []
    if "betweenness" in est:
        rest = est["total"] - est["betweenness"]
        fits.append(f"betweenness_sampling = {fitting_sampling(nodes, rels, max(limit_s - rest, 0.0))}")
    if heavy:
        fits.append(f"measures without {' and '.join(heavy)}")
    fits.append("a longer time limit")
    parts = ", ".join(f"{k} {v:,.1f} s" for k, v in est.items() if k != "total" and v >= 0.05)
    return (f"this run would take about {est['total']:,.0f} s on {nodes:,} nodes and {rels:,} links ({parts}), "
            f"more than twice the time limit of {limit_s:g} s; what fits: {'; or '.join(fits)}")

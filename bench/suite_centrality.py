"""Section 2 runner: one dataset already in the database -> PageRank and betweenness figures."""
from __future__ import annotations

import gc

import numpy as np

from bench import centrality as c
from bench.record import Record
from bench.stats import measure


def run(rec: Record, dataset: str, label: str, year: int, src: np.ndarray, dst: np.ndarray, w: np.ndarray,
        key_to_index, *, repeat: int, nx_repeat: int, betweenness_k: int | None, nx_betweenness_k: int | None,
        log, calibrate: bool = True) -> None:
    """``calibrate``: also time GDS and networkx at the loosest tolerance that is within 1e-6 of a numpy
    reference (streams every score once per tolerance tried: skipped on the 1M-node graph)."""
    m = len(src)
    rec.note(f"{dataset}.dangling_nodes", c.dangling(src, dst))

    # --- GDS
    names = []
    t_proj = measure("GDS projection (Cypher aggregation)", lambda: names.append(c.gds_project(label, year)),
                     repeat=1, items=m)
    name, _, nodes, rels = names[-1]
    rec.note(f"{dataset}.projected", {"nodes": nodes, "relationships": rels})
    stats = []
    t_gds = measure("GDS pageRank", lambda: stats.append(c.gds_pagerank_stats(name)), repeat=repeat, items=m)
    rec.add("pagerank", dataset, t_gds, iterations=stats[-1]["ranIterations"], converged=stats[-1]["didConverge"],
            compute_ms=[s["computeMillis"] for s in stats])
    rec.add("pagerank", dataset, t_proj)
    gds_pr = {key_to_index(k): v for k, v in c.gds_pagerank_scores(name).items()}
    reference = c.reference_pagerank(src, dst, w) if calibrate else None
    if calibrate:
        tol, acc = c.loosest_accurate(
            lambda t: {key_to_index(k): v for k, v in c.gds_pagerank_scores(name, c.pr_config(t)).items()}, reference)
        cstats = []
        t_gdsa = measure("GDS pageRank, 1e-6 accuracy",
                         lambda: cstats.append(c.gds_pagerank_stats(name, c.pr_config(tol))), repeat=repeat, items=m)
        rec.add("pagerank", dataset, t_gdsa, tolerance=tol, iterations=cstats[-1]["ranIterations"],
                compute_ms=[s["computeMillis"] for s in cstats])
        rec.note(f"{dataset}.pagerank_gds_at_accuracy", {"tolerance": tol, **acc})
    exact = betweenness_k is None
    bstats = []
    t_gb = measure("GDS betweenness" + ("" if exact else f" (sampled, {betweenness_k} random sources)"),
                   lambda: bstats.append(c.gds_betweenness(name, betweenness_k)), repeat=max(1, repeat - 1), items=m)
    rec.add("betweenness", dataset, t_gb)
    gds_bc = {key_to_index(k): v for k, v in c.gds_betweenness_scores(name).items()} if exact else None
    c.gds_drop(name)
    log(f"  {dataset}: GDS pageRank {t_gds.median_s:.2f}s, betweenness {t_gb.median_s:.2f}s")

    # --- igraph
    holder = {}
    t_igb = measure("igraph graph build", lambda: holder.__setitem__("g", c.ig_graph(src, dst, w)), repeat=1, items=m)
    g = holder["g"]
    out = {}
    t_ig = measure("igraph pagerank (PRPACK)", lambda: out.__setitem__("pr", c.ig_pagerank(g)), repeat=repeat, items=m)
    rec.add("pagerank", dataset, t_ig)
    rec.add("pagerank", dataset, t_igb)
    ig_pr = out["pr"]
    rng = np.random.default_rng(7)
    all_nodes = g["ids"]
    sources = None if exact else sorted(rng.choice(all_nodes, size=nx_betweenness_k or betweenness_k,
                                                   replace=False).tolist())
    if exact:
        t_igbc = measure("igraph betweenness", lambda: out.__setitem__("bc", c.ig_betweenness(g, None)),
                         repeat=max(1, repeat - 1), items=m)
        ig_bc = out["bc"]
        rec.note(f"{dataset}.betweenness_gds_vs_igraph", c.agreement(gds_bc, ig_bc))
    else:
        ig_src = sorted(rng.choice(all_nodes, size=betweenness_k, replace=False).tolist())
        t_igbc = measure(f"igraph betweenness ({betweenness_k} sources)",
                         lambda: out.__setitem__("bc", c.ig_betweenness(g, ig_src)), repeat=max(1, repeat - 1),
                         items=m)
    rec.add("betweenness", dataset, t_igbc)
    log(f"  {dataset}: igraph pagerank {t_ig.median_s:.2f}s, betweenness {t_igbc.median_s:.2f}s")
    ig_sub = c.ig_betweenness(g, sources) if sources is not None else None
    del g, holder
    gc.collect()

    # --- networkx
    holder = {}
    t_nxb = measure("networkx graph build", lambda: holder.__setitem__("g", c.nx_graph(src, dst, w)), repeat=1,
                    items=m)
    G = holder["g"]
    t_nx = measure("networkx pagerank", lambda: out.__setitem__("nxpr", c.nx_pagerank(G)), repeat=nx_repeat,
                   items=m)
    rec.add("pagerank", dataset, t_nx)
    rec.add("pagerank", dataset, t_nxb)
    nx_pr = out["nxpr"]
    if calibrate:
        tol, acc = c.loosest_accurate(lambda t: c.nx_pagerank(G, t), reference)
        t_nxa = measure("networkx pagerank, 1e-6 accuracy", lambda: c.nx_pagerank(G, tol), repeat=nx_repeat, items=m)
        rec.add("pagerank", dataset, t_nxa, l1_tolerance=tol)
        rec.note(f"{dataset}.pagerank_networkx_at_accuracy", {"l1_tolerance": tol, **acc})
    # networkx betweenness: always from a source sample (Brandes is linear in the sources), scaled to all
    k_nx = len(sources) if sources is not None else (nx_betweenness_k or 16)
    nx_sources = sources if sources is not None else sorted(
        rng.choice(all_nodes, size=k_nx, replace=False).tolist())
    t_nxs = measure(f"networkx betweenness ({k_nx} sources)",
                    lambda: out.__setitem__("nxbc", c.nx_betweenness(G, nx_sources)), repeat=1, items=m)
    if exact:
        # time for all n sources = time for k sources * n / k
        scale = G.number_of_nodes() / k_nx
        t_nx_all = type(t_nxs)(name=f"networkx betweenness (extrapolated from {k_nx} sources)",
                               runs_s=[r * scale for r in t_nxs.runs_s], items=m,
                               note="Brandes' cost is linear in the number of sources")
        rec.add("betweenness", dataset, t_nx_all)
        ig_same = c.ig_betweenness(c.ig_graph(src, dst, w), nx_sources)
        rec.note(f"{dataset}.betweenness_networkx_vs_igraph_same_sources", c.agreement(out["nxbc"], ig_same))
    else:
        rec.add("betweenness", dataset, t_nxs)
        rec.note(f"{dataset}.betweenness_networkx_vs_igraph_same_sources", c.agreement(out["nxbc"], ig_sub))
    log(f"  {dataset}: networkx pagerank {t_nx.median_s:.2f}s")
    del G, holder
    gc.collect()

    rec.note(f"{dataset}.pagerank_gds_vs_networkx", c.agreement(gds_pr, nx_pr))
    rec.note(f"{dataset}.pagerank_gds_vs_igraph", c.agreement(gds_pr, ig_pr))
    rec.note(f"{dataset}.pagerank_networkx_vs_igraph", c.agreement(nx_pr, ig_pr))
    if calibrate:
        rec.note(f"{dataset}.pagerank_vs_numpy_reference", {
            "GDS pageRank": c.agreement(gds_pr, reference), "networkx pagerank": c.agreement(nx_pr, reference),
            "igraph pagerank (PRPACK)": c.agreement(ig_pr, reference)})
    rec.compare("pagerank", dataset, "networkx pagerank")
    base = "networkx betweenness (extrapolated from" if exact else "networkx betweenness ("
    for f in rec.figures:
        if f.section == "betweenness" and f.dataset == dataset and f.timing.name.startswith(base):
            rec.compare("betweenness", dataset, f.timing.name)
            break

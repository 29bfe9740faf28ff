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
    g = None   # free the graph before the next library (not del: the lambdas above name it)
    holder.clear()
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
    G = None   # as above
    holder.clear()
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


# ---------------------------------------------------------------- requests: the `centrality` module end to end

OLD_ALL = "old path: every measure (betweenness sampled 100)"


def _module(label: str, year: int, source: str, **extra):
    from queries.runner import run_module

    layer = "sector" if label == "Sector" else "firm"
    return run_module("centrality", {"layer": layer, "year": year, "source": source, **extra}, timeout_s=900)


def _drop_cache() -> None:
    from connection import analytics
    from queries import gds_cache

    analytics(gds_cache.drop_all)


def version_dataset(source: str, name: str) -> dict[str, float]:
    """What a load through the project's writer leaves (an import writes none): on the Dataset node a
    ``data_version``, which lets the module cache the projection, and a ``data_stamp``; and the stored
    listings of (dataset, year) pairs (``schema.listings``), as a bulk load lists them after its import.
    Returns the seconds each listing took."""
    from connection import write
    from loader.graph.listings import refresh_all

    write("MERGE (d:Dataset {key: $k}) SET d.name = $name, d.synthetic = true, d.data_version = randomUUID(), "
          "d.data_stamp = randomUUID()", {"k": source, "name": name})
    return refresh_all(progress=False)


def _listing_stale() -> None:
    """The firm links' stored listing marked changed, as a load that dies before listing again leaves it (and as
    every request found it before listings were stored): the module lists the pairs from the links."""
    from connection import write
    from schema.listings import MARK_CHANGED

    write(MARK_CHANGED, {"rows": ["firm_flows"]})


def requests(rec: Record, dataset: str, label: str, year: int, source: str, *, repeat: int, log,
             old: bool = True, old_limit_s: float = 600.0) -> None:
    """The ``centrality`` module as the page and the CLI call it, cold (no cached projection) and warm,
    against the old request path (``bench.centrality.old_request``) measured in the same run."""
    from queries.modules.centrality_cost import estimate

    if old:
        sources = [source] if source else c.sources_of(label, year)
        try:
            t_old = measure(OLD_ALL, lambda: c.old_request(label, year, sources, betweenness_sampling=100,
                                                           timeout_s=old_limit_s), repeat=1)
            rec.add("requests", dataset, t_old)
            t_old_cheap = measure("old path: degree, strength, PageRank only",
                                  lambda: c.old_request(label, year, sources, expensive=False,
                                                        timeout_s=old_limit_s), repeat=1)
            rec.add("requests", dataset, t_old_cheap)
            log(f"  {dataset}: old path {t_old.median_s:.1f}s, without betweenness/eigenvector "
                f"{t_old_cheap.median_s:.1f}s")
        except Exception as exc:  # noqa: BLE001 - a baseline past its limit is a result, not a crash
            rec.note(f"{dataset}.old_path", f"stopped at its {old_limit_s:g} s limit or failed: {type(exc).__name__}")
            log(f"  {dataset}: old path did not finish within {old_limit_s:g} s ({type(exc).__name__})")
    out = {}
    t_cold = measure("module, cold (projects, keeps the projection)",
                     lambda: out.__setitem__("cold", _module(label, year, source)), repeat=max(1, repeat - 1),
                     setup=_drop_cache)
    t_warm = measure("module, warm (cached projection)", lambda: out.__setitem__("warm", _module(label, year, source)),
                     repeat=repeat)
    # the page names no dataset: the module chooses it from the (dataset, year) pairs the links hold
    from loader.graph.listings import refresh

    t_scan = measure("module, warm, page's request, the pairs listed from the links (before)",
                     lambda: _module(label, year, ""), repeat=repeat, setup=_listing_stale)
    refresh(["firm_flows"])
    t_page = measure("module, warm, dataset chosen by the module (the page's request)",
                     lambda: out.__setitem__("page", _module(label, year, "")), repeat=repeat)
    t_bc = measure("module, warm, + betweenness sampled 100",
                   lambda: out.__setitem__("bc", _module(label, year, source, measures="degree,strength,pagerank,"
                                                         "betweenness", betweenness_sampling=100)),
                   repeat=max(1, repeat - 1))
    for t in (t_cold, t_warm, t_scan, t_page, t_bc):
        rec.add("requests", dataset, t)
    rec.compare("requests", dataset, t_scan.name)
    note = next(n for n in out["warm"].attrs["provenance"]["notes"] if n.startswith("GDS projection"))
    nodes, rels = (int(x.replace(",", "")) for x in note.split(" of ")[1].split(" links")[0].split(" nodes and "))
    rec.note(f"{dataset}.request_graph", {"nodes": nodes, "links": rels})
    # every link of the layer read: projected by GDS's store scan (the module says so in a note)
    whole = any(n.startswith("every link of the layer") for n in out["cold"].attrs["provenance"]["notes"])
    rec.note(f"{dataset}.store_scan_projection", whole)
    rec.note(f"{dataset}.warm_projection", note)   # "reused from the cache" unless the data has no data_version
    rec.note(f"{dataset}.request_estimates_s", {
        "cold": round(estimate(nodes, rels, ("degree", "strength", "pagerank"), whole=whole)["total"], 2),
        "warm": round(estimate(nodes, rels, ("degree", "strength", "pagerank"), projected=True,
                               kept=("degree", "strength", "pagerank"))["total"], 2),
        "warm + betweenness 100": round(estimate(nodes, rels, ("degree", "strength", "pagerank", "betweenness"),
                                                 sampling=100, projected=True)["total"], 2)})
    # the numbers are the same whichever path made them
    rec.note(f"{dataset}.cold_equals_warm", bool(out["cold"].equals(out["warm"])))
    rec.note(f"{dataset}.pagerank_converged", bool(out["warm"]["pagerank_converged"].all()))
    if old:
        rec.compare("requests", dataset, OLD_ALL)
    rec.note(f"{dataset}.page_request_equals_warm", bool(out["page"].equals(out["warm"])))
    log(f"  {dataset}: module cold {t_cold.median_s:.2f}s, warm {t_warm.median_s:.2f}s, "
        f"page's request {t_page.median_s:.2f}s, "
        f"warm + betweenness 100 {t_bc.median_s:.2f}s")


def main(argv: list[str] | None = None) -> int:
    """``python -m bench.suite_centrality --sizes 50000,200000 [--big 1000000] [--wiod]``: the request
    figures alone, on a server of their own (port 7833 by default); prints a Markdown table."""
    import argparse
    import datetime as dt
    import json
    import os
    from pathlib import Path

    from bench.firm_files import write_admin_files
    from bench.firm_graph import YEAR, generate, relationship_count
    from bench.server import BenchServer, REPO

    ap = argparse.ArgumentParser(prog="python -m bench.suite_centrality")
    ap.add_argument("--sizes", default="50000,200000")
    ap.add_argument("--big", type=int, default=0, help="one more size, without the old path (e.g. 1000000)")
    ap.add_argument("--wiod", type=Path, default=None, help="also the sector layer of WIOD 1995 (its pymrio folder)")
    ap.add_argument("--port", type=int, default=7833)
    ap.add_argument("--heap", default="4g")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--old-limit", type=float, default=600.0, help="seconds the old request path may take")
    ap.add_argument("--json", type=Path, default=Path("/tmp/gvn-bench-centrality.json"))
    args = ap.parse_args(argv)
    work = Path("/tmp/gvn-bench-centrality")

    def log(msg: str) -> None:
        print(f"[{dt.datetime.now(dt.timezone.utc):%H:%M:%S}] {msg}", flush=True)

    rec = Record()
    srv = BenchServer(heap=args.heap, pagecache="2g", port=args.port, data_dir=REPO / ".neo4j" / f"bench-{args.port}")
    sizes = [int(x) for x in args.sizes.split(",") if x] + ([args.big] if args.big else [])
    try:
        if args.wiod:
            import subprocess
            import sys

            srv.fresh()
            out = subprocess.run([sys.executable, "-m", "loader", "mrio", str(args.wiod), "--format", "pymrio",
                                  "--year", "1995", "--source", "wiod-1995"], cwd=REPO, capture_output=True, text=True,
                                 env=dict(os.environ))
            if out.returncode:
                raise RuntimeError(f"WIOD 1995 load failed: {out.stderr[-2000:]}")
            requests(rec, "wiod-1995", "Sector", 1995, "wiod-1995", repeat=args.repeat, log=log)
        for n in sizes:
            name = f"firms-{n // 1_000_000}M" if n >= 1_000_000 else f"firms-{n // 1000}k"
            source = f"bench:{name}"
            log(f"{name}: generate, import")
            graph = generate(n)
            files = write_admin_files(graph, work / name, source)
            rels = relationship_count(graph)
            del graph
            from bench import load_admin
            from schema.apply import apply

            srv.start()   # a first run has no server home yet: starting writes its conf, which the import uses
            srv.stop()
            srv.wipe_store()
            load_admin.import_full(srv.jar_lib, srv.data_dir, srv.data_dir / "conf", files, heap="2g", off_heap="3g")
            srv.start()
            apply()
            listed = version_dataset(source, f"generated firm graph, {n:,} firms")
            rec.note(f"{name}.listings_s", {k: round(v, 2) for k, v in listed.items()})
            rec.note(f"{name}.relationships", rels)
            requests(rec, name, "Firm", YEAR, source, repeat=args.repeat, log=log, old=n != args.big,
                     old_limit_s=args.old_limit)
    finally:
        srv.stop()
        args.json.write_text(json.dumps({"figures": [f.as_dict() for f in rec.figures], "facts": rec.facts},
                                        indent=1, default=str))
    print(render(rec))
    return 0


def render(rec: Record) -> str:
    lines = ["| dataset | request | runs | median s | x old path |", "|---|---|---|---|---|"]
    for f in rec.figures:
        if f.section == "requests":
            x = f"{f.ratio:.1f}x" if f.ratio else "–"
            lines.append(f"| {f.dataset} | {f.timing.name} | {len(f.timing.runs_s)} | {f.timing.median_s:.2f} | {x} |")
    lines += ["", *(f"- {k}: {v}" for k, v in rec.facts.items())]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())

"""Where a centrality request spends its time, statement by statement, on a store the suite left behind.

``python -m bench.profile_centrality [--port 7833] [--source ''] [--projections 3]``: starts the bench server on
``.neo4j/bench-<port>`` (made by ``python -m bench.suite_centrality --sizes "" --big 1000000``), then times

* two cold requests (every cached projection dropped; the first runs on the page cache a fresh start leaves)
  and a warm one, each statement of each printed with its seconds (those of 0.05 s or more);
* the projection by the Cypher aggregation (weight only) and by GDS's store scan of every link (what the
  module does when the request reads every link of the layer), alternated after a warm-up
  (``--projections`` rounds of A B B A).

The requests name no dataset by default (``--source ''``), as the Centrality page does; the (dataset, year)
pairs come from the listing the writer keeps (``schema.listings``; the suite stores it as a load would).
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from bench.server import REPO, BenchServer


def _timed_statements(log: list):
    """Wrap the runner's statement call so every statement's wall time lands in ``log``."""
    import queries.runner as runner

    original = runner.ReadTx.run

    def run(self, cypher, params=None, *, cap=None):
        t = time.perf_counter()
        try:
            return original(self, cypher, params, cap=cap)
        finally:
            log.append((time.perf_counter() - t, " ".join(cypher.split())[:90]))

    runner.ReadTx.run = run


def requests(year: int, source: str) -> None:
    from connection import analytics
    from queries import gds_cache
    from queries.runner import run_module

    log: list = []
    _timed_statements(log)
    for label in ("cold, first", "cold, second", "warm"):
        if label.startswith("cold"):
            analytics(gds_cache.drop_all)
        log.clear()
        t = time.perf_counter()
        df = run_module("centrality", {"layer": "firm", "year": year, "source": source, "limit": 100}, timeout_s=600)
        print(f"== {label}: {time.perf_counter() - t:.2f} s, {len(df)} rows", flush=True)
        for seconds, cypher in log:
            if seconds >= 0.05:
                print(f"   {seconds:7.2f}  {cypher}", flush=True)


def projections(year: int, source: str, rounds: int) -> None:
    from types import SimpleNamespace

    from connection import NO_LIMIT, read
    from queries.modules.centrality import _PROJECT, _project_whole
    from queries.runner import ReadTx

    def aggregation(tx, graph: str) -> None:
        sources = [source] if source else [r["s"] for r in tx.run(
            "MATCH (:Firm)-[r:SUPPLIES]->(:Firm) WHERE r.year = $y RETURN DISTINCT r.source AS s", y=year)]
        tx.run(_PROJECT.format(label="Firm", rel="SUPPLIES"), year=year, sources=sources, weight="value",
               min_weight=0.0, self_loops=True, graph=graph).consume()

    def store_scan(tx, graph: str) -> None:
        # the module's own steps; the profiled store holds one (dataset, year), so it reads every link
        _project_whole(ReadTx(tx, 1000), graph, SimpleNamespace(label="Firm", rel="SUPPLIES"),
                       {"weight": "value", "min_weight": 0.0})

    variants = {"aggregation, weight only": aggregation, "store scan, every link": store_scan}
    times: dict[str, list[float]] = {k: [] for k in variants}

    def once(name: str, graph: str) -> float:
        t = time.perf_counter()
        read(lambda tx: variants[name](tx, graph), timeout_s=NO_LIMIT)
        dt = time.perf_counter() - t
        read("CALL gds.graph.drop($g) YIELD graphName RETURN graphName", {"g": graph})
        return dt

    once("aggregation, weight only", "bench_profile_warmup")
    order = ["store scan, every link", "aggregation, weight only", "aggregation, weight only",
             "store scan, every link"] * rounds
    for i, name in enumerate(order):
        times[name].append(round(once(name, f"bench_profile_{i}"), 2))
        print(f"   projection, {name}: {times[name][-1]} s", flush=True)
    print({k: sorted(v) for k, v in times.items()})


def main(argv: list[str] | None = None) -> int:
    from bench.firm_graph import YEAR

    ap = argparse.ArgumentParser(prog="python -m bench.profile_centrality")
    ap.add_argument("--port", type=int, default=7833)
    ap.add_argument("--source", default="", help="dataset to name ('' = chosen by the module, as the page does)")
    ap.add_argument("--projections", type=int, default=1, help="rounds of A B B A projections (0: none)")
    args = ap.parse_args(argv)
    srv = BenchServer(heap="4g", pagecache="2g", port=args.port, data_dir=REPO / ".neo4j" / f"bench-{args.port}")
    if not (srv.data_dir / "data").exists():
        raise SystemExit(f"no store at {srv.data_dir}: run python -m bench.suite_centrality --sizes '' --big 1000000 "
                         f"--port {args.port} first")
    srv.start()
    try:
        requests(YEAR, args.source)
        if args.projections:
            projections(YEAR, args.source, args.projections)
    finally:
        srv.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

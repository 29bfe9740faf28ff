"""``python -m bench [--quick]``: the benchmark suite; writes bench/results.md and bench/results.json.

Full run (about an hour on 2 cores): WIOD 1995 (load with four methods, centrality, path
tracing), generated firm graphs of 10k and 100k firms (load with five methods; centrality
and explorer views on 100k), 200k firms (about 1M SUPPLIES: centrality, the benchmark's target
size), 1M firms (the project loader once, then neo4j-admin import into the benchmark server,
naive sample, centrality). ``--quick``: WIOD with fewer repeats and depths, one 3,000-firm
graph, a few minutes plus server restarts. Uses its own server on port 7751
(.neo4j/bench-7751) and stops it at the end.
"""
from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench import machine
from bench.record import Record
from bench.report import write_json, write_markdown
from bench.server import BenchServer
from bench.targets import evaluate

HERE = Path(__file__).resolve().parent
WORK = Path("/tmp/gvn-bench-work")

QUICK = dict(mode="quick", heap="2g", pagecache="1g", firm_sizes=[3000], big=None, repeat=2, py2neo_repeat=1,
             naive_sample=300, depths=[2, 3, 4], thresholds=[0.001], path_repeat=3, view_sizes=[50, 300],
             view_repeat=2, centrality_on=["firms-3k"], bc_k=16, nx_bc_k=4, wiod_repeat=1,
             wiod_py2neo=0, centrality_sizes=[], scale_sizes=[3000])
FULL = dict(mode="full", heap="4g", pagecache="2g", firm_sizes=[10_000, 100_000], big=1_000_000, repeat=3,
            py2neo_repeat=1, naive_sample=1000, depths=[2, 3, 4, 5, 6], thresholds=[0.001, 0.0001], path_repeat=7,
            view_sizes=[50, 300, 1000], view_repeat=5, centrality_on=["firms-100k"], bc_k=64, nx_bc_k=8,
            wiod_repeat=3, wiod_py2neo=1, centrality_sizes=[200_000],
            scale_sizes=[50_000, 200_000, 1_000_000])


def label(n: int) -> str:
    return f"firms-{n // 1_000_000}M" if n >= 1_000_000 else f"firms-{n // 1000}k"


def others_running() -> list[str]:
    """Other Neo4j servers and pytest runs on the machine (they would share the 2 cores)."""
    out = subprocess.run(["ps", "-eo", "pid,args"], capture_output=True, text=True).stdout.splitlines()
    mine = str(os.getpid())
    return [l.strip()[:120] for l in out if ("CommunityEntryPoint" in l and "bench-7751" not in l)
            or ("pytest" in l and mine not in l)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes, a few minutes")
    ap.add_argument("--out", type=Path, default=HERE, help="folder for results.md / results.json")
    ap.add_argument("--skip", default="", help="comma list of parts to skip: wiod,firms,centrality,big,big-project,"
                                               "explorer,scale")
    args = ap.parse_args(argv)
    cfg = QUICK if args.quick else FULL
    skip = set(filter(None, args.skip.split(",")))
    started = dt.datetime.now(dt.timezone.utc)
    notes: list[str] = []
    load_seen: list[tuple[str, tuple[float, float, float], int]] = []

    def log(msg: str) -> None:
        print(f"[{dt.datetime.now(dt.timezone.utc):%H:%M:%S}] {msg}", flush=True)

    def checkpoint(where: str) -> None:
        load_seen.append((where, os.getloadavg(), len(others_running())))

    rec = Record()
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    srv = BenchServer(heap=cfg["heap"], pagecache=cfg["pagecache"])
    checkpoint("start")
    others_at_start = others_running()
    try:
        if "wiod" not in skip:
            run_wiod(rec, srv, cfg, log)
            checkpoint("after WIOD")
        if "firms" not in skip:
            from bench import suite_load
            from bench.firm_graph import generate

            for n in cfg["firm_sizes"]:
                name = label(n)
                log(f"firm graph {name}")
                graph = generate(n)
                suite_load.firms(rec, srv, name, graph, WORK, repeat=cfg["repeat"] if n < 100_000 else 2,
                                 py2neo_repeat=cfg["py2neo_repeat"], naive_sample=cfg["naive_sample"],
                                 log=log)
                checkpoint(f"after load {name}")
                if name in cfg["centrality_on"] or n == cfg["firm_sizes"][-1]:
                    if "explorer" not in skip:
                        from bench import suite_explorer

                        log(f"explorer views on {name}")
                        suite_explorer.run(rec, name, cfg["view_sizes"], WORK, repeat=cfg["view_repeat"], log=log)
                        suite_explorer.renderers(rec, WORK / "renderers", repeat=cfg["view_repeat"], log=log)
                    run_firm_centrality(rec, name, graph, cfg, log)
                    checkpoint(f"after centrality {name}")
                del graph
                gc.collect()
        if "centrality" not in skip:
            for n in cfg["centrality_sizes"]:
                run_imported_centrality(rec, srv, n, cfg, log)
                checkpoint(f"after centrality {label(n)}")
        if cfg["big"] and "big" not in skip:
            run_big(rec, srv, cfg, log, project="big-project" not in skip)
            checkpoint("after 1M")
        if "scale" not in skip:
            from bench import suite_load

            # bulk and normal first loads and no-op reloads through the command line (1M firms: bulk only)
            suite_load.scale(rec, srv, cfg["scale_sizes"], log)
            checkpoint("after first loads and reloads")
    finally:
        srv.stop()
        log("server stopped")
    finished = dt.datetime.now(dt.timezone.utc)
    meta = {
        "mode": cfg["mode"], "command": "python -m bench" + (" --quick" if args.quick else ""),
        "started": f"{started:%Y-%m-%d %H:%M}", "finished": f"{finished:%Y-%m-%d %H:%M}",
        "heap": cfg["heap"], "pagecache": cfg["pagecache"], "config": cfg,
        "machine": machine.describe(server_versions()),
        "load_average": [{"where": w, "load_1_5_15": l, "other_servers_or_tests": o} for w, l, o in load_seen],
        "shared": shared_text(others_at_start, load_seen),
        "notes": notes + NOTES,
    }
    targets = evaluate(rec)
    args.out.mkdir(parents=True, exist_ok=True)
    write_json(rec, {**meta, "targets": targets}, args.out / "results.json")
    write_markdown(rec, meta, targets, args.out / "results.md")
    log(f"wrote {args.out / 'results.md'} and results.json")
    return 0


def server_versions() -> dict:
    from neo4j_local.settings import APOC_VERSION, GDS_VERSION, NEO4J_VERSION

    return {"neo4j_server": NEO4J_VERSION, "gds": GDS_VERSION, "apoc": APOC_VERSION}


def shared_text(others: list[str], seen) -> str:
    loads = ", ".join(f"{w}: {l[0]:.1f}" for w, l, _ in seen)
    if others or any(o for _, _, o in seen):
        return f"yes: other servers/tests were running ({len(others)} at start); 1-min load average {loads}"
    return f"no other Neo4j server or test run seen; 1-min load average {loads}"


NOTES = [
    "Firm graphs are generated (bench/firm_graph.py, seed 1): ~5 SUPPLIES per firm, every firm sells at least "
    "once (no dangling nodes), Zipf-weighted suppliers; each firm also gets LOCATED_IN and IN_INDUSTRY, so "
    "relationships = supplies + 2 x firms.",
    "'project loader' is `loader tables` end to end: read the CSV files, validate every row, read the store "
    "and diff, write (commit mode auto: one transaction up to 250,000 rows, else batches committed by 2 "
    "parallel writers), shares a/b included. 'write phase' is its write_graph part alone (store read, diff, "
    "writes). 'raw UNWIND CREATE (server ceiling)' writes the same graph from prebuilt rows with bare CREATE "
    "statements in the same batches and threads: the server's own limit on this machine.",
    "Naive baseline: one auto-commit statement per row on a sample, its time scaled to the whole graph.",
    "neo4j-admin import time includes the JVM start; its peak memory is that child process's own VmHWM, polled while it runs.",
    "Peak memory: VmHWM of this Python process and of the Neo4j JVM, reset (clear_refs) before each step.",
]


def run_wiod(rec, srv, cfg, log) -> None:
    import numpy as np

    from bench import suite_centrality, suite_load, suite_paths, wiod

    log("WIOD 1995")
    io = wiod.iosystem(1995)   # the shipped extract
    suite_load.wiod(rec, srv, io, 1995, WORK, repeat=cfg["wiod_repeat"], naive_sample=cfg["naive_sample"],
                    py2neo_repeat=cfg["wiod_py2neo"], log=log)
    keys = [f"{c}|{s}" for c, s in io.Z.index]
    Z = io.Z.to_numpy(dtype=float)
    i, j = np.nonzero(Z)
    index = {k: n for n, k in enumerate(keys)}
    log("centrality on WIOD")
    suite_centrality.run(rec, "wiod-1995", "Sector", 1995, i, j, Z[i, j], index.__getitem__,
                         repeat=cfg["repeat"], nx_repeat=cfg["repeat"], betweenness_k=None, nx_betweenness_k=8,
                         log=log)
    suite_centrality.requests(rec, "wiod-1995", "Sector", 1995, "", repeat=cfg["repeat"], log=log)
    log("path tracing on WIOD")
    suite_paths.run(rec, io, 1995, cfg["depths"], cfg["thresholds"], repeat=cfg["path_repeat"], log=log)


def run_firm_centrality(rec, name, graph, cfg, log, calibrate: bool = True) -> None:
    from bench import suite_centrality
    from bench.firm_graph import YEAR

    idx = graph["index"]
    log(f"centrality on {name}")
    suite_centrality.run(rec, name, "Firm", YEAR, idx["supplier"].to_numpy(), idx["buyer"].to_numpy(),
                         idx["value"].to_numpy(), lambda k: int(k[1:]), repeat=cfg["repeat"],
                         nx_repeat=max(1, cfg["repeat"] - 1), betweenness_k=cfg["bc_k"],
                         nx_betweenness_k=cfg["nx_bc_k"], log=log, calibrate=calibrate)


def _import_into_server(rec, srv, name: str, files: dict, rels: int, log) -> None:
    """neo4j-admin import straight into the (stopped) benchmark server, then start it and apply the schema."""
    from bench import load_admin
    from bench.stats import Timing
    from schema.apply import apply

    srv.stop()
    srv.wipe_store()
    r = load_admin.import_full(srv.jar_lib, srv.data_dir, srv.data_dir / "conf", files, heap="2g", off_heap="3g")
    rec.add("load", name, Timing("neo4j-admin import", [r["seconds"]], rels), child_peak_mib=r["peak_mib"],
            imported=r.get("relationships"), tool_says=r.get("tool_says"))
    log(f"  {name}: admin import {r['seconds']:.1f}s ({r.get('relationships')} relationships)")
    t0 = time.perf_counter()
    srv.start()
    rec.note(f"{name}.server_start_after_import_s", round(time.perf_counter() - t0, 1))
    t0 = time.perf_counter()
    apply()
    rec.note(f"{name}.schema_apply_and_index_population_s", round(time.perf_counter() - t0, 1))


def run_imported_centrality(rec, srv, n: int, cfg, log) -> None:
    """A graph of about 1M SUPPLIES (the size the PageRank targets name), imported, then centrality."""
    from bench.firm_files import write_admin_files
    from bench.firm_graph import generate, relationship_count

    name = label(n)
    log(f"firm graph {name} (centrality only)")
    graph = generate(n)
    files = write_admin_files(graph, WORK / name / "admin", f"bench:{name}")
    _import_into_server(rec, srv, name, files, relationship_count(graph), log)
    rec.note(f"{name}.size", {"firms": n, "supplies": len(graph["firm_supply"]),
                              "relationships": relationship_count(graph)})
    run_firm_centrality(rec, name, graph, {**cfg, "repeat": 3, "bc_k": 32, "nx_bc_k": 4}, log)
    del graph
    gc.collect()
    run_requests(rec, name, log)


def run_requests(rec, name: str, log, old: bool = True) -> None:
    """The `centrality` module cold and warm (cached projection) against the old request path."""
    from bench import suite_centrality
    from bench.firm_graph import YEAR

    suite_centrality.version_dataset(f"bench:{name}", f"generated firm graph {name}")
    log(f"centrality requests on {name}")
    suite_centrality.requests(rec, name, "Firm", YEAR, f"bench:{name}", repeat=3, log=log, old=old)


def run_big_project_load(rec, srv, name: str, graph: dict, log) -> None:
    """The project loader on the 1M graph, once, into a fresh store (batched commit mode)."""
    from bench import load_project
    from bench.firm_files import write_tables_folder
    from bench.firm_graph import relationship_count
    from bench.stats import Timing

    rels = relationship_count(graph)
    folder = write_tables_folder(graph, WORK / name / "tables")
    srv.fresh()
    load_project.load_reference_untimed()
    log(f"  {name}: project loader (about 10 minutes)")
    r = load_project.firms(folder, f"bench:{name}", srv.pid)
    rec.add("load", name, Timing("project loader", [r["seconds"]], rels),
            python_peak_mib=r["python_peak_mib"], jvm_peak_mib=r["jvm_peak_mib"], write_s=[r["write_seconds"]],
            commit_mode=r["commit_mode"], write_phase_rels_per_s=[rels / r["write_seconds"]])
    log(f"  {name}: project loader {r['seconds']:.1f}s (write phase {r['write_seconds']:.1f}s)")
    shutil.rmtree(folder, ignore_errors=True)


def run_big(rec, srv, cfg, log, project: bool = True) -> None:
    """1M firms: the project loader once, then neo4j-admin import straight into the benchmark server."""
    from bench import load_naive
    from bench.firm_files import write_admin_files
    from bench.firm_graph import generate, relationship_count
    from bench.stats import Timing

    n = cfg["big"]
    name = label(n)
    log(f"firm graph {name}: generate + write files")
    graph = generate(n)
    rels = relationship_count(graph)
    if project:
        run_big_project_load(rec, srv, name, graph, log)
        gc.collect()
    files = write_admin_files(graph, WORK / name / "admin", f"bench:{name}")
    _import_into_server(rec, srv, name, files, rels, log)
    rec.note(f"{name}.store_mib", round(srv.store_mib(), 1))
    rec.note(f"{name}.size", {"firms": n, "supplies": len(graph["firm_supply"]), "relationships": rels})
    runs = []
    sample = cfg["naive_sample"]
    for _ in range(2):
        tf = load_naive.firm_rows(graph["firms"], sample, f"bench:{name}")
        tl = load_naive.supply_rows(graph["firm_supply"], graph["index"], sample, f"bench:{name}")
        runs.append(tf * n / sample + tl * len(graph["firm_supply"]) / sample)
    rec.add("load", name, Timing("naive row-by-row (extrapolated)", runs, rels,
                                 note=f"{sample} firm + {sample} supply rows per run into the 1M database"))
    rec.compare("load", name, "naive row-by-row (extrapolated)")
    run_firm_centrality(rec, name, graph, {**cfg, "repeat": 2, "bc_k": 32, "nx_bc_k": 2}, log, calibrate=False)
    run_requests(rec, name, log, old=False)


if __name__ == "__main__":
    sys.exit(main())

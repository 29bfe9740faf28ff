"""Benchmark: median latency of upstream-paths at depth 3 and 4 on the WIOD 1995 table.

Not a test: it prints timings (median and p95 of repeated runs per start sector and
threshold) and the number of paths found, plus the ratio of depth 4 against depth 3
measured in the same process. Each run's paths per depth are checked against the numpy
enumeration of the same table (``tests.support.paths.per_depth`` over A computed from the
shipped extract, data/wiod2013): a disagreement is printed and makes the command exit with
status 1. The table
must be in the database pointed at by NEO4J_URI (sectors keyed COUNTRY|INDUSTRY, SUPPLIES
{year: 1995, a, b}); ``--load`` writes it first through ``loader.mrio.load.load_mrio``.

  python -m bench.queries_paths [--repeat 5] [--threshold 1e-4 --threshold 1e-3] [--load]
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from bench.stats import measure, ratio

NODES = ["KOR|Electrical and Optical Equipment", "USA|Transport Equipment", "CHN|Basic Metals and Fabricated Metal",
         "DEU|Chemicals and Chemical Products", "JPN|Machinery, Nec"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--threshold", type=float, action="append")
    ap.add_argument("--load", action="store_true", help="load WIOD 1995 first (loader.mrio.load.load_mrio)")
    ap.add_argument("--json", type=Path, help="also write the timings here")
    args = ap.parse_args()
    thresholds = args.threshold or [1e-4, 1e-3]

    from bench import wiod
    from connection import read
    from queries.runner import run_module
    from tests.support.flows import coefficients
    from tests.support.paths import per_depth as reference

    io = wiod.iosystem(1995)   # the shipped extract
    if args.load:
        from loader.mrio.load import load_mrio

        load_mrio(io, 1995, "WIOD2013", "WIOD35", progress=True)
    A, _ = coefficients(io.Z.to_numpy(dtype=float), io.x.to_numpy(dtype=float).ravel())
    index = {f"{c}|{s}": i for i, (c, s) in enumerate(io.Z.index)}
    have = read("MATCH (s:Sector) WHERE s.key IN $k RETURN collect(s.key) AS k", {"k": NODES})[0]["k"]
    missing = sorted(set(NODES) - set(have))
    if missing:
        raise SystemExit(f"sectors {missing} are not in the database; load WIOD 1995 first (--load)")

    results, disagreements = [], []
    for threshold in thresholds:
        per_depth = {}
        for depth in (3, 4):
            runs, paths = [], 0
            for node in NODES:
                params = {"node": node, "year": 1995, "depth": depth, "threshold": threshold, "limit": 20}
                run_module("upstream-paths", params, timeout_s=600)  # warm-up (plan cache, page cache)
                t = measure(f"{node} d{depth}", lambda: run_module("upstream-paths", params, timeout_s=600),
                            repeat=args.repeat)
                df = run_module("upstream-paths", params, timeout_s=600)
                got = {int(d): int(g["depth_paths"].iloc[0]) for d, g in df.groupby("depth")}
                expected = {r["depth"]: r["paths"] for r in reference(A, index[node], depth, threshold, upstream=True)}
                if got != expected:
                    disagreements.append(f"{node} depth {depth} threshold {threshold:g}: module {got}, numpy {expected}")
                n = sum(got.values())
                runs.extend(t.runs_s)
                paths += n
                print(f"threshold {threshold:g} depth {depth} {node:42} median {t.median_s * 1000:8.1f} ms  "
                      f"p95 {t.p95_s * 1000:8.1f} ms  paths {n}")
            agg = measure(f"depth {depth}", lambda: None, repeat=0)
            agg.runs_s = runs
            per_depth[depth] = agg
            print(f"== threshold {threshold:g} depth {depth}: median {agg.median_s * 1000:.1f} ms over "
                  f"{len(runs)} runs ({len(NODES)} start sectors), {paths} paths in total")
            results.append({"threshold": threshold, "depth": depth, "median_s": agg.median_s, "p95_s": agg.p95_s,
                            "paths": paths, "runs": len(runs)})
        print(f"== threshold {threshold:g}: depth 4 takes {1 / ratio(per_depth[3], per_depth[4]):.2f}x depth 3")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    if disagreements:
        raise SystemExit("paths per depth differ from the numpy enumeration:\n" + "\n".join(disagreements))
    print("paths per depth equal the numpy enumeration in every run")


if __name__ == "__main__":
    main()

"""``python -m bench.gvc [--exiobase] [--year 1995]``: time and memory of the GVC decompositions.

Measures, in one run, the product's full decomposition (iomath.gvc.gvc_system, the 16 WWZ
terms, their KWW aggregation) against the baseline, a plain numpy transcription of the
published R code of decompr (tests/support/gvc_reference.py), and the Borin-Mancini
source-based terms (gvc_system + iomath.bm; 'bm', no baseline), on
- one WIOD 2013 year (1,435 sectors, 41 importers), three times each,
- a generated productive table the size of the OECD ICIO 2023 release (4,000 sectors, 80 units),
  the product three times, the baseline once (it takes minutes),
- with --exiobase, a generated table the size of EXIOBASE 3 (9,800 sectors, 49 units), product only
  (the baseline's dense n^3 products would take hours there).
Each measurement runs in a child process of its own; its peak memory is the child's VmHWM
(reset after the table is built, so it is the computation's peak plus what the child holds).
Prints a table and writes bench/gvc_results.md.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
TARGETS = {"wiod": (2.0, 1024.0), "icio": (10.0, 3072.0)}      # seconds, MiB


def wiod_dir() -> Path | None:
    return next((p / "shared" / "data" / "wiod2013" for p in REPO.parents
                 if (p / "shared" / "data" / "wiod2013").is_dir()), None)


def wiod_table(year: int):
    """WIOD Z, the (n x G*5) final demand, its per-destination sums, row units and unit names."""
    import pymrio

    io = pymrio.load_all(str(wiod_dir() / str(year)))
    regions = list(io.Z.index.get_level_values(0).unique())
    Z, y = io.Z.to_numpy(dtype=float), io.Y.to_numpy(dtype=float)
    Y = y.reshape(len(Z), len(regions), -1).sum(axis=2)
    return Z, y, Y, io.Z.index.get_level_values(0).to_numpy(), regions


def generated_table(G: int, N: int, seed: int = 0):
    """A dense productive table: domestic blocks carry most inputs, like a real ICIO table.

    Column sums of A are drawn in [0.3, 0.7], 80% of them domestic; final demand is mostly
    domestic; x = (I - A)^-1 Y 1, Z = A diag(x), so the table balances exactly.
    """
    rng = np.random.default_rng(seed)
    n = G * N
    unit = np.repeat(np.arange(G), N)
    A = rng.random((n, n))
    for g in range(G):                              # domestic block: 80% of each column's inputs
        sl = slice(g * N, (g + 1) * N)
        A[sl, sl] *= 0.8 * (n - N) / (0.2 * N)
    A *= rng.uniform(0.3, 0.7, n) / A.sum(axis=0)
    Y = rng.random((n, G))
    Y[np.arange(n), unit] *= 4.0 * G
    M = -A
    M[np.diag_indices(n)] += 1.0
    x = np.linalg.solve(M, Y.sum(axis=1))
    del M
    A *= x[np.newaxis, :]                           # A becomes Z in place
    y = np.repeat(Y, 1, axis=1)                     # one final-demand category per destination
    return A, y, Y, unit.astype(str), [str(g) for g in range(G)]


def _peak_mib() -> float:
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _rss_mib() -> float:
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _reset_peak() -> None:
    with open("/proc/self/clear_refs", "w") as fh:
        fh.write("5")


def run_product(Z, Y, units, names):
    from iomath.gvc import gvc_system
    from iomath.wwz import kww_from_wwz, wwz_decomposition

    system = gvc_system(Z, Y, units, names)
    w = wwz_decomposition(system)
    k = kww_from_wwz(w, system.unit_of_row)
    return w.values.sum(axis=(1, 2)), k.terms.sum()


def run_bm(Z, Y, units, names):
    from iomath.bm import bm_source_decomposition
    from iomath.gvc import gvc_system

    b = bm_source_decomposition(gvc_system(Z, Y, units, names))
    return b.values.sum(axis=(1, 2)), None


def run_baseline(Z, y, G, N):
    sys.path.insert(0, str(REPO))
    from tests.support import gvc_reference as ref

    d = ref.load_tables_vectors(Z, y, G, N)
    ALL = ref.wwz(d)
    return ALL[:, :, :16].sum(axis=(0, 1)), None


def child(table: str, method: str, repeat: int, year: int) -> dict:
    """Build the table, reset the peak, run ``repeat`` times; seconds, peak MiB, term totals."""
    if table == "wiod":
        Z, y, Y, units, names = wiod_table(year)
    elif table == "icio":
        Z, y, Y, units, names = generated_table(80, 50)
    else:
        Z, y, Y, units, names = generated_table(49, 200)
    G, N = len(names), len(Z) // len(names)
    rss_before = _rss_mib()
    _reset_peak()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        if method == "product":
            totals, _ = run_product(Z, Y, units, names)
        elif method == "bm":
            totals, _ = run_bm(Z, Y, units, names)
        else:
            totals, _ = run_baseline(Z, y, G, N)
        times.append(time.perf_counter() - t)
    return dict(table=table, method=method, n=len(Z), G=G, seconds=times, peak_mib=_peak_mib(),
                rss_before_mib=rss_before, totals=[float(t) for t in totals])


def measure(table: str, method: str, repeat: int, year: int) -> dict:
    cmd = [sys.executable, "-m", "bench.gvc", "--child", table, method, str(repeat), "--year", str(year)]
    out = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def machine() -> dict:
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
    return dict(cpu=cpu, cores=os.cpu_count(), numpy=np.__version__, blas=f"{blas['name']} {blas['version']}",
                python=sys.version.split()[0])


def row_text(r: dict, base: dict | None) -> list[str]:
    med = statistics.median(r["seconds"])
    ratio = f"{statistics.median(base['seconds']) / med:.1f}x faster" if base and r["method"] == "product" else ""
    mem = f"{r['peak_mib']:.0f} ({r['peak_mib'] - r['rss_before_mib']:+.0f})"
    return [r["table"], f"{r['n']:,} x {r['G']}", r["method"], f"{med:.2f}", ", ".join(f"{s:.2f}" for s in r["seconds"]),
            mem, ratio]


def target_lines(results: list[dict]) -> list[str]:
    lines = []
    for r in results:
        if r["method"] != "product" or r["table"] not in TARGETS:
            continue
        secs, mib = TARGETS[r["table"]]
        med = statistics.median(r["seconds"])
        ok = med <= secs and r["peak_mib"] < mib
        lines.append(f"- {r['table']}: median {med:.2f} s, fastest {min(r['seconds']):.2f} s (target <= {secs:.0f} s), "
                     f"peak {r['peak_mib']:.0f} MiB (target < {mib:.0f} MiB): {'met' if ok else 'MISSED'} (median)")
    return lines


def agreement(results: list[dict]) -> list[str]:
    lines = []
    for table in ("wiod", "icio"):
        pair = {r["method"]: r for r in results if r["table"] == table}
        if "product" in pair and "baseline" in pair:
            a, b = np.array(pair["product"]["totals"]), np.array(pair["baseline"]["totals"])
            lines.append(f"- {table}: the 16 term totals of product and baseline differ by at most "
                         f"{np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-300)):.1e} (relative)")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.gvc", description=__doc__.splitlines()[0])
    ap.add_argument("--year", type=int, default=1995, help="WIOD year (1995, 2000, 2005, 2008)")
    ap.add_argument("--exiobase", action="store_true", help="also a 9,800-sector table (product only; ~5 GB)")
    ap.add_argument("--repeat", type=int, default=3,
                    help="repeats of WIOD and of the product on the ICIO-sized table (the rest run once)")
    ap.add_argument("--out", type=Path, default=HERE / "gvc_results.md")
    ap.add_argument("--child", nargs=3, metavar=("TABLE", "METHOD", "REPEAT"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child[0], args.child[1], int(args.child[2]), args.year)))
        return 0

    load_before = os.getloadavg()
    started = time.strftime("%Y-%m-%d %H:%M:%S %Z")
    plan = [("wiod", "product", args.repeat), ("wiod", "baseline", args.repeat), ("wiod", "bm", args.repeat),
            ("icio", "product", args.repeat), ("icio", "baseline", 1), ("icio", "bm", 1)]
    if args.exiobase:
        plan += [("exiobase", "product", 1), ("exiobase", "bm", 1)]
    results = []
    for table, method, repeat in plan:
        print(f"running {table} {method} x{repeat} ...", file=sys.stderr, flush=True)
        results.append(measure(table, method, repeat, args.year))
    load_after = os.getloadavg()

    head = ["table", "sectors x units", "method", "median s", "runs s", "peak MiB (over start)", "vs baseline"]
    rows = []
    for r in results:
        base = next((b for b in results if b["table"] == r["table"] and b["method"] == "baseline"), None)
        rows.append(row_text(r, base))
    md = [f"# GVC decomposition benchmark ({started})", "",
          "`python -m bench.gvc" + (" --exiobase" if args.exiobase else "") + "`: the full WWZ 16-term decomposition "
          "and its KWW aggregation (iomath.gvc + iomath.wwz: one Leontief inverse, then block-wise products "
          "against n x G matrices) against a plain numpy transcription of decompr's published R code "
          "(tests/support/gvc_reference.py: dense GN x GN right-hand matrices, a second GN inverse); "
          "'bm' is gvc_system plus the Borin-Mancini source-based terms (iomath.bm). "
          f"WIOD {args.year} (2013 release); 'icio' and 'exiobase' are generated productive tables of "
          "those sizes (bench/gvc.py: generated_table). Every measurement is a child process; peak = its "
          "VmHWM, reset once the table is built (in brackets: above the RSS it started the computation with).",
          "", "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    md += ["| " + " | ".join(r) + " |" for r in rows]
    info = machine()
    md += ["", "Targets:", *target_lines(results), "", "Agreement:", *agreement(results), "",
           f"Machine: {info['cpu']}, {info['cores']} cores, Python {info['python']}, numpy {info['numpy']} "
           f"({info['blas']}). Load average before {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}, "
           f"after {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f} (the 2 cores are shared "
           "with other work)."]
    text = "\n".join(md) + "\n"
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(head)]
    print("  ".join(h.ljust(w) for h, w in zip(head, widths)))
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)))
    print("\n".join(["", *target_lines(results), *agreement(results),
                     f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f}"]))
    args.out.write_text(text)
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

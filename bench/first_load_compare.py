"""First loads with the code of an earlier commit against this checkout, alternating in one session.

``python -m bench.first_load_compare --base DIR --rounds 2`` runs, per round: firms-100k with ``--base``'s
code, then with this checkout's; WIOD 2008 with ``--base``'s code, then this checkout's without the GVC
accounting (the same work as before it existed) and with it. Each run is a child process on a freshly
started empty store (the schema and reference data of that code applied, untimed); only the load itself is
timed, in the child (``bench.load_project`` of that code). ``--base`` is a copy of the earlier commit,
e.g. ``git worktree add --detach DIR <commit>``. Prints each run with the 1-minute load average before and
after it, the medians and the ratio this/base; ``--out`` keeps the JSON.

The ratio is only as good as the machine's quiet: on a shared machine the load average beside each run says
how far to trust it.
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

REPO = Path(__file__).resolve().parent.parent
WORK = Path("/tmp/gvn-bench-compare")
WIOD = REPO / "data" / "wiod2013"
KINDS = {"firms": "firms-100k (100,000 firms, 699,115 relationships)",
         "wiod": "WIOD 2013, 2008 (1,435 sectors, 433,570 relationships without the accounting)",
         "wiod-gvc": "WIOD 2013, 2008 with the GVC accounting (524,109 relationships)"}


def child(kind: str, port: int, firms: Path) -> dict:
    """Runs in the compared tree (its ``bench`` and product packages come first on sys.path)."""
    from bench import load_project
    from bench.server import BenchServer

    srv = BenchServer(port=port, data_dir=WORK / f"first-load-compare-{port}")
    srv.fresh()
    try:
        load_project.load_reference_untimed()
        before = os.getloadavg()[0]
        if kind == "firms":
            r = load_project.firms(firms, "bench:firms-100k", srv.pid)
        else:
            # Z, Y and x of the shipped extract, read by this checkout into a pickle (the earlier code may not
            # read Parquet); every version's loader takes an object with Z, Y and x like a pymrio IOSystem
            import pickle
            from types import SimpleNamespace

            table = SimpleNamespace(**pickle.loads((WORK / "wiod-2008.pickle").read_bytes()), meta=None)
            if kind == "wiod":
                r = _wiod_without_accounting(table, srv.pid) if _has_accounting() else \
                    load_project.wiod(table, 2008, "WIOD2013", srv.pid)
            else:
                r = load_project.wiod(table, 2008, "WIOD2013", srv.pid)
    finally:
        srv.stop()   # a failed run must not leave its server on the port
    return {"seconds": r["seconds"], "python_peak_mib": r["python_peak_mib"],
            "created_relationships": r["created_relationships"], "load_before": before,
            "load_after": os.getloadavg()[0]}


def _has_accounting() -> bool:
    import inspect

    try:
        from loader.mrio.load import load_mrio
    except ModuleNotFoundError:   # before the loader's sub-packages: no accounting either
        return False
    return "gvc" in inspect.signature(load_mrio).parameters


def _wiod_without_accounting(table, jvm_pid) -> dict:
    from bench.memory import PeakWatch
    from loader.mrio.load import load_mrio

    with PeakWatch(jvm_pid) as w:
        t0 = time.perf_counter()
        s = load_mrio(table, 2008, "WIOD2013", "WIOD35", progress=False, gvc="off")
        seconds = time.perf_counter() - t0
    return {"seconds": seconds, "python_peak_mib": w.peaks.python_mib,
            "created_relationships": sum(v for k, v in s.created.items() if " (" in k)}


def run(code: Path, kind: str, port: int, firms: Path) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", kind, "--port", str(port),
           "--firms", str(firms)]
    env = {**os.environ, "PYTHONPATH": str(code)}
    out = subprocess.run(cmd, cwd=code, env=env, capture_output=True, text=True)
    line = [x for x in out.stdout.splitlines() if x.startswith("RESULT ")]
    if out.returncode != 0 or not line:
        raise RuntimeError(f"{kind} in {code} failed ({out.returncode}):\n{out.stderr[-3000:]}")
    return json.loads(line[-1][len("RESULT "):])


def markdown(runs: list[dict]) -> str:
    lines = ["| load | code | round | seconds | relationships | Python peak MiB | load average before / after |",
             "|---|---|---|---|---|---|---|"]
    for r in runs:
        lines.append(f"| {r['kind']} | {r['code']} | {r['round']} | {r['seconds']:.1f} | "
                     f"{r['created_relationships']:,} | {r['python_peak_mib']:.0f} | "
                     f"{r['load_before']:.1f} / {r['load_after']:.1f} |")
    lines += ["", "| load | base median s | this median s | this / base |", "|---|---|---|---|"]
    for kind, this_kind in (("firms", "firms"), ("wiod", "wiod"), ("wiod", "wiod-gvc")):
        base = [r["seconds"] for r in runs if r["kind"] == kind and r["code"] == "base"]
        this = [r["seconds"] for r in runs if r["kind"] == this_kind and r["code"] == "this"]
        if base and this:
            b, t = statistics.median(base), statistics.median(this)
            lines.append(f"| {KINDS[this_kind]} | {b:.1f} | {t:.1f} | {t / b:.2f}x |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.first_load_compare", description=__doc__.splitlines()[0])
    ap.add_argument("--base", type=Path, help="a checkout of the earlier commit")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--port", type=int, default=7811)
    ap.add_argument("--firms", type=Path, default=WORK / "firms-100k" / "tables")
    ap.add_argument("--out", type=Path, default=WORK / "first_load_compare.json")
    ap.add_argument("--child", choices=sorted(KINDS), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print("RESULT " + json.dumps(child(args.child, args.port, args.firms)), flush=True)
        return 0
    if args.base is None:
        ap.error("--base DIR is required")
    if not (args.firms / "firms.csv").exists():
        from bench.firm_files import write_tables_folder
        from bench.firm_graph import generate

        write_tables_folder(generate(100_000), args.firms)
    if not (WORK / "wiod-2008.pickle").exists():
        import pickle

        from loader.mrio.read import read_mrio

        t = read_mrio(WIOD, "parquet", year=2008)
        (WORK / "wiod-2008.pickle").write_bytes(pickle.dumps({"Z": t.Z, "Y": t.Y, "x": t.x}))
    runs = []
    plan = [("firms", "base", args.base), ("firms", "this", REPO), ("wiod", "base", args.base),
            ("wiod", "this", REPO), ("wiod-gvc", "this", REPO)]
    for rnd in range(1, args.rounds + 1):
        for kind, name, code in plan:
            print(f"[{time.strftime('%H:%M:%S', time.gmtime())}] round {rnd}: {kind} with {name} ({code})", flush=True)
            r = {"kind": kind, "code": name, "round": rnd, **run(code.resolve(), kind, args.port, args.firms)}
            print(f"    {r['seconds']:.1f} s, peak {r['python_peak_mib']:.0f} MiB, load {r['load_before']:.1f}",
                  flush=True)
            runs.append(r)
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(json.dumps(runs, indent=1))
    print(markdown(runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())

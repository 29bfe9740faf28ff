"""No-op reloads of a generated firm folder: the writer of an earlier commit against this one, alternating
on the same folder and database, each a ``loader tables`` child process with its peak RSS measured.

``python -m bench.reload_digest --base DIR --sizes 50000,200000 --rounds 2`` runs, per size: an empty
database, one first load (this checkout), then ``rounds`` x (reload with the code in ``--base``, reload with
this checkout), each of which must write nothing; then ``rounds`` x (base, this checkout) reloads after one
supply link's value was changed in the database (a different link each time: the digest of one chunk misses,
so that chunk is diffed and the year's shares recomputed; each must repair the link). Runs of this checkout
are shown over the mean of the base's runs of the same kind. Without ``--base``, this checkout's runs only
(the sizes where the earlier code would take too long or too much memory). ``--base`` is a copy of the
earlier commit, e.g. ``git archive <commit> | tar -x -C DIR``. Results as JSON (``--out``) and a markdown table.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from bench.load_scale import REPO, WORK, _env, counts, created, empty_database, stages


def updated(text: str) -> int:
    import re

    return sum(int(n.replace(",", "")) for n in re.findall(r"updated\s+([\d,]+)", text))


def run(srv, code: Path, folder: Path, source: str) -> dict:
    from bench.memory import run_child

    cmd = [sys.executable, "-m", "loader", "tables", str(folder), "--source", source, "--synthetic", "--no-bulk"]
    env = {**_env(srv), "PYTHONPATH": str(code)}
    rc, seconds, out, peak = run_child(cmd, env=env, cwd=str(code))
    if rc != 0:
        raise RuntimeError(f"{' '.join(cmd)} in {code} failed ({rc}):\n{out[-3000:]}")
    return {"seconds": seconds, "python_peak_mib": peak, "stages": stages(out), "created": created(out),
            "updated": updated(out), "output": out[-2000:]}


def one_size(srv, n: int, base: Path | None, rounds: int, log) -> dict:
    from neo4j import GraphDatabase

    from bench.firm_files import write_tables_folder
    from bench.firm_graph import generate, relationship_count

    name = f"firms-{n // 1000}k"
    graph = generate(n)
    rels, rows = relationship_count(graph), len(graph["firms"]) + len(graph["firm_supply"])
    folder = write_tables_folder(graph, WORK / name / "tables")
    del graph
    source = f"bench:{name}"
    out: dict = {"name": name, "firms": n, "relationships": rels, "input_rows": rows, "runs": []}
    empty_database(srv)

    def step(what: str, code: Path) -> dict:
        r = run(srv, code, folder, source)
        r["what"] = what
        out["runs"].append(r)
        log(f"{name}: {what} {r['seconds']:.1f} s, peak {r['python_peak_mib']:.0f} MiB, created {r['created']}, "
            f"updated {r['updated']} {r['stages']}")
        return r

    step("first load (this checkout)", REPO)
    if counts(srv) != (n, rels):
        raise RuntimeError(f"{name}: {counts(srv)} firms/relationships after the first load, expected {(n, rels)}")
    both = ((("base", base),) if base is not None else ()) + (("this checkout", REPO),)
    for _ in range(rounds):
        for what, code in ((f"reload, {w}", c) for w, c in both):
            r = step(what, code)
            if r["created"] or r["updated"]:
                raise RuntimeError(f"{name}: {what} wrote something")
    s = srv.settings
    for i in range(rounds):
        for what, code in both:
            # a different seller's link each time: the reload must find it and repair that link and its shares
            with GraphDatabase.driver(s.uri, auth=("neo4j", s.password)) as d:
                d.execute_query("MATCH (:Firm {key: $k})-[r:SUPPLIES]->() WITH r LIMIT 1 SET r.value = r.value + 1",
                                k=f"F{2 * i + (code == REPO):07d}" if n < 10_000_000 else f"F{2 * i:08d}")
            r = step(f"reload after one link changed in the database, {what}", code)
            if r["updated"] < 1:
                raise RuntimeError(f"{name}: the changed link was not repaired")
    return out


def markdown(results: list[dict]) -> str:
    """One line per run; a run of this checkout also shows its time and peak over the mean of the base's runs
    of the same kind (same folder, same server, same session)."""
    lines = ["| size | run | seconds | input rows/s | peak MiB | x base (time, peak) | created | updated | stages (s) |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        base: dict[str, list] = {}
        for m in r["runs"]:
            if m["what"].endswith(", base"):
                base.setdefault(m["what"][:-len(", base")], []).append(m)
        for m in r["runs"]:
            kind = m["what"].removesuffix(", this checkout")
            ratio = ""
            if kind != m["what"] and base.get(kind):
                t = sum(b["seconds"] for b in base[kind]) / len(base[kind])
                p = sum(b["python_peak_mib"] for b in base[kind]) / len(base[kind])
                ratio = f"{m['seconds'] / t:.2f}x, {m['python_peak_mib'] / p:.2f}x"
            st = ", ".join(f"{k} {v:.1f}" for k, v in m["stages"].items())
            lines.append(f"| {r['name']} ({r['input_rows']:,} rows) | {m['what']} | {m['seconds']:.1f} | "
                         f"{r['input_rows'] / m['seconds']:,.0f} | {m['python_peak_mib']:,.0f} | {ratio} | "
                         f"{m['created']} | {m['updated']} | {st} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    from bench.server import BenchServer

    ap = argparse.ArgumentParser(prog="python -m bench.reload_digest", description=__doc__.splitlines()[0])
    ap.add_argument("--base", type=Path, help="a copy of the earlier commit's tree (none: this checkout only)")
    ap.add_argument("--sizes", default="50000")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--port", type=int, default=7823)
    ap.add_argument("--heap", default="2g")
    ap.add_argument("--pagecache", default="1g")
    ap.add_argument("--out", type=Path, default=WORK / "reload_digest.json")
    args = ap.parse_args(argv)

    def log(msg: str) -> None:
        print(f"[{time.strftime('%H:%M:%S', time.gmtime())}] {msg}", flush=True)

    srv = BenchServer(heap=args.heap, pagecache=args.pagecache, port=args.port,
                      data_dir=REPO / ".neo4j" / f"bench-{args.port}")
    WORK.mkdir(parents=True, exist_ok=True)
    results = []
    try:
        for size in args.sizes.split(","):
            results.append(one_size(srv, int(size), args.base.resolve() if args.base else None, args.rounds, log))
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(json.dumps(results, indent=1))
    finally:
        srv.stop()
    print(markdown(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Peak memory and time of validating a generated firm folder (``loader tables DIR --check``: read, type,
look up references, check; nothing written), the code of an earlier commit against this one, alternating.

``python -m bench.validate_memory --base DIR --sizes 200000 --rounds 2`` needs a running database for the
reference look-ups (``NEO4J_URI``/``NEO4J_PASSWORD`` of any server; it only reads). ``--base`` is a copy of
the earlier commit's tree (``git archive <commit> | tar -x -C DIR``); ``--only-new`` skips it (a size the
old code would need more memory for than the machine has).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from bench.load_scale import REPO, WORK


def check(code: Path, folder: Path) -> dict:
    from bench.memory import run_child

    cmd = [sys.executable, "-m", "loader", "tables", str(folder), "--check"]
    rc, seconds, out, peak = run_child(cmd, env={**os.environ, "PYTHONPATH": str(code)}, cwd=str(code))
    if rc != 0:
        raise RuntimeError(f"{cmd} in {code} failed ({rc}):\n{out[-2000:]}")
    return {"seconds": seconds, "python_peak_mib": peak, "output": out.strip()[-300:]}


def main(argv: list[str] | None = None) -> int:
    from bench.firm_files import write_tables_folder
    from bench.firm_graph import generate

    ap = argparse.ArgumentParser(prog="python -m bench.validate_memory", description=__doc__.splitlines()[0])
    ap.add_argument("--base", type=Path)
    ap.add_argument("--sizes", default="200000")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--only-new", action="store_true")
    ap.add_argument("--out", type=Path, default=WORK / "validate_memory.json")
    args = ap.parse_args(argv)
    results = []
    for size in map(int, args.sizes.split(",")):
        graph = generate(size)
        rows = len(graph["firms"]) + len(graph["firm_supply"])
        folder = write_tables_folder(graph, WORK / f"check-{size}" / "tables")
        del graph
        runs = []
        codes = [("this checkout", REPO)] if args.only_new else [("base", args.base.resolve()), ("this checkout", REPO)]
        for _ in range(args.rounds):
            for what, code in codes:
                r = check(code, folder)
                r["what"] = what
                runs.append(r)
                print(f"[{time.strftime('%H:%M:%S', time.gmtime())}] {size} firms ({rows:,} rows): {what} "
                      f"{r['seconds']:.1f} s, peak {r['python_peak_mib']:.0f} MiB", flush=True)
        results.append({"firms": size, "input_rows": rows, "runs": runs})
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Time ``python -m loader demo`` as ``make demo`` runs it: wall, loader CPU, server CPU, load average.

    python -m bench.demo_time --port 7832 --dir .neo4j/bench-7832 [--fresh] [--repo DIR] [-- demo args]

``--fresh`` deletes the server's data folder first, starts the server and applies the schema (what
``make demo`` does before the load), so the run starts from an empty database. ``--repo`` runs another
checkout's loader (a copy of main, for a before/after pair in one session) with this checkout's server.

Loader CPU: user + sys of the loader process and its waited-for children (the neo4j-admin import of a
bulk load is one), from ``resource.getrusage(RUSAGE_CHILDREN)``. Server CPU: utime + stime of every Neo4j
JVM serving the data folder, sampled from ``/proc`` twice a second (a bulk load stops the server and starts
a new process: each pid's last sample counts), minus what they had used before the load.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def _server_cpu(data_dir: str) -> dict[int, float]:
    out = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
            if "CommunityEntryPoint" not in cmd or data_dir not in cmd:
                continue
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            out[int(pid)] = (int(fields[11]) + int(fields[12])) / TICK
        except OSError:
            continue
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--heap", default="2g")
    ap.add_argument("--fresh", action="store_true")
    ap.add_argument("--repo", default=".")
    ap.add_argument("--label", default="")
    ap.add_argument("demo_args", nargs="*")
    args = ap.parse_args()
    data_dir = str(Path(args.dir).resolve())
    py = str(Path(sys.executable))
    env = {**os.environ, "NEO4J_LOCAL_PORT": str(args.port), "NEO4J_LOCAL_DIR": data_dir,
           "NEO4J_LOCAL_HEAP": args.heap, "NEO4J_URI": f"bolt://127.0.0.1:{args.port}",
           "NEO4J_DATABASE": "neo4j", "PYTHONPATH": str(Path(args.repo).resolve())}
    here = str(Path(__file__).resolve().parents[1])
    if args.fresh:
        subprocess.run([py, "-m", "neo4j_local", "stop", "--port", str(args.port), "--data-dir", data_dir],
                       env={**env, "PYTHONPATH": here}, cwd=here, capture_output=True)
        shutil.rmtree(data_dir, ignore_errors=True)
    subprocess.run([py, "-m", "neo4j_local", "start", "--port", str(args.port), "--data-dir", data_dir,
                    "--heap", args.heap], env={**env, "PYTHONPATH": here}, cwd=here, check=True)
    subprocess.run([py, "-m", "schema", "apply"], env=env, cwd=args.repo, check=True)
    seen: dict[int, float] = {}
    before = _server_cpu(data_dir)
    seen.update(before)
    stop = threading.Event()

    def sample():
        while not stop.wait(0.5):
            seen.update(_server_cpu(data_dir))

    threading.Thread(target=sample, daemon=True).start()
    load0 = os.getloadavg()[0]
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    started = time.strftime("%H:%M:%S", time.gmtime())
    done = subprocess.run([py, "-m", "loader", "demo", *args.demo_args], env=env, cwd=args.repo)
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    stop.set()
    seen.update(_server_cpu(data_dir))
    result = {"label": args.label, "start_utc": started, "end_utc": time.strftime("%H:%M:%S", time.gmtime()),
              "exit": done.returncode, "wall_s": round(wall, 1),
              "loader_cpu_s": round(r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime, 1),
              "server_cpu_s": round(sum(seen.values()) - sum(before.values()), 1),
              "load_avg": [round(load0, 1), round(os.getloadavg()[0], 1)], "server_pids": sorted(seen)}
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()

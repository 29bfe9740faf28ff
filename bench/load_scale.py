"""First loads and no-op reloads of generated firm folders through the real command line, each
load a child process (``python -m loader tables``) whose peak resident memory is measured.

``python -m bench.load_scale --sizes 50000,200000 --methods normal,reload,bulk,admin`` runs, per size
and on the benchmark server given (``--port``, data in ``.neo4j/bench-<port>``):

* ``normal``: an empty database, ``loader tables DIR --no-bulk``: validate, diff, write in
  transactions (the writer every load used before bulk loads);
* ``reload``: the same command again on the loaded database (writes nothing);
* ``rebulk``: the same, after the bulk load (a normal reload of a bulk-loaded database);
* ``verify``: after ``reload`` or ``rebulk``, the same reload with ``--verify``: every row compared with the
  store (chunk digests), as every reload did before the writer kept a record of its loads (the same-run
  baseline of a reload the record says the store holds);
* ``bulk``: an empty database, ``loader tables DIR --bulk``: validate, write import files,
  stop the server, ``neo4j-admin database import full``, start it, apply the schema;
* ``admin``: the bare ``neo4j-admin database import full`` of the very files the bulk load
  wrote (kept with ``GVN_BULK_KEEP``), into a scratch home, same threads and memory: the
  import's own cost, without validation, file writing, server stop/start and schema.

Every load is checked afterwards (firm and relationship counts). Results are printed and written
as JSON (``--out``); ``bench.suite_load`` records them in results.md.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BARE = "bare neo4j-admin import"
WORK = Path("/tmp/gvn-bench-scale")


def _env(srv, keep: Path | None = None) -> dict[str, str]:
    """The child's environment: the product's settings name the benchmark server, and the local-server
    settings (used by bulk loads to stop and start it) name the same server."""
    s = srv.settings
    env = {**os.environ, "NEO4J_URI": s.uri, "NEO4J_USER": "neo4j", "NEO4J_PASSWORD": s.password,
           "NEO4J_DATABASE": "neo4j", "NEO4J_LOCAL_PORT": str(s.bolt_port), "NEO4J_LOCAL_DIR": str(s.data_dir),
           "NEO4J_LOCAL_HEAP": s.heap, "NEO4J_LOCAL_PAGECACHE": s.pagecache, "PYTHONPATH": str(REPO)}
    if keep is not None:
        env["GVN_BULK_KEEP"] = str(keep)
    return env


def run_loader(srv, folder: Path, source: str, flags: list[str], keep: Path | None = None) -> dict:
    from bench.memory import run_child

    cmd = [sys.executable, "-m", "loader", "tables", str(folder), "--source", source, "--synthetic", *flags]
    code, seconds, out, peak = run_child(cmd, env=_env(srv, keep), cwd=str(REPO))
    if code != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({code}):\n{out[-3000:]}")
    return {"seconds": seconds, "python_peak_mib": peak, "stages": stages(out), "output": out[-2500:],
            "created": created(out), "held": "unchanged: the store holds these rows" in out}


def stages(text: str) -> dict[str, float]:
    """'seconds per stage: read and validate 12.3, build rows 1.0' -> {stage: seconds}."""
    m = re.search(r"seconds per stage: (.*)", text)
    if not m:
        return {}
    out = {}
    for part in re.split(r", (?![^(]*\))", m.group(1)):   # a stage name may hold ", " inside parentheses
        name, _, value = part.rpartition(" ")
        try:
            out[name] = float(value)
        except ValueError:
            pass
    return out


def created(text: str) -> int:
    return sum(int(n.replace(",", "")) for n in re.findall(r"created\s+([\d,]+)", text))


def counts(srv) -> tuple[int, int]:
    from neo4j import GraphDatabase

    s = srv.settings
    with GraphDatabase.driver(s.uri, auth=("neo4j", s.password)) as d:
        n = d.execute_query("MATCH (f:Firm) RETURN count(f) AS c").records[0]["c"]
        m = d.execute_query("MATCH (:Firm)-[r]->() RETURN count(r) AS c").records[0]["c"]
    return n, m


def empty_database(srv) -> None:
    """Stop, delete the `neo4j` store, start: an empty database without the product schema (a bulk
    load into an empty database applies it; the normal writer's first load is measured the same way)."""
    srv.stop()
    srv.wipe_store()
    srv.start()
    from schema.apply import apply

    apply(srv_settings(srv))


def srv_settings(srv):
    from connection import Settings

    s = srv.settings
    return Settings(uri=s.uri, user="neo4j", password=s.password, database="neo4j")


def bare_import(srv, files: Path, work: Path) -> dict:
    """neo4j-admin import of the bulk load's kept files into a scratch home (same options as the bulk load)."""
    from bench.load_admin import parse_report, write_scratch_conf
    from bench.memory import run_child
    from neo4j_local.importer import import_command

    home = work / "admin-home"
    shutil.rmtree(home, ignore_errors=True)
    conf = write_scratch_conf(home)
    manifest = json.loads((files / "manifest.json").read_text())
    cmd, env = import_command(srv.jar_lib, home, conf, "neo4j", manifest)
    code, seconds, out, peak = run_child(cmd, env={**os.environ, **env}, cwd=str(home))
    if code != 0:
        raise RuntimeError(f"bare import failed ({code}):\n{out[-3000:]}")
    shutil.rmtree(home, ignore_errors=True)
    return {"seconds": seconds, "peak_mib": peak, **parse_report(out)}


def one_size(srv, n: int, methods: list[str], log) -> dict:
    from bench.firm_files import write_tables_folder
    from bench.firm_graph import generate, relationship_count

    name = f"firms-{n // 1_000_000}M" if n >= 1_000_000 else f"firms-{n // 1000}k"
    graph = generate(n)
    rels = relationship_count(graph)
    expected = (n, rels)
    folder = write_tables_folder(graph, WORK / name / "tables")
    del graph
    out: dict = {"name": name, "firms": n, "relationships": rels, "rows": None}
    source = f"bench:{name}"
    kept = WORK / name / "import"

    def check(what: str) -> None:
        got = counts(srv)
        if got != expected:
            raise RuntimeError(f"{name} {what}: {got} firms/relationships, expected {expected}")

    def attempt(key: str, what: str, fn) -> dict | None:
        """One measured load; a failure (e.g. the server's 10-minute transaction timeout ending a batched
        load's lock holder on a busy machine) is recorded with its message, and the run goes on."""
        try:
            r = fn()
        except Exception as e:   # noqa: BLE001 - recorded, not hidden
            out[key] = {"failed": str(e).strip().splitlines()[-1][:300]}
            log(f"{name}: {what} FAILED: {out[key]['failed']}")
            return None
        out[key] = r
        extra = f", created {r['created']}, held {r['held']}" if "reload" in key else ""
        log(f"{name}: {what} {r['seconds']:.1f} s, peak {r.get('python_peak_mib', r.get('peak_mib', 0)):.0f} MiB"
            f"{extra} {r.get('stages', '')}")
        return r

    def load(flags: list[str], what: str, keep: Path | None = None):
        def fn():
            r = run_loader(srv, folder, source, flags, keep)
            check(what)
            return r
        return fn

    if "normal" in methods:
        empty_database(srv)
        if attempt("normal", "normal first load", load(["--no-bulk"], "normal load")) and "reload" in methods:
            attempt("reload", "reload", load(["--no-bulk"], "reload"))
            if "verify" in methods:
                attempt("reload_verify", "reload --verify", load(["--no-bulk", "--verify"], "reload --verify"))
    if "bulk" in methods:
        empty_database(srv)
        shutil.rmtree(kept, ignore_errors=True)
        if attempt("bulk", "bulk first load", load(["--bulk"], "bulk load", keep=kept)):
            if "rebulk" in methods:
                attempt("reload_after_bulk", "reload after bulk", load(["--no-bulk"], "reload after bulk"))
                if "verify" in methods:
                    attempt("reload_after_bulk_verify", "reload --verify after bulk",
                            load(["--no-bulk", "--verify"], "reload --verify after bulk"))
            if "admin" in methods:
                attempt("admin", "bare neo4j-admin import of the same files",
                        lambda: bare_import(srv, kept, WORK / name))
        shutil.rmtree(kept, ignore_errors=True)
    shutil.rmtree(folder, ignore_errors=True)
    return out


def _has_bulk() -> bool:
    return (REPO / "loader" / "graph" / "bulk.py").exists()


def main(argv: list[str] | None = None) -> int:
    from bench.server import BenchServer

    ap = argparse.ArgumentParser(prog="python -m bench.load_scale", description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="50000,200000")
    ap.add_argument("--methods", default="normal,reload,bulk,rebulk,admin",
                    help="per size; SIZE:METHODS in --sizes overrides, e.g. 1000000:bulk+admin")
    ap.add_argument("--port", type=int, default=7823)
    ap.add_argument("--heap", default="4g")
    ap.add_argument("--pagecache", default="2g")
    ap.add_argument("--out", type=Path, default=WORK / "results.json")
    ap.add_argument("--markdown", type=Path, help="render an earlier run's --out JSON as a table and exit")
    args = ap.parse_args(argv)
    if args.markdown:
        print(markdown(json.loads(args.markdown.read_text())))
        return 0

    def log(msg: str) -> None:
        print(f"[{time.strftime('%H:%M:%S', time.gmtime())}] {msg}", flush=True)

    srv = BenchServer(heap=args.heap, pagecache=args.pagecache, port=args.port,
                      data_dir=REPO / ".neo4j" / f"bench-{args.port}")
    WORK.mkdir(parents=True, exist_ok=True)
    results = []
    try:
        for spec in args.sizes.split(","):
            size, _, own = spec.partition(":")
            results.append(one_size(srv, int(size), own.split("+") if own else args.methods.split(","), log))
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(json.dumps(results, indent=1))
    finally:
        srv.stop()
    return 0



ROWS = (("normal", "normal writer, first load (--no-bulk)"), ("reload", "normal writer, reload (writes nothing)"),
        ("reload_verify", "normal writer, reload --verify (compares every row)"),
        ("bulk", "bulk first load (--bulk)"), ("reload_after_bulk", "reload after the bulk load (writes nothing)"),
        ("reload_after_bulk_verify", "reload --verify after the bulk load (compares every row)"),
        ("admin", BARE + " of the bulk load's files"))


def markdown(results: list[dict], header: str = "") -> str:
    """The results as a markdown table: seconds, relationships/s, rows/s, peak memory, stages."""
    lines = [header] if header else []
    lines += ["| size | method | seconds | relationships/s | input rows/s | x bare import | peak MiB | stages (s) |",
              "|---|---|---|---|---|---|---|---|"]
    for r in results:
        # input rows: one per firm and one per supply link (each firm also gets LOCATED_IN and IN_INDUSTRY)
        rels, rows = r["relationships"], r["relationships"] - r["firms"]
        bare = r.get("admin", {}).get("seconds")
        for key, what in ROWS:
            m = r.get(key)
            if m is None:
                continue
            if "failed" in m:
                lines.append(f"| {r['name']} | {what} | failed | | | | | {m['failed'][:160]} |")
                continue
            s = m["seconds"]
            peak = m.get("python_peak_mib", m.get("peak_mib"))
            stages = ", ".join(f"{k} {v:.1f}" for k, v in m.get("stages", {}).items())
            ratio = f"{s / bare:.2f}" if bare and key != "admin" else ""
            lines.append(f"| {r['name']} | {what} | {s:,.1f} | {rels / s:,.0f} | {rows / s:,.0f} | {ratio} | "
                         f"{peak:,.0f} | {stages} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())

"""`neo4j-admin database import full`, run from the server's own jars (org.neo4j.cli.AdminTool).

The import writes a new store offline (the target database must not be in use): either
into a scratch home (timing runs) or into the stopped benchmark server's data directory
(to serve the imported graph afterwards). Constraints and indexes are not part of it:
the schema is applied after the server starts, and that index population is timed apart.
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from bench.memory import run_child

MAIN_CLASS = "org.neo4j.cli.AdminTool"


def write_scratch_conf(home: Path) -> Path:
    conf = home / "conf"
    conf.mkdir(parents=True, exist_ok=True)
    (conf / "neo4j.conf").write_text(f"server.directories.data={home / 'data'}\n"
                                     f"server.directories.logs={home / 'logs'}\n")
    return conf


def import_full(lib: Path, home: Path, conf: Path, files: dict[str, list[str]], *, heap: str = "1g",
                off_heap: str = "2g", threads: int = 2, database: str = "neo4j") -> dict:
    """Run the import; returns seconds (JVM start included), the tool's own report and peak RSS."""
    java = shutil.which("java") or "java"
    env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(conf)}
    cmd = [java, f"-Xmx{heap}", "-cp", f"{lib}/*", MAIN_CLASS, "database", "import", "full", database,
           "--overwrite-destination=true", f"--threads={threads}", f"--max-off-heap-memory={off_heap}",
           f"--report-file={home / 'import.report'}"]
    cmd += [f"--nodes={n}" for n in files["nodes"]] + [f"--relationships={r}" for r in files["relationships"]]
    code, seconds, out, peak = run_child(cmd, env=env, cwd=str(home))
    if code != 0:
        raise RuntimeError(f"neo4j-admin import failed ({code}):\n{out[-3000:]}")
    return {"seconds": seconds, "peak_mib": peak, **parse_report(out)}


def parse_report(text: str) -> dict:
    """'IMPORT DONE in 3s 12ms. Imported: 100 nodes 700 relationships 1200 properties' -> counts."""
    m = re.search(r"Imported:\s*([\d,]+) nodes\s+([\d,]+) relationships\s+([\d,]+) properties", text)
    if not m:
        return {}
    nodes, rels, props = (int(g.replace(",", "")) for g in m.groups())
    took = re.search(r"IMPORT DONE in ([^.]+)\.", text)
    return {"nodes": nodes, "relationships": rels, "properties": props, "tool_says": took.group(1) if took else ""}

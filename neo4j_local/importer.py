"""``neo4j-admin database import full`` for the local server: replace a database by one built offline
from CSV files (the bulk first load of ``loader.graph.bulk``).

Neo4j Community has one user database and its import tool only writes a database that is not
running, so the server is stopped for the import and started again afterwards: every client
loses its connections for that time. (Enterprise could import into a new database name and
``CREATE DATABASE`` it while the server runs; this project ships Community, so it does not.)

The tool runs from the server's own jars (``org.neo4j.cli.AdminTool``), with a bounded heap and
off-heap memory (its default takes 90% of the free memory) and as strict as it can be: a
duplicate node id or a relationship whose end node is missing fails the import instead of
being skipped. If the import fails, the half-written store is deleted, so the server starts
again with an empty database, as it was before.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlparse

from neo4j_local.jars import ensure_jars, require_tool
from neo4j_local.server import LocalNeo4j, LocalNeo4jError
from neo4j_local.settings import LocalSettings

MAIN_CLASS = "org.neo4j.cli.AdminTool"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass(frozen=True)
class ImportOptions:
    heap: str = os.environ.get("GVN_BULK_HEAP", "1g")
    off_heap: str = os.environ.get("GVN_BULK_OFF_HEAP", "2g")
    threads: int = int(os.environ.get("GVN_BULK_THREADS", str(os.cpu_count() or 2)))


# the restart after an import may take minutes on a busy machine (the JVM, then a new store's first
# recovery): far longer than an ordinary start is given, and giving up leaves the server down
START_TIMEOUT_S = float(os.environ.get("GVN_BULK_START_TIMEOUT", "900"))


class ImportFailed(RuntimeError):
    """The import tool refused the files (the database is empty again), or the server did not start again
    (``server_down``)."""

    def __init__(self, message: str, server_down: bool = False):
        super().__init__(message)
        self.server_down = server_down


def local_server(uri: str, settings: LocalSettings | None = None) -> tuple[LocalNeo4j | None, str]:
    """The local server ``uri`` points at, or None and why not.

    Local means: the URI names a loopback address and the port of the server that
    ``python -m neo4j_local`` runs (``NEO4J_LOCAL_PORT``/``NEO4J_LOCAL_DIR``), and that server's
    pid file names a live process. Only then may its store files be written."""
    s = settings or LocalSettings.from_env()
    parsed = urlparse(uri)
    where = f"NEO4J_LOCAL_PORT={s.bolt_port}, NEO4J_LOCAL_DIR={s.data_dir}"
    if parsed.hostname not in LOOPBACK or parsed.port != s.bolt_port:
        return None, (f"NEO4J_URI={uri} is not the local server ({where}); neo4j-admin import writes the "
                      "database's files, so it needs the server `python -m neo4j_local` runs on this machine")
    server = LocalNeo4j(s, log=lambda *_: None)
    if server.pid() is None:
        return None, f"no local server runs with {where} (its pid file names no live process)"
    return server, ""


def import_command(lib: Path, home: Path, conf: Path, database: str, manifest: dict,
                   options: ImportOptions | None = None) -> tuple[list[str], dict[str, str]]:
    """The ``neo4j-admin database import full`` command line and its environment, for ``manifest``:
    {"nodes": [[label, header file, data file], ...], "relationships": [[type, header, data], ...],
    "multiline": bool}."""
    o = options or ImportOptions()
    java = shutil.which("java") or "java"
    cmd = [java, f"-Xmx{o.heap}", "-cp", f"{lib}/*", MAIN_CLASS, "database", "import", "full", database,
           "--overwrite-destination=true", f"--threads={o.threads}", f"--max-off-heap-memory={o.off_heap}",
           "--skip-bad-relationships=false", "--skip-duplicate-nodes=false", "--bad-tolerance=0",
           f"--multiline-fields={'true' if manifest.get('multiline') else 'false'}",
           f"--report-file={home / 'import.report'}"]
    cmd += [f"--nodes={label}={header},{data}" for label, header, data in manifest["nodes"]]
    cmd += [f"--relationships={type_}={header},{data}" for type_, header, data in manifest["relationships"]]
    return cmd, {"NEO4J_HOME": str(home), "NEO4J_CONF": str(conf)}


def parse_report(text: str) -> dict:
    """'IMPORT DONE in 3s 12ms. Imported: 100 nodes 700 relationships 1200 properties' -> counts."""
    m = re.search(r"Imported:\s*([\d,]+) nodes\s+([\d,]+) relationships\s+([\d,]+) properties", text)
    if not m:
        return {}
    nodes, rels, props = (int(g.replace(",", "")) for g in m.groups())
    return {"nodes": nodes, "relationships": rels, "properties": props}


def _wipe(data_dir: Path, database: str) -> None:
    for sub in ("databases", "transactions"):
        shutil.rmtree(data_dir / "data" / sub / database, ignore_errors=True)


def start_again(server: LocalNeo4j) -> None:
    """Start ``server`` after an import (or a stop for one), with the patience a new store's first start needs;
    reuses it when it runs."""
    LocalNeo4j(replace(server.s, start_timeout_s=max(server.s.start_timeout_s, START_TIMEOUT_S)),
               log=lambda *_: None).start()


def replace_database(server: LocalNeo4j, database: str, manifest: dict, *, before_stop=lambda: None,
                     options: ImportOptions | None = None) -> dict:
    """Stop ``server``, import ``manifest`` as ``database``, start it again.

    Returns the tool's counts and the seconds of each step ("stop", "import", "start").
    ``before_stop`` runs just before the server stops (callers close their drivers there).
    Raises ImportFailed (the database is then empty, and the server running) if the tool fails."""
    require_tool("java", "Install Java 17 (Debian: apt-get install openjdk-17-jre-headless).")
    lib, _ = ensure_jars(server.s.jar_dir, lambda *_: None)
    home = server.s.data_dir
    conf = home / "conf"
    seconds = {}
    t = time.perf_counter()
    before_stop()
    server.stop()
    seconds["stop"] = time.perf_counter() - t
    t = time.perf_counter()
    cmd, env = import_command(lib, home, conf, database, manifest, options)
    done = subprocess.run(cmd, env={**os.environ, **env}, cwd=home, capture_output=True, text=True)
    seconds["import"] = time.perf_counter() - t
    out = done.stdout + done.stderr
    failed = done.returncode != 0
    if failed:
        _wipe(home, database)   # a half-written store must not be served: back to an empty database
    t = time.perf_counter()
    try:
        start_again(server)
    except LocalNeo4jError as e:
        raise ImportFailed(f"the server did not start again after the import{' (which failed)' if failed else ''}:"
                           f" {e}; start it with `python -m neo4j_local start`", server_down=True) from e
    seconds["start"] = time.perf_counter() - t
    if failed:
        raise ImportFailed(f"neo4j-admin database import failed (exit {done.returncode}); the database is empty "
                           f"again. Last lines of its output:\n{out[-2500:]}")
    return {**parse_report(out), "seconds": seconds, "output": out[-2000:]}

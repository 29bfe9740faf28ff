"""The benchmark's own Neo4j server (port 7751, .neo4j/bench-7751) and a fresh database on demand.

``BenchServer.fresh()`` stops the server, deletes the `neo4j` database's store and
transaction logs (the system database, and so the password, stay), starts it again and
applies the schema: an empty database in seconds, where deleting a million nodes with
Cypher would take minutes. It also points NEO4J_URI/USER/PASSWORD at this server, so
every product function (loaders, query runner, explorer data access) talks to it.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

from neo4j_local import LocalNeo4j, LocalSettings
from neo4j_local.jars import ensure_jars

REPO = Path(__file__).resolve().parent.parent
PORT = 7751
DATA_DIR = REPO / ".neo4j" / f"bench-{PORT}"
PASSWORD = "gvn-bench-only"


def quiet(*_args, **_kwargs) -> None:
    pass


class BenchServer:
    def __init__(self, heap: str = "2g", pagecache: str = "1g", port: int = PORT, data_dir: Path = DATA_DIR):
        self.settings = LocalSettings.from_env(bolt_port=port, data_dir=data_dir, heap=heap, pagecache=pagecache,
                                               password=PASSWORD)
        self.server = LocalNeo4j(self.settings, log=quiet)

    @property
    def data_dir(self) -> Path:
        return self.settings.data_dir

    @property
    def jar_lib(self) -> Path:
        lib, _ = ensure_jars(self.settings.jar_dir, quiet)
        return lib

    @property
    def pid(self) -> int | None:
        return self.server.pid()

    def point_env(self) -> None:
        """Make Settings.from_env() (used by every product module) name this server."""
        os.environ["NEO4J_URI"] = self.settings.uri
        os.environ["NEO4J_USER"] = "neo4j"
        os.environ["NEO4J_PASSWORD"] = PASSWORD
        os.environ["NEO4J_DATABASE"] = "neo4j"

    def start(self) -> None:
        self.point_env()
        self.server.start()

    def stop(self) -> None:
        from connection import close_driver

        close_driver()  # pooled connections would point at a dead process
        self.server.stop()

    def wipe_store(self) -> None:
        """Delete the `neo4j` database files (server must be stopped)."""
        for sub in ("databases", "transactions"):
            shutil.rmtree(self.data_dir / "data" / sub / "neo4j", ignore_errors=True)

    def fresh(self, schema: bool = True) -> None:
        """An empty `neo4j` database (with the product schema) on a freshly started server."""
        self.stop()
        self.wipe_store()
        self.start()
        if schema:
            from schema.apply import apply

            apply()

    def empty(self) -> None:
        """Delete the loaded graph with Cypher, keeping reference data, schema and the server's statistics.

        Much faster than ``fresh()`` on 2 busy cores (a restart costs about a minute there), but the
        planner keeps the statistics of the previous load: a MERGE is then planned for a populated
        database. Runs that must start from an empty database's plans use ``fresh()``.
        """
        from connection import Settings, get_driver

        s = Settings.from_env()
        with get_driver(s).session(database=s.database) as session:
            session.run("MATCH (n) WHERE n:Firm OR n:Sector OR n:SectorYear OR (n:Dataset AND n.key <> 'reference') "
                        "CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 2000 ROWS").consume()
            session.run("MATCH (n) WHERE (n:Country OR n:Industry) AND n.source <> 'reference' "
                        "CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 2000 ROWS").consume()
            session.run("CALL db.clearQueryCaches()").consume()

    def store_mib(self) -> float:
        root = self.data_dir / "data" / "databases" / "neo4j"
        return sum(p.stat().st_size for p in root.rglob("*") if p.is_file()) / 2**20

"""Database helpers of the reliability tests: a wipe that fits a small heap, and a spare server.

The spare server is a second real Neo4j (its own port and data directory) that the crash
and outage tests may kill, stop and restart without disturbing the session's test server.
It is started once per test process and stopped when the process exits.
"""
from __future__ import annotations

import atexit
import os
import shutil
from pathlib import Path

from tests.support import wiod
from tests.conftest import TEST_DIR, TEST_PASSWORD, TEST_PORT

SPARE_PORT = int(os.environ.get("GVN_SPARE_PORT", TEST_PORT + 1))
SPARE_DIR = Path(os.environ.get("GVN_SPARE_DIR", str(TEST_DIR.parent / f"spare-{SPARE_PORT}")))

_spare = None


def wipe_all(driver, database: str = "neo4j") -> None:
    """Delete everything in small transactions: relationships first, so a dense table
    (WIOD: ~180 SUPPLIES per Sector) never puts millions of deletions in one transaction."""
    with driver.session(database=database) as session:
        session.run("MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 20000 ROWS").consume()
        session.run("MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS OF 20000 ROWS").consume()
    driver.execute_query("CALL gds.graph.list() YIELD graphName CALL gds.graph.drop(graphName, false) "
                         "YIELD graphName AS g RETURN count(g)", database_=database)


def spare_server():
    """The spare LocalNeo4j (started on first use; a fresh data directory every test run)."""
    global _spare
    if _spare is None:
        from neo4j_local import LocalNeo4j, LocalSettings

        server = LocalNeo4j(LocalSettings.from_env(bolt_port=SPARE_PORT, data_dir=SPARE_DIR,
                                                   heap=os.environ.get("GVN_SPARE_HEAP", "2g"),
                                                   pagecache="256m", password=TEST_PASSWORD))
        if not server.running():
            shutil.rmtree(SPARE_DIR, ignore_errors=True)
        server.start()
        if os.environ.get("GVN_TEST_KEEP") != "1":
            atexit.register(server.stop)
        _spare = server
    elif not _spare.running():
        _spare.start()
    return _spare


def spare_settings():
    from connection import Settings

    return Settings(uri=f"bolt://127.0.0.1:{SPARE_PORT}", user="neo4j", password=TEST_PASSWORD, database="neo4j")


def wiod_folder() -> Path:
    """The WIOD 1995 table the repository ships (Parquet table format, data/wiod2013/1995)."""
    return wiod.folder(1995)

"""Test-wide fixtures: a throwaway real Neo4j server on its own port and directory.

The suite never touches the demo database: it points NEO4J_URI at the test
server before any product code reads its settings. GVN_TEST_PORT and
GVN_TEST_DIR choose where (so several checkouts can test at once);
GVN_TEST_KEEP=1 leaves the server running afterwards, and a later run reuses
it, for a quick edit-test loop.
"""
from __future__ import annotations

import os
import shutil
import socket
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _choose_port() -> int:
    """GVN_TEST_PORT if set; else 7697, or a free port when something else holds 7697."""
    if os.environ.get("GVN_TEST_PORT"):
        return int(os.environ["GVN_TEST_PORT"])
    from neo4j_local import LocalNeo4j, LocalSettings
    from neo4j_local.server import bolt_answers

    ours = LocalNeo4j(LocalSettings(bolt_port=7697, data_dir=REPO / ".neo4j" / "test-7697"))
    if not bolt_answers(7697) or ours.pid() is not None:
        return 7697
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


TEST_PORT = _choose_port()
TEST_DIR = Path(os.environ.get("GVN_TEST_DIR", str(REPO / ".neo4j" / f"test-{TEST_PORT}")))
TEST_PASSWORD = "gvn-test-only"
OUTPUT_DIR = REPO / "test-output"


def pytest_configure(config):
    os.environ["NEO4J_URI"] = f"bolt://127.0.0.1:{TEST_PORT}"
    os.environ["NEO4J_USER"] = "neo4j"
    os.environ["NEO4J_PASSWORD"] = TEST_PASSWORD
    os.environ["NEO4J_DATABASE"] = "neo4j"
    OUTPUT_DIR.mkdir(exist_ok=True)


@pytest.fixture(scope="session")
def neo4j_server():
    from neo4j_local import LocalNeo4j, LocalSettings

    settings = LocalSettings.from_env(bolt_port=TEST_PORT, data_dir=TEST_DIR, heap=os.environ.get("GVN_TEST_HEAP", "2g"),
                                      password=TEST_PASSWORD)
    server = LocalNeo4j(settings)
    keep = os.environ.get("GVN_TEST_KEEP") == "1"
    if not server.running():
        shutil.rmtree(TEST_DIR, ignore_errors=True)  # throwaway: every fresh run starts empty
    server.start()
    yield server
    from connection import close_driver

    close_driver()
    if not keep:
        server.stop()


@pytest.fixture(scope="session")
def settings(neo4j_server):
    from connection import Settings

    return Settings.from_env()


@pytest.fixture(scope="session")
def driver(settings):
    from connection import get_driver

    return get_driver(settings)


@pytest.fixture(scope="session")
def schema_applied(settings):
    from schema.apply import apply

    apply(settings)
    return True


def wipe(driver, database="neo4j"):
    # CALL ... IN TRANSACTIONS needs an auto-commit transaction: session.run, not execute_query.
    # Relationships first, in bounded batches: 1,000 WIOD sectors with their SUPPLIES and GVC links
    # (several hundred each) in one DETACH DELETE transaction exceed the server's memory pool
    from neo4j.exceptions import TransientError

    for attempt in (1, 2):
        try:
            with driver.session(database=database) as session:
                session.run("MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 20000 ROWS").consume()
                session.run("MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS OF 20000 ROWS").consume()
            break
        except TransientError as e:
            # seen once in a full run: the server's transaction memory pool full at a wipe. Name the open
            # transactions (a test that left one open is the bug to find), give them a moment, try once more
            open_now = _open_transactions(driver)
            if attempt == 2:
                raise RuntimeError(f"wiping the test database failed twice ({e.code}); open transactions:\n"
                                   + open_now) from e
            print(f"wipe: {e.code}; open transactions:\n{open_now}", file=sys.stderr)
            time.sleep(3)
    # GDS graphs live in memory and outlive the nodes they were projected from
    driver.execute_query("CALL gds.graph.list() YIELD graphName CALL gds.graph.drop(graphName, false) "
                         "YIELD graphName AS g RETURN count(g)", database_=database)


def _open_transactions(driver) -> str:
    rows = driver.execute_query(
        "SHOW TRANSACTIONS YIELD transactionId, currentQuery, status, elapsedTime, estimatedUsedHeapMemory, "
        "clientAddress RETURN *")[0]
    return "\n".join(f"  {r['transactionId']} {r['status']} {r['elapsedTime']} heap {r['estimatedUsedHeapMemory']} "
                     f"{r['clientAddress']}: {(r['currentQuery'] or '')[:200]}" for r in rows) or "  (none)"


@pytest.fixture
def empty_db(driver, schema_applied):
    """An empty database with the schema applied."""
    wipe(driver)
    yield driver


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium for a module's browser tests (tests/support/browser.py)."""
    from tests.support.browser import chromium

    with chromium() as b:
        yield b


@pytest.fixture
def page(browser):
    """A fresh page of its own context; modules that need another viewport or routing define their own."""
    from tests.support.browser import new_page

    ctx, pg = new_page(browser)
    yield pg
    ctx.close()

"""Fixtures for bulk-load tests: the spare server (port + 1) named as the local server, since a bulk
import stops and starts its server, and drivers made fresh for each use.

Test modules import the fixtures by name (``from tests.support.bulk_server import connect, local_env,
spare``).
"""
from __future__ import annotations

import pytest

from tests.conftest import TEST_PASSWORD
from tests.support.reliability_db import SPARE_DIR, SPARE_PORT, spare_server, spare_settings


@pytest.fixture(scope="module")
def spare():
    from schema.apply import apply

    server = spare_server()
    apply(spare_settings())
    return server


@pytest.fixture
def connect(spare):
    """A new driver each call: a driver's bookmarks name transactions of the database a bulk load replaced
    (the product's read and write doors open sessions without bookmarks; execute_query keeps them)."""
    from neo4j import GraphDatabase

    made = []

    def new():
        s = spare_settings()
        made.append(GraphDatabase.driver(s.uri, auth=(s.user, s.password)))
        return made[-1]

    yield new
    for d in made:
        d.close()


@pytest.fixture
def local_env(monkeypatch, spare):
    """Name the spare server as the local server (what `python -m neo4j_local` runs), with its own settings."""
    monkeypatch.setenv("NEO4J_LOCAL_PORT", str(SPARE_PORT))
    monkeypatch.setenv("NEO4J_LOCAL_DIR", str(SPARE_DIR))
    monkeypatch.setenv("NEO4J_LOCAL_HEAP", spare.s.heap)
    monkeypatch.setenv("NEO4J_LOCAL_PAGECACHE", spare.s.pagecache)
    monkeypatch.setenv("NEO4J_PASSWORD", TEST_PASSWORD)

"""The demo's bulk first load (loader/graph/collect.py): every step's rows in one neo4j-admin import.

On the spare server (port + 1: a bulk import stops and starts its server), named as the local server.
The demo is loaded into an empty database once through the collection (one import) and once through
the transactional writer (``--no-bulk``, step after step), and the two databases are compared node by
node and relationship by relationship, every property with its type and value (``data_version``
included; ``loaded_at`` by type only: the loads run at different moments), with the stronger
``tests.support.graph_dump`` rather than the sums of ``tables_checksum``. A second demo run after the
bulk one is a normal load that writes nothing.
"""
from __future__ import annotations

from collections import Counter

import pytest

from tests.conftest import TEST_PASSWORD
from tests.support.graph_dump import graph_dump, schema_names
from tests.support.bulk_server import connect, local_env, spare  # noqa: F401 (fixtures)
from tests.support.reliability_db import SPARE_PORT, spare_settings, wipe_all


def _steps(result) -> list:
    return [s for s in (result["reference"], *result["mrio"], result["trade"], result["tables"], result["regions"])
            if s is not None]


def _created(result) -> Counter:
    total = Counter()
    for s in _steps(result):
        total.update(dict(s.created))
    return total


def _nothing_written(result) -> None:
    assert result["bulk"] is None
    for s in _steps(result):
        assert sum(s.created.values()) == 0, s.render()
        assert sum(s.updated.values()) == 0, s.render()
        assert sum(s.deleted.values()) == 0, s.render()


def _same_demo_bulk_and_normal(connect, **demo) -> None:
    from loader.demo.load import load_demo

    s = spare_settings()
    wipe_all(connect())
    bulk = load_demo(settings=s, progress=False, **demo)   # auto: the database is empty and local
    assert bulk["bulk"] is not None
    assert any(n.startswith("commit mode: bulk") for n in bulk["bulk"].notes), bulk["bulk"].notes
    for step in _steps(bulk):
        assert sum(step.created.values()) == 0 and any("collected for one bulk import" in n for n in step.notes)
    drv = connect()
    bulk_graph, bulk_schema = graph_dump(drv), schema_names(drv)
    assert {"firm_key", "entity_search", "loadlock_key"} <= bulk_schema

    again = load_demo(settings=s, progress=False, **demo)   # not empty now: the normal writer, by difference
    _nothing_written(again)
    assert graph_dump(connect()) == bulk_graph

    wipe_all(connect())
    normal = load_demo(settings=s, progress=False, bulk=False, **demo)
    assert normal["bulk"] is None
    drv = connect()
    normal_graph = graph_dump(drv)
    assert len(normal_graph[0]) > 1000 and len(normal_graph[1]) > 1000
    # nodes several loads write (countries, industries, the table's Dataset) are created once either way
    assert _created(normal) == Counter(dict(bulk["bulk"].created))
    assert normal_graph == bulk_graph
    assert schema_names(drv) == bulk_schema
    versions = dict(r.values() for r in drv.execute_query(
        "MATCH (d:Dataset) RETURN d.key, d.data_version", database_="neo4j").records)
    assert all(v >= 1 for v in versions.values()), versions
    assert not drv.execute_query("MATCH (d:Dataset) WHERE d.loading IS NOT NULL RETURN d.key",
                                 database_="neo4j").records


@pytest.mark.slow
@pytest.mark.long   # one bulk import restarts the spare server: 150 s on the shared 2-core machine
def test_bulk_demo_equals_normal_demo_pymrio_test(connect, local_env):
    _same_demo_bulk_and_normal(connect, n_firms=400, seed=7, table="pymrio-test")


@pytest.mark.slow
@pytest.mark.long
def test_bulk_demo_equals_normal_demo_wiod(connect, local_env):
    """The default demo: four WIOD years with their GVC accounting, trade, 3000 firms, Korea's provinces."""
    _same_demo_bulk_and_normal(connect, n_firms=3000, seed=7, table="wiod2013")


def test_demo_bulk_refused_for_a_server_that_is_not_the_local_one(monkeypatch):
    from connection import Settings
    from loader.demo.load import bulk_chosen
    from loader.graph.bulk import BulkRefused

    monkeypatch.setenv("NEO4J_LOCAL_PORT", "7687")
    s = Settings(uri=f"bolt://127.0.0.1:{SPARE_PORT}", user="neo4j", password=TEST_PASSWORD, database="neo4j")
    assert bulk_chosen(None, s) is False and bulk_chosen(False, s) is False
    with pytest.raises(BulkRefused, match="is not the local server"):
        bulk_chosen(True, s)

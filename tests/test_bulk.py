"""Bulk first loads (neo4j-admin import, loader/graph/bulk.py) give the graph a normal load gives.

On the spare server (port + 1: a bulk load stops and starts its server): the fixture table folder
(every file kind) and a WIOD 1995 year are each loaded into an empty database once in bulk and
once through the transactional writer, and the two databases are compared node by node and
relationship by relationship, every property with its value and type (``loaded_at`` only by type:
the two loads run at different moments). A normal reload after the bulk load writes nothing.
Refusals: a remote server, a non-empty database, another database name.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, TEST_PASSWORD
from tests.support.graph_dump import graph_dump, schema_names
from tests.support.bulk_server import connect, local_env, spare  # noqa: F401 (fixtures)
from tests.support.reliability_db import SPARE_PORT, spare_settings, wipe_all
from tests.support.tables_fixture import write_folder

WIOD_PARQUET = REPO / "data" / "wiod2013" / "1995"
# SUPPLIES with max(a, b) below this are left out: a few thousand links keep three WIOD loads quick
MIN_COEFFICIENT = 0.01


def _nothing_written(summary) -> None:
    assert sum(summary.created.values()) == 0, summary.render()
    assert sum(summary.updated.values()) == 0, summary.render()
    assert sum(summary.deleted.values()) == 0, summary.render()


@pytest.mark.slow
@pytest.mark.long
def test_bulk_table_folder_equals_normal_load(tmp_path, connect, local_env):
    from connection import get_driver
    from loader.tables.load import load_tables

    folder = write_folder(tmp_path / "fixture")
    s = spare_settings()
    wipe_all(connect())
    # the process-wide driver's execute_query keeps bookmarks: give it one well past the transaction ids the
    # imported store will start again from (a kept bookmark would make its next query wait, then fail)
    for _ in range(30):
        get_driver(s).execute_query("CREATE (m:Marker) DELETE m", database_="neo4j")
    bulk = load_tables(folder, source="bulk-test", settings=s, progress=False, bulk=True)
    assert get_driver(s).execute_query("MATCH (f:Firm) RETURN count(f) AS n",
                                       database_="neo4j").records[0]["n"] == 4
    drv = connect()
    assert any(n.startswith("commit mode: bulk") for n in bulk.notes), bulk.notes
    assert bulk.created["SUPPLIES"] == 5 and bulk.created["Firm"] == 4
    bulk_graph, bulk_schema = graph_dump(drv), schema_names(drv)
    assert {"firm_key", "entity_search", "loadlock_key", "listing_key"} <= bulk_schema
    # the import is listed as a load is (schema.listings): current, the fixture's years (firm_supply.csv)
    listed = {r["k"]: json.loads(r["p"]) for r in drv.execute_query(
        "MATCH (l:Listing) WHERE l.listed_stamp = l.changed_stamp RETURN l.key AS k, l.pairs AS p").records}
    assert listed["firm_flows"] == [["bulk-test", 2020], ["bulk-test", 2021]]
    assert listed["firms"] == [["bulk-test", None]]

    assert bulk.recorded   # loader/graph/unchanged.py: the import left its record, with the folder's own rows
    again = load_tables(folder, source="bulk-test", settings=s, progress=False)   # auto: not empty, so normal
    _nothing_written(again)
    assert again.held, again.render()
    _nothing_written(load_tables(folder, source="bulk-test", settings=s, progress=False, verify=True))
    assert graph_dump(drv) == bulk_graph

    wipe_all(connect())
    normal = load_tables(folder, source="bulk-test", settings=s, progress=False, bulk=False)
    assert not any(n.startswith("commit mode: bulk") for n in normal.notes)
    assert dict(normal.created) == dict(bulk.created)
    normal_graph = graph_dump(drv)
    assert len(normal_graph[0]) > 100 and len(normal_graph[1]) > 100   # reference data came with both
    assert normal_graph == bulk_graph
    assert schema_names(drv) == bulk_schema
    # the shares were computed, not copied: F1 bought 100 + 300 from firms in 2020
    recs, _, _ = drv.execute_query("MATCH (:Firm {key: 'F4'})-[r:SUPPLIES]->(:Firm {key: 'F1'}) RETURN r.a AS a",
                                   database_="neo4j")
    assert recs[0]["a"] == pytest.approx(0.75, rel=1e-15)


@pytest.mark.slow
@pytest.mark.long
def test_bulk_wiod_year_equals_normal_load(connect, local_env, monkeypatch):
    from loader.graph import bulk as bulk_mod
    from loader.mrio.load import write_table
    from loader.mrio.read import read_mrio

    s = spare_settings()
    monkeypatch.setattr(bulk_mod, "BULK_MIN_ROWS", 1000)   # auto mode chooses bulk for a table this size
    monkeypatch.setattr(bulk_mod, "BULK_AUTO", True)       # as GVN_BULK_AUTO=1 does

    wipe_all(connect())
    bulk = write_table(read_mrio(WIOD_PARQUET, "parquet"), min_coefficient=MIN_COEFFICIENT, settings=s,
                       progress=False)
    assert any(n.startswith("commit mode: bulk") for n in bulk.notes), bulk.notes
    assert bulk.created["SUPPLIES"] > 1000
    drv = connect()
    bulk_graph = graph_dump(drv)

    again = write_table(read_mrio(WIOD_PARQUET, "parquet"), min_coefficient=MIN_COEFFICIENT, settings=s,
                        progress=False)
    _nothing_written(again)

    wipe_all(drv)
    normal = write_table(read_mrio(WIOD_PARQUET, "parquet"), min_coefficient=MIN_COEFFICIENT, settings=s,
                         progress=False, bulk=False)
    assert dict(normal.created) == dict(bulk.created)
    assert graph_dump(drv) == bulk_graph


def test_bulk_refused_on_a_non_empty_database(tmp_path, connect, local_env):
    from loader.graph.bulk import BulkRefused
    from loader.tables.load import load_tables

    drv = connect()
    wipe_all(drv)
    drv.execute_query("CREATE (:Dataset {key: 'someone-elses'})", database_="neo4j")
    before = graph_dump(drv)
    with pytest.raises(BulkRefused, match="holds 1 nodes.*only loads into an empty one"):
        load_tables(write_folder(tmp_path / "fixture"), settings=spare_settings(), progress=False, bulk=True)
    assert graph_dump(drv) == before


def test_bulk_refused_for_a_server_that_is_not_the_local_one(tmp_path, monkeypatch):
    """Through the command line: a clear message, exit status 1, nothing read or written."""
    folder = write_folder(tmp_path / "fixture")
    env = {**os.environ, "NEO4J_URI": "bolt://db.example.org:7687", "NEO4J_LOCAL_PORT": "7687",
           "NEO4J_PASSWORD": "changeme"}
    done = subprocess.run([sys.executable, "-m", "loader", "tables", str(folder), "--bulk", "--quiet"],
                          env=env, cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "--bulk refused: NEO4J_URI=bolt://db.example.org:7687 is not the local server" in done.stderr


def test_bulk_refused_for_another_database_name():
    from connection import Settings
    from loader.graph.bulk import BulkRefused, check_possible

    with pytest.raises(BulkRefused, match="NEO4J_DATABASE=analytics.*one user database is `neo4j`"):
        check_possible(Settings(uri=f"bolt://127.0.0.1:{SPARE_PORT}", user="neo4j", password=TEST_PASSWORD,
                                database="analytics"))


def test_import_files_keep_types_and_strings(tmp_path):
    """Pure: what the import files hold (empty string vs none, quotes, newlines, shortest exact doubles)."""
    import csv

    from loader.graph.bulk import BulkRefused, write_import_files
    from loader.graph.rows import GraphRows

    g = GraphRows()
    nr = g.node_rows("Firm")
    nr.add("A", name='say "hi", then\nleave', employees=3, output=0.1, founded=None, note="")
    nr.add("B", name="plain", employees=None, output=1e-300, founded=1999, note="x")
    g.rel_rows("OWNS", "Firm", "Firm").add("A", "B", share=0.3)
    manifest, summary = write_import_files(g, tmp_path)
    assert manifest["multiline"] is True
    assert manifest["expected"] == {"nodes": 2, "relationships": 1}
    _, head, data = manifest["nodes"][0]
    assert Path(head).read_text().strip() == ("key:ID(Firm),employees:long,founded:long,name:string,note:string,"
                                              "output:double")
    rows = list(csv.reader(Path(data).read_text().splitlines(keepends=True)))
    assert rows[0] == ["A", "3", "", 'say "hi", then\nleave', "", "0.1"]
    assert '"A",3,,"say ""hi"", then\nleave","",0.1' in Path(data).read_text()   # "" = empty string; nothing = none
    assert float(rows[1][5]) == 1e-300
    assert summary.created["Firm"] == 2 and summary.created["OWNS"] == 1

    bad = GraphRows()
    bad.node_rows("Firm").add("A", employees=3)
    bad.node_rows("Firm").add("B", employees=3.5)
    with pytest.raises(BulkRefused, match="'employees' mixes types"):
        write_import_files(bad, tmp_path / "bad")
    dangling = GraphRows()
    dangling.node_rows("Firm").add("A")
    dangling.rel_rows("OWNS", "Firm", "Firm").add("A", "Z", share=0.3)
    with pytest.raises(BulkRefused, match="1 end keys name no Firm of the load"):
        write_import_files(dangling, tmp_path / "dangling")

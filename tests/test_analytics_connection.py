"""The analytics connection: NEO4J_GDS_* settings, and graph algorithms run on that server and no other.

The two-server test models a cluster with a secondary for analytics: two local Community servers
hold the same data (loaded into each), the analytics one (the spare server) is NEO4J_GDS_URI. The
analytics copy is then changed (F4 -> F1 in 2020: 300 -> 500), so every number says which server
computed it.
"""
from __future__ import annotations

import pytest

from connection import ConfigError, Settings

_GDS_VARS = ("NEO4J_GDS_URI", "NEO4J_GDS_USER", "NEO4J_GDS_PASSWORD", "NEO4J_GDS_DATABASE")


@pytest.fixture
def main_env(monkeypatch):
    monkeypatch.setenv("NEO4J_URI", "neo4j://db.example.org:7687")
    monkeypatch.setenv("NEO4J_USER", "explorer")
    monkeypatch.setenv("NEO4J_PASSWORD", "main-secret")
    monkeypatch.setenv("NEO4J_DATABASE", "gvc")
    for name in _GDS_VARS:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_unset_the_analytics_connection_is_the_main_one(main_env):
    assert Settings.analytics_from_env() == Settings.from_env()


def test_each_analytics_variable_defaults_to_its_main_counterpart(main_env):
    main_env.setenv("NEO4J_GDS_URI", "neo4j://analytics.example.org:7687")
    s = Settings.analytics_from_env()
    assert (s.uri, s.user, s.password, s.database) == ("neo4j://analytics.example.org:7687", "explorer",
                                                       "main-secret", "gvc")
    main_env.setenv("NEO4J_GDS_USER", "gds")
    main_env.setenv("NEO4J_GDS_PASSWORD", "gds-secret")
    main_env.setenv("NEO4J_GDS_DATABASE", "gvc2")
    s = Settings.analytics_from_env()
    assert (s.user, s.password, s.database) == ("gds", "gds-secret", "gvc2")
    assert Settings.from_env().uri == "neo4j://db.example.org:7687"   # the main one is untouched


def test_a_wrong_analytics_uri_is_named(main_env):
    main_env.setenv("NEO4J_GDS_URI", "http://analytics.example.org:7474")
    with pytest.raises(ConfigError, match=r"NEO4J_GDS_URI='http://analytics.example.org:7474': expected a scheme"):
        Settings.analytics_from_env()
    # the local development password is refused for a remote analytics server too
    main_env.setenv("NEO4J_PASSWORD", "gvn-local-dev")
    main_env.setenv("NEO4J_URI", "bolt://127.0.0.1:7687")
    main_env.setenv("NEO4J_GDS_URI", "neo4j://analytics.example.org:7687")
    with pytest.raises(ConfigError, match="NEO4J_GDS_URI=.*local development default"):
        Settings.analytics_from_env()


def _graphs(settings: Settings) -> list[str]:
    from connection import get_driver

    rows = get_driver(settings).execute_query("CALL gds.graph.list() YIELD graphName RETURN graphName",
                                              database_=settings.database).records
    return [r["graphName"] for r in rows]


@pytest.mark.slow
@pytest.mark.long
def test_graph_algorithms_run_on_the_analytics_server_and_reads_on_the_main_one(empty_db, tmp_path, monkeypatch):
    from connection import get_driver
    from loader.tables.load import load_tables
    from queries.runner import run_cypher, run_module
    from schema.apply import apply
    from tests.support.reliability_db import spare_server, spare_settings, wipe_all
    from tests.support.tables_fixture import replace_line, write_folder

    spare_server()
    analytics = spare_settings()
    apply(analytics)
    wipe_all(get_driver(analytics))
    main = Settings.from_env()
    assert main.uri != analytics.uri
    folder = write_folder(tmp_path / "valid")
    load_tables(folder, source="fixture", progress=False)                      # the main server
    load_tables(folder, source="fixture", progress=False, settings=analytics)  # its "secondary"
    changed = write_folder(tmp_path / "changed", {"firm_supply": replace_line("firm_supply", 3, "F4,F1,2020,500,chips")})
    load_tables(changed, source="fixture", progress=False, settings=analytics)

    monkeypatch.setenv("NEO4J_GDS_URI", analytics.uri)
    df = run_module("centrality", {"layer": "firm", "year": 2020}).set_index("key")
    assert df.at["F1", "in_strength"] == pytest.approx(600.0)   # 100 + 500: the analytics copy
    assert [g for g in _graphs(analytics) if g.startswith("gvn_cache_firm_2020_")]
    assert _graphs(main) == []
    communities = run_module("communities", {"layer": "firm", "year": 2020})
    assert set(communities["key"]) == {"F1", "F2", "F3", "F4"}
    # user Cypher and the other modules read the main server
    plain = run_cypher("MATCH (:Firm {key: 'F4'})-[r:SUPPLIES {year: 2020}]->(:Firm {key: 'F1'}) RETURN r.value AS v")
    assert list(plain["v"]) == [300.0]
    assert _graphs(main) == []

    # unset, everything is the main server again
    monkeypatch.delenv("NEO4J_GDS_URI")
    df = run_module("centrality", {"layer": "firm", "year": 2020}).set_index("key")
    assert df.at["F1", "in_strength"] == pytest.approx(400.0)
    assert [g for g in _graphs(main) if g.startswith("gvn_cache_firm_2020_")]
    wipe_all(get_driver(analytics))


def test_export_writes_the_layer_as_parquet(empty_db, tmp_path):
    import json
    import subprocess
    import sys

    import pandas as pd

    from loader.tables.load import load_tables
    from tests.conftest import REPO
    from tests.support.tables_fixture import VALID, write_folder

    load_tables(write_folder(tmp_path / "valid"), source="fixture", progress=False)
    out = subprocess.run([sys.executable, "-m", "loader", "export", str(tmp_path / "x"), "--layer", "firm",
                          "--year", "2020"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    links = pd.read_parquet(tmp_path / "x" / "links.parquet").sort_values(["supplier", "buyer"])
    expected = pd.read_csv(__import__("io").StringIO(VALID["firm_supply"]))
    expected = expected[expected["year"] == 2020].sort_values(["supplier", "buyer"])
    assert list(zip(links["supplier"], links["buyer"], links["value"])) == \
        list(zip(expected["supplier"], expected["buyer"], expected["value"].astype(float)))
    # shares as the loader computes them: a = value / the buyer's purchases (F1 buys 100 + 300)
    assert links.set_index(["supplier", "buyer"]).loc[("F4", "F1"), "a"] == 0.75
    nodes = pd.read_parquet(tmp_path / "x" / "nodes.parquet")
    assert list(nodes["key"]) == ["F1", "F2", "F3", "F4"]
    meta = json.loads((tmp_path / "x" / "export.json").read_text())
    assert (meta["links"], meta["nodes"], meta["datasets"][0]["key"]) == (4, 4, "fixture")
    assert meta["datasets"][0]["data_version"]
    bad = subprocess.run([sys.executable, "-m", "loader", "export", str(tmp_path / "y"), "--layer", "country"],
                         cwd=REPO, capture_output=True, text=True, timeout=300)
    assert bad.returncode == 2 and "layer 'country': expected one of firm, sector" in bad.stderr

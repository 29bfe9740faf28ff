"""The foundation: a real server with APOC and GDS, the schema, the shared configuration."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from connection import ConfigError, Settings, read
from connection.config import LOCAL_DEFAULT_PASSWORD
from schema.apply import apply, snapshot, statements
from schema.model import NODE_LABELS

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_bolt_answers_and_reports_version(neo4j_server, settings):
    rows = read("CALL dbms.components() YIELD name, versions, edition "
                      "RETURN name, versions[0] AS version, edition", settings=settings)
    assert rows[0]["version"].startswith("5.26.")
    assert rows[0]["edition"] == "community"


def test_gds_and_apoc_are_callable(neo4j_server, settings):
    row = read("RETURN gds.version() AS gds, apoc.version() AS apoc, "
                     "apoc.text.join(['KOR', 'CHN'], '>') AS joined", settings=settings)[0]
    assert row["gds"].startswith("2.13.")
    assert row["apoc"].startswith("5.26.")
    assert row["joined"] == "KOR>CHN"


def test_gds_runs_an_algorithm(empty_db, settings):
    empty_db.execute_query("UNWIND range(0, 3) AS i CREATE (:Firm {key: 'f' + i})")
    empty_db.execute_query("MATCH (a:Firm), (b:Firm) WHERE a.key < b.key CREATE (a)-[:SUPPLIES]->(b)")
    rows = read(
        "CALL gds.graph.project('t_found', 'Firm', 'SUPPLIES') YIELD graphName "
        "CALL gds.degree.stream(graphName) YIELD nodeId, score "
        "WITH graphName, collect(score) AS s CALL gds.graph.drop(graphName) YIELD graphName AS d "
        "RETURN s", settings=settings)
    assert sorted(rows[0]["s"]) == [0.0, 1.0, 2.0, 3.0]


def test_schema_apply_twice_changes_nothing(neo4j_server, settings):
    apply(settings)
    first = snapshot(settings)
    added_again = apply(settings)
    assert added_again == 0
    assert snapshot(settings) == first
    names = {row[1] for row in first if row[0] == "constraint"}
    # every label of the model has its key constraint
    assert {f"{label.lower()}_key" for label in NODE_LABELS} <= names
    assert len(first) >= len(statements())


def test_schema_cli_twice(neo4j_server):
    env = dict(os.environ)
    outs = [subprocess.run([sys.executable, "-m", "schema", "apply"], cwd=REPO, env=env,
                           capture_output=True, text=True, check=True).stdout for _ in range(2)]
    assert "0 added" in outs[1]


def test_explorer_connects_through_shared_configuration(neo4j_server, settings):
    # the explorer's status code path, with the same Settings.from_env the CLI uses
    from explorer.data.status import database_status

    status = database_status(Settings.from_env())
    assert status.ok, status.error
    assert status.server_version.startswith("5.26.")
    assert status.uri == settings.uri


def test_explorer_reports_a_down_database_without_raising():
    from explorer.data.status import database_status

    status = database_status(Settings(uri="bolt://127.0.0.1:1", password="x"))
    assert not status.ok
    assert "127.0.0.1:1" in status.error


def test_default_password_refused_for_remote_uri():
    with pytest.raises(ConfigError, match="not a loopback"):
        Settings(uri="neo4j+s://abcd.databases.neo4j.io", password=LOCAL_DEFAULT_PASSWORD).validate()
    Settings(uri="neo4j+s://abcd.databases.neo4j.io", password="a-real-secret").validate()


def test_bad_scheme_refused():
    with pytest.raises(ConfigError, match="scheme"):
        Settings(uri="http://127.0.0.1:7474").validate()


def test_the_local_server_and_the_connection_agree_on_the_development_password():
    # neo4j_local keeps its own copy so that it imports nothing of the product (tests/test_layers.py)
    from neo4j_local.settings import LOCAL_DEFAULT_PASSWORD as server_default

    assert server_default == LOCAL_DEFAULT_PASSWORD

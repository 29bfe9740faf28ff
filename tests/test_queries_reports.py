"""Saved reports: versions in Neo4j, read-only check on save, runs with parameters; CLI; py2neo reads."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from queries.errors import ParameterError, QueryRefused
from queries.reports import get_report, list_reports, run_report, save_report

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CYPHER = "MATCH (f:Firm) WHERE f.output >= $min RETURN f.key AS key, f.output AS output ORDER BY output DESC"


@pytest.fixture(scope="module")
def graph(driver, schema_applied):
    from tests.conftest import wipe

    wipe(driver)
    driver.execute_query("UNWIND range(1, 12) AS i CREATE (:Firm {key: 'f' + i, name: 'Firm ' + i, output: i * 10.0})")
    return driver


def test_versions(graph):
    assert save_report("big-firms", "Big firms", CYPHER, {"min": 100}, "firms above a size") == 1
    assert save_report("big-firms", "Big firms", CYPHER, {"min": 100}, "firms above a size") == 1  # unchanged
    assert save_report("big-firms", "Big firms", CYPHER + " LIMIT 2", {"min": 50}, "top two") == 2
    rep = get_report("big-firms")
    assert rep["version"] == 2 and rep["params"] == {"min": 50} and rep["cypher"].endswith("LIMIT 2")
    assert [v["version"] for v in rep["versions"]] == [1, 2]
    assert get_report("big-firms", 1)["cypher"] == CYPHER
    listed = {r["name"]: r for r in list_reports()}
    assert listed["big-firms"]["version"] == 2 and listed["big-firms"]["versions"] == 2
    n = graph.execute_query("MATCH (:Report {key: 'big-firms'})-[:HAS_VERSION]->(v:ReportVersion) "
                            "RETURN count(v) AS c").records[0]["c"]
    assert n == 2


def test_run_with_saved_and_given_parameters(graph):
    save_report("firms-min", "Firms above min", CYPHER, {"min": 100})
    assert run_report("firms-min")["key"].tolist() == ["f12", "f11", "f10"]
    assert run_report("firms-min", {"min": 115})["key"].tolist() == ["f12"]
    assert run_report("firms-min", version=1, row_cap=2)["key"].tolist() == ["f12", "f11"]


def test_write_reports_and_bad_names_are_refused(graph):
    with pytest.raises(QueryRefused):
        save_report("evil", "Evil", "MATCH (f:Firm) DETACH DELETE f")
    with pytest.raises(QueryRefused):
        save_report("evil", "Evil", "CALL apoc.periodic.iterate('MATCH (n) RETURN n', 'DELETE n', {})")
    with pytest.raises(ParameterError):
        save_report("bad name!", "x", "RETURN 1")
    with pytest.raises(QueryRefused):
        get_report("evil")
    assert graph.execute_query("MATCH (f:Firm) RETURN count(f) AS c").records[0]["c"] == 12


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "queries", *args], cwd=REPO, env=dict(os.environ),
                          capture_output=True, text=True, timeout=120)


def test_cli(graph):
    out = _cli("save", "cli-report", "--cypher", CYPHER, "--title", "From the CLI", "--param", "min=90")
    assert out.returncode == 0 and "version 1" in out.stdout
    out = _cli("run", "cli-report", "--param", "min=110", "--format", "json")
    assert out.returncode == 0, out.stderr
    assert [r["key"] for r in json.loads(out.stdout)] == ["f12", "f11"]
    out = _cli("cypher", "MATCH (f:Firm {key: $k}) RETURN f.output AS output", "-p", "k=f3", "-f", "csv")
    assert out.stdout.split() == ["output", "30.0"]
    out = _cli("run", "gvc-stages", "--format", "csv")
    assert out.returncode == 0 and out.stdout.startswith("stage,name,order")
    out = _cli("run", "upstream-paths", "--param", "depth=9", "--param", "node=x")
    assert out.returncode == 2 and "maximum" in out.stderr
    out = _cli("cypher", "MATCH (n) DETACH DELETE n")
    assert out.returncode == 2 and "refused" in out.stderr
    out = _cli("list")
    assert "upstream-paths" in out.stdout and "cli-report" in out.stdout
    out = _cli("describe", "fva-share")
    assert "FVA_c / E_c" in out.stdout


def test_py2neo_graph_reads_a_report_result(graph, settings):
    """Existing py2neo scripts keep working: py2neo reads a saved report and gets the same result."""
    py2neo = pytest.importorskip("py2neo")
    save_report("py2neo-report", "For py2neo", CYPHER, {"min": 100})
    expected = run_report("py2neo-report")
    g = py2neo.Graph(settings.uri, auth=(settings.user, settings.password), name=settings.database)
    rec = g.run("MATCH (:Report {key: $name})-[:HAS_VERSION]->(v:ReportVersion) "
                "RETURN v.cypher AS cypher, v.params_json AS params ORDER BY v.version DESC LIMIT 1",
                name="py2neo-report").data()[0]
    got = g.run(rec["cypher"], **json.loads(rec["params"])).to_data_frame()
    assert got["key"].tolist() == expected["key"].tolist()
    assert got["output"].tolist() == expected["output"].tolist()

"""User Cypher runs only if read-only: every kind of write, schema, admin or risky procedure is refused.

The database must be unchanged after every refused query; read-only queries run with
parameters, a row cap and a time limit.
"""
from __future__ import annotations

import pytest

from queries.errors import QueryRefused, QueryTimeout
from queries.runner import run_cypher

REFUSED = {
    "create node": "CREATE (n:Firm {key: 'evil'}) RETURN n",
    "merge": "MERGE (n:Firm {key: 'evil'}) RETURN n",
    "set property": "MATCH (n:Firm) SET n.name = 'x' RETURN count(n)",
    "set in a comment trick": "MATCH (n:Firm) /* read only */ SET n.output = 0",
    "delete": "MATCH (n:Firm) DELETE n",
    "detach delete": "MATCH (n) DETACH DELETE n",
    "remove": "MATCH (n:Firm) REMOVE n.name RETURN n",
    "foreach create": "FOREACH (x IN [1, 2] | CREATE (:Firm {key: toString(x)}))",
    "write inside a subquery": "MATCH (n:Firm) CALL (n) { SET n.x = 1 } RETURN count(*)",
    "call in transactions": "MATCH (n:Firm) CALL (n) { SET n.x = 1 } IN TRANSACTIONS RETURN 1",
    "create index": "CREATE INDEX evil FOR (n:Firm) ON (n.evil)",
    "drop constraint": "DROP CONSTRAINT firm_key",
    "create user": "CREATE USER bob SET PASSWORD 'secret123'",
    "show users": "SHOW USERS",
    "grant role": "GRANT ROLE admin TO bob",
    "create database": "CREATE DATABASE evil",
    "show transactions": "SHOW TRANSACTIONS",
    "terminate transactions": "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
    "use system": "USE system MATCH (n) RETURN n",
    "load csv": "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
    "apoc.create": "CALL apoc.create.node(['Firm'], {key: 'evil'}) YIELD node RETURN node",
    "apoc.periodic": "CALL apoc.periodic.iterate('MATCH (n) RETURN n', 'DETACH DELETE n', {})",
    "apoc.cypher.run (dynamic)": "CALL apoc.cypher.run('MATCH (n) RETURN n', {}) YIELD value RETURN value",
    "apoc.cypher function": "RETURN apoc.cypher.runFirstColumnSingle('RETURN 1', {}) AS x",
    "apoc.load": "CALL apoc.load.json('file:///etc/hosts') YIELD value RETURN value",
    "apoc.export": "CALL apoc.export.csv.all('/tmp/x.csv', {})",
    "apoc.refactor": "MATCH (n:Firm) WITH collect(n) AS ns CALL apoc.refactor.mergeNodes(ns) YIELD node RETURN node",
    "gds project (catalog)": "CALL gds.graph.project('evil', 'Firm', 'SUPPLIES')",
    "gds drop (catalog)": "CALL gds.graph.drop('anything', false)",
    "gds write": "CALL gds.pageRank.write('g', {writeProperty: 'pr'})",
    "gds mutate": "CALL gds.pageRank.mutate('g', {mutateProperty: 'pr'})",
    "gds export": "CALL gds.graph.export('g', {dbName: 'evil'})",
    "dbms procedure": "CALL dbms.listConfig()",
    "db.create": "CALL db.createLabel('Evil')",
    "explain prefix": "EXPLAIN MATCH (n) RETURN n",
    "two statements": "MATCH (n) RETURN n; CREATE (m:Firm {key: 'evil'})",
    "empty": "   ",
}


@pytest.fixture(scope="module")
def graph(driver, schema_applied):
    from tests.conftest import wipe

    wipe(driver)
    driver.execute_query("UNWIND range(1, 30) AS i CREATE (:Firm {key: 'f' + i, name: 'Firm ' + i, output: i * 1.0})")
    driver.execute_query("MATCH (a:Firm), (b:Firm) WHERE a.output + 1 = b.output "
                         "CREATE (a)-[:SUPPLIES {year: 2020, value: a.output}]->(b)")
    return driver


def _fingerprint(driver):
    rec = driver.execute_query("MATCH (n) OPTIONAL MATCH (n)-[r]->() RETURN count(DISTINCT n) AS n, "
                               "count(r) AS r, sum(n.output) AS o, collect(DISTINCT n.name)[0..3] AS names, "
                               "size([x IN collect(n) WHERE x.x IS NOT NULL]) AS x").records[0]
    idx = driver.execute_query("SHOW INDEXES YIELD name RETURN count(*) AS c").records[0]["c"]
    users = driver.execute_query("SHOW USERS YIELD user RETURN collect(user) AS u", database_="system").records[0]["u"]
    graphs = driver.execute_query("CALL gds.graph.list() YIELD graphName RETURN collect(graphName) AS g").records[0]["g"]
    return dict(rec.data(), idx=idx, users=sorted(users), graphs=graphs)


def test_at_least_fifteen_kinds_are_listed():
    assert len(REFUSED) >= 15


@pytest.mark.parametrize("kind", sorted(REFUSED))
def test_refused(graph, kind):
    before = _fingerprint(graph)
    with pytest.raises(QueryRefused) as info:
        run_cypher(REFUSED[kind], {})
    assert str(info.value).startswith("refused")
    assert _fingerprint(graph) == before


def test_read_mode_is_enforced_even_without_the_guard(graph):
    """Second line of defence: the runner's READ transaction refuses a write that slipped past the checks."""
    from connection import Settings
    from queries.runner import _read

    before = _fingerprint(graph)
    with pytest.raises(QueryRefused):
        _read(Settings.from_env(), lambda tx: tx.run("CREATE (n:Firm {key: 'slipped'})").consume(), 10, "test")
    assert _fingerprint(graph) == before


def test_read_only_queries_run_with_parameters(graph):
    df = run_cypher("MATCH (f:Firm) WHERE f.output >= $min RETURN f.key AS key, f.output AS output "
                    "ORDER BY output", {"min": 28})
    assert df["key"].tolist() == ["f28", "f29", "f30"]
    assert run_cypher("CALL db.labels() YIELD label RETURN label")["label"].tolist()
    assert run_cypher("RETURN gds.version() AS v, apoc.text.join(['a', 'b'], '-') AS j")["j"][0] == "a-b"
    assert len(run_cypher("SHOW PROCEDURES YIELD name RETURN name LIMIT 3")) == 3


def test_row_cap_and_time_limit(graph):
    df = run_cypher("UNWIND range(1, 500) AS i RETURN i", {}, row_cap=10)
    assert len(df) == 10 and df.attrs["truncated"]
    assert not run_cypher("RETURN 1 AS one", {}).attrs["truncated"]
    with pytest.raises(QueryTimeout):
        run_cypher("UNWIND range(1, 1000000000) AS i WITH i WHERE i % 7 = 13 RETURN count(*) AS c", {}, timeout_s=1)

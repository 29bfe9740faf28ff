"""Hostile saved reports, Cypher and parameter values: refused, or stopped by the time limit and row cap.

Extends ``tests/test_queries_guard.py`` (37 plain kinds of write/admin Cypher through
``run_cypher``) with what an attacker tries next: disguised writes (lower case, comments
between keywords, UNION, CYPHER/PROFILE prefixes, writes behind OPTIONAL MATCH or FOREACH
over CASE), writing and dynamic APOC procedures not in that list, admin commands, saving
such Cypher as a report, injection through parameter values and names, hostile values for
the library modules' parameters, and runaway queries. After every attempt the database
fingerprint (data, indexes and constraints, users, GDS graphs, saved reports) is unchanged,
and a stopped query leaves no transaction running on the server.
"""
from __future__ import annotations

import time

import pytest

from queries.errors import ParameterError, QueryError, QueryRefused, QueryTimeout
from queries.reports import get_report, list_reports, run_report, save_report
from queries.runner import run_cypher, run_module
from tests.support.reliability_db import wipe_all
from tests.support.tables_checksum import checksum

HOSTILE_CYPHER = {
    "lower-case create": "match (n:Firm) with n limit 1 create (m:Firm {key: 'evil'}) return m",
    "create after an aggregate": "MATCH (n) WITH count(n) AS c CREATE (:Firm {key: 'evil' + c})",
    "merge a relationship": "MATCH (a:Firm), (b:Firm) WITH a, b LIMIT 1 MERGE (a)-[:OWNS {share: 1}]->(b)",
    "add a label": "MATCH (n:Firm) SET n:Evil RETURN count(n)",
    "remove a label": "MATCH (n:Firm) REMOVE n:Firm RETURN count(n)",
    "delete relationships": "MATCH ()-[r]->() DELETE r",
    "write in the second half of a UNION":
        "MATCH (n:Firm) RETURN n.key AS k UNION CREATE (m:Firm {key: 'evil'}) RETURN m.key AS k",
    "write behind OPTIONAL MATCH": "OPTIONAL MATCH (n:Firm {key: 'h1'}) SET n.output = -1 RETURN n",
    "FOREACH over CASE": "MATCH (n:Firm) FOREACH (_ IN CASE WHEN true THEN [1] ELSE [] END | SET n.x = 1)",
    "comments between keywords": "MATCH (n) /* harmless */ DETACH /* really */ DELETE n",
    "CYPHER prefix": "CYPHER runtime=slotted CREATE (:Firm {key: 'evil'})",
    "PROFILE after a comment": "// just a read\nPROFILE CREATE (:Firm {key: 'evil'})",
    "CALL subquery with USE system": "CALL () { USE system SHOW USERS YIELD user RETURN user } RETURN user",
    "USE with backticks": "USE `system` SHOW USERS",
    "load csv split over lines": "load\ncsv with headers from 'http://127.0.0.1:1/x.csv' as l return l",
    "apoc.do.when (writing)": "CALL apoc.do.when(true, 'CREATE (n:Firm {key: \"evil\"}) RETURN n', '', {}) "
                             "YIELD value RETURN value",
    "apoc.do.case (writing)": "CALL apoc.do.case([true, 'MATCH (n) DETACH DELETE n RETURN 1'], '', {}) "
                             "YIELD value RETURN value",
    "apoc.when with a write inside": "CALL apoc.when(true, 'CREATE (n:Firm {key: \"evil\"}) RETURN n', "
                                     "'RETURN 1 AS n', {}) YIELD value RETURN value",
    "apoc.schema.assert (drops every index)": "CALL apoc.schema.assert({}, {})",
    "apoc.trigger.add": "CALL apoc.trigger.add('evil', 'MATCH (n) DETACH DELETE n', {phase: 'before'})",
    "apoc.create.setProperty": "MATCH (n:Firm) CALL apoc.create.setProperty(n, 'x', 1) YIELD node RETURN count(node)",
    "apoc.merge.node": "CALL apoc.merge.node(['Firm'], {key: 'evil'}) YIELD node RETURN node",
    "apoc.refactor.rename.label": "CALL apoc.refactor.rename.label('Firm', 'Evil')",
    "apoc.periodic.submit": "CALL apoc.periodic.submit('evil', 'MATCH (n) DETACH DELETE n')",
    "apoc.cypher.runWrite": "CALL apoc.cypher.runWrite('MATCH (n) DETACH DELETE n', {})",
    "apoc.systemdb.execute": "CALL apoc.systemdb.execute('SHOW USERS') YIELD row RETURN row",
    "apoc.import.csv": "CALL apoc.import.csv([{fileName: 'file:///etc/passwd', labels: ['Evil']}], [], {})",
    "apoc.load.xml (file)": "CALL apoc.load.xml('file:///etc/hosts') YIELD value RETURN value",
    "apoc.export.cypher.all": "CALL apoc.export.cypher.all('/tmp/gvn-evil.cypher', {})",
    "apoc.nodes.delete": "MATCH (n) WITH collect(n) AS ns CALL apoc.nodes.delete(ns, 10) YIELD value RETURN value",
    "apoc.atomic.add": "MATCH (n:Firm) WITH n LIMIT 1 CALL apoc.atomic.add(n, 'output', 1) YIELD newValue "
                       "RETURN newValue",
    "apoc.lock.nodes": "MATCH (n) WITH collect(n) AS ns CALL apoc.lock.nodes(ns) RETURN 1",
    "db.createProperty": "CALL db.createProperty('evil')",
    "db.createRelationshipType": "CALL db.createRelationshipType('EVIL')",
    "db.clearQueryCaches": "CALL db.clearQueryCaches()",
    "dbms.killTransaction style": "CALL dbms.listConnections()",
    "gds.graph.project.cypher": "CALL gds.graph.project.cypher('evil', 'MATCH (n) RETURN id(n) AS id', "
                                "'MATCH (a)-->(b) RETURN id(a) AS source, id(b) AS target')",
    "gds write through an alpha procedure": "CALL gds.alpha.graph.sample.rwr('evil', 'g', {})",
    "alter the password": "ALTER USER neo4j SET PASSWORD 'owned-owned'",
    "alter current user": "ALTER CURRENT USER SET PASSWORD FROM 'x' TO 'owned-owned'",
    "stop the database": "STOP DATABASE neo4j",
    "drop an index if it exists": "DROP INDEX firm_key IF EXISTS",
    "replace the database": "CREATE OR REPLACE DATABASE neo4j",
    "show roles": "SHOW ROLES",
    "show databases": "SHOW DATABASES",
    "show settings": "SHOW SETTINGS YIELD name, value RETURN name, value",
    "apoc.util.sleep (mode DEFAULT: would hold a thread)": "CALL apoc.util.sleep(120000) RETURN 1 AS x",
}

# read-only text around parameters that carry Cypher: they must stay data
INJECTED_VALUES = [
    "x' OR 1=1 //",
    "h1'}) DETACH DELETE n //",
    "\" RETURN 1; CREATE (n:Firm {key: 'evil'}) //",
    "`) MATCH (n) DETACH DELETE n //",
    "\\u0027 CREATE (n)",
    "h1\x00; DROP CONSTRAINT firm_key",
    "$k",
    "x" * 100_000,
]

MODULE_PARAMS = [  # (module, params) that must be refused as ParameterError before any query runs
    ("upstream-paths", {"node": "Firm:h1", "depth": 1000}),
    ("upstream-paths", {"node": "Firm:h1", "depth": "3; MATCH (n) DETACH DELETE n"}),
    ("downstream-paths", {"node": "Firm:h1", "threshold": -1}),
    ("downstream-paths", {"node": "Firm:h1", "threshold": float("nan")}),
    ("downstream-paths", {"node": "Firm:h1", "limit": 10**12}),
    ("sector-linkages", {"order_by": "output DESC; MATCH (n) DETACH DELETE n"}),
    ("sector-linkages", {"year": "2020 OR 1=1"}),
    ("sector-linkages", {"cypher": "MATCH (n) DETACH DELETE n"}),
    ("centrality", {"layer": "firm) DETACH DELETE (n"}),
    ("centrality", {"layer": "firm", "max_iterations": 10**9}),
    ("centrality", {"layer": "firm", "concurrency": 10**6}),
    ("centrality", {"layer": "firm", "damping": float("inf")}),
    ("ownership-chain", {"firm": "h1", "max_depth": 10**6}),
    ("shortest-supply-path", {"source": "h1", "target": "h2", "max_links": 500}),
    ("trade-unit-values", {"use": "final' OR '1'='1"}),
]

# Row-by-row runaways. NOT here: a runaway inside ONE expression, e.g.
# RETURN size(reduce(s = '', x IN range(1, 10000000) | s + 'x')): the server marks the
# transaction "Terminated" at the time limit but keeps computing (seen running 11 minutes
# later) and the client waits for it; see docs/reliability.md, "Known gaps".
RUNAWAY = {
    # count(*) alone would come from the count store: the predicate forces 1.6 billion rows
    "four-way cartesian product": "MATCH (a:Firm), (b:Firm), (c:Firm), (d:Firm) "
                                  "WHERE a.output + b.output + c.output + d.output < 0 RETURN count(*) AS c",
    "unbounded variable-length paths": "MATCH p = (a:Firm)-[:SUPPLIES*]-(b:Firm) RETURN count(p) AS c",
    "sorting a cartesian product": "MATCH (a:Firm), (b:Firm), (c:Firm), (d:Firm) RETURN a.key AS k "
                                   "ORDER BY a.output * b.output * c.output * d.output DESC LIMIT 1",
    "runaway inside a subquery": "MATCH (a:Firm) CALL (a) { MATCH (a)-[:SUPPLIES*1..40]->(b) RETURN count(b) AS n } "
                                 "RETURN sum(n) AS n",
}


@pytest.fixture(scope="module")
def graph(driver, schema_applied):
    """200 firms, each supplying the next five (1000 links): small, yet every runaway query above
    needs hours on it."""
    wipe_all(driver)
    driver.execute_query("UNWIND range(1, 200) AS i CREATE (:Firm {key: 'h' + i, name: 'Hostile test firm ' + i, "
                         "output: toFloat(i), source: 'reliability-hostile'})")
    driver.execute_query("MATCH (a:Firm), (b:Firm) WITH a, b, toInteger(substring(a.key, 1)) AS i, "
                         "toInteger(substring(b.key, 1)) AS j WHERE j > i AND j <= i + 5 "
                         "CREATE (a)-[:SUPPLIES {year: 2020, value: toFloat(i + j), source: 'reliability-hostile'}]->(b)")
    save_report("reliability-honest", "An honest report", "MATCH (f:Firm) WHERE f.key = $k RETURN f.key AS key",
                {"k": "h1"})
    return driver


def fingerprint(driver) -> dict:
    """Data, schema, users, roles, GDS catalog and saved reports."""
    schema = driver.execute_query("SHOW INDEXES YIELD name, type, labelsOrTypes, properties "
                                  "RETURN collect([name, type, labelsOrTypes, properties]) AS s").records[0]["s"]
    constraints = driver.execute_query("SHOW CONSTRAINTS YIELD name RETURN collect(name) AS c").records[0]["c"]
    users = driver.execute_query("SHOW USERS YIELD user, roles, passwordChangeRequired "
                                 "RETURN collect([user, roles, passwordChangeRequired]) AS u",
                                 database_="system").records[0]["u"]
    dbs = driver.execute_query("SHOW DATABASES YIELD name, currentStatus RETURN collect([name, currentStatus]) AS d",
                               database_="system").records[0]["d"]
    graphs = driver.execute_query("CALL gds.graph.list() YIELD graphName RETURN collect(graphName) AS g").records[0]["g"]
    return {"data": checksum(driver), "schema": sorted(map(str, schema)), "constraints": sorted(constraints),
            "users": sorted(map(str, users)), "databases": sorted(map(str, dbs)), "graphs": sorted(graphs)}


def no_user_transactions_left(driver, marker: str, wait_s: float = 10.0) -> bool:
    """True once no running transaction's query contains ``marker`` (the server really stopped it)."""
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        rows = driver.execute_query("SHOW TRANSACTIONS YIELD currentQuery RETURN collect(currentQuery) AS q"
                                    ).records[0]["q"]
        if not any(marker in (q or "") for q in rows):
            return True
        time.sleep(0.3)
    return False


def test_at_least_thirty_hostile_kinds_beyond_the_guard_tests():
    from tests.test_queries_guard import REFUSED

    assert not set(HOSTILE_CYPHER.values()) & set(REFUSED.values())
    assert len(HOSTILE_CYPHER) + len(INJECTED_VALUES) + len(MODULE_PARAMS) + len(RUNAWAY) >= 30


@pytest.mark.parametrize("kind", sorted(HOSTILE_CYPHER))
def test_hostile_cypher_is_refused_as_a_query_and_as_a_report(graph, kind):
    before = fingerprint(graph)
    cypher = HOSTILE_CYPHER[kind]
    with pytest.raises(QueryRefused) as info:
        run_cypher(cypher, {}, timeout_s=10)
    assert str(info.value).startswith("refused"), str(info.value)
    with pytest.raises(QueryRefused):
        save_report("hostile-report", kind, cypher, {})
    assert "hostile-report" not in [r["name"] for r in list_reports()]
    assert fingerprint(graph) == before


@pytest.mark.parametrize("value", INJECTED_VALUES, ids=[f"value{i}" for i in range(len(INJECTED_VALUES))])
def test_cypher_in_parameter_values_stays_data(graph, value):
    before = fingerprint(graph)
    df = run_cypher("MATCH (f:Firm) WHERE f.key = $k OR f.name = $k RETURN f.key AS key", {"k": value})
    assert df.empty
    # the same through a saved report whose default is replaced by the hostile value
    assert run_report("reliability-honest", {"k": value}).empty
    assert run_report("reliability-honest")["key"].tolist() == ["h1"]
    assert fingerprint(graph) == before


@pytest.mark.parametrize("name, params", [
    ("h1'}) DETACH DELETE n //", {}),
    ("reliability-honest; DROP", {}),
    ("", {}),
    ("x" * 500, {}),
    ("ok-name", {"k}) DETACH DELETE (n": 1}),
    ("ok-name", {"k": object()}),
    ("ok-name", {"$k": 1}),
])
def test_hostile_report_names_and_parameter_names_are_refused(graph, name, params):
    before = fingerprint(graph)
    with pytest.raises(ParameterError):
        save_report(name, "t", "MATCH (f:Firm) RETURN count(f) AS n", params)
    with pytest.raises((ParameterError, QueryRefused)):
        get_report(name)
    assert fingerprint(graph) == before


def test_parameters_that_are_not_values_stay_data(graph):
    """Maps, huge lists and nested structures are values to the server, never Cypher."""
    before = fingerprint(graph)
    assert run_cypher("MATCH (f:Firm) WHERE f.key IN $keys RETURN count(f) AS n",
                      {"keys": [f"h{i}" for i in range(100_000)]})["n"][0] == 200
    assert run_cypher("MATCH (f:Firm) WHERE f.key = $k RETURN f.key AS key", {"k": {"$ne": None}}).empty
    assert run_cypher("RETURN $m.a.b AS v", {"m": {"a": {"b": "MATCH (n) DETACH DELETE n"}}})["v"][0] \
        == "MATCH (n) DETACH DELETE n"
    assert fingerprint(graph) == before


@pytest.mark.parametrize("module, params", MODULE_PARAMS, ids=[f"{m}-{i}" for i, (m, _) in enumerate(MODULE_PARAMS)])
def test_hostile_module_parameters_are_refused(graph, module, params):
    before = fingerprint(graph)
    with pytest.raises(ParameterError):
        run_module(module, params, timeout_s=10)
    assert fingerprint(graph) == before


@pytest.mark.parametrize("kind", sorted(RUNAWAY))
def test_runaway_query_is_stopped_by_the_time_limit(graph, kind):
    before = fingerprint(graph)
    marker = f"/* runaway {kind} */"
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        run_cypher(RUNAWAY[kind] + " " + marker, {}, timeout_s=2)
    elapsed = time.monotonic() - started
    # stopped by the server, not abandoned by the client: nothing of it is left running
    assert no_user_transactions_left(graph, marker), f"{kind} still runs on the server"
    assert elapsed < 60, elapsed  # generous: the time limit is 2 s; this only catches a limit not applied at all
    assert fingerprint(graph) == before


def test_runaway_saved_report_is_stopped_and_huge_results_are_capped(graph):
    save_report("reliability-slow", "Runaway", "MATCH (a:Firm), (b:Firm), (c:Firm), (d:Firm) "
                "WHERE a.output + b.output + c.output + d.output < $floor RETURN count(*) AS c "
                "/* runaway saved report */", {"floor": 0})
    before = fingerprint(graph)
    with pytest.raises(QueryTimeout):
        run_report("reliability-slow", timeout_s=2)
    assert no_user_transactions_left(graph, "runaway saved report")
    # 200^3 = 8 million rows exist; 1000 come back, flagged as truncated
    df = run_cypher("MATCH (a:Firm), (b:Firm), (c:Firm) RETURN a.key AS a, b.key AS b, c.key AS c "
                    "/* capped cross product */", {}, row_cap=1000, timeout_s=30)
    assert len(df) == 1000 and df.attrs["truncated"]
    assert no_user_transactions_left(graph, "capped cross product")
    assert fingerprint(graph) == before


def test_memory_hungry_query_fails_cleanly_and_the_server_keeps_serving(graph):
    with pytest.raises(QueryError):
        run_cypher("UNWIND range(1, 300000000) AS i WITH collect(toString(i)) AS l RETURN size(l) AS n "
                   "/* memory hog */", {}, timeout_s=5)
    assert no_user_transactions_left(graph, "memory hog")
    assert run_cypher("MATCH (f:Firm) RETURN count(f) AS n", {})["n"][0] == 200

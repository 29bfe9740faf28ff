"""Rows as dicts: ``connection.driver.record_dict`` gives exactly what ``Record.data()`` gives (same keys,
values, types and nesting) for every kind of value a statement returns, on a real server."""
from __future__ import annotations

from connection.driver import record_dict

STATEMENT = """
CREATE (n:ProbeRowsTmp {name: 'n', xs: [1, 2]})-[r:PROBE_ROWS_TMP {w: 0.5}]->(m:ProbeRowsTmp {name: 'm'})
WITH n, r, m
MATCH p = (n)-[]->(m)
RETURN 1 AS i, 2.5 AS f, 'text' AS s, true AS b, null AS nothing, [1, 2.0, 'x', null] AS plain_list,
       [] AS empty, n AS node, r AS rel, p AS path, {a: 1, b: [n]} AS map, [n, m] AS nodes,
       date('2020-01-02') AS day, datetime('2020-01-02T03:04:05Z') AS at, [[1, 2], [3]] AS nested,
       point({x: 1.0, y: 2.0}) AS pt
"""


def _same(a, b) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b


def test_record_dict_equals_record_data_for_every_kind_of_value(driver):
    with driver.session() as session:
        tx = session.begin_transaction()
        try:
            plain = list(tx.run("UNWIND range(1, 3) AS k RETURN k, k * 0.5 AS half, toString(k) AS s, "
                                "CASE k WHEN 2 THEN null ELSE k END AS maybe, [toString(k), 'a'] AS path"))
            mixed = list(tx.run(STATEMENT))
        finally:
            tx.rollback()
    assert len(plain) == 3 and len(mixed) == 1
    for rec in plain + mixed:
        got, want = record_dict(rec), rec.data()
        assert list(got) == list(want)
        assert _same(got, want), (got, want)
    # a list of plain values is a new list, as data() makes one
    assert record_dict(plain[0])["path"] == ["1", "a"]

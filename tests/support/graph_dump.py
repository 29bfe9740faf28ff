"""Every node and relationship of a database with every property, for comparing two loads exactly.

``loaded_at`` and ``refreshed_at`` (the moment of a load, of a listing) are compared by type and presence
only, ``data_stamp`` and a listing's stamps (random tokens) by presence; every other property by
type and value, so 1 and 1.0 differ as they do in the database. The writer's ``LoadRecord`` nodes (stamps
of its own loads) are left out: loads collected into one import leave none. Used by the bulk tests: a bulk import
and the transactional writer must leave the same graph.
"""
from __future__ import annotations


MOMENTS = ("loaded_at", "refreshed_at")


def _value(v):
    """A property as (type, value): 1 and 1.0 differ, as they do in the database."""
    if isinstance(v, list):
        return ("list", tuple(_value(x) for x in v))
    return (type(v).__name__, v)


def graph_dump(drv) -> tuple[list, list]:
    """Every node (labels, key, properties) and relationship (type, ends, properties), sorted."""
    def props(p: dict) -> tuple:
        # loaded_at is the moment of the load: compared by type (a datetime) and presence only; data_stamp and
        # the Listing stamps, random tokens of each change, by presence
        return tuple(sorted((k, ("DateTime",) if k in MOMENTS and type(v).__name__ == "DateTime" else
                             ("stamp",) if k.endswith("_stamp") else _value(v)) for k, v in p.items()))

    nodes, _, _ = drv.execute_query("MATCH (n) WHERE NOT n:LoadRecord RETURN labels(n) AS labels, properties(n) AS p",
                                    database_="neo4j")
    # one record per start node with its relationships listed in it: the driver's cost is mostly per record
    # (a WIOD year's 400,000 relationships read in a third of the time of one record each)
    starts, _, _ = drv.execute_query("MATCH (a)-[r]->(b) WITH a, collect([type(r), labels(b), b.key, properties(r)]) "
                                     "AS rs RETURN labels(a) AS la, a.key AS a, rs", database_="neo4j")
    return (sorted((tuple(sorted(r["labels"])), props(r["p"])) for r in nodes),
            sorted((t, tuple(r["la"]), r["a"], tuple(lb), b, props(p)) for r in starts for t, lb, b, p in r["rs"]))


def schema_names(drv) -> set[str]:
    recs, _, _ = drv.execute_query("SHOW INDEXES YIELD name, state RETURN name, state", database_="neo4j")
    assert all(r["state"] == "ONLINE" for r in recs), [dict(r) for r in recs]
    return {r["name"] for r in recs}

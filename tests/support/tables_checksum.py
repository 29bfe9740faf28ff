"""A fingerprint of the whole database: counts and numeric sums per label and relationship type.

Used to show that a rejected load left the database exactly as it was and that a
second load changed nothing. Sums cover every numeric property, so a changed
value shows even when no count changes; string properties are hashed per label. The writer's
``LoadRecord`` nodes (stamps of its own loads, loader/graph/unchanged.py) are no content and left out.
"""
from __future__ import annotations

import math


def exact_sum(values) -> float:
    """Correctly rounded sum: the server's sum() depends on row order in the last digits."""
    return math.fsum(values)


def checksum(driver, database: str = "neo4j") -> dict:
    out = {}
    recs, _, _ = driver.execute_query(
        "MATCH (n) WHERE NOT n:LoadRecord UNWIND labels(n) AS l WITH l, n UNWIND keys(n) AS k "
        "WITH l, k, n[k] AS v RETURN l, k, count(*) AS c, "
        "collect(CASE WHEN v IS :: INTEGER OR v IS :: FLOAT THEN toFloat(v) END) AS nums, "
        "collect(CASE WHEN v IS :: STRING OR v IS :: BOOLEAN THEN toString(v) END) AS strs", database_=database)
    for r in recs:
        if r["l"] == "Dataset" and r["k"] in ("data_version", "data_stamp") or \
                r["l"] == "Listing" and r["k"] in ("changed_stamp", "listed_stamp", "refreshed_at"):
            continue   # counters, tokens and moments of writes (what caches compare), not content
        out[("node", r["l"], r["k"])] = (r["c"], exact_sum(r["nums"]), hash(tuple(sorted(r["strs"]))))
    recs, _, _ = driver.execute_query(
        "MATCH (a)-[r]->(b) WITH r, type(r) AS t, a, b "
        "RETURN t, count(*) AS c, collect(a.key + '>' + b.key) AS ends", database_=database)
    for r in recs:
        out[("rel", r["t"])] = (r["c"], hash(tuple(sorted(r["ends"]))))
    recs, _, _ = driver.execute_query(
        "MATCH ()-[r]->() WITH type(r) AS t, r UNWIND keys(r) AS k WITH t, k, r[k] AS v "
        "RETURN t, k, count(*) AS c, "
        "collect(CASE WHEN v IS :: INTEGER OR v IS :: FLOAT THEN toFloat(v) END) AS nums, "
        "collect(CASE WHEN v IS :: STRING THEN v END) AS strs", database_=database)
    for r in recs:
        out[("rel", r["t"], r["k"])] = (r["c"], exact_sum(r["nums"]), hash(tuple(sorted(r["strs"]))))
    return out

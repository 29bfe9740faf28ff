"""The naive baseline: one auto-commit statement per input row (no batching, no explicit transaction).

Measured on a sample (its rate hardly depends on the total), written with a year/key that
the real graph does not use and deleted afterwards, so the loaded graph stays as it was.
"""
from __future__ import annotations

import time

from connection import Settings, get_driver

SAMPLE_YEAR = 2099

FIRM_ROW = """
MERGE (f:Firm {key: $key}) SET f += $props
WITH f MATCH (c:Country {key: $country}) MERGE (f)-[:LOCATED_IN]->(c)
WITH f MATCH (i:Industry {key: $industry}) MERGE (f)-[:IN_INDUSTRY]->(i)
"""
SUPPLY_ROW = """
MATCH (s:Firm {key: $supplier}) MATCH (b:Firm {key: $buyer})
MERGE (s)-[r:SUPPLIES {year: $year, product: $product}]->(b)
SET r.value = $value, r.a = $a, r.b = $b, r.source = $source
"""
SECTOR_EDGE_ROW = """
MATCH (i:Sector {key: $s}) MATCH (j:Sector {key: $t})
MERGE (i)-[r:SUPPLIES {year: $year}]->(j)
SET r.value = $value, r.a = $a, r.b = $b, r.source = $source
"""


def _run_rows(cypher: str, rows: list[dict]) -> float:
    s = Settings.from_env()
    with get_driver(s).session(database=s.database) as session:
        t0 = time.perf_counter()
        for row in rows:
            session.run(cypher, row).consume()  # auto-commit: one transaction per row
        return time.perf_counter() - t0


def _cleanup(cypher: str, params: dict) -> None:
    s = Settings.from_env()
    get_driver(s).execute_query(cypher, params, database_=s.database)


def firm_rows(firms, sample: int, source: str) -> float:
    """Seconds for `sample` firm rows (new keys 'NAIVE-...'), each MERGE firm + its two links."""
    rows = []
    for r in firms.head(sample).itertuples(index=False):
        props = {"name": r.name, "country": r.country, "region": None, "industry": r.industry,
                 "size_class": r.size_class, "employees": int(r.employees), "output": float(r.output),
                 "foreign_share": float(r.foreign_share), "founded": int(r.founded), "source": source}
        rows.append({"key": "NAIVE-" + r.key, "props": props, "country": r.country, "industry": r.industry})
    seconds = _run_rows(FIRM_ROW, rows)
    _cleanup("MATCH (f:Firm) WHERE f.key STARTS WITH 'NAIVE-' DETACH DELETE f", {})
    return seconds


def supply_rows(supply, index, sample: int, source: str) -> float:
    """Seconds for `sample` SUPPLIES rows between existing firms (year 2099, deleted afterwards)."""
    rows = [{"supplier": s, "buyer": b, "year": SAMPLE_YEAR, "product": p, "value": float(v), "a": float(a),
             "b": float(bb), "source": source}
            for s, b, p, v, a, bb in zip(supply["supplier"][:sample], supply["buyer"][:sample],
                                         supply["product"][:sample], supply["value"][:sample],
                                         index["a"][:sample], index["b"][:sample])]
    seconds = _run_rows(SUPPLY_ROW, rows)
    _cleanup("MATCH (:Firm)-[r:SUPPLIES {year: $y}]->(:Firm) DELETE r", {"y": SAMPLE_YEAR})
    return seconds


def sector_edge_rows(edges: dict[str, list], sample: int, source: str) -> float:
    """Seconds for `sample` sector SUPPLIES rows (year 2099, deleted afterwards)."""
    rows = [{"s": edges["s"][k], "t": edges["t"][k], "value": edges["value"][k], "a": edges["a"][k],
             "b": edges["b"][k], "year": SAMPLE_YEAR, "source": source} for k in range(sample)]
    seconds = _run_rows(SECTOR_EDGE_ROW, rows)
    _cleanup("MATCH (:Sector)-[r:SUPPLIES {year: $y}]->(:Sector) DELETE r", {"y": SAMPLE_YEAR})
    return seconds

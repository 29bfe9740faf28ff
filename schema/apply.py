"""Apply the constraint and index files in ``schema/cypher`` in name order."""
from __future__ import annotations

from pathlib import Path

from connection import Settings, get_driver

CYPHER_DIR = Path(__file__).resolve().parent / "cypher"


def statements(directory: Path = CYPHER_DIR) -> list[tuple[str, str]]:
    """(file name, statement) pairs; `//` comment lines dropped, split on ';'."""
    out = []
    for path in sorted(directory.glob("*.cypher")):
        text = "\n".join(l for l in path.read_text().splitlines() if not l.strip().startswith("//"))
        out += [(path.name, s.strip()) for s in text.split(";") if s.strip()]
    return out


def snapshot(settings: Settings | None = None) -> list[tuple]:
    """Every constraint and index, as comparable tuples."""
    settings = settings or Settings.from_env()
    drv = get_driver(settings)
    cons, _, _ = drv.execute_query("SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties "
                                   "RETURN name, type, labelsOrTypes, properties ORDER BY name",
                                   database_=settings.database)
    idx, _, _ = drv.execute_query("SHOW INDEXES YIELD name, type, labelsOrTypes, properties, state "
                                  "RETURN name, type, labelsOrTypes, properties, state ORDER BY name",
                                  database_=settings.database)
    return [("constraint",) + tuple(map(_freeze, r.values())) for r in cons] + \
           [("index",) + tuple(map(_freeze, r.values())) for r in idx]


def _freeze(v):
    return tuple(v) if isinstance(v, list) else v


def apply(settings: Settings | None = None, wait: bool = True) -> int:
    """Run every statement; returns how many schema objects were added."""
    settings = settings or Settings.from_env()
    drv = get_driver(settings)
    added = 0
    for _, stmt in statements():
        _, summary, _ = drv.execute_query(stmt, database_=settings.database)
        added += summary.counters.constraints_added + summary.counters.indexes_added
    if wait:
        drv.execute_query("CALL db.awaitIndexes(300)", database_=settings.database)
    return added

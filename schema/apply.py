"""Apply the constraint and index files in ``schema/cypher`` in name order."""
from __future__ import annotations

from pathlib import Path

from connection import Settings, read, write

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
    cons = read("SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties "
                "RETURN name, type, labelsOrTypes, properties ORDER BY name", settings=settings)
    idx = read("SHOW INDEXES YIELD name, type, labelsOrTypes, properties, state "
               "RETURN name, type, labelsOrTypes, properties, state ORDER BY name", settings=settings)
    return [("constraint",) + tuple(map(_freeze, r.values())) for r in cons] + \
           [("index",) + tuple(map(_freeze, r.values())) for r in idx]


def _freeze(v):
    return tuple(v) if isinstance(v, list) else v


def apply(settings: Settings | None = None, wait: bool = True) -> int:
    """Run every statement; returns how many schema objects were added."""
    added = 0
    for _, stmt in statements():
        # a schema command runs alone in its transaction; its counters say whether it added anything
        counters = write(lambda tx, s=stmt: tx.run(s).consume().counters, settings=settings)
        added += counters.constraints_added + counters.indexes_added
    if wait:
        read("CALL db.awaitIndexes(300)", timeout_s=None, settings=settings)
    return added

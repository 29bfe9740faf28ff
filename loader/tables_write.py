"""Write a ``GraphRows`` to Neo4j: batched UNWIND MERGE on natural keys.

The whole load runs in ONE managed write transaction (``session.execute_write``):
the driver retries it on transient errors, and if anything fails half-way the
database is left exactly as it was (a partial load would break the promise
that bad input changes nothing). The transaction body is idempotent, so a
retry is safe. Labels and types come from ``schema.model`` (checked by
``tables_rows``); every value travels as a parameter.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from tqdm import tqdm

from connection import Settings, get_driver
from loader.tables_rows import GraphRows, NodeRows, RelRows

BATCH = 2000


@dataclass
class LoadSummary:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    rows: int = 0
    notes: list[str] = field(default_factory=list)

    def add(self, name: str, created: int, updated: int, total: int) -> None:
        self.created[name] = self.created.get(name, 0) + created
        self.updated[name] = self.updated.get(name, 0) + updated
        self.unchanged[name] = self.unchanged.get(name, 0) + total - created - updated

    def render(self) -> str:
        names = list(self.created)
        width = max([len(n) for n in names] + [10])
        lines = [f"{'label/type':<{width}}  {'created':>9}  {'updated':>9}  {'unchanged':>9}"]
        for n in names:
            lines.append(f"{n:<{width}}  {self.created[n]:>9}  {self.updated[n]:>9}  {self.unchanged[n]:>9}")
        rate = self.rows / self.seconds if self.seconds else 0.0
        lines.append(f"{self.rows} rows in {self.seconds:.2f} s ({rate:,.0f} rows/s)")
        return "\n".join(lines + self.notes)


def _node_cypher(label: str) -> str:
    # OPTIONAL MATCH first so that "updated" counts only nodes that existed and really changed
    return (f"UNWIND $rows AS row "
            f"OPTIONAL MATCH (old:{label} {{key: row.key}}) "
            f"WITH row, properties(old) AS before "
            f"MERGE (n:{label} {{key: row.key}}) "
            f"SET n += row.props "
            f"SET n.loaded_at = coalesce(n.loaded_at, datetime(row.loaded_at)) "
            f"RETURN sum(CASE WHEN before IS NULL THEN 1 ELSE 0 END) AS created, "
            f"sum(CASE WHEN before IS NOT NULL AND before <> properties(n) THEN 1 ELSE 0 END) AS updated, "
            f"count(*) AS seen")


def _rel_cypher(rr: RelRows) -> str:
    ident = ", ".join(f"{p}: row.id.{p}" for p in rr.identity)
    pattern = f"[r:{rr.type} {{{ident}}}]" if ident else f"[r:{rr.type}]"
    old = f"[old:{rr.type} {{{ident}}}]" if ident else f"[old:{rr.type}]"
    return (f"UNWIND $rows AS row "
            f"MATCH (a:{rr.from_label} {{key: row.from}}) "
            f"MATCH (b:{rr.to_label} {{key: row.to}}) "
            f"OPTIONAL MATCH (a)-{old}->(b) "
            f"WITH a, b, row, properties(old) AS before "
            f"MERGE (a)-{pattern}->(b) "
            f"SET r += row.props "
            f"RETURN sum(CASE WHEN before IS NULL THEN 1 ELSE 0 END) AS created, "
            f"sum(CASE WHEN before IS NOT NULL AND before <> properties(r) THEN 1 ELSE 0 END) AS updated, "
            f"count(*) AS seen")


# Firm-to-firm SUPPLIES shares are recomputed from everything in the database for the
# years a load touched, so a second file adding links to a year keeps a and b right.
# The server sums in no fixed order, so a recomputed share can differ in its last bit:
# a share within 1e-12 (relative) of the stored one is kept, which keeps reloads idempotent.
FIRM_SHARES = (
    "UNWIND $years AS y "
    "MATCH (:Firm)-[r:SUPPLIES {year: y}]->(buyer:Firm) "
    "WITH y, buyer, sum(r.value) AS bought "
    "MATCH (:Firm)-[r:SUPPLIES {year: y}]->(buyer) "
    "WITH r, CASE WHEN bought > 0 THEN r.value / bought ELSE 0.0 END AS a "
    "WITH r, a, r.a AS before "
    "WITH r, a, before, before IS NULL OR abs(before - a) > 1e-12 * abs(a) AS moved "
    "SET r.a = CASE WHEN moved THEN a ELSE before END "
    "RETURN sum(CASE WHEN moved THEN 1 ELSE 0 END) AS changed",
    "UNWIND $years AS y "
    "MATCH (seller:Firm)-[r:SUPPLIES {year: y}]->(:Firm) "
    "WITH y, seller, sum(r.value) AS sold "
    "MATCH (seller)-[r:SUPPLIES {year: y}]->(:Firm) "
    "WITH r, CASE WHEN sold > 0 THEN r.value / sold ELSE 0.0 END AS b "
    "WITH r, b, r.b AS before "
    "WITH r, b, before, before IS NULL OR abs(before - b) > 1e-12 * abs(b) AS moved "
    "SET r.b = CASE WHEN moved THEN b ELSE before END "
    "RETURN sum(CASE WHEN moved THEN 1 ELSE 0 END) AS changed",
)


def _firm_supply_years(graph: GraphRows) -> list[int]:
    rr = graph.rels.get(("SUPPLIES", "Firm", "Firm"))
    return sorted({row["id"]["year"] for row in rr.rows}) if rr else []


def write_graph(graph: GraphRows, settings: Settings | None = None, *, batch_size: int = BATCH,
                progress: bool = True, description: str = "writing") -> LoadSummary:
    settings = settings or Settings.from_env()
    drv = get_driver(settings)
    total = graph.total_rows()
    years = _firm_supply_years(graph)

    def work(tx) -> LoadSummary:
        # runs again from scratch if the driver retries: start every attempt with a fresh summary
        summary = LoadSummary(rows=total)
        bar = tqdm(total=total, desc=description, unit="row", disable=not progress, leave=False)
        try:
            for label, nr in graph.nodes.items():
                _run_batches(tx, _node_cypher(label), nr.rows, label, summary, bar, batch_size)
            for rr in graph.rels.values():
                name = f"{rr.type} ({rr.from_label}->{rr.to_label})"
                _run_batches(tx, _rel_cypher(rr), rr.rows, name, summary, bar, batch_size)
        finally:
            bar.close()
        if years:
            changed = [tx.run(q, years=years).single()["changed"] for q in FIRM_SHARES]
            summary.notes.append(f"firm SUPPLIES shares a/b recomputed for years {years}: "
                                 f"{changed[0]} a and {changed[1]} b values set or changed")
        return summary

    start = time.perf_counter()
    with drv.session(database=settings.database) as session:
        summary = session.execute_write(work)
    summary.seconds = time.perf_counter() - start
    return summary


def _run_batches(tx, cypher, rows, name, summary, bar, batch_size):
    for i in range(0, len(rows), batch_size):
        chunk = rows[i:i + batch_size]
        rec = tx.run(cypher, rows=chunk).single()
        if rec["seen"] != len(chunk):
            # validation guarantees both ends exist; if not, abort the whole transaction
            raise RuntimeError(f"{name}: {len(chunk) - rec['seen']} of {len(chunk)} rows found no end node; "
                               "nothing was written")
        summary.add(name, rec["created"], rec["updated"], len(chunk))
        bar.update(len(chunk))

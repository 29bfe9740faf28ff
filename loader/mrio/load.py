"""Write one year of an MRIO table into Neo4j: idempotent, batched, in managed transactions.

Every node statement is ``UNWIND $rows ... MERGE`` on a natural key (the uniqueness
constraints of ``schema/`` make those MERGEs index seeks) and runs through
the connection's write door, i.e. a managed transaction the
driver retries on transient errors. A second load of the same input matches
everything and changes no count or value. Re-loading a year replaces that
year's SUPPLIES and SectorYear records of the same source: whatever the new
load did not write (e.g. edges dropped by a higher ``--min-coefficient``) is
deleted afterwards, so no stale edge survives. Reading and validation happen
before the first write, so a bad table leaves the database untouched.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

from connection import Settings, read, write
from loader.mrio.read import MrioTable, table_from_iosystem, validate_table
from loader.mrio.rows import MrioRows, build_rows, plan_edge_changes, split_rows
from loader.graph.sinks import ParallelSink, batches
from schema.model import check_label, check_rel_type

EDGE_BATCH = 10_000
WORKERS = int(os.environ.get("GVN_LOAD_WORKERS", "2"))
NODE_BATCH = 5_000

# Labels and types are fixed names from the schema whitelist, checked once at import.
COUNTRY, INDUSTRY, SECTOR, SECTOR_YEAR, DATASET = map(check_label, (
    "Country", "Industry", "Sector", "SectorYear", "Dataset"))
SUPPLIES, LOCATED_IN, IN_INDUSTRY, HAS_YEAR = map(check_rel_type, (
    "SUPPLIES", "LOCATED_IN", "IN_INDUSTRY", "HAS_YEAR"))

# Reference nodes another loader may already have written (the tables loader
# writes countries from pycountry with continents etc.): only fill them when new.
Q_DATASET = f"""
UNWIND $rows AS row
MERGE (d:{DATASET} {{key: row.key}})
ON CREATE SET d.loaded_at = datetime()
SET d += row.props
"""
Q_COUNTRIES = f"""
UNWIND $rows AS row
MERGE (c:{COUNTRY} {{key: row.key}})
ON CREATE SET c += row.props
"""
Q_INDUSTRIES = f"""
UNWIND $rows AS row
MERGE (n:{INDUSTRY} {{key: row.key}})
ON CREATE SET n += row.props
"""
Q_SECTORS = f"""
UNWIND $rows AS row
MERGE (s:{SECTOR} {{key: row.key}})
SET s += row.props
"""
Q_SECTOR_COUNTRY = f"""
UNWIND $rows AS row
MATCH (s:{SECTOR} {{key: row.key}})
MATCH (c:{COUNTRY} {{key: row.country}})
MERGE (s)-[:{LOCATED_IN}]->(c)
"""
Q_SECTOR_INDUSTRY = f"""
UNWIND $rows AS row
MATCH (s:{SECTOR} {{key: row.key}})
MATCH (n:{INDUSTRY} {{key: row.industry}})
MERGE (s)-[:{IN_INDUSTRY}]->(n)
"""
Q_SECTOR_YEARS = f"""
UNWIND $rows AS row
MERGE (y:{SECTOR_YEAR} {{key: row.key}})
SET y += row.props
"""
Q_HAS_YEAR = f"""
UNWIND $rows AS row
MATCH (y:{SECTOR_YEAR} {{key: row.key}})
MATCH (s:{SECTOR} {{key: row.sector}})
MERGE (s)-[:{HAS_YEAR}]->(y)
"""
# Edges arrive as [supplier, buyer, value, a, b] rows. Only edges the difference against
# the database found missing come here, so CREATE keeps (supplier, buyer, year) unique
# without a MERGE's per-row search of the dense sector nodes' links.
Q_EDGES = f"""
UNWIND $rows AS row
MATCH (i:{SECTOR} {{key: row[0]}})
MATCH (j:{SECTOR} {{key: row[1]}})
CREATE (i)-[r:{SUPPLIES} {{year: $year}}]->(j)
SET r.value = row[2], r.a = row[3], r.b = row[4], r.source = $source
RETURN count(*) AS created
"""
Q_EXISTING_EDGES = f"""
MATCH (i:{SECTOR})-[r:{SUPPLIES} {{year: $year}}]->(j:{SECTOR})
WHERE r.source = $source
RETURN i.key AS s, j.key AS t, elementId(r) AS id, r.value AS value, r.a AS a, r.b AS b
"""
# The year/source guard makes a stale element id (reused after a concurrent delete) a no-op.
Q_UPDATE_EDGES = f"""
UNWIND $rows AS row
MATCH ()-[r:{SUPPLIES}]->() WHERE elementId(r) = row[0] AND r.year = $year AND r.source = $source
SET r.value = row[1], r.a = row[2], r.b = row[3]
"""
Q_DELETE_EDGES = f"""
UNWIND $ids AS id
MATCH ()-[r:{SUPPLIES}]->() WHERE elementId(r) = id AND r.year = $year AND r.source = $source
DELETE r
"""
Q_EXISTING_SECTOR_YEARS = f"""
MATCH (y:{SECTOR_YEAR} {{year: $year}}) WHERE y.source = $source RETURN y.key AS key
"""
Q_DELETE_SECTOR_YEARS = f"""
UNWIND $keys AS key
MATCH (y:{SECTOR_YEAR} {{key: key}})
DETACH DELETE y
"""


@dataclass
class LoadSummary:
    source: str
    year: int
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    dropped_below_min: int = 0
    min_coefficient: float = 0.0
    seconds: float = 0.0
    supplies_seconds: float = 0.0

    @property
    def supplies_written(self) -> int:
        return self.created.get(SUPPLIES, 0) + self.updated.get(SUPPLIES, 0) + self.deleted.get(SUPPLIES, 0)

    @property
    def relationships_per_s(self) -> float:
        """SUPPLIES relationships created, updated or deleted per second of the SUPPLIES phase."""
        return self.supplies_written / self.supplies_seconds if self.supplies_seconds else 0.0

    def text(self) -> str:
        names = list(dict.fromkeys([*self.created, *self.updated, *self.deleted]))
        lines = [f"{self.source} {self.year}: loaded in {self.seconds:.1f} s"]
        for n in names:
            lines.append(f"  {n:<12} created {self.created.get(n, 0):>9,}  updated {self.updated.get(n, 0):>9,}"
                         f"  unchanged {self.unchanged.get(n, 0):>9,}  deleted {self.deleted.get(n, 0):>9,}")
        lines.append(f"  SUPPLIES written: {self.supplies_written:,} in {self.supplies_seconds:.1f} s"
                     + (f" = {self.relationships_per_s:,.0f} relationships/s" if self.supplies_written else ""))
        if self.min_coefficient > 0:
            lines.append(f"  --min-coefficient {self.min_coefficient:g} dropped {self.dropped_below_min:,} "
                         "non-zero flows with max(a, b) below it")
        return "\n".join(lines)


class _Writer:
    def __init__(self, settings: Settings):
        self.settings = settings

    def run(self, cypher: str, **params):
        return write(lambda tx: tx.run(cypher, params).consume().counters, settings=self.settings)

    def read(self, cypher: str, **params) -> list:
        return read(cypher, params, timeout_s=None, settings=self.settings)


def _existing_props(w: _Writer, label: str, keys: list[str]) -> dict[str, dict]:
    found = {}
    for batch in batches(keys, NODE_BATCH):
        for r in w.read(f"MATCH (n:{check_label(label)}) WHERE n.key IN $keys RETURN n.key AS key, "
                        "properties(n) AS props", keys=batch):
            found[r["key"]] = r["props"]
    return found


def _write_nodes(w: _Writer, cypher: str, rows: list[dict], label: str, summary: LoadSummary,
                 fill_only: bool = False) -> None:
    """MERGE only the rows that are new or differ from the database; count what happened.

    ``fill_only``: the statement sets properties ON CREATE only (reference nodes
    another loader may own), so existing nodes are left alone and count as unchanged.
    """
    new, changed, same = split_rows(rows, _existing_props(w, label, [r["key"] for r in rows]))
    if fill_only:
        same, changed = same + len(changed), []
    created = 0
    for batch in batches(new + changed, NODE_BATCH):
        created += w.run(cypher, rows=batch).nodes_created
    summary.created[label] = summary.created.get(label, 0) + created
    summary.updated[label] = summary.updated.get(label, 0) + len(new) + len(changed) - created
    summary.unchanged[label] = summary.unchanged.get(label, 0) + same


def _write_links(w: _Writer, cypher: str, rows: list[dict], rel_type: str, summary: LoadSummary) -> None:
    """MERGE one relationship per row (they carry no properties: either created or already there)."""
    created = 0
    for batch in batches(rows, NODE_BATCH):
        created += w.run(cypher, rows=batch).relationships_created
    summary.created[rel_type] = summary.created.get(rel_type, 0) + created
    summary.unchanged[rel_type] = summary.unchanged.get(rel_type, 0) + len(rows) - created


def _write_edges(w: _Writer, rows: MrioRows, year: int, source: str, summary: LoadSummary, progress: bool) -> None:
    from tqdm import tqdm

    existing = w.read(Q_EXISTING_EDGES, year=year, source=source)
    plan = plan_edge_changes(rows.edges, [r.values() for r in existing])
    new = plan.new
    t0 = time.perf_counter()
    total = len(new["s"]) + len(plan.changed) + len(plan.stale)
    created = 0
    with tqdm(total=total, unit="rel", desc=f"SUPPLIES {year}", disable=not progress or total == 0) as bar:
        def on_batch(batch, rec):
            nonlocal created
            created += rec["created"]
            bar.update(len(batch))

        # new edges go in parallel batches: each commits on its own, as the sequential batches did
        new_rows = [list(r) for r in zip(new["s"], new["t"], new["value"], new["a"], new["b"])]
        ParallelSink(w.settings, WORKERS).write(Q_EDGES, batches(new_rows, EDGE_BATCH), on_batch,
                                                year=year, source=source)
        for batch in batches(plan.changed, EDGE_BATCH):
            w.run(Q_UPDATE_EDGES, rows=batch, year=year, source=source)
            bar.update(len(batch))
        deleted = 0
        for batch in batches(plan.stale, EDGE_BATCH):
            deleted += w.run(Q_DELETE_EDGES, ids=batch, year=year, source=source).relationships_deleted
            bar.update(len(batch))
    summary.supplies_seconds = time.perf_counter() - t0
    summary.created[SUPPLIES] = created
    summary.updated[SUPPLIES] = len(plan.changed)
    summary.unchanged[SUPPLIES] = plan.unchanged
    summary.deleted[SUPPLIES] = deleted


def _delete_stale_sector_years(w: _Writer, rows: MrioRows, year: int, source: str, summary: LoadSummary) -> None:
    """Remove this source's SectorYear nodes of `year` that the load just done did not write."""
    keep = {r["key"] for r in rows.sector_years}
    old = [r["key"] for r in w.read(Q_EXISTING_SECTOR_YEARS, year=year, source=source) if r["key"] not in keep]
    summary.deleted[SECTOR_YEAR] = w.run(Q_DELETE_SECTOR_YEARS, keys=old).nodes_deleted if old else 0


def write_rows(rows: MrioRows, *, year: int, source: str, min_coefficient: float = 0.0,
               settings: Settings | None = None, progress: bool = True) -> LoadSummary:
    settings = settings or Settings.from_env()
    w = _Writer(settings)
    summary = LoadSummary(source=source, year=year, dropped_below_min=rows.dropped_below_min,
                          min_coefficient=min_coefficient)
    t0 = time.perf_counter()
    _write_nodes(w, Q_DATASET, [rows.dataset], DATASET, summary)
    _write_nodes(w, Q_COUNTRIES, rows.countries, COUNTRY, summary, fill_only=True)
    _write_nodes(w, Q_INDUSTRIES, rows.industries, INDUSTRY, summary, fill_only=True)
    _write_nodes(w, Q_SECTORS, rows.sectors, SECTOR, summary)
    _write_links(w, Q_SECTOR_COUNTRY, rows.sectors, LOCATED_IN, summary)
    _write_links(w, Q_SECTOR_INDUSTRY, rows.sectors, IN_INDUSTRY, summary)
    _write_nodes(w, Q_SECTOR_YEARS, rows.sector_years, SECTOR_YEAR, summary)
    _write_links(w, Q_HAS_YEAR, rows.sector_years, HAS_YEAR, summary)
    _write_edges(w, rows, year, source, summary, progress)
    _delete_stale_sector_years(w, rows, year, source, summary)
    summary.seconds = time.perf_counter() - t0
    return summary


def write_table(table: MrioTable, *, min_coefficient: float = 0.0, settings: Settings | None = None,
                progress: bool = True) -> LoadSummary:
    """Validate (again: cheap, and callers may have built the table by hand), compute, then write."""
    validate_table(table)
    if min_coefficient < 0:
        raise ValueError(f"--min-coefficient {min_coefficient}: expected a number >= 0")
    rows = build_rows(table, min_coefficient=min_coefficient)
    return write_rows(rows, year=table.year, source=table.source, min_coefficient=min_coefficient,
                      settings=settings, progress=progress)


def load_mrio(io, year: int, source: str, classification: str, *, min_coefficient: float = 0.0,
              settings: Settings | None = None, progress: bool = True) -> LoadSummary:
    """Load one year of a pymrio IOSystem (e.g. ``pymrio.load_test()``) or an MrioTable.

    Raises ``loader.mrio.read.MrioInputError`` before writing anything when the
    table is malformed.
    """
    if isinstance(io, MrioTable):
        table = io
        table.year, table.source, table.classification = int(year), source, classification
    else:
        table = table_from_iosystem(io, year=int(year), source=source, classification=classification)
    return write_table(table, min_coefficient=min_coefficient, settings=settings, progress=progress)

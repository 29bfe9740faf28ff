"""Write one year of an MRIO table into Neo4j through the graph writer (``loader.graph.write``).

Reading and validation happen before the first write, so a bad table leaves the
database untouched. The year's SectorYear nodes and SUPPLIES of the table's source
are a replaced slice: a reload writes only what changed and deletes what the new load
no longer contains (e.g. edges dropped by a higher ``--min-coefficient``), so a second
identical load writes nothing. Countries and industries are only filled when new.
Commit modes, locks and the Dataset ``loading`` mark are the writer's. An inter-regional table
(sub-national regions such as KR-11) goes through ``loader.mrio.regional`` instead.

``gvc`` ('auto', 'on', 'off'): the GVC accounting of the year (loader.mrio.gvc: CountryYear
nodes, EXPORTS_TO and SERVES relationships, GVC properties of SectorYear and SUPPLIES.a_gvc),
by default for tables up to ``GVC_AUTO_MAX_SECTORS`` sectors. Its node and relationship sets
are replaced slices of (source, year) too; a load with the accounting off leaves stored
results as they are.
"""
from __future__ import annotations

import time
from datetime import datetime, timezone

from connection import Settings
from loader.graph.rows import paused_gc
from loader.graph.summary import LoadSummary
from loader.graph.write import write_graph
from loader.mrio.gvc import GVC_AUTO_MAX_SECTORS, wants_gvc
from loader.mrio.read import MrioTable, table_from_iosystem, validate_table
from loader.mrio.regional import check_regions, is_inter_regional, known_regions, regional_graph
from loader.mrio.rows import build_rows, mrio_graph


def write_table(table: MrioTable, *, min_coefficient: float = 0.0, settings: Settings | None = None,
                progress: bool = True, commit: str = "auto", gvc: str = "auto",
                bulk: bool | None = None, verify: bool = False) -> LoadSummary:
    """Validate (again: cheap, and callers may have built the table by hand), compute, then write.
    ``bulk``: see ``loader.graph.bulk``; ``verify``: see ``loader.graph.write.write_graph``."""
    validate_table(table)
    if min_coefficient < 0:
        raise ValueError(f"--min-coefficient {min_coefficient}: expected a number >= 0")
    if is_inter_regional(table):
        return _write_regional(table, min_coefficient=min_coefficient, settings=settings, progress=progress,
                               commit=commit, bulk=bulk, verify=verify)
    with_gvc = wants_gvc(gvc, len(table.Z.index))
    with paused_gc():
        t0 = time.perf_counter()
        rows = build_rows(table, min_coefficient=min_coefficient, gvc=with_gvc)
        graph = mrio_graph(rows, year=table.year, source=table.source,
                           loaded_at=datetime.now(timezone.utc).isoformat(timespec="seconds"))
        dropped = rows.dropped_below_min
        del rows  # the edge columns are in `graph` now
        built = time.perf_counter() - t0
        summary = write_graph(graph, settings, commit=commit, progress=progress,
                              description=f"{table.source} {table.year}", bulk=bulk,
                              verify=verify)
    summary.stage("accounts and rows", built, first=True)
    summary.title = f"{table.source} {table.year}"
    summary.dropped_below_min = dropped
    if min_coefficient > 0:
        summary.notes.append(f"--min-coefficient {min_coefficient:g} dropped {dropped:,} non-zero flows with "
                             "max(a, b) below it")
        if with_gvc:
            summary.notes.append("value-added paths follow only the SUPPLIES edges kept: with --min-coefficient "
                                 "their sums fall short of the stored value added (V B Y)")
    if not with_gvc:
        summary.notes.append(f"GVC accounting skipped (--gvc {gvc}; auto computes it for tables up to "
                             f"{GVC_AUTO_MAX_SECTORS:,} sectors)")
    return summary


def _write_regional(table: MrioTable, *, min_coefficient: float, settings, progress: bool, commit: str,
                    bulk, verify: bool) -> LoadSummary:
    """An inter-regional table (loader.mrio.regional): its regions are checked against the Region nodes
    before anything is written; then its sub-national part and the regional measures are written."""
    t0 = time.perf_counter()
    known = known_regions(settings)
    region_country = check_regions(table, known)
    with paused_gc():
        graph, dropped = regional_graph(table, region_country, known, min_coefficient=min_coefficient,
                                        loaded_at=datetime.now(timezone.utc).isoformat(timespec="seconds"))
        built = time.perf_counter() - t0
        summary = write_graph(graph, settings, commit=commit, progress=progress,
                              description=f"{table.source} {table.year}", bulk=bulk,
                              verify=verify)
    summary.stage("regional measures and rows", built, first=True)
    summary.title = f"{table.source} {table.year} (inter-regional: {len(region_country)} regions of "
    summary.title += f"{', '.join(sorted(set(region_country.values())))})"
    summary.dropped_below_min = dropped
    if min_coefficient > 0:
        summary.notes.append(f"--min-coefficient {min_coefficient:g} dropped {dropped:,} non-zero flows between "
                             "regions with max(a, b) below it")
    return summary


def load_mrio(io, year: int, source: str, classification: str, *, min_coefficient: float = 0.0,
              settings: Settings | None = None, progress: bool = True, commit: str = "auto",
              gvc: str = "auto", bulk: bool | None = None, verify: bool = False) -> LoadSummary:
    """Load one year of a pymrio IOSystem (e.g. ``pymrio.load_test()``) or an MrioTable.

    Raises ``loader.mrio.read.MrioInputError`` before writing anything when the
    table is malformed.
    """
    if isinstance(io, MrioTable):
        table = io
        table.year, table.source, table.classification = int(year), source, classification
    else:
        table = table_from_iosystem(io, year=int(year), source=source, classification=classification)
    return write_table(table, min_coefficient=min_coefficient, settings=settings, progress=progress, commit=commit,
                       gvc=gvc, bulk=bulk, verify=verify)

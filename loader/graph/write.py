"""Write a ``GraphRows`` to Neo4j by difference: read what is stored, write only what differs.

Every loader (``loader tables``, ``loader mrio``, the reference data, the demo) goes
through ``write_graph``. New relationships are CREATEd (the diff proved them absent),
changed ones are updated by element id, unchanged rows cost nothing, so a reload writes
nothing; a replaced slice (``RelRows.replace``/``NodeRows.replace``) also loses what the
new rows no longer contain.

A first load into an empty database on the local server can instead go through
``neo4j-admin database import`` (``bulk=``; ``loader.graph.bulk``): the same rows, the same graph.
Inside ``loader.graph.collect.collecting()`` the rows of several loads are collected and imported
together (the demo's first load).

Commit modes (``commit=``):

* ``atomic``: everything in ONE managed write transaction (only the chunk digests, read while it
  has written nothing but its lock nodes, run ahead on parallel read sessions); the driver
  retries it on transient errors and a failure leaves the database as it was. The
  default for loads up to ``ATOMIC_MAX_ROWS`` rows (env ``GVN_ATOMIC_MAX_ROWS``).
* ``batched``: each batch of ``NODE_BATCH``/``REL_BATCH`` rows commits on its own,
  ``workers`` at once (env ``GVN_LOAD_WORKERS``); for large loads, where one
  transaction would outgrow the server's memory. Running the same load again after a
  crash completes it.

The ``loading`` mark (what readers use to skip half-written data). While a batched load
runs, every ``Dataset`` node it writes carries two properties:

* ``loading``: a datetime, set before the first batch is written;
* ``loading_years``: a list of ints, the years whose records of that dataset (the
  ``year`` of SectorYear nodes and of SUPPLIES/EXPORTS/INVESTS_IN/PERFORMS
  relationships with that ``source``) the load is writing; an empty list when the load
  writes no yearly record (e.g. only firms or reference data).

A (source, year) pair is being written, hence possibly incomplete, exactly when
``Dataset {key: source}`` has ``loading`` set and ``year IN loading_years``; records
without a year of a dataset whose ``loading`` is set may be incomplete too. When a
batched load of firm supply links changes the shares a/b of links another dataset
stored in the same year, that dataset is marked with that year as well. Both
properties are removed once the load has written everything. A load that dies leaves
the mark; running the same load again completes the data and removes it (years of the
dead load that the rerun does not cover stay marked). Atomic loads set no mark (nothing
is visible before they commit) and remove the stale mark of a dead load they complete.
See ``loader.graph.marks``.

Every load that changes records counts up the ``data_version`` of each Dataset it changed (its own,
and those whose firm shares moved): in its transaction (atomic) or after its last batch (batched).
Cached GDS projections are named by it (``queries.gds_cache``); after the load, the projections
cached on the analytics server are dropped too (best effort: a server without GDS, or out of reach,
leaves them, and the new version keeps them from being served).

Locks (``loader.graph.locks``): a load first takes the database-held locks of what it
writes, ``dataset:<key>`` for each Dataset and ``firm-supplies:<year>`` for each year of
firm supply links, and reads the store only then; so two loads of one dataset or one
year run one after the other and the second one's diff and shares see the first one's
links. A crashed load's locks are freed by the server.
"""
from __future__ import annotations

import os
import time
from contextlib import nullcontext
from itertools import chain

from neo4j.exceptions import DriverError, Neo4jError
from tqdm import tqdm

from connection import NO_LIMIT, Settings, analytics, write
from loader.graph import bulk as bulk_load
from loader.graph import listings
from loader.graph import marks
from loader.graph import statements as cy
from loader.graph.locks import LockHolder, drop, take
from loader.graph.plan import LoadPlan, plan_load
from loader.graph.rows import Columns, GraphRows, Span, resumed_gc
from loader.graph.scope import LoadScope, load_scope
from loader.graph.sinks import AtomicSink, ParallelSink, batches
from loader.graph.summary import LoadSummary
from loader.graph.unchanged import LoadRecord
from schema.listings import MARK_CHANGED

NODE_BATCH = 5_000
REL_BATCH = 10_000
# the only place these two variables are read
ATOMIC_MAX_ROWS = int(os.environ.get("GVN_ATOMIC_MAX_ROWS", "250000"))
WORKERS = int(os.environ.get("GVN_LOAD_WORKERS", "2"))
COMMIT_MODES = ("auto", "atomic", "batched")

__all__ = ["write_graph", "choose_mode", "LoadSummary", "COMMIT_MODES", "ATOMIC_MAX_ROWS", "WORKERS"]


def choose_mode(commit: str, rows: int) -> str:
    if commit not in COMMIT_MODES:
        raise ValueError(f"commit={commit!r}; expected one of {', '.join(COMMIT_MODES)}")
    if commit != "auto":
        return commit
    return "atomic" if rows <= ATOMIC_MAX_ROWS else "batched"


class _MoreLocks(Exception):
    """The plan writes datasets whose locks the load does not hold: start again holding them too."""

    def __init__(self, keys: set[str]):
        super().__init__(sorted(keys))
        self.keys = keys


def _expect_all(name: str, bar):
    def check(chunk, rec):
        if rec["seen"] != len(chunk):
            # validation guarantees both ends exist; if not, stop (atomic mode: nothing is written)
            raise RuntimeError(f"{name}: {len(chunk) - rec['seen']} of {len(chunk)} rows found no end node "
                               "or relationship")
        bar.update(len(chunk))
    return check


class _Clock:
    def __init__(self, summary: LoadSummary):
        self.summary, self.t = summary, time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.summary.stage(stage, now - self.t)
        self.t = now


def _span_batches(spans: list[Span], size: int, make):
    """``make(columns, start, stop)`` for each batch of ``size`` rows of the spans: rows to create made into
    statement rows only as their batch is sent."""
    for span in spans:
        for start in range(span.start, span.stop, size):
            yield make(span.columns, start, min(start + size, span.stop))


def _apply(sink, graph: GraphRows, lp: LoadPlan, summary: LoadSummary, bar) -> None:
    clock = _Clock(summary)
    for label, plan in lp.nodes.items():
        nr = graph.nodes[label]
        rows = chain(_span_batches(plan.fresh, NODE_BATCH, Columns.node_rows),
                     batches(plan.create + plan.update, NODE_BATCH))
        sink.write(cy.merge_nodes(nr), rows, _expect_all(label, bar), common=nr.common)
        summary.add(label, plan.created(), len(plan.update), plan.created() + len(plan.update) + plan.unchanged,
                    deleted=len(plan.delete))
    clock.lap("write nodes")
    for k, plan in lp.rels.items():
        rr = graph.rels[k]
        check = _expect_all(rr.name, bar)
        # column-held rows carry every name of their columns; the common ones are set once per batch
        fields = sorted(set(cy.prop_names(plan.create)).union(
            *(set(span.columns.order) - set(rr.common) for span in plan.fresh)))
        rows = chain(_span_batches(plan.fresh, REL_BATCH, lambda cols, a, b: cols.flat(a, b, fields)),
                     (cy.flat(chunk, fields) for chunk in batches(plan.create, REL_BATCH)))
        sink.write(cy.create_rels(rr, fields), rows, check, common=rr.common)
        sink.write(cy.update_rels(rr), chain(batches(plan.update, REL_BATCH),
                                             plan.share_updates.batches(REL_BATCH) if plan.share_updates else ()),
                   check, common=rr.common)
        summary.add(rr.name, plan.created(), len(plan.update), plan.created() + len(plan.update) + plan.unchanged,
                    deleted=len(plan.delete))
        summary.shares_set += len(plan.share_updates or ())
    clock.lap("write relationships")
    # deletions last: a load that dies before them has written everything else, and its rerun deletes them
    if any(p.delete for p in lp.rels.values()):
        for k, plan in lp.rels.items():
            rr = graph.rels[k]
            sink.write(cy.delete_rels(rr), batches(plan.delete, REL_BATCH), _expect_all(rr.name, bar),
                       slice={p: rr.common[p] for p in rr.replace})
        clock.lap("delete relationships")
    if any(p.delete for p in lp.nodes.values()):
        for label, plan in lp.nodes.items():
            nr = graph.nodes[label]
            sink.write(cy.delete_nodes(nr), batches(plan.delete, NODE_BATCH), _expect_all(label, bar),
                       slice={p: nr.common[p] for p in nr.replace})
        clock.lap("delete nodes")


def _stale_marks(sink, keys) -> dict[str, marks.Mark]:
    rows = sink.read(cy.STALE_MARKS, keys=sorted(set(keys))) if keys else []
    return {r["key"]: marks.Mark(r["since"], tuple(r["years"]), tuple(r["shares"])) for r in rows}


def _share_marked(sink, scope: LoadScope) -> set[str]:
    """Other datasets whose shares of this load's firm years a dead load left half-recomputed (this load fixes them)."""
    if not scope.firm_years:
        return set()
    return {r["key"] for r in sink.read(cy.SHARE_MARKED, years=scope.firm_years)} - set(scope.datasets)


def _need_locks(keys: list[str], datasets) -> None:
    missing = {f"dataset:{k}" for k in datasets} - set(keys)
    if missing:
        raise _MoreLocks(missing)


def _write_rows(sink, cypher: str, rows: list) -> None:
    if rows:
        sink.write(cypher, [rows], lambda chunk, rec: None)


def _finish_marks(sink, stale: dict, scope: LoadScope, other: dict) -> None:
    keep, clear = marks.after(stale, scope.years, other, set(scope.firm_years))
    _write_rows(sink, cy.SET_MARK_OTHER, keep)
    _write_rows(sink, cy.CLEAR_MARK, clear)


def _run(sink, graph: GraphRows, scope: LoadScope, summary: LoadSummary, progress: bool, description: str,
         before_writing, completing) -> bool:
    """Plan against the store, then write; ``before_writing(plan)`` runs between the two; ``completing()``: whether
    the load completes one that died (a mark it left was found). Returns whether records changed."""
    clock = _Clock(summary)
    # rows held as columns are no Python objects for the collector to walk: let it free the reads' garbage
    streams = any(rows.streams() for rows in (*graph.nodes.values(), *graph.rels.values()))
    with tqdm(desc="reading stored records", unit=" records", disable=not progress, leave=False) as bar, \
            (resumed_gc() if streams else nullcontext()):
        lp = plan_load(sink, graph, scope, bar=bar)
    clock.lap("read and plan")
    before_writing(lp)
    with tqdm(total=lp.to_write(), desc=description, unit="row", disable=not progress, leave=False) as bar, \
            resumed_gc():
        _apply(sink, graph, lp, summary, bar)
    if _changes_records(lp):   # atomic: in the same transaction as the change; batched: after its last batch
        _write_rows(sink, cy.NEW_DATA_VERSION, sorted({*scope.datasets, *lp.other_datasets}))
    # the kept listings of what changed are stale from this commit on; write_graph lists them again
    summary.listings = listings.changed(graph, lp, completing())
    _write_rows(sink, MARK_CHANGED, summary.listings)
    summary.notes += lp.notes
    return _changes_records(lp)


HELD_NOTE = ("unchanged: the store holds these rows as the last load of them left them (no load changed records "
             "since, the same totals): nothing was read or written; --verify compares every record")


def _held(graph: GraphRows, summary: LoadSummary) -> LoadSummary:
    """The summary of a load the store already holds: every row unchanged."""
    for label, nr in graph.nodes.items():
        summary.add(label, 0, 0, nr.count())
    for rr in graph.rels.values():
        summary.add(rr.name, 0, 0, rr.count())
    summary.held = True
    summary.notes.append(HELD_NOTE)
    return summary


def _changes_records(lp: LoadPlan) -> bool:
    """Whether the load writes any record beyond the Dataset nodes themselves (whose description and load
    time a reload may refresh without changing any data)."""
    return any(p.created() or p.update or p.delete for label, p in lp.nodes.items() if label != "Dataset") \
        or any(p.created() or p.update or p.share_updates or p.delete for p in lp.rels.values())


def _atomic(tx, graph: GraphRows, scope: LoadScope, keys: list[str], settings: Settings, workers: int, progress: bool,
            description: str, record: LoadRecord, verify: bool) -> LoadSummary:
    # a retried transaction starts again from scratch, with a fresh summary and a fresh read of the store
    summary = LoadSummary(rows=graph.total_rows())
    clock = _Clock(summary)
    take(tx, keys)
    clock.lap("wait for locks")
    held = record.held(lambda cypher, **params: list(tx.run(cypher, **params)))
    clock.lap("look up the record of the last load")
    if held and not verify:
        drop(tx, keys)
        return _held(graph, summary)
    # chunk digests run ahead on their own sessions (sinks.AtomicSink.read_each); everything else in tx
    ahead = ParallelSink(settings, workers)
    ahead.settle()   # those sessions see what the load before ours committed (a cluster's secondary may lag)
    sink = AtomicSink(tx, ahead=ahead)
    cleanup = _share_marked(sink, scope)
    _need_locks(keys, cleanup)
    stale = _stale_marks(sink, [*scope.datasets, *cleanup])
    changed = _run(sink, graph, scope, summary, progress, description, lambda lp: None, lambda: bool(stale))
    if stale:   # nothing was marked by this load: only stale marks to complete
        _finish_marks(sink, stale, scope, dict.fromkeys(cleanup, set()))
        summary.notes += marks.notes(stale, scope.years)
    summary.recorded = record.finish(tx, renew=changed)
    drop(tx, keys)
    return summary


def _batched(graph: GraphRows, scope: LoadScope, keys: list[str], settings: Settings, workers: int,
             progress: bool, description: str, record: LoadRecord, verify: bool) -> LoadSummary:
    summary = LoadSummary(rows=graph.total_rows())
    clock = _Clock(summary)
    with LockHolder(settings, keys) as holder:
        clock.lap("wait for locks")
        sink = ParallelSink(settings, workers, guard=holder.check)
        sink.settle()   # its reads see what the load before ours committed (a cluster's secondary may lag)
        held = record.held(sink.read)
        clock.lap("look up the record of the last load")
        if held and not verify:
            return _held(graph, summary)
        cleanup = _share_marked(sink, scope)
        _need_locks(keys, cleanup)
        state = {}

        def mark(lp: LoadPlan) -> None:
            moved = {k: y for k, y in lp.other_datasets.items() if k not in scope.years}
            _need_locks(keys, moved)
            stale = _stale_marks(sink, [*scope.datasets, *moved, *cleanup])
            mine, theirs = marks.during(stale, scope.years, moved)
            _write_rows(sink, cy.SET_MARK_OWN, mine)
            _write_rows(sink, cy.SET_MARK_OTHER, theirs)
            state.update(stale=stale, other={**dict.fromkeys(cleanup, set()), **moved})
            if _changes_records(lp):   # before the first batch: a load that dies half-way has renewed it too
                record.stamp, record.broken = write(lambda tx: record.settle(tx, renew=True), settings=settings)

        changed = _run(sink, graph, scope, summary, progress, description, mark, lambda: bool(state["stale"]))
        _finish_marks(sink, state["stale"], scope, state["other"])
        summary.notes += marks.notes(state["stale"], scope.years)
        summary.recorded = write(lambda tx: record.finish(tx, renew=changed), settings=settings)
    return summary


def _drop_cached_projections(settings: Settings) -> None:
    # the analytics server of the database just written: NEO4J_GDS_URI when the load went to NEO4J_URI
    target = Settings.analytics_from_env() if settings == Settings.from_env() else settings
    try:
        analytics(cy.DROP_CACHED_PROJECTIONS, settings=target)
    except (Neo4jError, DriverError):
        pass   # no GDS there, or out of reach: the new data_version already keeps the old projections unused


def _as_planned(graph: GraphRows) -> GraphRows:
    for rows in (*graph.nodes.values(), *graph.rels.values()):
        if not rows.streams():
            rows.materialize()   # the diff works on dicts; streaming rows become dicts a chunk at a time
    return graph


def write_graph(graph: GraphRows, settings: Settings | None = None, *, commit: str = "auto",
                workers: int = WORKERS, progress: bool = True, description: str = "writing",
                bulk: bool | None = None, verify: bool = False, holds: tuple[GraphRows, ...] = ()) -> LoadSummary:
    """``bulk``: True = through neo4j-admin import (or BulkRefused), None = when ``loader.graph.bulk``
    finds an empty database on the local server and a large load, False = in transactions. ``verify``: compare
    every row with the store even when the record of the last load says it holds them (``loader.graph.unchanged``:
    records edited by hand). ``holds``: parts of ``graph`` that a later load may bring alone (a table folder
    without the reference data it brought), each written here exactly as it would be alone (no replaced
    slice): recorded as held too."""
    from loader.graph.collect import active

    collection = active()
    if collection is not None and bulk is not False:
        # collecting mode (loader.graph.collect): the rows go into one bulk import of several loads
        return collection.add(graph, description)
    settings = settings or Settings.from_env()
    mode = choose_mode(commit, graph.total_rows())
    if bulk_load.chosen(bulk, commit, graph.total_rows(), settings):
        t = time.perf_counter()
        record = LoadRecord.of(graph, tuple(_as_planned(g) for g in holds))
        digested = time.perf_counter() - t
        summary = bulk_load.bulk_write(graph, settings, progress=progress)
        # the database was empty: no other load's change to wait for
        summary.recorded = write(lambda tx: record.finish(tx, renew=True), settings=settings)
        summary.stage("digest rows", digested, first=True)
        return summary
    start = time.perf_counter()
    _as_planned(graph)
    as_dicts = time.perf_counter() - start
    record = LoadRecord.of(graph, tuple(_as_planned(g) for g in holds))
    digested = time.perf_counter() - start - as_dicts
    scope = load_scope(graph)
    extra: set[str] = set()
    while True:
        keys = sorted(set(scope.lock_keys()) | extra)
        try:
            if mode == "atomic":
                # no time limit: the transaction lives as long as the load, which its data decides
                summary = write(lambda tx: _atomic(tx, graph, scope, keys, settings, workers, progress, description,
                                                   record, verify),
                                settings=settings, timeout_s=NO_LIMIT)
            else:
                summary = _batched(graph, scope, keys, settings, workers, progress, description, record, verify)
            break
        except _MoreLocks as more:
            # nothing was written yet: take every lock in one sorted statement (no deadlock) and plan again
            extra |= more.keys
    if summary.listings:
        took = listings.refresh(summary.listings, settings)
        summary.stage("list (dataset, year) pairs again", sum(took.values()))
    summary.seconds = time.perf_counter() - start
    summary.stage("digest rows", digested, first=True)
    if as_dicts >= 0.05:
        summary.stage("rows as dicts", as_dicts, first=True)
    if any(n != "Dataset" and counts.get(n, 0) for counts in (summary.created, summary.updated, summary.deleted)
           for n in counts):
        _drop_cached_projections(settings)
    summary.notes.append(f"commit mode: {mode}" + (f" ({workers} parallel writers)" if mode == "batched" else ""))
    if keys:
        summary.notes.append(f"locks held: {', '.join(keys)}")
    return summary

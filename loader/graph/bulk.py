"""Bulk first loads: a load into an empty database on the local server goes through
``neo4j-admin database import full`` instead of transactions.

The rows are the writer's own (``GraphRows``, built by the same validation and row code as a
normal load), and the graph is the one a normal load would have written, property for property:

* nodes of one label are merged by key as ``diff.merge_node_rows`` does; relationships by
  identity as ``diff.plan_rels`` plans them against an empty store (its create rows), with the
  common properties added; firm supply shares a/b by ``shares.plan_firm_shares``, the same code;
* the Dataset node gets ``loaded_at`` (a datetime) and no ``loading`` mark (nothing of the load
  is visible before it is complete, as with an atomic load);
* properties keep their types: int -> long, float -> double, bool -> boolean, str -> string; a
  None value is no property; a column mixing types, a list, or a non-finite number is refused
  (the normal writer handles those, so ``auto`` falls back to it);
* the product schema (``schema.apply``) is applied after the import and its indexes populated.

When: ``bulk=True`` (``--bulk``) always, or refused with the reason (a remote server, a
non-empty database, another database than ``neo4j``); ``bulk=None`` (auto) only when
``GVN_BULK_AUTO=1`` is set, the commit mode is ``auto``, the load has at least ``BULK_MIN_ROWS``
rows (env ``GVN_BULK_MIN_ROWS``, default 100,000: below that the server restart costs more than it
saves) and the database is empty on the local server; ``bulk=False`` never. Auto is opt-in
because on the 2-core development machine a bulk load was not yet faster than the normal writer
(server stop, import and restart dominate; docs/scaling.md), and because it stops the server.

The local server is stopped for the import and started again (``neo4j_local.importer``):
Community has one user database. No load locks are taken (the server is down), and another
client writing between the emptiness check and the stop would lose its writes: bulk loads are
for a first load into a database nobody else uses yet.

Several loads in one import: ``loader.graph.collect`` (the demo's first load) merges their rows and hands
them to ``bulk_write_parts``, which writes one file per node label and one or more per relationship type.

Files go to a temporary folder that is deleted afterwards, or to ``GVN_BULK_KEEP`` (kept, with a
``manifest.json`` that ``neo4j_local.importer.import_command`` takes: the benchmark imports the
same files with the bare tool).
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
import uuid
from operator import itemgetter
from pathlib import Path

from connection import Settings, read
import numpy as np

from loader.graph import listings
from loader.graph.diff import _row_key, _varying, merge_node_rows, plan_rels
from loader.graph.rows import GraphRows
from loader.graph.scope import is_firm_supplies
from loader.graph.shares import _shares, column_shares
from loader.graph.summary import LoadSummary

BULK_MIN_ROWS = int(os.environ.get("GVN_BULK_MIN_ROWS", "100000"))
BULK_AUTO = os.environ.get("GVN_BULK_AUTO") == "1"   # automatic bulk loads are opt-in (see above)
IMPORT_STAGE = "neo4j-admin import"


class BulkRefused(RuntimeError):
    """A bulk load is not possible here; the message says why and what to do instead."""


# ---------------------------------------------------------------- when

def _local(settings: Settings):
    from neo4j_local.importer import local_server

    return local_server(settings.uri)


def node_count(settings: Settings) -> int:
    # count(n) over all nodes is answered from the count store: instant at any size
    return read("MATCH (n) RETURN count(n) AS n", settings=settings)[0]["n"]


def refusal(settings: Settings) -> str:
    """Why a bulk load cannot run now ('' when it can)."""
    if settings.database != "neo4j":
        return (f"NEO4J_DATABASE={settings.database}: the local server is Neo4j Community, whose one user "
                "database is `neo4j`; a bulk load replaces that database")
    server, why = _local(settings)
    if server is None:
        return why
    n = node_count(settings)
    if n:
        return (f"the database holds {n:,} nodes; a bulk load (neo4j-admin import) builds a whole new database, "
                "so it only loads into an empty one: load without --bulk (writes by difference)")
    return ""


def check_possible(settings: Settings) -> None:
    """For ``--bulk``: refuse before validating a large folder, not after."""
    why = refusal(settings)
    if why:
        raise BulkRefused(f"--bulk refused: {why}")


def chosen(bulk: bool | None, commit: str, rows: int, settings: Settings) -> bool:
    """Whether this load goes through neo4j-admin import (raises BulkRefused for an impossible --bulk)."""
    if bulk is False:
        return False
    if bulk is True:
        check_possible(settings)
        return True
    return BULK_AUTO and commit == "auto" and rows >= BULK_MIN_ROWS and not refusal(settings)


# ---------------------------------------------------------------- what: the import files

_KINDS = {bool: "boolean", int: "long", float: "double", str: "string"}


def _kind(where: str, name: str, values: list) -> str:
    """The import type of a property; a set of the values' classes, not a check per value (10^6-10^7 values)."""
    kinds = set()
    for cls in {v.__class__ for v in values} - {type(None)}:
        kind = next((k for py, k in _KINDS.items() if issubclass(cls, py)), None) if cls is not bool else "boolean"
        if kind is None and issubclass(cls, (np.integer, np.floating, np.bool_)):
            kind = "long" if issubclass(cls, np.integer) else "double" if issubclass(cls, np.floating) else "boolean"
        if kind is None:
            raise BulkRefused(f"{where}: property {name!r} holds {cls.__name__} values, which have no neo4j-admin "
                              "import type; load without --bulk")
        kinds.add(kind)
    if len(kinds) > 1:
        raise BulkRefused(f"{where}: property {name!r} mixes types {sorted(kinds)}; a bulk load stores one type "
                          "per column: load without --bulk")
    return kinds.pop() if kinds else "string"


def _column(where: str, name: str, values: list):
    """An Arrow array of one property and its import type; refuses what the import would store otherwise."""
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = _kind(where, name, values)
    arrow = {"boolean": pa.bool_(), "long": pa.int64(), "double": pa.float64(), "string": pa.string()}[kind]
    arr = pa.array(values, type=arrow, from_pandas=False)
    if kind == "double" and not pc.all(pc.is_finite(arr)).as_py():
        raise BulkRefused(f"{where}: property {name!r} holds a non-finite number; load without --bulk")
    return arr, kind


class _Files:
    """Header and data file pairs, written with Arrow's CSV writer (C++: strings always quoted, so an
    empty string stays one; a None is an empty unquoted field, i.e. no property; doubles in their
    shortest form that reads back to the same bits)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.manifest: dict = {"nodes": [], "relationships": [], "multiline": False,
                               "expected": {"nodes": 0, "relationships": 0}}
        self._n = 0

    def write(self, group: str, name: str, header: list[str], columns: list) -> None:
        import pyarrow as pa
        import pyarrow.compute as pc
        import pyarrow.csv as pcsv

        self._n += 1
        stem = f"{self._n:03d}-{name.lower()}"
        head, data = self.folder / f"{stem}.header.csv", self.folder / f"{stem}.csv"
        # header names are checked identifiers, labels and types from schema.model: no quoting needed
        head.write_text(",".join(header) + "\n")
        table = pa.table(columns, names=[f"c{i}" for i in range(len(columns))])
        for col in table.columns:
            if pa.types.is_string(col.type) and pc.any(pc.match_substring_regex(col, "[\r\n]")).as_py():
                self.manifest["multiline"] = True
        pcsv.write_csv(table, data, pcsv.WriteOptions(include_header=False, quoting_style="needed"))
        self.manifest[group].append([name, str(head), str(data)])
        self.manifest["expected"][group] += table.num_rows


def _node_file(files: _Files, label: str, nr):
    """Returns the keys written (an Arrow array: the ID space the relationships' ends are checked against)."""
    import pyarrow as pa

    if nr.columns is not None and not nr.rows and nr.columns.unique:
        return _node_columns_file(files, label, nr)
    nr.materialize()
    rows = merge_node_rows(nr.rows)
    names = sorted({p for r in rows for p in r["props"]} - set(nr.common) - {"key"})
    keys = pa.array([r["key"] for r in rows], type=pa.string())
    header, columns = [f"key:ID({label})"], [keys]
    for p in names:
        arr, kind = _column(label, p, [r["props"].get(p) for r in rows])
        header.append(f"{p}:{kind}")
        columns.append(arr)
    _add_constants(label, nr.common, len(rows), header, columns)
    stamps = [r.get("loaded_at") for r in rows]
    if any(s is not None for s in stamps):
        # the writer sets datetime(row.loaded_at); the import parses the same ISO 8601 text
        header.append("loaded_at:datetime")
        columns.append(pa.array(stamps, type=pa.string()))
    if label == "Dataset" and "data_version" not in names:
        # a first load into an empty store: every dataset written is at version 1, as the writer counts
        header.append("data_version:long")
        columns.append(pa.array([1] * len(rows), type=pa.int64()))
    if label == "Dataset" and "data_stamp" not in names:
        header.append("data_stamp:string")
        columns.append(pa.array([uuid.uuid4().hex for _ in rows], type=pa.string()))
    files.write("nodes", label, header, columns)
    return keys


def _node_columns_file(files: _Files, label: str, nr):
    """Column-held nodes with distinct keys (``Columns.unique``): written as they are, no dict per row."""
    cols = nr.columns
    keys = cols.table.column("key").combine_chunks()
    header, columns = [f"key:ID({label})"], [keys]
    _add_columns(label, cols, sorted(set(cols.order) - set(nr.common) - {"key"}), header, columns)
    _add_constants(label, nr.common, len(keys), header, columns)
    files.write("nodes", label, header, columns)
    return keys


def _add_columns(where: str, cols, names: list[str], header: list, columns: list) -> None:
    for p in names:
        if p in cols.constants:
            _add_constants(where, {p: cols.constants[p]}, len(cols), header, columns)
            continue
        arr, kind = _arrow_column(where, p, cols.table.column(p).combine_chunks())
        header.append(f"{p}:{kind}")
        columns.append(arr)


def _add_constants(where: str, constants: dict, n: int, header: list, columns: list) -> None:
    import pyarrow as pa

    for p in sorted(constants):
        _, kind = _column(where, p, [constants[p]])
        arrow = {"boolean": pa.bool_(), "long": pa.int64(), "double": pa.float64(), "string": pa.string()}[kind]
        header.append(f"{p}:{kind}")
        columns.append(pa.repeat(pa.scalar(constants[p], type=arrow), n))


def _arrow_column(where: str, name: str, arr):
    """An Arrow column's import type (the same as ``_column`` gives the same values as a list)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    t = arr.type
    if pa.types.is_boolean(t):
        return arr, "boolean"
    if pa.types.is_integer(t):
        return arr.cast(pa.int64()), "long"
    if pa.types.is_floating(t):
        arr = arr.cast(pa.float64())
        if arr.null_count < len(arr) and not pc.all(pc.is_finite(arr)).as_py():
            raise BulkRefused(f"{where}: property {name!r} holds a non-finite number; load without --bulk")
        return arr, "double"
    if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_null(t):
        return arr.cast(pa.string()), "string"
    raise BulkRefused(f"{where}: property {name!r} holds {t} values, which have no neo4j-admin import type; "
                      "load without --bulk")


def _transposed(maps: list[dict], names: list[str]) -> dict[str, list]:
    """name -> [each map's value or None]: one C-level pass (itemgetter, zip) when every map has every name,
    as an MRIO year's rows do (20 passes of a list comprehension over 10^5 rows otherwise)."""
    if not names:
        return {}
    try:
        got = list(map(itemgetter(*names), maps))
    except KeyError:
        return {p: [m.get(p) for m in maps] for p in names}
    if len(names) == 1:
        return {names[0]: got}
    return {p: list(col) for p, col in zip(names, zip(*got))} if got else {p: [] for p in names}


def _rel_columns(rr) -> tuple[list, list, dict[str, list]]:
    """from keys, to keys and property name -> values of ``rr``'s relationships, as the writer would
    create them in an empty store.

    Rows with distinct identities are read column by column; only a load that repeats an identity
    goes through ``diff.plan_rels``, which merges the repeats' properties in order (a per-row dict
    for every row costs seconds per million). Firm supply shares come from ``shares._shares``, the
    function ``plan_firm_shares`` uses, on the same values in the same order."""
    rows = rr.rows
    key = _row_key(_varying(rr.identity, rr.common))
    if len({key(r) for r in rows}) == len(rows):
        frm, to = [r["from"] for r in rows], [r["to"] for r in rows]
        id_names = {p for r in rows for p in r["id"]}
        prop_names = {p for r in rows for p in r["props"]}
        cols = _transposed([r["id"] for r in rows], sorted(id_names))
        cols.update(_transposed([r["props"] for r in rows], sorted(prop_names - id_names)))
    else:
        create = plan_rels(rows, rr.identity, [], common=rr.common).create
        frm, to = [c[0] for c in create], [c[1] for c in create]
        cols = {p: [props.get(p) for _, _, props in create] for p in {p for _, _, c in create for p in c}}
    if is_firm_supplies(rr):
        # a and b over the load's own links of each year (the store is empty): plan_firm_shares' rule
        values = np.asarray([float(v or 0.0) for v in cols.get("value", [None] * len(frm))], dtype=float)
        a, b = _shares(frm, to, cols.get("year", [None] * len(frm)), values)
        cols["a"], cols["b"] = a.tolist(), b.tolist()
    return frm, to, {p: v for p, v in cols.items() if p not in rr.common}


def _rel_file(files: _Files, rr, keys: dict):
    import pyarrow as pa

    if rr.columns is not None and not rr.rows and rr.columns.unique:
        frm, to, header, columns = _rel_columns_arrow(rr)
    else:
        frm, to, cols = _rel_columns(rr.materialize())
        frm, to = pa.array(frm, type=pa.string()), pa.array(to, type=pa.string())
        header, columns = [], []
        for p in sorted(cols):
            arr, kind = _column(rr.name, p, cols[p])
            header.append(f"{p}:{kind}")
            columns.append(arr)
        _add_constants(rr.name, rr.common, len(frm), header, columns)
    for end, label, ends in (("start", rr.from_label, frm), ("end", rr.to_label, to)):
        _check_ends(rr.name, end, label, ends, keys.get(label))
    header = [f":START_ID({rr.from_label})", f":END_ID({rr.to_label})", *header]
    files.write("relationships", rr.type, header, [frm, to, *columns])
    return len(frm)


def _check_ends(name: str, end: str, label: str, ends, have) -> None:
    import pyarrow as pa
    import pyarrow.compute as pc

    have = have if have is not None else pa.array([], type=pa.string())
    found = pc.is_in(ends, value_set=have)
    if not pc.all(found).as_py():
        missing = sorted(set(pc.unique(pc.filter(ends, pc.invert(found))).to_pylist()))
        raise BulkRefused(f"{name}: {len(missing):,} {end} keys name no {label} of the load "
                          f"(first: {', '.join(map(repr, missing[:5]))}); an empty database has no other nodes")


def _rel_columns_arrow(rr):
    """``_rel_columns`` for column-held relationships whose (from, to, identity) are distinct (``Columns.unique``):
    the columns as they are, plus firm supply shares from the same rule on integer codes."""
    import pyarrow as pa

    cols = rr.columns
    frm, to = cols.table.column("from").combine_chunks(), cols.table.column("to").combine_chunks()
    header, columns = [], []
    names = sorted(set(cols.order) - set(rr.common))
    if is_firm_supplies(rr):
        names = sorted({*names, "a", "b"})
    shares = dict(zip("ab", column_shares(cols))) if is_firm_supplies(rr) else {}
    for p in names:
        if p in shares:
            header.append(f"{p}:double")
            columns.append(pa.array(shares[p], type=pa.float64()))
        else:
            _add_columns(rr.name, cols, [p], header, columns)
    _add_constants(rr.name, rr.common, len(frm), header, columns)
    return frm, to, header, columns


def write_import_files(graph: GraphRows, folder: Path) -> tuple[dict, LoadSummary]:
    """The import files of ``graph`` in ``folder``; returns the manifest and the created counts."""
    return write_part_files(graph.nodes, list(graph.rels.values()), folder)


def write_part_files(nodes: dict, rels: list, folder: Path) -> tuple[dict, LoadSummary]:
    """The import files of node rows (one ``NodeRows`` per label: keys are one ID space per label) and of
    relationship rows (several ``RelRows`` of one type may each get a file: ``loader.graph.collect``)."""
    folder.mkdir(parents=True, exist_ok=True)
    files = _Files(folder)
    summary = LoadSummary(rows=sum(n.count() for n in nodes.values()) + sum(r.count() for r in rels))
    keys: dict = {}
    for label, nr in nodes.items():
        if nr.count():
            keys[label] = _node_file(files, label, nr)
            summary.add(label, len(keys[label]), 0, len(keys[label]))
    for rr in rels:
        if rr.count():
            n = _rel_file(files, rr, keys)
            summary.add(rr.name, n, 0, n)
    (folder / "manifest.json").write_text(json.dumps(files.manifest, indent=1))
    return files.manifest, summary


# ---------------------------------------------------------------- how

def bulk_write(graph: GraphRows, settings: Settings, *, progress: bool = True) -> LoadSummary:
    """Write ``graph`` into the empty database of the local server with neo4j-admin import."""
    return bulk_write_parts(graph.nodes, list(graph.rels.values()), settings, progress=progress)


def bulk_write_parts(nodes: dict, rels: list, settings: Settings, *, progress: bool = True,
                     stopped: tuple | None = None) -> LoadSummary:
    """``bulk_write`` of node and relationship rows given as ``write_part_files`` takes them (the rows of
    several loads: ``loader.graph.collect``). ``stopped``: (the local server, seconds its stop took) when
    the caller checked ``check_possible`` and stopped the server itself beforehand (while it built the rows);
    it is started again here, also when the import files cannot be written."""
    from connection import forget_driver
    from neo4j_local.importer import ImportFailed, replace_database
    from schema.apply import apply

    def say(text: str) -> None:
        if progress:
            print(text, file=sys.stderr, flush=True)

    start = time.perf_counter()
    keep = os.environ.get("GVN_BULK_KEEP")
    folder = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="gvn-bulk-"))
    if stopped is None:
        # checked now (still empty, still local), then stopped beside the writing of the files: nobody can
        # write to it from here on, and its shutdown costs no time of its own
        server, stopping = stop_in_background(settings)
    else:
        server, stopping = stopped[0], None
    try:
        say(f"bulk load: writing import files in {folder} ...")
        try:
            manifest, summary = write_part_files(nodes, rels, folder)
        except BaseException:   # a refusal, or anything else: the server must not stay down
            if stopping is not None:
                stopping.result()
            start_again(server)   # the database is the empty one it was
            raise
        files_s = time.perf_counter() - start
        stop_s = stopping.result() if stopping is not None else stopped[1]
        say(f"bulk load: importing {manifest['expected']['nodes']:,} nodes and "
            f"{manifest['expected']['relationships']:,} relationships, starting the server again ...")
        try:
            report = replace_database(server, settings.database, manifest)
        except ImportFailed as e:
            forget_driver(settings)
            if not e.server_down:
                apply(settings)   # the database is empty again: give it its schema back
            raise BulkRefused(str(e)) from e
        forget_driver(settings)
        expected = manifest["expected"]
        if (report.get("nodes"), report.get("relationships")) != (expected["nodes"], expected["relationships"]):
            raise BulkRefused(f"neo4j-admin import reports {report.get('nodes')} nodes and "
                              f"{report.get('relationships')} relationships; the files hold {expected['nodes']} and "
                              f"{expected['relationships']}:\n{report.get('output', '')}")
        say("bulk load: applying the schema and populating its indexes ...")
        t = time.perf_counter()
        apply(settings)
        schema_s = time.perf_counter() - t
        # the database held nothing before: the pairs of the records are those of the rows (no 5M links read back)
        listed = listings.store_listed(listings.listed_from_rows(nodes, rels), settings)
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)
    summary.stage("write import files", files_s)
    report["seconds"]["stop"] = stop_s
    summary.stage("stop server (while the rows or files were made)", stop_s)
    summary.stage(IMPORT_STAGE, report["seconds"]["import"])
    summary.stage("start server", report["seconds"]["start"])
    summary.stage("schema and indexes", schema_s)
    summary.stage("list (dataset, year) pairs", sum(listed.values()))
    summary.seconds = time.perf_counter() - start
    summary.notes.append("commit mode: bulk (neo4j-admin database import full into the empty database; "
                         f"the local server was stopped for {sum(report['seconds'].values()):.1f} s)")
    return summary


def stop_in_background(settings: Settings):
    """Check that a bulk load can run (``check_possible``), then stop the local server in a background thread;
    returns (the server, a Future of the seconds the stop took). The caller builds rows or files meanwhile and
    waits for the Future before the import."""
    from concurrent.futures import ThreadPoolExecutor

    from connection import forget_driver

    check_possible(settings)
    server, _ = _local(settings)
    forget_driver(settings)

    def stop() -> float:
        t = time.perf_counter()
        server.stop()
        return time.perf_counter() - t

    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bulk-stop")
    stopping = pool.submit(stop)
    pool.shutdown(wait=False)
    return server, stopping


def start_again(server) -> None:
    """Start a server a bulk load stopped (after a failure: its database is the empty one it was). The one
    door from the loader to ``neo4j_local.importer`` is this module (tests/test_layers.py)."""
    from neo4j_local.importer import start_again as start_local

    start_local(server)

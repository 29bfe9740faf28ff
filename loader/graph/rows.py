"""The in-memory shape of a load: node rows and relationship rows, ready for UNWIND.

Every loader (reference data, table folders, MRIO tables, the demo generator) builds
one ``GraphRows`` with pure code and hands it to ``loader.graph.write.write_graph``;
so the Cypher that touches the database lives in one place and every source gets the
same diff, batching, transactions, locks, ``loading`` mark and summary.

Two options cover what not every source needs:

* ``common``: properties every row of a ``NodeRows``/``RelRows`` has (an MRIO year's
  ``source`` and ``year``): sent once per batch instead of once per row.
* ``replace``: names of ``common`` properties that define a *slice* (e.g. ``("source",
  "year")``): the rows are the whole slice, so stored nodes/relationships of that
  slice that no row matches are deleted (an MRIO reload with a higher
  ``--min-coefficient`` leaves no stale edge).
* ``NodeRows.fill_only``: properties are set only when the node is created; existing
  nodes (owned by another loader, e.g. reference countries) count as unchanged.

Rows may also be held column-wise (``Columns``: Arrow arrays, what a large table folder's
validation gives), with no dict per row: a bulk import writes them as they are; the transactional
writer compares and writes them a chunk at a time (``streams()``), making each chunk into exactly
the dicts ``add`` would have made; any other consumer calls ``materialize()`` first.
"""
from __future__ import annotations

import gc
import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from schema.model import NODE_LABELS, REL_TYPES, check_label, check_rel_type

_IDENT = re.compile(r"^[a-z][a-z_0-9]*$")


def check_property_name(name: str) -> str:
    """Property names are spliced into Cypher (patterns, projections): code constants only."""
    if not _IDENT.match(name):
        raise ValueError(f"bad property name {name!r}")
    return name


@dataclass
class Columns:
    """Rows of one ``NodeRows``/``RelRows`` as Arrow columns.

    ``table``: nodes: ``key`` and properties; relationships: ``from``, ``to``, identity properties and
    the other properties (a null cell is a None property, as in a row). ``constants``: properties with
    one value on every row (a load's ``source``), stored once. ``order``: every property name, table
    columns and constants, in the order ``add`` received them, so materialized rows are the same dicts.
    """
    table: Any   # pyarrow.Table
    constants: dict[str, Any] = field(default_factory=dict)
    order: tuple[str, ...] = ()
    # the producer guarantees distinct keys (nodes) or distinct (from, to, identity) (relationships), as
    # validation of a table's key does; a bulk import then writes the columns without merging rows
    unique: bool = False

    def __len__(self) -> int:
        return self.table.num_rows

    def records(self, skip: tuple[str, ...], start: int = 0, stop: int | None = None):
        """(the skipped columns' values, {property: value} in ``order``) for each row of ``start:stop``, built
        a chunk at a time."""
        names = [n for n in self.order if n not in self.constants]
        stop = len(self) if stop is None else stop
        for batch in self.table.slice(start, stop - start).to_batches(max_chunksize=100_000):
            cols = {n: batch.column(n).to_pylist() for n in (*skip, *names)}
            for i in range(batch.num_rows):
                props = {n: (self.constants[n] if n in self.constants else cols[n][i]) for n in self.order}
                yield [cols[s][i] for s in skip], props

    def node_rows(self, start: int, stop: int) -> list[dict]:
        """Rows ``start:stop`` as ``NodeRows.add`` makes them."""
        return [{"key": key, "props": props} for (key,), props in self.records(("key",), start, stop)]

    def rel_rows(self, start: int, stop: int, identity: tuple[str, ...], common: dict) -> list[dict]:
        """Rows ``start:stop`` as ``RelRows.add`` makes them."""
        ident = [k for k in identity if k not in common]
        out = []
        for (frm, to), props in self.records(("from", "to"), start, stop):
            out.append({"from": frm, "to": to, "id": {k: props.pop(k) for k in ident}, "props": props})
        return out

    def flat(self, start: int, stop: int, fields: list[str]) -> list[list]:
        """Rows ``start:stop`` as ``statements.flat`` lays out relationship rows: [from, to, value of each field]
        (None for a field the rows do not have), straight from the columns."""
        part = self.table.slice(start, stop - start)
        n = stop - start
        cols = [part.column("from").to_pylist(), part.column("to").to_pylist()]
        for f in fields:
            if f in self.constants:
                cols.append([self.constants[f]] * n)
            elif f in self.order:
                cols.append(part.column(f).to_pylist())
            else:
                cols.append([None] * n)
        return [list(row) for row in zip(*cols)]

    def distinct(self, *names: str) -> set[tuple]:
        """The distinct combinations of some properties' values over the rows (a constant has its one value)."""
        held = [n for n in names if n not in self.constants]
        if held:
            groups = self.table.select(held).group_by(held).aggregate([]).to_pylist()
        else:
            groups = [{}] if len(self) else []
        return {tuple(self.constants[n] if n in self.constants else g[n] for n in names) for g in groups}


@dataclass
class Span:
    """Rows ``start:stop`` of a ``Columns``: what a plan creates from column-held rows, made into statement rows
    only a write batch at a time."""
    columns: Columns
    start: int
    stop: int

    def __len__(self) -> int:
        return self.stop - self.start


def add_span(spans: list[Span], columns: Columns, start: int, stop: int) -> None:
    """Append rows ``start:stop``, joined to the last span when they follow it."""
    if spans and spans[-1].columns is columns and spans[-1].stop == start:
        spans[-1].stop = stop
    elif stop > start:
        spans.append(Span(columns, start, stop))


def _check_slice(what: str, common: dict, replace: tuple[str, ...]) -> None:
    for name in (*common, *replace):
        check_property_name(name)
    missing = [n for n in replace if n not in common]
    if missing:
        raise ValueError(f"{what}: replace names {missing}, which are not common properties {sorted(common)}")


@dataclass
class NodeRows:
    """Nodes of one label: rows are {"key": str, "props": {...}} (props may not hold `key`)."""
    label: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    common: dict[str, Any] = field(default_factory=dict)
    replace: tuple[str, ...] = ()
    fill_only: bool = False
    columns: Columns | None = None

    def __post_init__(self):
        check_label(self.label)
        _check_slice(self.label, self.common, self.replace)

    def add(self, key: str, **props: Any) -> None:
        if self.columns is not None:
            self.materialize()   # rows keep the order they were given in
        self.rows.append({"key": key, "props": props})

    def count(self) -> int:
        """Rows held, dicts and columns (``len(rows)`` counts only the dicts)."""
        return len(self.rows) + (len(self.columns) if self.columns is not None else 0)

    def streams(self) -> bool:
        """Whether the transactional writer plans and writes these rows a chunk at a time from the columns,
        never holding them all as dicts: column-held only, distinct keys, no replaced slice."""
        return self.columns is not None and not self.rows and self.columns.unique and not self.replace

    def materialize(self) -> "NodeRows":
        """Append the column-held rows as dicts (``add``'s), after the dict rows; drop the columns."""
        if self.columns is not None:
            cols, self.columns = self.columns, None
            for (key,), props in cols.records(("key",)):
                self.rows.append({"key": key, "props": props})
        return self


@dataclass
class RelRows:
    """Relationships of one type between two labels.

    Rows are {"from": key, "to": key, "id": {...}, "props": {...}}; `identity`
    names the properties that together with the two end nodes make a
    relationship's natural key (a second load with the same identity updates
    instead of duplicating). An identity property may live in ``common`` instead
    of each row's "id".
    """
    type: str
    from_label: str
    to_label: str
    identity: tuple[str, ...] = ()
    rows: list[dict[str, Any]] = field(default_factory=list)
    common: dict[str, Any] = field(default_factory=dict)
    replace: tuple[str, ...] = ()
    columns: Columns | None = None

    def __post_init__(self):
        check_rel_type(self.type)
        check_label(self.from_label)
        check_label(self.to_label)
        if (self.from_label, self.to_label) not in REL_TYPES[self.type].pairs:
            raise ValueError(f"{self.from_label}-[:{self.type}]->{self.to_label} is not in schema.model")
        for name in self.identity:
            check_property_name(name)
        _check_slice(self.name, self.common, self.replace)

    def count(self) -> int:
        """Rows held, dicts and columns (``len(rows)`` counts only the dicts)."""
        return len(self.rows) + (len(self.columns) if self.columns is not None else 0)

    def streams(self) -> bool:
        """Whether the transactional writer plans and writes these rows a chunk at a time from the columns,
        never holding them all as dicts: column-held only, distinct keys, no replaced slice."""
        return self.columns is not None and not self.rows and self.columns.unique and not self.replace

    def materialize(self) -> "RelRows":
        """Append the column-held rows as dicts (``add``'s), after the dict rows; drop the columns."""
        if self.columns is not None:
            cols, self.columns = self.columns, None
            for (frm, to), props in cols.records(("from", "to")):
                self.add(frm, to, **props)   # self.columns is None by now: no recursion
        return self

    @property
    def name(self) -> str:
        return f"{self.type} ({self.from_label}->{self.to_label})"

    def add(self, frm: str, to: str, **props: Any) -> None:
        if self.columns is not None:
            self.materialize()   # rows keep the order they were given in
        ident = {k: props[k] for k in self.identity if k not in self.common}
        rest = {k: v for k, v in props.items() if k not in ident}
        self.rows.append({"from": frm, "to": to, "id": ident, "props": rest})


@dataclass
class GraphRows:
    """All nodes and relationships of one load, in write order (nodes first)."""
    nodes: dict[str, NodeRows] = field(default_factory=dict)
    rels: dict[tuple, RelRows] = field(default_factory=dict)

    def node_rows(self, label: str, **options: Any) -> NodeRows:
        if label not in self.nodes:
            self.nodes[label] = NodeRows(label, **options)
        elif options:
            have = self.nodes[label]
            if any(getattr(have, k) != v for k, v in options.items()):
                raise ValueError(f"{label}: options {options} differ from the rows already there")
        return self.nodes[label]

    def rel_rows(self, type_: str, from_label: str, to_label: str, identity: tuple[str, ...] = (),
                 **options: Any) -> RelRows:
        k = (type_, from_label, to_label)
        if k not in self.rels:
            self.rels[k] = RelRows(type_, from_label, to_label, identity, **options)
        else:
            have = self.rels[k]
            if have.identity != identity:
                raise ValueError(f"{k}: identity {identity} differs from {have.identity}")
            if any(getattr(have, o) != v for o, v in options.items()):
                raise ValueError(f"{k}: options {options} differ from the rows already there")
        return self.rels[k]

    def extend(self, other: "GraphRows") -> "GraphRows":
        for label, nr in other.nodes.items():
            mine = self.node_rows(label, common=nr.common, replace=nr.replace, fill_only=nr.fill_only)
            _join(mine, nr)
        for (t, f, to), rr in other.rels.items():
            _join(self.rel_rows(t, f, to, rr.identity, common=rr.common, replace=rr.replace), rr)
        return self

    def total_rows(self) -> int:
        return sum(n.count() for n in self.nodes.values()) + sum(r.count() for r in self.rels.values())

    def materialize(self) -> "GraphRows":
        """Every column-held row as a dict: for the transactional writer and the collector, which work on dicts."""
        for rows in (*self.nodes.values(), *self.rels.values()):
            rows.materialize()
        return self


def _join(mine, other) -> None:
    """Append ``other``'s rows to ``mine``'s, in order: columns stay columns only where nothing comes before
    or after them (rows of one kind in one form; anything mixed is materialized)."""
    if other.columns is not None and not mine.rows and mine.columns is None and not other.rows:
        mine.columns = other.columns
        return
    mine.materialize()
    mine.rows.extend(other.materialize().rows)


def dataset_rows(key: str, name: str, synthetic: bool, description: str, loaded_at: str) -> NodeRows:
    """The Dataset node every record's `source` points at (loaded_at is kept from the first load)."""
    nr = NodeRows("Dataset")
    nr.add(key, name=name, synthetic=synthetic, description=description, source=key)
    # outside props: the writer sets it only when missing, so reloading changes nothing
    nr.rows[-1]["loaded_at"] = loaded_at
    return nr


assert "Dataset" in NODE_LABELS


@contextmanager
def paused_gc():
    """Build, diff and write rows with Python's cyclic garbage collector paused.

    A load makes hundreds of thousands of small dicts that never form cycles; each full
    collection walks all of them (measured on a WIOD year: 0.7 s of 1.0 s building the rows
    and diffing them). Reference counting still frees everything; the collector runs again
    afterwards, as it was.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@contextmanager
def resumed_gc():
    """Write with the collector running, even inside ``paused_gc``: each statement leaves cyclic garbage in
    the driver (sessions, transactions, results), which would otherwise pile up until the load ends (680 MiB
    over a load of 200k firms). What exists already (the load's rows and plan) is frozen out of the
    collector's way meanwhile, so it walks only what the statements make."""
    was = gc.isenabled()
    if not was:
        gc.freeze()
        gc.enable()
    try:
        yield
    finally:
        if not was:
            gc.disable()
            gc.unfreeze()

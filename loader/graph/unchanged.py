"""Reloads the store already holds: each load leaves a record of its rows, so that running it again reads
no stored record.

A reload of an unchanged folder compares every row with the store (chunk digests,
``loader.graph.fingerprint``): 150-190 s for the 6M input rows of 1M firms, the server's serialisation of
the stored records being the floor (docs/scaling.md). Yet only the writer writes data, so it can say what it
left:

* ``LoadRecord {key: 'store'}`` holds ``store_stamp``, a random token that every load changing records
  renews: in its transaction (atomic), or before its first batch and again after its last (batched: a load
  that dies half-way has renewed it too);
* after a load, ``LoadRecord {key: 'rows:<digest>'}`` holds the stamp the load left and the count store's
  totals of the labels and types its rows hold; ``<digest>`` is the SHA-256 of the load's rows and of the
  writer's own code (``rows_digest``). It is written only when no other load changed records between this
  load's reading the store (under its locks) and its end, and no Dataset carries a ``loading`` mark; records
  of older stamps are deleted then.

A load whose digest is recorded with the current stamp, while no ``loading`` mark is set and the totals are
the recorded ones, would write nothing: the writer says so without reading the store (``verify=True``, the
loaders' ``--verify``, compares every record anyway). What the record cannot see: records edited by hand,
outside the loader, whose counts stayed the same (a property changed in the browser); ``--verify`` finds
those, as every reload did before.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from loader.graph.rows import Columns, GraphRows
from schema.model import check_label, check_rel_type

LABEL = check_label("LoadRecord")
STORE_KEY = "store"
_ROW_FIELDS = ("key", "from", "to", "id", "props")   # what a row means: ``loaded_at`` is the moment of the load

LOOKUP = ("OPTIONAL MATCH (s:LoadRecord {key: 'store'}) OPTIONAL MATCH (r:LoadRecord {key: $key}) "
          "RETURN s.store_stamp AS stamp, r.store_stamp AS recorded, r.totals AS totals, "
          "EXISTS { MATCH (d:Dataset) WHERE d.loading IS NOT NULL } AS loading")
# renew: a load that changed records; else hold: the SET takes the node's write lock all the same, so a load
# renewing the stamp meanwhile commits before this reads it, or waits for this transaction
SETTLE = ("MERGE (s:LoadRecord {key: 'store'}) WITH s, s.store_stamp AS before "
          "SET s.store_stamp = CASE WHEN $renew OR before IS NULL THEN randomUUID() ELSE before END, "
          "s.settled_at = datetime() RETURN before, s.store_stamp AS now")
RECORD = ("MATCH (s:LoadRecord {key: 'store'}) WHERE s.store_stamp = $stamp "
          "AND NOT EXISTS { MATCH (d:Dataset) WHERE d.loading IS NOT NULL } "
          "UNWIND $records AS rec MERGE (r:LoadRecord {key: rec.key}) "
          "SET r.store_stamp = $stamp, r.totals = rec.totals, r.recorded_at = datetime() "
          "WITH DISTINCT s OPTIONAL MATCH (old:LoadRecord) WHERE old.key STARTS WITH 'rows:' "
          "AND old.store_stamp <> $stamp DETACH DELETE old RETURN count(*) AS n")
# column-held parts up to this many rows are digested as the dicts they would be materialized into: a table
# folder's small tables are merged with the reference data (dicts) in one load and held as columns in the next
AS_DICTS_UP_TO = 100_000


@lru_cache(maxsize=1)
def _writer_code() -> bytes:
    """The writer's source: a changed writer may leave other records for the same rows (shares, digests)."""
    here = Path(__file__).parent
    files = sorted(here.glob("*.py")) + [here.parent.parent / "schema" / "model.py"]
    h = hashlib.sha256()
    for f in files:
        h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    return h.digest()


def _canon(v):
    """A value as nested tuples whose ``repr`` has one reading: dicts in key order, lists tagged."""
    if isinstance(v, dict):
        return ("d", tuple((k, _canon(x)) for k, x in sorted(v.items())))
    if isinstance(v, (list, tuple)):
        return ("l", tuple(_canon(x) for x in v))
    return v


class _HashSink:
    """A file-like end for Arrow's IPC writer that only hashes what it is given."""

    def __init__(self, h):
        self.h, self.closed = h, False

    def write(self, data) -> int:
        self.h.update(data)
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True


def _hash_columns(h, cols: Columns) -> None:
    import pyarrow as pa

    h.update(repr(("columns", _canon(cols.constants), cols.order, cols.unique)).encode())
    # Arrow's IPC stream: the schema, then every buffer of every batch; equal bytes are equal tables
    with pa.ipc.new_stream(pa.PythonFile(_HashSink(h), mode="w"), cols.table.schema) as out:
        out.write_table(cols.table)


def _hash_dicts(h, rows: list[dict]) -> None:
    for start in range(0, len(rows), 10_000):
        h.update("".join(repr(_canon({f: r[f] for f in _ROW_FIELDS if f in r})) + "\n"
                         for r in rows[start:start + 10_000]).encode())


def rows_digest(graph: GraphRows) -> str:
    """SHA-256 of a load's rows as the writer sees them (labels, options, every row, in order) and of the
    writer's code (pure). A part's dict rows and small column-held rows hash as the same dicts."""
    h = hashlib.sha256(_writer_code())
    parts = [(("node", label), nr) for label, nr in sorted(graph.nodes.items())] + \
        [(("rel", k, rr.identity), rr) for k, rr in sorted(graph.rels.items())]
    for head, rows in parts:
        h.update(repr(("part", head, _canon(rows.common), rows.replace, getattr(rows, "fill_only", None))).encode())
        _hash_dicts(h, rows.rows)
        cols = rows.columns
        if cols is None:
            continue
        if len(cols) > AS_DICTS_UP_TO:
            _hash_columns(h, cols)
        elif head[0] == "node":
            _hash_dicts(h, cols.node_rows(0, len(cols)))
        else:
            _hash_dicts(h, cols.rel_rows(0, len(cols), rows.identity, rows.common))
    return "rows:" + h.hexdigest()


def totals_cypher(graph: GraphRows) -> str:
    """Cypher: the count store's totals of every label and relationship type the rows hold (constant time)."""
    parts = [f"MATCH (n:{check_label(label)}) RETURN count(n) AS c" for label in sorted(graph.nodes)] + \
        [f"MATCH ()-[r:{check_rel_type(t)}]->() RETURN count(r) AS c" for t in sorted({k[0] for k in graph.rels})]
    calls = " ".join(f"CALL {{ {p.replace(' AS c', f' AS c{i}')} }}" for i, p in enumerate(parts))
    return f"{calls} RETURN [{', '.join(f'c{i}' for i in range(len(parts)))}] AS totals"


@dataclass
class LoadRecord:
    """One load's side of the record: its digest, and the store stamp it expects (the one it read under its
    locks, then the ones it set itself); ``broken`` once another load changed records in between. ``also``:
    (digest, totals) of other rows the load leaves held (``write_graph``'s ``holds``)."""
    digest: str
    totals: str
    stamp: str | None = None
    broken: bool = False
    also: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, graph: GraphRows, holds: tuple[GraphRows, ...] = ()) -> "LoadRecord":
        return cls(rows_digest(graph), totals_cypher(graph),
                   also=tuple((rows_digest(g), totals_cypher(g)) for g in holds))

    def held(self, run) -> bool:
        """Read under the load's locks (``run(cypher, **params)`` -> records): whether the store holds the
        rows as the last load of them left them. Notes the current stamp either way."""
        rec = run(LOOKUP, key=self.digest)[0]
        self.stamp, self.broken = rec["stamp"], False
        if rec["stamp"] is None or rec["recorded"] != rec["stamp"] or rec["loading"]:
            return False
        return list(run(self.totals)[0]["totals"]) == list(rec["totals"] or [])

    def settle(self, tx, renew: bool) -> tuple[str, bool]:
        """Renew (records changed) or hold the stamp in ``tx``: (the stamp now, whether another load changed
        records since this one's last look). Pure towards ``self``: a retried transaction runs it again."""
        rec = tx.run(SETTLE, renew=renew).single()
        return rec["now"], self.broken or rec["before"] != self.stamp

    def finish(self, tx, renew: bool) -> bool:
        """At the load's end, in its last transaction: settle the stamp and record the rows when nothing else
        changed records meanwhile. Returns whether the record was written."""
        now, broken = self.settle(tx, renew)
        if broken:
            return False
        records = [{"key": key, "totals": tx.run(totals).single()["totals"]}
                   for key, totals in ((self.digest, self.totals), *self.also)]
        # count(*) after the aggregation's empty input is 0: the stamp moved or a mark appeared
        return tx.run(RECORD, records=records, stamp=now).single()["n"] > 0

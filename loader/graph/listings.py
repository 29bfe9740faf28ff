"""The writer's side of the kept (dataset, year) listings (``schema.listings``): which a load changed,
and listing them again after it.

Marking (``schema.listings.MARK_CHANGED``) happens inside the load's own transaction
(``loader.graph.write``); listing again happens after the load, in a transaction of its own that reads
the change stamp, the count store's total and the pairs, and stores them only if no load marked a
change meanwhile (that load lists them after its own change). A load that dies between its last
transaction and the listing leaves the listing marked changed: readers list the pairs themselves
until the next load of that kind, or ``python -m loader listings``.
"""
from __future__ import annotations

import sys
import time
from typing import Any

from connection import NO_LIMIT, Settings, write
from loader.graph.plan import LoadPlan
from loader.graph.rows import GraphRows
from schema.listings import CHANGED, KEPT, STORE, distinct, encode, touched


def changed(graph: GraphRows, lp: LoadPlan, completing: bool = False) -> list[str]:
    """The kept listings the planned writes may change: a node or relationship created, updated (a source
    may move) or deleted. New shares of stored firm links change no (dataset, year) pair. ``completing``: the
    load completes one that died (its mark was found), which may have written any kind of the rows and
    listed none: every kind the rows hold."""
    if completing:
        return imported(graph.nodes, list(graph.rels.values()))
    labels = {label for label, p in lp.nodes.items() if p.created() or p.update or p.delete}
    types = {graph.rels[k].type for k, p in lp.rels.items() if p.created() or p.update or p.delete}
    return touched(labels, types)


def imported(nodes: dict, rels: list) -> list[str]:
    """The kept listings of a bulk first load of these node rows (label -> rows) and relationship rows."""
    return touched({label for label, rows in nodes.items() if rows.count()}, {rr.type for rr in rels if rr.count()})


def _value(rows, row: dict, name: str):
    if name in rows.common:
        return rows.common[name]
    for part in ("id", "props"):
        if name in row.get(part, {}):
            return row[part][name]
    return None


def _row_pairs(rows, yearly: bool) -> set[tuple]:
    """(source, year) of node or relationship rows, dicts and columns, as ``pairs_cypher`` lists the records they
    become: a missing source is '', a kind without years has None."""
    names = ("source", "year") if yearly else ("source",)
    found = {tuple(_value(rows, r, n) for n in names) for r in rows.rows}
    cols = rows.columns
    if cols is not None and len(cols):
        held = [n for n in names if n not in rows.common and (n in cols.constants or n in cols.table.column_names)]
        for combo in cols.distinct(*held) if held else {()}:
            got = dict(zip(held, combo))
            found.add(tuple(got[n] if n in got else rows.common.get(n) for n in names))
    return {(source or "", year[0] if year else None) for source, *year in found}


def listed_from_rows(nodes: dict, rels: list) -> dict[str, list[tuple[str, Any]]]:
    """The listings of a bulk first load, from its rows (pure): the database held nothing before, so the pairs of
    its records are the pairs of the rows, without reading 5M imported links back (15.8 s at 1M firms)."""
    out = {}
    for name in imported(nodes, rels):
        kept = KEPT[name]
        if kept.counted[0] == "node":
            found = _row_pairs(nodes[kept.counted[1]], kept.yearly)
        else:
            start, end = kept.ends
            found = set().union(*(_row_pairs(rr, kept.yearly) for rr in rels
                                  if rr.type == kept.counted[1] and start in (None, rr.from_label)
                                  and end in (None, rr.to_label)))
        out[name] = distinct({"source": s, "year": y} for s, y in found)
    return out


def store_listed(listed: dict[str, list], settings: Settings | None = None) -> dict[str, float]:
    """Store listings made from a bulk load's rows (``listed_from_rows``), each with the count store's total read
    in the same transaction; returns the seconds each took."""
    took = {}
    for name, pairs in listed.items():
        t = time.perf_counter()
        write(lambda tx, n=name, p=pairs: _store(tx, n, p), settings=settings)
        took[name] = time.perf_counter() - t
    return took


def _store(tx, name: str, pairs: list) -> bool:
    seen = tx.run(CHANGED, key=name).single()["stamp"]
    count = tx.run(KEPT[name].count).single()["c"]
    return tx.run(STORE, key=name, seen=seen, count=count, pairs=encode(pairs)).single()["stored"] == 1


def _list_again(tx, name: str) -> bool:
    kept = KEPT[name]
    seen = tx.run(CHANGED, key=name).single()["stamp"]
    count = tx.run(kept.count).single()["c"]
    pairs = distinct(tx.run(kept.pairs))
    return tx.run(STORE, key=name, seen=seen, count=count, pairs=encode(pairs)).single()["stored"] == 1


def refresh(names, settings: Settings | None = None, *, progress: bool = False) -> dict[str, float]:
    """List each of ``names`` again and store it; returns the seconds each took. A write transaction (the
    leader of a cluster) that only reads until its last statement: it sees every committed load."""
    took = {}
    for name in names:
        if progress:
            print(f"listing the (dataset, year) pairs of {name} ...", file=sys.stderr, flush=True)
        t = time.perf_counter()
        # no time limit: the listing reads every record of its kind, as a load reads its years
        write(lambda tx, n=name: _list_again(tx, n), settings=settings, timeout_s=NO_LIMIT)
        took[name] = time.perf_counter() - t
    return took


def refresh_all(settings: Settings | None = None, *, progress: bool = True) -> dict[str, float]:
    """Every kept listing listed again (``python -m loader listings``: after records were written by hand)."""
    return refresh(sorted(KEPT), settings, progress=progress)

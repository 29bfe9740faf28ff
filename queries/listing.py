"""The (dataset, year) pairs a basis holds, listed once per state of the data.

Listing them reads every record of the basis: for firm supply links every link, 7.7 s at 1M firms and
5M links, most of a warm centrality request (docs/scaling.md). The pairs change only when records of
the basis are written, so a listing is kept in this process and served again while the database (its
id), every Dataset's ``data_stamp`` (a random token the one writer, ``loader.graph``, sets anew with
every change of a dataset's records, beside counting up its ``data_version``, which starts from 1 again
in a database emptied and loaded again) and the count store's total of the basis's relationship type
or node label (``Basis.counted``) are all the same: three reads that cost nothing. Firms (a scan of
every Firm node: 0.5-1.2 s at 1M) and every kind of link are listed this way; the sector tables have a
cheap listing of their own.

What those do not see is never kept: a listing holding a dataset no load has stamped (records written
by hand, without a Dataset node, or loaded before stamps existed) is read again on every request, as
before, until a load stamps it. A year or source changed by hand on an existing record, with no load
and no count moving, is not seen either (nor by the cached GDS projections, ``queries.gds_cache``);
``forget()`` drops every kept listing.
"""
from __future__ import annotations

import threading
from typing import Any

from schema.model import check_label, check_rel_type

_DATASET = check_label("Dataset")
_MAX = 256        # listings kept (per basis, database and state): each is a few pairs
_kept: dict[tuple, list[tuple[str, Any]]] = {}
_lock = threading.Lock()


def pairs(tx, basis, params: dict[str, Any] | None = None) -> list[tuple[str, Any]]:
    """The distinct (source, year) of ``basis``'s records, sorted (source, then year; None first)."""
    def read() -> list[tuple[str, Any]]:
        found = {(r["source"], r["year"]) for r in tx.run(basis.pairs, params or {})}
        return sorted(found, key=lambda p: (p[0], -1 if p[1] is None else p[1]))

    if basis.counted is None or params:
        return read()
    db = tx.run("CALL db.info() YIELD id RETURN id")[0]["id"]
    stamps = {r["k"]: r["s"] for r in tx.run(f"MATCH (d:{_DATASET}) RETURN d.key AS k, d.data_stamp AS s")}
    kind, name = basis.counted
    count = (f"MATCH (n:{check_label(name)}) RETURN count(n) AS c" if kind == "node" else
             f"MATCH ()-[r:{check_rel_type(name)}]->() RETURN count(r) AS c")
    key = (basis.name, basis.pairs, db, tuple(sorted(stamps.items(), key=str)), tx.run(count)[0]["c"])
    with _lock:
        hit = _kept.get(key)
    if hit is not None:
        return list(hit)
    found = read()
    if all(stamps.get(s) is not None for s, _ in found):
        with _lock:
            if len(_kept) >= _MAX:
                _kept.pop(next(iter(_kept)))
            _kept[key] = found
    return list(found)


def forget() -> None:
    """Drop every kept listing (after data was changed by hand; tests)."""
    with _lock:
        _kept.clear()

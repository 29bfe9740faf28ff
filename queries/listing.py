"""The (dataset, year) pairs a basis holds: the writer's stored listing when it is current, else a scan.

Listing the pairs reads every record of the basis: for firm supply links every link, 7.7 s at 1M firms
and 5M links, most of a warm centrality request and a third of a cold one (docs/scaling.md). The
writer keeps a listing of each kind of record in the database (``schema.listings``: one ``Listing``
node each, marked changed in the transaction of every change, listed again after the load), so a
request reads three small things instead: the stored pairs and their stamps, whether a load is under
way, and the count store's total of the kind (constant time). The stored pairs are used only when
the listing is current (listed after the last change), no load is under way and the total is the
one stored (no record written or deleted by hand since). Anything else, and every listing with
parameters (a start node), is read from the records themselves, as before; so is data written before
listings were kept, until a load or ``python -m loader listings`` lists it.

What no count sees is not seen here either: a year or source changed by hand on an existing record.
``python -m loader listings`` lists every kind again.
"""
from __future__ import annotations

from typing import Any

from schema.listings import KEPT, STORED, decode, distinct


def pairs(tx, basis, params: dict[str, Any] | None = None) -> list[tuple[str, Any]]:
    """The distinct (source, year) of ``basis``'s records, sorted (source, then year; None first)."""
    held = None if params else stored(tx, basis)
    return held if held is not None else distinct(tx.run(basis.pairs, params or {}))


def stored(tx, basis) -> list[tuple[str, Any]] | None:
    """The writer's stored listing of ``basis`` when it is current (see above), else None; never a scan."""
    kept = KEPT.get(basis.kept) if basis.kept else None
    if kept is None:
        return None
    row = tx.run(STORED, {"key": kept.name})[0]
    if row["pairs"] is None or not row["current"] or row["loading"] or row["count"] != tx.run(kept.count)[0]["c"]:
        return None
    return decode(row["pairs"])

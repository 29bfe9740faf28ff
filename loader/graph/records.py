"""Stored records read back as Arrow columns (pure): how a value the server returns becomes one or two columns,
and element ids held compactly, made into text again only for the rows that need it."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


def columns_of(name: str, kind: str, values) -> list[tuple]:
    """(name, array) of one returned value. "dictionary": strings that repeat (a link's source), held once per
    batch. "element_id": two columns, ``name`` the text before the number that ends an element id
    ("5:<database id>:"; dictionary-encoded: the same for every relationship of a database) and ``name + "_n"``
    the number (int64; null where an id does not end in a plain number, whose whole text is then in ``name``):
    5M ids as text take ~245 MB, so ~60 MB. ``element_ids`` puts them together again."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if kind == "dictionary":
        return [(name, pa.array(values, pa.string()).dictionary_encode())]
    if kind != "element_id":
        return [(name, pa.array(values, getattr(pa, kind)()))]
    text = pa.array(values, pa.string())
    prefix = values[0][:values[0].rfind(":") + 1] if len(values) else ""
    number = pc.utf8_slice_codeunits(text, len(prefix))
    # only a number written as str(int) writes it back: no sign, no leading zero, at most 18 digits (int64)
    plain = pc.and_(pc.starts_with(text, prefix), pc.match_substring_regex(number, r"^(0|[1-9][0-9]{0,17})$"))
    return [(name, pc.if_else(plain, pa.scalar(prefix), text).dictionary_encode()),
            (name + "_n", pc.if_else(plain, number, pa.scalar(None, pa.string())).cast(pa.int64()))]


def element_ids(table, name: str, positions) -> list[str]:
    """The element ids of rows ``positions`` of a table with ``columns_of``'s "element_id" columns."""
    import pyarrow as pa

    at = pa.array(positions, pa.int64())
    head, number = table.column(name).take(at).to_pylist(), table.column(name + "_n").take(at).to_pylist()
    return [h if n is None else h + str(n) for h, n in zip(head, number)]


def element_positions(table, name: str, ids: list[str]):
    """(rows of the table whose element id is one of ``ids``, the index in ``ids`` of each)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    numbers = []
    for e in ids:
        tail = e[e.rfind(":") + 1:]
        if tail.isascii() and tail.isdigit():
            numbers.append(int(tail))
    column = table.column(name + "_n")
    maybe = pc.is_in(column, value_set=pa.array(numbers, pa.int64()))
    if len(numbers) < len(ids):   # an id that does not end in a number: look at the rows held as text too
        maybe = pc.or_(maybe, pc.is_null(column))
    rows = np.flatnonzero(maybe.combine_chunks().fill_null(False).to_numpy(zero_copy_only=False))
    index = {e: i for i, e in enumerate(ids)}
    found = [(r, index[e]) for r, e in zip(rows, element_ids(table, name, rows)) if e in index]
    return (np.array([r for r, _ in found], np.int64), np.array([i for _, i in found], np.int64))


def share_props(a: float, b: float) -> dict:
    """A link's share update: each of a and b that moves (NaN: it stays)."""
    return {k: float(v) for k, v in (("a", a), ("b", b)) if v == v}


@dataclass
class ShareUpdates:
    """Stored firm links whose shares a/b alone change (a load that adds links to a stored year can move millions),
    held as columns: ``ids`` a table of ``columns_of``'s element id columns ("eid", "eid_n"), ``a`` and ``b`` the
    new shares (NaN: that share stays). Made into the writer's update rows a batch at a time."""
    ids: Any
    a: np.ndarray
    b: np.ndarray

    @classmethod
    def of(cls, changes: dict[str, dict]) -> "ShareUpdates":
        """From element id -> {"a": .., "b": ..} (each share that moves), as the dict path plans them."""
        import pyarrow as pa

        return cls(pa.table(dict(columns_of("eid", "element_id", list(changes)))),
                   np.array([c.get("a", np.nan) for c in changes.values()], float),
                   np.array([c.get("b", np.nan) for c in changes.values()], float))

    def __len__(self) -> int:
        return len(self.a)

    def batches(self, size: int):
        for start in range(0, len(self), size):
            stop = min(start + size, len(self))
            yield [{"eid": e, "props": share_props(a, b)}
                   for e, a, b in zip(element_ids(self.ids, "eid", range(start, stop)), self.a[start:stop],
                                      self.b[start:stop])]

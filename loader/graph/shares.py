"""Firm-to-firm supply shares a and b (docs/methods.md, section 10: a = value / buyer's purchases from firms in the
year, b = value / seller's sales to firms in the year), pure.

The shares depend on every link of the year in the database, not only on the
links of one load: a second file adding links to a year changes the shares of
links already stored. So the loader hands over the year's stored links and its
plan, and gets back the shares of the links it creates plus the stored links
whose shares moved.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from loader.graph.diff import RelPlan
from loader.graph.records import element_positions

# stored shares within this relative distance of the recomputed ones are kept: summation
# order may change the last bit, and a reload must write nothing
KEEP_RELATIVE = 1e-12


@dataclass
class SharePlan:
    updates: dict[str, dict] = field(default_factory=dict)  # element id -> {"a": .., "b": ..} (moved only)
    a_set: int = 0
    b_set: int = 0


def _moved(stored, new: float) -> bool:
    return stored is None or abs(stored - new) > KEEP_RELATIVE * abs(new)


def _shares(sellers: list, buyers: list, years: list, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    def per_group(firms: list, yrs: list) -> np.ndarray:
        # group numbers computed by pandas in C: a Python dict over millions of tuples took seconds
        idx = pd.DataFrame({"f": firms, "y": yrs}).groupby(["f", "y"], sort=False, dropna=False).ngroup().to_numpy()
        totals = np.bincount(idx, weights=values)
        t = totals[idx]
        return np.divide(values, t, out=np.zeros_like(values), where=t > 0)

    return per_group(buyers, years), per_group(sellers, years)


def shares_by_codes(sellers: np.ndarray, buyers: np.ndarray, years: np.ndarray,
                    values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``_shares`` on integer firm codes (column-held links): the same groups, and the same bits, since
    ``np.bincount`` adds each group's values in row order however the groups are numbered. Codes are small
    non-negative integers (dictionary indices): with one year they number the groups as they are."""
    one_year = len(years) == 0 or years.min() == years.max()
    year_codes = None if one_year else pd.factorize(years)[0].astype(np.int64)
    width = 1 if one_year else int(year_codes.max()) + 1

    def per_group(codes: np.ndarray) -> np.ndarray:
        idx = codes if one_year else pd.factorize(codes.astype(np.int64) * width + year_codes)[0]
        t = np.bincount(idx, weights=values)[idx]
        return np.divide(values, t, out=np.zeros_like(values), where=t > 0)

    return per_group(buyers), per_group(sellers)


def column_shares(cols) -> tuple[np.ndarray, np.ndarray]:
    """a and b of column-held firm links (``rows.Columns`` with from, to, year and value), the whole year's links
    (the store holds none): ``shares_by_codes``, the rule of ``_shares`` on the same values in the same order."""
    import pyarrow as pa

    def array(name: str, arrow_type=None) -> np.ndarray:
        if name in cols.constants:
            return np.full(len(cols), cols.constants[name])
        col = cols.table.column(name).combine_chunks()
        if arrow_type is not None:   # the row path reads a missing value as 0.0
            col = col.cast(arrow_type).fill_null(0.0)
        return col.to_numpy(zero_copy_only=False)

    sellers, buyers = (np.asarray(cols.table.column(n).combine_chunks().dictionary_encode().indices)
                       for n in ("from", "to"))
    return shares_by_codes(sellers, buyers, array("year"), array("value", pa.float64()).astype(float))


def plan_firm_shares(stored: list[tuple[str, str, str, dict]], plan: RelPlan) -> SharePlan:
    """``stored``: every Firm->Firm SUPPLIES link of the years the load touches (from, to, element id, props).

    Adds a and b to the props of ``plan.create`` rows in place; returns the stored
    links (updated by the load or not) whose a or b must change.
    """
    update_value = {u["eid"]: u["props"].get("value") for u in plan.update}
    sellers, buyers, years, values, old_a, old_b, eids = [], [], [], [], [], [], []
    for frm, to, eid, props in stored:
        new_value = update_value.get(eid)
        sellers.append(frm)
        buyers.append(to)
        years.append(props.get("year"))
        values.append(float(new_value if new_value is not None else props.get("value") or 0.0))
        old_a.append(props.get("a"))
        old_b.append(props.get("b"))
        eids.append(eid)
    n_stored = len(eids)
    for frm, to, p in plan.create:
        sellers.append(frm)
        buyers.append(to)
        years.append(p.get("year"))
        values.append(float(p.get("value") or 0.0))
    a, b = _shares(sellers, buyers, years, np.asarray(values, dtype=float))
    out = SharePlan()
    for i, eid in enumerate(eids):
        change = {}
        if _moved(old_a[i], a[i]):
            change["a"] = float(a[i])
        if _moved(old_b[i], b[i]):
            change["b"] = float(b[i])
        if change:
            out.updates[eid] = change
            out.a_set += "a" in change
            out.b_set += "b" in change
    # in place: firm links carry identity values (year, product), so plan_rels made these maps for the plan
    for j, (_, _, props) in enumerate(plan.create):
        props["a"] = float(a[n_stored + j])
        props["b"] = float(b[n_stored + j])
    out.a_set += len(plan.create)
    out.b_set += len(plan.create)
    return out


# what the planner reads of each stored firm link for ``stored_link_shares`` (statements.FIRM_LINK_COLUMNS)
STORED_LINK_COLUMNS = (("from", "dictionary"), ("to", "string"), ("eid", "element_id"), ("year", "int32"),
                       ("product", "dictionary"), ("value", "float64"), ("a", "float64"), ("b", "float64"),
                       ("source", "dictionary"))


@dataclass
class LinkShares:
    """``stored_link_shares``'s answer. ``moved``: positions in the stored links (as given, ascending) whose a or b
    changes, with the new values ``a``/``b`` (NaN where that share stays); ``created_a``/``created_b``: the shares
    of the created links, in the order given."""
    moved: np.ndarray
    a: np.ndarray
    b: np.ndarray
    created_a: np.ndarray
    created_b: np.ndarray
    a_set: int = 0
    b_set: int = 0


def _floats(col) -> np.ndarray:
    """A float column as numpy, null as NaN."""
    import pyarrow as pa

    return col.combine_chunks().cast(pa.float64()).to_numpy(zero_copy_only=False).astype(float)


def _ranked_codes(stored_col, created_col=None) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes (int32) of a string or dictionary column's values, numbered in the values' sort order (a null:
    -1, first), so that sorting by codes sorts by the values; and the codes of ``created_col``'s keys in the same
    numbering (keys the stored column lacks: after the stored ones). A firm's links share one code wherever they
    come from, without concatenating or sorting the string columns themselves (5M rows: 70 MB each)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_dictionary(stored_col.type):   # a dictionary per batch read: one for all, shared by the chunks
        enc = stored_col.unify_dictionaries()
    else:   # encoded whole: a chunked column's encoding gives each chunk the dictionary so far (GBs at 5M rows)
        enc = pa.chunked_array([stored_col.combine_chunks().dictionary_encode()])
    known = enc.chunk(0).dictionary if enc.num_chunks else pa.array([], pa.string())
    rank = np.empty(len(known) + 1, np.int32)   # the last entry: a null's
    rank[np.asarray(pc.sort_indices(known), np.int64)] = np.arange(len(known), dtype=np.int32)
    rank[-1] = -1
    stored = rank[np.concatenate([np.asarray(c.indices.fill_null(-1), np.int64) for c in enc.chunks])
                  if enc.num_chunks else np.zeros(0, np.int64)]
    del enc
    if created_col is None or not len(created_col):
        return stored, np.zeros(0, np.int32)
    got = pc.index_in(created_col.cast(known.type), value_set=known).combine_chunks()
    new = np.asarray(got.is_null().to_numpy(zero_copy_only=False), bool)
    created = rank[got.fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64)]
    if new.any():
        created[new] = len(known) + pd.factorize(created_col.combine_chunks().filter(pa.array(new)).to_numpy(
            zero_copy_only=False))[0]
    return stored, created


def stored_link_shares(stored, new_values: dict[str, float], created) -> LinkShares:
    """a and b of every firm link of the years after a load, from columns (no dict per link).

    ``stored``: the years' stored links (``STORED_LINK_COLUMNS``; pyarrow); ``new_values``: element id -> the
    value the load updates it to; ``created``: a pyarrow table of the links the load creates (from, to, year,
    value). Stored links are taken sorted by (from, to, year, product), as the dict path sorts them, then the
    created ones in the order given: the sums, and so the shares' last bits, do not depend on the order the
    server returned the links in. A stored share is kept within ``KEEP_RELATIVE`` (a reload writes nothing).
    Only numbers are sorted and copied, never the string columns, and compared in the sorted order: at 5M stored
    links the string columns are ~400 MB, each array of numbers 20-40 MB."""
    import pyarrow as pa
    import pyarrow.compute as pc

    n, m = stored.num_rows, created.num_rows
    stored_sellers, created_sellers = _ranked_codes(stored.column("from"), created.column("from"))
    stored_buyers, created_buyers = _ranked_codes(stored.column("to"), created.column("to"))
    # codes numbered in the values' order sort as the values; a null product (-1) first, as the dict path's ""
    keys = pa.table({"from": stored_sellers, "to": stored_buyers, "year": stored.column("year"),
                     "product": _ranked_codes(stored.column("product"))[0]})
    order = pc.sort_indices(keys, sort_keys=[("from", "ascending"), ("to", "ascending"), ("year", "ascending"),
                                             ("product", "ascending")])
    order = order.to_numpy().astype(np.int64, copy=False)
    del keys
    values = np.empty(n + m)   # the stored rows in sorted order, then the created ones: summed in row order
    stored_values = _floats(stored.column("value"))
    if new_values:
        hit, which = element_positions(stored, "eid", list(new_values))
        stored_values[hit] = np.asarray(list(new_values.values()), dtype=float)[which]
    np.take(stored_values, order, out=values[:n])
    del stored_values
    values[n:] = _floats(created.column("value"))
    np.nan_to_num(values, copy=False, nan=0.0)
    sellers = np.concatenate([stored_sellers[order], created_sellers])
    del stored_sellers
    buyers = np.concatenate([stored_buyers[order], created_buyers])
    del stored_buyers
    a, b = shares_by_codes(sellers, buyers, _years(stored, created, order), values)
    del sellers, buyers, values
    a_moved = _moved_mask(_floats(stored.column("a")), order, a[:n])
    b_moved = _moved_mask(_floats(stored.column("b")), order, b[:n])
    at = np.flatnonzero(a_moved | b_moved)   # in sorted order
    back = np.argsort(order[at])             # the moved links in the stored links' own order
    at = at[back]
    out = LinkShares(order[at], np.where(a_moved[at], a[at], np.nan), np.where(b_moved[at], b[at], np.nan),
                     a[n:], b[n:])
    out.a_set = int(a_moved.sum()) + created.num_rows
    out.b_set = int(b_moved.sum()) + created.num_rows
    return out


def _moved_mask(old: np.ndarray, order: np.ndarray, new: np.ndarray) -> np.ndarray:
    """Where a stored share (``old``, in the stored order; NaN: none) is not the recomputed one (``new``, in
    ``order``) within ``KEEP_RELATIVE``, as ``_moved``."""
    old = old[order]
    with np.errstate(invalid="ignore"):
        np.subtract(old, new, out=old)
        np.abs(old, out=old)
        return ~(old <= KEEP_RELATIVE * np.abs(new))   # NaN (no stored share) compares False: moved


def _years(stored, created, order: np.ndarray) -> np.ndarray:
    """The year of each row in ``stored_link_shares``'s order; with one year (a reload's usual case) a view of one
    number, no array of 5M."""
    import pyarrow.compute as pc

    both = [stored.column("year"), created.column("year")]
    bounds = [pc.min_max(c).as_py() for c in both if len(c)]
    if bounds and len({v for b in bounds for v in b.values()}) == 1:
        return np.broadcast_to(np.int64(bounds[0]["min"]), (len(order) + created.num_rows,))
    return np.concatenate([both[0].to_numpy()[order], both[1].to_numpy()])

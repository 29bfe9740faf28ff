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
    """``_shares`` on integer firm codes (a bulk load's column-held links): the same groups, and the same bits,
    since ``np.bincount`` adds each group's values in row order however the groups are numbered."""
    year_codes = pd.factorize(years)[0].astype(np.int64)
    width = int(year_codes.max()) + 1 if len(year_codes) else 1

    def per_group(codes: np.ndarray) -> np.ndarray:
        idx = pd.factorize(codes.astype(np.int64) * width + year_codes)[0]
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
STORED_LINK_COLUMNS = (("from", "string"), ("to", "string"), ("eid", "string"), ("year", "int64"),
                       ("product", "string"), ("value", "float64"), ("a", "float64"), ("b", "float64"),
                       ("source", "dictionary"))


@dataclass
class LinkShares:
    """``stored_link_shares``'s answer. ``moved``: positions in the stored links (as given) whose a or b changes,
    with the new values ``a``/``b`` (None where that share stays); ``created_a``/``created_b``: the shares of the
    created links, in the order given."""
    moved: np.ndarray
    a: list
    b: list
    created_a: np.ndarray
    created_b: np.ndarray
    a_set: int = 0
    b_set: int = 0


def _floats(col) -> np.ndarray:
    """A float column as numpy, null as NaN."""
    import pyarrow as pa

    return col.combine_chunks().cast(pa.float64()).to_numpy(zero_copy_only=False).astype(float)


def _codes(stored_col, created_col) -> np.ndarray:
    """Integer codes of the keys of both columns, one code per distinct key, stored rows first: a firm's links
    share one code wherever they come from, without concatenating the two string columns."""
    import pyarrow as pa
    import pyarrow.compute as pc

    enc = stored_col.combine_chunks().dictionary_encode()
    known = enc.dictionary
    got = pc.index_in(created_col.cast(known.type), value_set=known).combine_chunks() if len(created_col) \
        else pa.array([], pa.int32())
    new = np.asarray(got.is_null().to_numpy(zero_copy_only=False), bool)
    out = got.fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64)
    if new.any():   # keys only the created links have: codes after the stored ones
        out[new] = len(known) + pd.factorize(created_col.combine_chunks().filter(pa.array(new)).to_numpy(
            zero_copy_only=False))[0]
    return np.concatenate([np.asarray(enc.indices, dtype=np.int64), out])


def stored_link_shares(stored, new_values: dict[str, float], created) -> LinkShares:
    """a and b of every firm link of the years after a load, from columns (no dict per link).

    ``stored``: the years' stored links (``STORED_LINK_COLUMNS``; pyarrow); ``new_values``: element id -> the
    value the load updates it to; ``created``: a pyarrow table of the links the load creates (from, to, year,
    value). Stored links are taken sorted by (from, to, year, product), as the dict path sorts them, then the
    created ones in the order given: the sums, and so the shares' last bits, do not depend on the order the
    server returned the links in. A stored share is kept within ``KEEP_RELATIVE`` (a reload writes nothing).
    Only numbers are sorted and copied, never the string columns (at 5M stored links those are ~600 MB)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    n = stored.num_rows
    keys = pa.table({"from": stored.column("from"), "to": stored.column("to"), "year": stored.column("year"),
                     "product": pc.fill_null(stored.column("product"), "")})
    order = pc.sort_indices(keys, sort_keys=[("from", "ascending"), ("to", "ascending"), ("year", "ascending"),
                                             ("product", "ascending")]).to_numpy().astype(np.int64)
    del keys
    values = np.nan_to_num(_floats(stored.column("value")), nan=0.0)
    if new_values:
        at = pc.index_in(stored.column("eid"), value_set=pa.array(list(new_values), pa.string())).combine_chunks()
        hit = at.is_valid().to_numpy(zero_copy_only=False)
        values[hit] = np.asarray(list(new_values.values()), dtype=float)[at.filter(hit).to_numpy()]
    created_values = np.nan_to_num(_floats(created.column("value")), nan=0.0)
    # the stored rows in sorted order, then the created ones: shares_by_codes sums in row order
    rows = np.concatenate([order, n + np.arange(created.num_rows)])
    sellers = _codes(stored.column("from"), created.column("from"))[rows]
    buyers = _codes(stored.column("to"), created.column("to"))[rows]
    years = np.concatenate([stored.column("year").to_numpy(), created.column("year").to_numpy()])[rows]
    a, b = shares_by_codes(sellers, buyers, years, np.concatenate([values, created_values])[rows])
    del sellers, buyers, years
    # back to the stored links' own order
    a_st, b_st = np.empty(n), np.empty(n)
    a_st[order], b_st[order] = a[:n], b[:n]
    old_a, old_b = _floats(stored.column("a")), _floats(stored.column("b"))
    with np.errstate(invalid="ignore"):
        a_moved = np.isnan(old_a) | (np.abs(old_a - a_st) > KEEP_RELATIVE * np.abs(a_st))
        b_moved = np.isnan(old_b) | (np.abs(old_b - b_st) > KEEP_RELATIVE * np.abs(b_st))
    moved = np.flatnonzero(a_moved | b_moved)
    out = LinkShares(moved,
                     [float(a_st[i]) if a_moved[i] else None for i in moved],
                     [float(b_st[i]) if b_moved[i] else None for i in moved],
                     a[n:], b[n:])
    out.a_set = int(a_moved.sum()) + created.num_rows
    out.b_set = int(b_moved.sum()) + created.num_rows
    return out

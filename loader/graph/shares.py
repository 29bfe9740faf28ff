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

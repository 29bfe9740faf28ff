"""Synthetic firm supply links, subcontracting, FDI and equity stakes (pure)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from loader.demo.base import BaseTable
from loader.reference.korea import ECONOMIC_REGIONS

SAME_SUBDIVISION = 6.0  # how much likelier a supplier in the buyer's own subdivision is
SAME_ECON_REGION = 3.0  # ... in the same economic region
SAME_COUNTRY = 2.0
FIRM_SHARE_OF_INPUTS = 0.5  # part of a firm's intermediate purchases bought from the firms in the demo
ECON_OF = {code: econ for econ, (_, codes) in ECONOMIC_REGIONS.items() for code in codes}


def supply_links(rng, firms: pd.DataFrame, base: BaseTable) -> pd.DataFrame:
    """Each buyer draws suppliers with probability proportional to the IO coefficient between their
    (country, sector) cells, times supplier size, times a proximity factor."""
    A = base.A
    cell = {k: i for i, k in enumerate(A.index)}
    cells = np.array([cell[(c, s)] for c, s in zip(firms["country"], firms["sector"])])
    a = A.to_numpy(dtype=float)
    inputs = a.sum(axis=0)   # each cell's intermediate inputs per unit of output
    # the coefficients between the cells that hold firms (a few hundred of WIOD's 1,435), and each firm's
    # row in that small matrix: one gather per buyer instead of a strided column of the whole table
    used, firm_cell = np.unique(cells, return_inverse=True)
    coef = np.ascontiguousarray(a[np.ix_(used, used)].T)   # row c: what cell c buys from each used cell
    size_w = np.sqrt(firms["employees"].to_numpy(dtype=float))
    # integer codes: comparing them is much cheaper than comparing Python strings. A firm without a region
    # (None, or NaN after a concat) gets -1 and no proximity factor at all (the string version gave one
    # with NaN regions the economic-region factor towards every other firm without a region)
    country = pd.factorize(firms["country"])[0]
    region_text = firms["region"].to_numpy()
    region = pd.factorize(region_text)[0]
    econ = pd.factorize(np.array([ECON_OF.get(r) if isinstance(r, str) else None for r in region_text],
                                 dtype=object))[0]
    employees = firms["employees"].to_numpy()
    division = firms["division"].to_numpy()
    output = firms["output"].to_numpy()
    n = len(firms)
    rows = []
    for j in range(n):
        w = coef[firm_cell[j]][firm_cell] * size_w
        w = w * np.where(country == country[j], SAME_COUNTRY, 1.0)
        if region[j] >= 0:
            w = w * np.where(region == region[j], SAME_SUBDIVISION, np.where(econ == econ[j], SAME_ECON_REGION, 1.0))
        w[j] = 0.0
        total = w.sum()
        if total <= 0:
            continue
        k = min(int(1 + rng.poisson(1.0 + np.log1p(employees[j]) / 2)), 25, int((w > 0).sum()))
        chosen = rng.choice(n, size=k, replace=False, p=w / total)
        budget = output[j] * inputs[cells[j]] * FIRM_SHARE_OF_INPUTS
        split = w[chosen] * rng.lognormal(0.0, 0.6, k)
        for i, v in zip(chosen, budget * split / split.sum()):
            rows.append((int(i), j, round(float(v), 3), division[int(i)]))
    return pd.DataFrame(rows, columns=["supplier", "buyer", "value", "product"]).assign(year=base.year)


def subcontracting(rng, firms: pd.DataFrame, base: BaseTable) -> pd.DataFrame:
    """TNC-SME subcontracting: each TNC or large affiliate gets SME subcontractors in its own country,
    mostly from its own region, in manufacturing-related divisions."""
    rows = []
    sme = firms.index[firms["size_class"] == "sme"].to_numpy()
    for j in firms.index[(firms["size_class"] == "tnc") | ((firms["parent"] >= 0) & (firms["size_class"] == "large"))]:
        cand = sme[(firms.loc[sme, "country"] == firms.at[j, "country"]).to_numpy()
                   & firms.loc[sme, "sector"].isin(base.manufacturing).to_numpy()]
        if len(cand) == 0:
            continue
        w = np.where(firms.loc[cand, "region"].to_numpy() == firms.at[j, "region"], 4.0, 1.0)
        k = min(len(cand), int(1 + rng.poisson(2)))
        for i in rng.choice(cand, size=k, replace=False, p=w / w.sum()):
            value = float(firms.at[int(i), "output"]) * rng.uniform(0.2, 0.7)  # a big share of the SME's sales
            rows.append((int(i), int(j), round(value, 3), "subcontracting"))
    return pd.DataFrame(rows, columns=["supplier", "buyer", "value", "product"]).assign(year=base.year)


# The demo has no official FDI statistics: its country-level figures are the firm projects summed, and say so.
SYNTHETIC_STATISTIC = "synthetic: the demo's firm-level FDI projects summed per home, host and year"


def fdi(firms: pd.DataFrame, rng) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(firm-level investments, country-level statistics, firm ownership) from the affiliates' parent, motive,
    mode and stake."""
    aff = firms[firms["parent"] >= 0]
    inv, own = [], []
    for i, r in aff.iterrows():
        parent = firms.loc[r["parent"]]
        amount = round(float(r["output"]) / 1000 * rng.uniform(0.3, 1.2) * r["foreign_share"], 3)  # million USD
        inv.append({"investor": parent["key"], "target": r["key"], "target_kind": "firm",
                    "year": int(r["founded"]), "amount": amount, "motive": r["motive"], "mode": r["mode"]})
        own.append({"owner": parent["key"], "owner_kind": "firm", "firm": r["key"], "share": r["foreign_share"]})
    inv = pd.DataFrame(inv, columns=["investor", "target", "target_kind", "year", "amount", "motive", "mode"])
    return inv, country_statistics(inv, firms), pd.DataFrame(own, columns=["owner", "owner_kind", "firm", "share"])


def country_statistics(inv: pd.DataFrame, firms: pd.DataFrame) -> pd.DataFrame:
    """Country-level FDI flows as what they are here: the projects summed per home, host and year, labelled
    synthetic. No motive: a statistic of many projects has none unless its publisher reports one."""
    columns = ["origin", "destination", "destination_kind", "year", "measure", "amount", "reported_by", "motive"]
    if inv.empty:
        return pd.DataFrame(columns=columns)
    country = firms.set_index("key")["country"]
    agg = inv.assign(origin=inv["investor"].map(country), destination=inv["target"].map(country)) \
        .groupby(["origin", "destination", "year"], sort=True)["amount"].sum().reset_index()
    return pd.DataFrame({"origin": agg["origin"], "destination": agg["destination"], "destination_kind": "country",
                         "year": agg["year"], "measure": "flow", "amount": agg["amount"].round(3),
                         "reported_by": SYNTHETIC_STATISTIC, "motive": None}, columns=columns)

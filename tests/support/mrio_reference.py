"""Test helpers for the MRIO loader: an independent numpy reference and graph checksums.

The reference deliberately takes other routes than iomath.basic (np.divide
with `where`, np.linalg.solve instead of inv, exports and embodied value added
by grouping per country), so the loader is never checked against itself.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd


def reference_accounts(Z: pd.DataFrame, Y: pd.DataFrame, x: pd.Series) -> dict[str, np.ndarray]:
    z = Z.to_numpy(dtype=float)
    y = Y.to_numpy(dtype=float)
    xv = x.to_numpy(dtype=float)
    n = len(xv)
    nz = xv != 0
    A = np.divide(z, xv[np.newaxis, :], out=np.zeros_like(z), where=nz[np.newaxis, :])
    B = np.divide(z, xv[:, np.newaxis], out=np.zeros_like(z), where=nz[:, np.newaxis])
    L = np.linalg.solve(np.eye(n) - A, np.eye(n))
    G = np.linalg.solve(np.eye(n) - B, np.eye(n))
    v = np.where(nz, 1 - A.sum(axis=0), 0.0)
    rows = Z.index.get_level_values(0).to_numpy()
    # gross exports: everything sold to a country, minus what is sold to one's own country
    to_country = Z.T.groupby(level=0).sum().T.add(Y.T.groupby(level=0).sum().T, fill_value=0)
    own = np.array([to_country.iloc[i][rows[i]] if rows[i] in to_country.columns else 0.0 for i in range(n)])
    e = to_country.sum(axis=1).to_numpy() - own
    dva = np.zeros(n)
    for c in pd.unique(rows):
        idx = np.flatnonzero(rows == c)
        dva[idx] = (v[idx] @ L[np.ix_(idx, idx)]) * e[idx]
    fva = (v @ L) * e - dva
    return {
        "A": A, "B": B, "output": xv, "value_added": xv - z.sum(axis=0), "va_coef": v,
        "final_demand": y.sum(axis=1), "exports": e,
        "backward_linkage": L.sum(axis=0) / L.sum(axis=0).mean(),
        "forward_linkage": G.sum(axis=1) / G.sum(axis=1).mean(),
        "upstreamness": G @ np.ones(n), "dva_exports": dva, "fva_exports": fva,
    }


def checksum(driver) -> dict:
    """Counts and value sums per label and relationship type: what a refused load must leave alone. The
    writer's ``LoadRecord`` nodes (its own stamps, loader/graph/unchanged.py) are no content and left out."""
    out = {}
    # sums in Python with fsum: the server's sum() depends on row order in the last digits
    for r in driver.execute_query("MATCH (n) WHERE NOT n:LoadRecord UNWIND labels(n) AS l "
                                  "RETURN l, count(*) AS c, "
                                  "collect(coalesce(n.output, 0.0)) AS s ORDER BY l").records:
        out[("node", r["l"])] = (r["c"], math.fsum(r["s"]))
    for r in driver.execute_query("MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS c, "
                                  "collect(coalesce(r.value, 0.0)) AS s, collect(coalesce(r.a, 0.0)) AS a "
                                  "ORDER BY t").records:
        out[("rel", r["t"])] = (r["c"], math.fsum(r["s"]), math.fsum(r["a"]))
    return out


def full_dump(driver, without: tuple[str, ...] = ()) -> tuple[list, list]:
    """Every node and relationship with all its properties (but those named in ``without``, e.g.
    the first-load time ``loaded_at``), in a canonical order."""
    nodes = driver.execute_query(
        "MATCH (n) WHERE NOT n:LoadRecord RETURN labels(n) AS l, properties(n) AS p").records
    # one record per start node, its relationships listed in it: the driver's cost is mostly per record,
    # and a WIOD year holds some 400,000 relationships (a third of the time of one record each)
    starts = driver.execute_query(
        "MATCH (a)-[r]->(b) WITH a, collect([type(r), b.key, properties(r)]) AS rs RETURN a.key AS s, rs").records
    # data_stamp and the Listing stamps: random tokens of each change, never the same twice; refreshed_at:
    # the moment a listing was made
    canon = lambda p: tuple(sorted((k, str(v)) for k, v in p.items()   # noqa: E731
                                   if k not in without and not k.endswith("_stamp") and k != "refreshed_at"))
    return (sorted((tuple(sorted(r["l"])), canon(r["p"])) for r in nodes),
            sorted((t, r["s"], e, canon(p)) for r in starts for t, e, p in r["rs"]))


def sector_years(driver, year: int) -> pd.DataFrame:
    rows = driver.execute_query("MATCH (s:Sector)-[:HAS_YEAR]->(y:SectorYear {year: $year}) "
                                "RETURN y.country AS country, y.industry AS industry, properties(y) AS p",
                                year=year).records
    return pd.DataFrame([{**r["p"], "country": r["country"], "industry": r["industry"]} for r in rows])


def supplies(driver, year: int) -> pd.DataFrame:
    # one record per supplying sector, its links listed in it: the driver's cost is mostly per record
    starts = driver.execute_query("MATCH (i:Sector)-[r:SUPPLIES {year: $year}]->(j:Sector) "
                                  "WITH i, collect([j.key, r.value, r.a, r.b]) AS rs RETURN i.key AS s, rs",
                                  year=year).records
    return pd.DataFrame([(rec["s"], *link) for rec in starts for link in rec["rs"]],
                        columns=["s", "t", "value", "a", "b"])

"""The demo's Korean inter-regional table: WIOD's KOR block split into the 17 provinces (pure numpy).

Synthetic, and labelled so (its own Dataset, ``synthetic: true``; docs/methods.md 19.7). Built
from one WIOD year and the synthetic firm layer so that its national totals are the real table's:

- s[r, j], the share of province r in Korean industry j's output: half r's share of the Korean
  firms' output in industry j, half r's share of all Korean firms' output (so an industry that no
  drawn firm of a province covers still has a little output there; shares sum to 1 over r);
- d[r], province r's share of all Korean firms' output: its share of Korea's final demand;
- with w = s[r, j] for a Korean row or column (r, j) and 1 for every other country's sector,
  Z' = w_a Z_ab w_b, x' = w_a x_a, and Y' = w_a Y_af d_f (d_f = d[r] for a final-demand column of
  province r, 1 for other countries' columns).

Summing Z', Y' and x' over the provinces gives WIOD's KOR rows and columns back (exactly, up to the
last bit of a float sum of shares), so Korea's value added and its trade with every other country
are the real ones. Inside Korea every province buys from every province in proportion to the
supplier's output share (no home bias): a simple, documented assumption, not survey data.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from loader.mrio.read import MrioTable
from loader.reference.korea import ECONOMIC_REGIONS

REGIONAL_SOURCE = "demo:kor-regions-synthetic"
COUNTRY = "KOR"
PROVINCES = tuple(sorted(code for _, (_, codes) in ECONOMIC_REGIONS.items() for code in codes))


def province_shares(firms: pd.DataFrame, industries: list[str],
                    divisions: dict[str, list[str]]) -> tuple[np.ndarray, np.ndarray]:
    """(s, d): s (17 x N) province shares of each industry's output, d (17,) shares of all output.

    ``firms`` is the firm table (country, region, industry 'ISIC4|C26', output); ``divisions`` maps each
    table industry to its ISIC Rev.4 divisions (the demo's concordance): a firm's output counts for the
    table industries of its division, split equally where a division feeds several."""
    kr = firms[(firms["country"] == COUNTRY) & firms["region"].notna()]
    by = kr.groupby(["region", "industry"])["output"].sum()
    feeds: dict[str, list[int]] = {}
    for k, ind in enumerate(industries):
        for div in divisions.get(ind, ()):
            feeds.setdefault(f"ISIC4|{div}", []).append(k)
    out = np.zeros((len(PROVINCES), len(industries)))
    p_index = {p: k for k, p in enumerate(PROVINCES)}
    for (region, industry), value in by.items():
        targets = feeds.get(industry, ())
        if region in p_index:
            for k in targets:
                out[p_index[region], k] += float(value) / len(targets)
    d = out.sum(axis=1)
    if d.sum() <= 0:
        raise ValueError("the firm layer has no Korean firm with a province and output: no regional shares")
    d = d / d.sum()
    col = out.sum(axis=0)
    by_industry = np.divide(out, col[np.newaxis, :], out=np.repeat(d[:, np.newaxis], len(industries), axis=1),
                            where=col[np.newaxis, :] > 0)
    return 0.5 * by_industry + 0.5 * d[:, np.newaxis], d


def korea_regional_table(table: MrioTable, firms: pd.DataFrame, divisions: dict[str, list[str]]) -> MrioTable:
    """The inter-regional table of ``table``'s year: KOR replaced by its provinces (see module doc)."""
    units = [str(u) for u in table.Z.index.get_level_values(0)]
    industries = [str(s) for s in table.Z.index.get_level_values(1)]
    kor_industries = [s for u, s in zip(units, industries) if u == COUNTRY]
    s, d = province_shares(firms, kor_industries, divisions)
    j_index = {ind: k for k, ind in enumerate(kor_industries)}
    origin, weight, new_index = [], [], []
    done = False
    for a, (u, ind) in enumerate(zip(units, industries)):
        if u != COUNTRY:
            origin.append(a), weight.append(1.0), new_index.append((u, ind))
        elif not done:                                   # the whole KOR block, province by province
            done = True
            kor_rows = [b for b, uu in enumerate(units) if uu == COUNTRY]
            for r, p in enumerate(PROVINCES):
                for b in kor_rows:
                    origin.append(b), weight.append(s[r, j_index[industries[b]]]), new_index.append((p, industries[b]))
    o, w = np.asarray(origin), np.asarray(weight)
    y_units = [str(u) for u in table.Y.columns.get_level_values(0)]
    y_cats = [str(c) for c in table.Y.columns.get_level_values(1)]
    y_origin, y_weight, y_index = [], [], []
    for f, (u, c) in enumerate(zip(y_units, y_cats)):
        if u != COUNTRY:
            y_origin.append(f), y_weight.append(1.0), y_index.append((u, c))
    kor_cols = [f for f, u in enumerate(y_units) if u == COUNTRY]
    for r, p in enumerate(PROVINCES):
        for f in kor_cols:
            y_origin.append(f), y_weight.append(d[r]), y_index.append((p, y_cats[f]))
    yo, yw = np.asarray(y_origin), np.asarray(y_weight)
    Z0 = table.Z.to_numpy(dtype=float)
    Y0 = table.Y.to_numpy(dtype=float)
    x0 = table.x.to_numpy(dtype=float)
    index = pd.MultiIndex.from_tuples(new_index, names=table.Z.index.names)
    columns = pd.MultiIndex.from_tuples(y_index, names=table.Y.columns.names)
    Z = pd.DataFrame(Z0[np.ix_(o, o)] * w[:, np.newaxis] * w[np.newaxis, :], index=index, columns=index.copy())
    Y = pd.DataFrame(Y0[np.ix_(o, yo)] * w[:, np.newaxis] * yw[np.newaxis, :], index=index.copy(), columns=columns)
    x = pd.Series(x0[o] * w, index=index.copy(), name=table.x.name)
    return MrioTable(Z=Z, Y=Y, x=x, year=table.year, classification=table.classification, source=REGIONAL_SOURCE,
                     name=f"Korea's 17 provinces inside {table.name} (synthetic split by the demo firm layer)",
                     synthetic=True, files={"system": f"korea_regional_table({table.source} {table.year})"},
                     units=table.units, citation=table.citation, inter_regional=True,
                     region_countries={p: COUNTRY for p in PROVINCES})

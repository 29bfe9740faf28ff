"""Synthetic firms: countries, Korean regions, industries, heavy-tailed sizes, foreign affiliates (pure)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from loader.demo.base import BaseTable
from loader.demo.names import FIRM_STEM
from loader.reference.korea import ECONOMIC_REGIONS

# Share of home (non-affiliate) firms per country: the demo looks at Korea first. The sixth country is
# the efficiency-seeking host: Indonesia on WIOD (which has Viet Nam only inside its RoW), Viet Nam on
# pymrio's test system.
HOME_SHARE = {"KOR": 0.45, "CHN": 0.15, "JPN": 0.12, "USA": 0.12, "DEU": 0.08, "HOST": 0.08}
# Relative pull of each Korean economic region; Greater Seoul concentrates activity (about half of
# Korea's firms), spread over its subdivisions in proportion to these weights.
KR_WEIGHT = {"KR-11": 0.20, "KR-41": 0.24, "KR-28": 0.06, "KR-30": 0.03, "KR-50": 0.01, "KR-43": 0.03,
             "KR-44": 0.04, "KR-29": 0.03, "KR-45": 0.03, "KR-46": 0.03, "KR-27": 0.04, "KR-47": 0.05,
             "KR-26": 0.06, "KR-31": 0.04, "KR-48": 0.06, "KR-42": 0.03, "KR-49": 0.02}
AFFILIATE_SHARE = 0.08  # share of all firms that are foreign affiliates of a TNC
# Where each FDI motive tends to go (host weights) and how the stake is taken.
MOTIVE_HOSTS = {
    "market": {"USA": 4, "CHN": 4, "DEU": 2, "JPN": 2, "KOR": 1, "HOST": 1},
    "efficiency": {"HOST": 5, "CHN": 4, "KOR": 1, "USA": 0.3, "DEU": 0.3, "JPN": 0.3},
    "resource": {"HOST": 2, "CHN": 2, "USA": 1, "DEU": 0.3, "JPN": 0.3, "KOR": 0.3},
    "strategic_asset": {"USA": 5, "DEU": 3, "JPN": 3, "KOR": 2, "CHN": 0.5, "HOST": 0.1},
}
MOTIVE_P = {"market": 0.4, "efficiency": 0.3, "resource": 0.1, "strategic_asset": 0.2}
MODE_P = {"greenfield": 0.5, "joint_venture": 0.25, "acquisition": 0.25}
assert set(KR_WEIGHT) == {c for _, (_, codes) in ECONOMIC_REGIONS.items() for c in codes}


def host_of(base: BaseTable) -> str:
    """The base's sixth country: the one that is neither KOR, CHN, JPN, USA nor DEU."""
    (host,) = [c for c in base.countries if c not in ("KOR", "CHN", "JPN", "USA", "DEU")]
    return host


def _with_host(options: dict, base: BaseTable) -> dict:
    host = host_of(base)
    return {(host if k == "HOST" else k): v for k, v in options.items()}


def _pick(rng, options: dict, size=None):
    keys = list(options)
    p = np.array([options[k] for k in keys], dtype=float)
    return np.array(keys, dtype=object)[rng.choice(len(keys), size=size, p=p / p.sum())]


def _kr_region(rng, size):
    return _pick(rng, KR_WEIGHT, size)


def _sizes(rng, n):
    """Employees from a Pareto tail (many SMEs, a few giants), output from labour productivity."""
    employees = np.minimum(np.floor(5 * (1 + rng.pareto(0.9, n))), 250_000).astype(int)
    productivity = rng.lognormal(np.log(220.0), 0.5, n)  # thousand USD per employee
    return employees, np.round(employees * productivity, 2)


def home_firms(rng, n: int, base: BaseTable) -> pd.DataFrame:
    x = base.x
    country = _pick(rng, _with_host(HOME_SHARE, base), n)
    # sector in proportion to the country's gross output, with a floor so small sectors still get firms
    sector = np.empty(n, dtype=object)
    floor = 0.32 / len(base.sectors)   # 0.04 on the 8 test sectors
    for c in base.countries:
        idx = np.flatnonzero(country == c)
        w = x.loc[c].reindex(base.sectors).to_numpy(dtype=float)
        w = w / w.sum() + floor
        sector[idx] = np.array(base.sectors, dtype=object)[rng.choice(len(w), size=len(idx), p=w / w.sum())]
    division = np.array([base.divisions[s][rng.integers(len(base.divisions[s]))] for s in sector], dtype=object)
    employees, output = _sizes(rng, n)
    size_class = np.where(employees < 250, "sme", "large").astype(object)
    # a large firm with a big workforce is a multinational parent with a fair chance
    tnc = (employees >= 500) & (rng.random(n) < 0.7)
    size_class[tnc] = "tnc"
    founded = np.clip(base.year - np.round(rng.gamma(2.0, 6.0, n) + np.log1p(employees) * 3), 1900,
                      base.year).astype(int)
    region = np.full(n, None, dtype=object)
    kr = country == "KOR"
    region[kr] = _kr_region(rng, int(kr.sum()))
    foreign = np.where(rng.random(n) < 0.15, np.round(rng.uniform(0, 0.1, n), 3), 0.0)
    return pd.DataFrame({"country": country, "region": region, "sector": sector, "division": division,
                         "employees": employees, "output": output, "size_class": size_class,
                         "founded": founded, "foreign_share": foreign, "parent": -1})


def affiliates(rng, firms: pd.DataFrame, n: int, base: BaseTable) -> pd.DataFrame:
    """Foreign affiliates of the TNCs, drawn in proportion to parent size."""
    parents = np.flatnonzero(firms["size_class"].to_numpy() == "tnc")
    if n == 0 or len(parents) == 0:
        return firms.iloc[0:0].assign(motive=None, mode=None)
    w = np.log1p(firms["employees"].to_numpy()[parents])
    parent = parents[rng.choice(len(parents), size=n, p=w / w.sum())]
    rows = []
    for p in parent:
        home = firms.at[p, "country"]
        motive = _pick(rng, MOTIVE_P)
        hosts = {c: v for c, v in _with_host(MOTIVE_HOSTS[motive], base).items() if c != home}
        host = _pick(rng, hosts)
        mode = _pick(rng, MODE_P)
        share = 1.0 if mode == "greenfield" else round(float(rng.uniform(0.3, 0.6) if mode == "joint_venture"
                                                             else rng.uniform(0.51, 1.0)), 3)
        sector = firms.at[p, "sector"]
        division = firms.at[p, "division"]
        if motive == "resource":
            sector = base.mining
            division = base.divisions[sector][rng.integers(len(base.divisions[sector]))]
        emp = int(max(20, firms.at[p, "employees"] * rng.uniform(0.02, 0.3)))
        founded = int(rng.integers(min(max(firms.at[p, "founded"], 1985), base.year), base.year + 1))
        rows.append({"country": host, "region": _kr_region(rng, None) if host == "KOR" else None,
                     "sector": sector, "division": division, "employees": emp,
                     "output": round(emp * float(rng.lognormal(np.log(260.0), 0.4)), 2),
                     "size_class": "sme" if emp < 250 else "large", "founded": founded,
                     "foreign_share": share, "parent": int(p), "motive": motive, "mode": mode})
    return pd.DataFrame(rows)


def generate_firms(rng, n_firms: int, base: BaseTable) -> pd.DataFrame:
    n_aff = int(round(n_firms * AFFILIATE_SHARE))
    home = home_firms(rng, n_firms - n_aff, base)
    aff = affiliates(rng, home, n_aff, base)
    firms = pd.concat([home.assign(motive=None, mode=None), aff], ignore_index=True)
    width = len(str(n_firms))
    firms["key"] = [f"DEMO-F{i:0{width}d}" for i in range(len(firms))]
    stems = [FIRM_STEM[c][rng.integers(len(FIRM_STEM[c]))] for c in firms["country"]]
    firms["name"] = [f"{s} {base.words[sec]} {i}" for i, (s, sec) in enumerate(zip(stems, firms["sector"]))]
    firms["industry"] = "ISIC4|" + firms["division"]
    return firms

"""A small global-factory panel written as `loader tables` files: Korean firms' FDI projects into nine hosts
over 2016-2020, Korea's trade with them (2017-2020 only; services without weight) and the hosts' indicators.

Drawn from a fixed seed; the tests compute every expectation from these frames with pandas and numpy.
What it is built to catch: projects of another origin (JPN) and a domestic one (KOR into KR-11) that the
panel must leave out; a project into a region of a host (TH-10) that counts for the host; a host-year
without projects (a zero, not a gap); 2016 with FDI but no trade data (empty trade, not zero); a host
traded with in services only (no unit value, and the reason); a missing indicator (the row left out of
the estimate); country-level FDI statistics that must never be added in.
"""
from __future__ import annotations

import io

import numpy as np
import pandas as pd

SOURCE = "studies:panel"
ORIGIN = "KOR"
HOSTS = ["CHN", "VNM", "USA", "DEU", "JPN", "THA", "IDN", "IND", "MEX"]
YEARS = [2016, 2017, 2018, 2019, 2020]
TRADE_YEARS = [2017, 2018, 2019, 2020]
MOTIVES = ["market", "resource", "efficiency", "strategic_asset"]
SERVICES_ONLY = "MEX"
NO_PROJECTS = ("USA", 2018)
MISSING_WAGE = ("IND", 2018)
UNITS = {"gdp": "million USD", "gdp_per_capita": "USD", "wage": "USD", "rnd_share": "percent of GDP",
         "education": "years"}


def frames(seed: int = 11) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    firms = [
        {"key": "K1", "name": "Korea Chips", "country": "KOR", "region": "KR-11", "industry": "ISIC4|C26"},
        {"key": "K2", "name": "Korea Foods", "country": "KOR", "region": "KR-41", "industry": "ISIC4|C10"},
        {"key": "J1", "name": "Japan Chips", "country": "JPN", "region": "", "industry": "ISIC4|C26"},
    ] + [{"key": f"T-{h}", "name": f"Host firm {h}", "country": h, "region": "", "industry": "ISIC4|C26"}
         for h in HOSTS]
    firms = pd.DataFrame(firms).assign(size_class="large", employees=500, output=10000.0, foreign_share=0.0,
                                       founded=2000)
    regions = pd.DataFrame([{"key": "TH-10", "name": "Bangkok", "kind": "subdivision", "country": "THA",
                             "parent": ""}])
    gdp_pc = {h: rng.uniform(2000, 60000) for h in HOSTS}
    inv, ind, trade = [], [], []
    for h in HOSTS:
        for y in YEARS:
            g = gdp_pc[h] * (1 + 0.03 * (y - 2016)) * (1 + rng.normal(0, 0.05))
            values = {"gdp_per_capita": g, "gdp": g * rng.uniform(20, 200), "wage": g * rng.uniform(0.8, 1.2),
                      "rnd_share": rng.uniform(0.3, 4.5), "education": rng.uniform(6, 14)}
            for code, v in values.items():
                if (h, y) == MISSING_WAGE and code == "wage":
                    continue
                ind.append({"country": h, "year": y, "indicator": code, "value": round(float(v), 3),
                            "unit": UNITS[code], "source": "test: drawn"})
            if (h, y) != NO_PROJECTS:
                targets = [("K1", f"T-{h}", "firm"), ("K2", h, "country")]
                if h == "THA":
                    targets.append(("K1", "TH-10", "region"))
                for investor, target, kind in targets:
                    if rng.uniform() < 0.8:
                        inv.append({"investor": investor, "target": target, "target_kind": kind, "year": y,
                                    "amount": round(float(rng.uniform(1, 100)), 3),
                                    "motive": MOTIVES[int(rng.integers(4))], "mode": "greenfield"})
            if y in TRADE_YEARS:
                for exporter, importer in ((ORIGIN, h), (h, ORIGIN)):
                    if h != SERVICES_ONLY:
                        trade.append({"exporter": exporter, "importer": importer, "year": y, "industry": "ISIC4|C26",
                                      "value": round(float(rng.uniform(1e3, 1e5)), 3),
                                      "weight": round(float(rng.uniform(10, 1e3)), 3), "use": "intermediate"})
                    trade.append({"exporter": exporter, "importer": importer, "year": y, "industry": "ISIC4|J62",
                                  "value": round(float(rng.uniform(1e2, 1e4)), 3), "weight": 0.0, "use": "final"})
    # left out by the panel: another origin's project, a domestic one; statistics are another level
    inv.append({"investor": "J1", "target": "T-CHN", "target_kind": "firm", "year": 2019, "amount": 555.0,
                "motive": "market", "mode": "acquisition"})
    inv.append({"investor": "K1", "target": "KR-11", "target_kind": "region", "year": 2019, "amount": 444.0,
                "motive": "market", "mode": "greenfield"})
    trade.append({"exporter": "JPN", "importer": "CHN", "year": 2019, "industry": "ISIC4|C26", "value": 777.0,
                  "weight": 7.0, "use": "final"})
    stats = pd.DataFrame([{"origin": "KOR", "destination": "CHN", "destination_kind": "country", "year": 2019,
                           "measure": "flow", "amount": 99999.0, "reported_by": "test office", "motive": "market"}])
    return {"firms": firms, "regions": regions, "investments": pd.DataFrame(inv), "trade_flows": pd.DataFrame(trade),
            "country_indicators": pd.DataFrame(ind), "fdi_statistics": stats}


def write(folder, tables: dict[str, pd.DataFrame]):
    from loader.tables.spec import SPECS

    folder.mkdir(parents=True, exist_ok=True)
    for stem, frame in tables.items():
        frame[SPECS[stem].names].to_csv(folder / f"{stem}.csv", index=False, lineterminator="\n")
    return folder


def expected_panel(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The panel by hand with pandas: host x year grid, FDI of the origin by motive, trade, indicators."""
    firms = tables["firms"].set_index("key")
    inv = tables["investments"].copy()
    inv = inv[inv["investor"].map(firms["country"]) == ORIGIN]
    region_country = tables["regions"].set_index("key")["country"].to_dict() | {"KR-11": "KOR"}
    inv["host"] = [t if k == "country" else firms.at[t, "country"] if k == "firm" else region_country[t]
                   for t, k in zip(inv["target"], inv["target_kind"])]
    inv = inv[inv["host"] != ORIGIN]
    tr = tables["trade_flows"]
    tr = tr[(tr["exporter"] == ORIGIN) | (tr["importer"] == ORIGIN)].copy()
    tr["direction"] = np.where(tr["exporter"] == ORIGIN, "exports", "imports")
    tr["host"] = np.where(tr["exporter"] == ORIGIN, tr["importer"], tr["exporter"])
    hosts = sorted(set(inv["host"]) | set(tr["host"]))
    grid = pd.MultiIndex.from_product([hosts, YEARS], names=["host", "year"]).to_frame(index=False)
    by = inv.pivot_table(index=["host", "year"], columns="motive", values="amount", aggfunc=["sum", "count"])
    out = grid.copy()
    for m in MOTIVES:
        amount = by[("sum", m)] if ("sum", m) in by.columns else pd.Series(dtype=float)
        count = by[("count", m)] if ("count", m) in by.columns else pd.Series(dtype=float)
        key = list(zip(out["host"], out["year"]))
        out[f"fdi_{m}_amount"] = [float(amount.get(k, 0.0)) if not pd.isna(amount.get(k, 0.0)) else 0.0 for k in key]
        out[f"fdi_{m}_projects"] = [int(count.get(k, 0)) if not pd.isna(count.get(k, 0)) else 0 for k in key]
    out["fdi_amount"] = sum(out[f"fdi_{m}_amount"] for m in MOTIVES)
    out["fdi_projects"] = sum(out[f"fdi_{m}_projects"] for m in MOTIVES)
    for d in ("exports", "imports"):
        part = tr[tr["direction"] == d]
        value = part.groupby(["host", "year"])["value"].sum()
        heavy = part[part["weight"] > 0]
        weight = heavy.groupby(["host", "year"])["weight"].sum()
        wvalue = heavy.groupby(["host", "year"])["value"].sum()
        key = list(zip(out["host"], out["year"]))
        covered = out["year"].isin(TRADE_YEARS)
        out[f"{d}_value"] = [value.get(k, 0.0) if c else np.nan for k, c in zip(key, covered)]
        out[f"{d}_weight"] = [weight.get(k, 0.0) if c else np.nan for k, c in zip(key, covered)]
        out[f"{d}_unit_value"] = [wvalue[k] / weight[k] if k in weight.index and weight[k] > 0 else np.nan
                                  for k in key]
    ind = tables["country_indicators"].pivot_table(index=["country", "year"], columns="indicator", values="value")
    for code in UNITS:
        out[code] = [ind[code].get((h, y), np.nan) for h, y in zip(out["host"], out["year"])]
    return out

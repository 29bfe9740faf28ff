"""Synthetic people (founders, executives, researchers, owners, expatriate managers) and GVC stages (pure)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from loader.demo.base import BaseTable
from loader.demo.names import FAMILY, GIVEN

# Smile curve: relative value added per stage (high at both ends, low in assembly).
SMILE = {"rnd": 0.25, "design": 0.15, "parts": 0.12, "assembly": 0.06, "marketing": 0.2, "service": 0.22}
HIGH_WAGE = {"KOR", "JPN", "USA", "DEU"}


def _name(rng, country):
    g, f = GIVEN[country], FAMILY[country]
    given, family = g[rng.integers(len(g))], f[rng.integers(len(f))]
    return f"{family} {given}" if country in ("KOR", "CHN", "JPN", "VNM") else f"{given} {family}"


def people(rng, firms: pd.DataFrame, stages: pd.DataFrame, base: BaseTable):
    """(persons, employment, person ownership)."""
    persons, jobs, owns = [], [], []
    rnd = set(stages.loc[stages["stage"] == "rnd", "firm"])

    def person(country):
        key = f"DEMO-P{len(persons):06d}"
        persons.append({"key": key, "name": _name(rng, country), "nationality": country})
        return key

    by_key = firms.set_index("key")
    for r in firms.itertuples():
        home = r.country
        if r.parent < 0:
            founder = person(home)
            jobs.append({"person": founder, "firm": r.key, "role": "founder", "since": int(r.founded)})
            if r.size_class == "sme":
                # SMEs are mostly owner-managed: the founder holds the equity not held abroad
                jobs.append({"person": founder, "firm": r.key, "role": "owner", "since": int(r.founded)})
                owns.append({"owner": founder, "owner_kind": "person", "firm": r.key,
                             "share": round(float(rng.uniform(0.3, 1.0 - r.foreign_share)), 3)})
        n_exec = 1 + int(np.log10(max(r.employees, 1)))
        for _ in range(n_exec):
            jobs.append({"person": person(home), "firm": r.key, "role": "executive",
                         "since": int(rng.integers(min(max(r.founded, 1960), base.year), base.year + 1))})
        if r.key in rnd:
            for _ in range(int(1 + rng.poisson(1.5))):
                jobs.append({"person": person(home if rng.random() < 0.8 else
                                              base.countries[rng.integers(len(base.countries))]),
                             "firm": r.key, "role": "researcher",
                             "since": int(rng.integers(min(max(r.founded, 1980), base.year), base.year + 1))})
        if r.parent >= 0:
            # expatriate managers come from the parent's country, and most held a post at the parent first:
            # the people who tie a TNC to its affiliates
            parent = firms.loc[r.parent]
            for _ in range(int(1 + rng.integers(2))):
                p = person(parent["country"])
                jobs.append({"person": p, "firm": r.key, "role": "expatriate_manager",
                             "since": int(rng.integers(r.founded, base.year + 1))})
                if rng.random() < 0.7:
                    jobs.append({"person": p, "firm": parent["key"], "role": "executive",
                                 "since": int(rng.integers(max(int(by_key.at[parent["key"], "founded"]), 1960),
                                                           r.founded + 1))})
    return pd.DataFrame(persons), pd.DataFrame(jobs), pd.DataFrame(owns, columns=["owner", "owner_kind", "firm", "share"])


def gvc_stages(rng, firms: pd.DataFrame, base: BaseTable) -> pd.DataFrame:
    """Stages by size, sector and place: TNC parents in high-wage countries keep R&D, design, marketing
    and service; affiliates and SMEs in goods do parts and assembly; service firms do services."""
    va = base.value_added_share()
    rows = []
    for r in firms.itertuples():
        if r.sector in base.goods:
            if r.size_class == "tnc" and r.country in HIGH_WAGE:
                stages = ["rnd", "design", "assembly", "marketing", "service"]
            elif r.parent >= 0:
                stages = ["assembly"] if r.country not in HIGH_WAGE else ["assembly", "marketing"]
            elif r.size_class == "sme":
                stages = ["parts"] if rng.random() < 0.7 else ["parts", "assembly"]
            else:
                stages = ["parts", "assembly", "marketing"]
            if r.size_class == "sme" and rng.random() < 0.1:
                stages = ["rnd", "design"]  # a few technology-based SMEs
        else:
            stages = ["service"] if rng.random() < 0.8 else ["marketing", "service"]
        total_va = float(r.output) * float(va.loc[(r.country, r.sector)])
        w = np.array([SMILE[s] for s in stages]) * rng.lognormal(0, 0.2, len(stages))
        for s, v in zip(stages, total_va * w / w.sum()):
            rows.append({"firm": r.key, "stage": s, "year": base.year, "value_added": round(float(v), 3)})
    return pd.DataFrame(rows)

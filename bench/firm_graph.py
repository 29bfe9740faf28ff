"""Generated firm supply networks for the benchmarks (pure, seeded; the files are written elsewhere).

``generate(n, seed)`` returns the two tables of the `loader tables` format (firms,
firm_supply) for ``n`` firms and about five SUPPLIES links per firm, plus the supply
shares a and b the loader would compute, so every loading method writes the same graph:

* every firm sells to at least one other firm (so no firm is a PageRank dangling node,
  and GDS's PageRank, which does not hand dangling mass back, is comparable with
  networkx/igraph, which do);
* the other four links per firm come from suppliers drawn with Zipf-like weights
  rank^-0.8, so a few hubs have thousands of buyers (the explorer's 1,000-node views);
* buyers are uniform, never the supplier itself; a (supplier, buyer) pair appears once.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

YEAR = 2020
COUNTRIES = ("KOR", "CHN", "JPN", "USA", "DEU", "VNM", "IND", "MEX", "TWN", "THA")
INDUSTRIES = ("ISIC4|C10", "ISIC4|C13", "ISIC4|C20", "ISIC4|C22", "ISIC4|C24", "ISIC4|C25",
              "ISIC4|C26", "ISIC4|C27", "ISIC4|C28", "ISIC4|C29", "ISIC4|G46", "ISIC4|H49")
SIZE_CLASSES = ("sme", "large", "tnc")
LINKS_PER_FIRM = 5
ZIPF_EXPONENT = 0.8


def firm_key(i: np.ndarray | int, width: int = 7):
    if isinstance(i, (int, np.integer)):
        return f"F{int(i):0{width}d}"
    return np.array([f"F{k:0{width}d}" for k in np.asarray(i).tolist()], dtype=object)


def shares(supplier: np.ndarray, buyer: np.ndarray, value: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """a = value / buyer's purchases from firms, b = value / seller's sales to firms (the loader's rule: loader/graph/shares.py, docs/methods.md section 10)."""
    bought = np.bincount(buyer, weights=value, minlength=n)
    sold = np.bincount(supplier, weights=value, minlength=n)
    return value / bought[buyer], value / sold[supplier]


def generate(n: int, seed: int = 1) -> dict[str, pd.DataFrame]:
    if n < 10:
        raise ValueError("at least 10 firms")
    rng = np.random.default_rng(seed)
    ids = np.arange(n)
    keys = firm_key(ids)
    size = rng.choice(len(SIZE_CLASSES), n, p=[0.85, 0.12, 0.03])
    employees = np.maximum(1, np.round(rng.lognormal(3.0 + 1.5 * size, 1.0))).astype(np.int64)
    firms = pd.DataFrame({
        "key": keys,
        "name": "Firm " + pd.Series(keys),
        "country": np.asarray(COUNTRIES)[rng.integers(0, len(COUNTRIES), n)],
        "region": "",
        "industry": np.asarray(INDUSTRIES)[rng.integers(0, len(INDUSTRIES), n)],
        "size_class": np.asarray(SIZE_CLASSES)[size],
        "employees": employees,
        "output": np.round(employees * rng.lognormal(4.0, 0.5, n), 3),
        "foreign_share": np.round(np.where(size == 2, rng.uniform(0.5, 1.0, n), rng.uniform(0, 0.3, n)), 4),
        "founded": rng.integers(1950, 2020, n),
    })
    # one link out of every firm, then LINKS_PER_FIRM - 1 per firm from Zipf-weighted suppliers
    first = ids
    weights = (ids + 1.0) ** -ZIPF_EXPONENT
    rest = rng.choice(ids, size=(LINKS_PER_FIRM - 1) * n, p=weights / weights.sum())
    supplier = np.concatenate([first, rest])
    buyer = rng.integers(0, n - 1, supplier.size)
    buyer = np.where(buyer >= supplier, buyer + 1, buyer)  # never the supplier itself
    pairs = np.unique(supplier.astype(np.int64) * n + buyer, return_index=True)[1]
    pairs.sort()
    supplier, buyer = supplier[pairs], buyer[pairs]
    value = np.round(rng.lognormal(3.0, 1.2, supplier.size), 3)
    a, b = shares(supplier, buyer, value, n)
    supply = pd.DataFrame({
        "supplier": keys[supplier], "buyer": keys[buyer], "year": YEAR, "value": value,
        "product": firms["industry"].to_numpy()[supplier],
    })
    return {"firms": firms, "firm_supply": supply,
            "index": pd.DataFrame({"supplier": supplier, "buyer": buyer, "value": value, "a": a, "b": b})}


def relationship_count(graph: dict[str, pd.DataFrame]) -> int:
    """Relationships a load writes: SUPPLIES plus each firm's LOCATED_IN and IN_INDUSTRY."""
    return len(graph["firm_supply"]) + 2 * len(graph["firms"])

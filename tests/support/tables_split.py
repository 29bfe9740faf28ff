"""One generated firm graph as three `loader tables` folders: the firms, and two halves of the supply
links of one year (every other link), which share buyers and sellers. Loading both halves must give
every link the shares a and b of the whole graph (``graph["index"]``, computed by bench.firm_graph)."""
from __future__ import annotations

from pathlib import Path

import numpy as np


def split_folders(n_firms: int, seed: int, root: Path) -> tuple[dict, dict[str, Path]]:
    from bench.firm_graph import generate

    graph = generate(n_firms, seed=seed)
    supply = graph["firm_supply"]
    folders = {name: root / name for name in ("firms", "links-a", "links-b")}
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    graph["firms"].to_csv(folders["firms"] / "firms.csv", index=False, lineterminator="\n")
    half = np.arange(len(supply)) % 2 == 0
    supply[half].to_csv(folders["links-a"] / "firm_supply.csv", index=False, lineterminator="\n")
    supply[~half].to_csv(folders["links-b"] / "firm_supply.csv", index=False, lineterminator="\n")
    return graph, folders


def share_sums(driver) -> tuple[dict, dict]:
    """Per buyer the sum of a, per seller the sum of b, over every firm supply link stored."""
    recs = driver.execute_query("MATCH (s:Firm)-[r:SUPPLIES]->(b:Firm) RETURN s.key AS s, b.key AS b, r.a AS a, "
                                "r.b AS share_b").records
    a_sum, b_sum = {}, {}
    for r in recs:
        a_sum[r["b"]] = a_sum.get(r["b"], 0.0) + r["a"]
        b_sum[r["s"]] = b_sum.get(r["s"], 0.0) + r["share_b"]
    return a_sum, b_sum


def stored_shares(driver) -> dict:
    recs = driver.execute_query("MATCH (s:Firm)-[r:SUPPLIES]->(b:Firm) RETURN s.key AS s, b.key AS b, r.a AS a, "
                                "r.b AS share_b").records
    return {(r["s"], r["b"]): (r["a"], r["share_b"]) for r in recs}


def expected_shares(graph: dict) -> dict:
    sup, idx = graph["firm_supply"], graph["index"]
    return {k: (a, b) for k, a, b in zip(zip(sup["supplier"], sup["buyer"]), idx["a"], idx["b"])}

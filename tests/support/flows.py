"""Input-output flows for the query-module tests, written from numpy arrays (no tests here).

``write_flows`` writes a small input-output system straight into the graph shape the MRIO
loader produces (``schema.model``: Sector nodes, SUPPLIES {year, value, a, b, source} with
a = z_ij / x_j, b = z_ij / x_i, zero flows skipped, self-loops kept), so the path and
centrality modules can be checked against numpy on exactly the matrices they read. The
independent path reference is ``tests.support.paths``.
"""
from __future__ import annotations

import numpy as np

from schema.model import check_label, check_rel_type

SECTOR = check_label("Sector")
SUPPLIES = check_rel_type("SUPPLIES")


def sector_keys(index) -> list[str]:
    return [f"{c}|{i}" for c, i in index]


def coefficients(Z: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    with np.errstate(divide="ignore", invalid="ignore"):
        A = np.where(x[None, :] > 0, Z / x[None, :], 0.0)
        B = np.where(x[:, None] > 0, Z / x[:, None], 0.0)
    return A, B


def write_flows(driver, keys: list[str], Z: np.ndarray, x: np.ndarray, year: int, source: str = "TEST",
                *, fresh: bool = False) -> None:
    """Write Sector nodes and SUPPLIES edges; ``fresh=True`` (empty database) CREATEs edges instead of MERGE."""
    A, B = coefficients(Z, x)
    verb = "CREATE" if fresh else "MERGE"
    nodes = [{"key": k, "country": k.split("|")[0], "industry": k.split("|", 1)[1]} for k in keys]
    driver.execute_query(
        f"UNWIND $rows AS row MERGE (s:{SECTOR} {{key: row.key}}) "
        "SET s.name = row.key, s.country = row.country, s.industry = row.industry, s.source = $source",
        rows=nodes, source=source)
    ii, jj = np.nonzero(Z)
    edges = [{"i": keys[i], "j": keys[j], "value": float(Z[i, j]), "a": float(A[i, j]), "b": float(B[i, j])}
             for i, j in zip(ii, jj)]
    for start in range(0, len(edges), 20000):
        driver.execute_query(
            f"UNWIND $rows AS row MATCH (s:{SECTOR} {{key: row.i}}), (t:{SECTOR} {{key: row.j}}) "
            f"{verb} (s)-[r:{SUPPLIES} {{year: $year}}]->(t) "
            "SET r.value = row.value, r.a = row.a, r.b = row.b, r.source = $source",
            rows=edges[start:start + 20000], year=year, source=source)


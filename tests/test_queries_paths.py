"""upstream-paths / downstream-paths against numpy on pymrio's test system (real Neo4j)."""
from __future__ import annotations

import numpy as np
import pymrio
import pytest

from queries.errors import ParameterError
from queries.runner import run_module
from tests.support.flows import coefficients, sector_keys, write_flows
from tests.support.paths import all_paths

YEAR = 2000


@pytest.fixture(scope="module")
def mrio(driver, schema_applied):
    from tests.conftest import wipe

    wipe(driver)
    io = pymrio.load_test()
    Z = io.Z.to_numpy(dtype=float)
    x = Z.sum(axis=1) + io.Y.to_numpy(dtype=float).sum(axis=1)
    keys = sector_keys(io.Z.index)
    write_flows(driver, keys, Z, x, YEAR)
    A, B = coefficients(Z, x)
    return {"keys": keys, "A": A, "B": B}


def _by_depth(df):
    return {int(d): float(g["depth_total"].iloc[0]) for d, g in df.groupby("depth")}


@pytest.mark.parametrize("start", [0, 47])
def test_threshold_zero_totals_are_column_sums_of_powers_of_A(mrio, start):
    key = mrio["keys"][start]
    df = run_module("upstream-paths", {"node": key, "year": YEAR, "depth": 3, "threshold": 0.0, "limit": 5},
                    row_cap=100)
    totals = _by_depth(df)
    A = mrio["A"]
    for m in (1, 2, 3):
        expected = np.linalg.matrix_power(A, m)[:, start].sum()
        assert totals[m] == pytest.approx(expected, rel=1e-9, abs=1e-12)
    # every path ends at the start node, and every row's value is its product of a along the path
    idx = {k: i for i, k in enumerate(mrio["keys"])}
    for path, value in zip(df["path"], df["value"]):
        assert path[-1] == key
        prod = np.prod([A[idx[s], idx[t]] for s, t in zip(path[:-1], path[1:])])
        assert value == pytest.approx(prod, rel=1e-12)


def test_downstream_threshold_zero_totals_are_row_sums_of_powers_of_B(mrio):
    start = 5
    df = run_module("downstream-paths", {"node": mrio["keys"][start], "year": YEAR, "depth": 3,
                                         "threshold": 0.0, "limit": 3})
    totals = _by_depth(df)
    for m in (1, 2, 3):
        assert totals[m] == pytest.approx(np.linalg.matrix_power(mrio["B"], m)[start, :].sum(), rel=1e-9)
    assert all(p[0] == mrio["keys"][start] for p in df["path"])


@pytest.mark.parametrize("direction,threshold", [("upstream-paths", 1e-4), ("downstream-paths", 5e-5),
                                                 ("upstream-paths", 2e-5)])
def test_exactly_the_numpy_paths_with_equal_values(mrio, direction, threshold):
    start, depth = 9, 4
    up = direction == "upstream-paths"
    expected = all_paths(mrio["A"] if up else mrio["B"], start, depth, threshold, upstream=up)
    df = run_module(direction, {"node": mrio["keys"][start], "year": YEAR, "depth": depth,
                                "threshold": threshold, "limit": 0}, row_cap=1_000_000)
    idx = {k: i for i, k in enumerate(mrio["keys"])}
    got = {tuple(idx[k] for k in path): v for path, v in zip(df["path"], df["value"])}
    assert len(expected) > 50
    assert set(got) == set(expected)
    for path, v in expected.items():
        assert got[path] == pytest.approx(v, rel=1e-9)
    # per-depth totals and the share listed (everything listed: share 1)
    for d, g in df.groupby("depth"):
        assert g["depth_total"].iloc[0] == pytest.approx(sum(v for p, v in expected.items() if len(p) == d + 1))
        assert g["depth_share_listed"].iloc[0] == pytest.approx(1.0)


def test_limit_lists_top_paths_and_reports_the_share_they_cover(mrio):
    df = run_module("upstream-paths", {"node": mrio["keys"][2], "year": YEAR, "depth": 2, "threshold": 1e-4,
                                       "limit": 4})
    for d, g in df.groupby("depth"):
        assert len(g) <= 4
        assert list(g["value"]) == sorted(g["value"], reverse=True)
        assert g["depth_share_listed"].iloc[0] == pytest.approx(g["value"].sum() / g["depth_total"].iloc[0])
        assert g["depth_share_listed"].iloc[0] < 1.0


def test_bad_parameters_are_refused(mrio):
    with pytest.raises(ParameterError, match="depth"):
        run_module("upstream-paths", {"node": mrio["keys"][0], "depth": 7})
    with pytest.raises(ParameterError, match="no Sector or Firm"):
        run_module("upstream-paths", {"node": "XXX|nothing"})
    with pytest.raises(ParameterError, match="required"):
        run_module("upstream-paths", {})

"""va-paths against plain numpy (tests/support/va_paths.py): on a hand-made 3-country, 2-sector table the
depth totals with threshold 0 are v_i (A^m y^d)_i at every depth and converge to v (B Y)_id; every listed
path is worth the product along it (on WIOD 1995: test_mrio_wiod.py)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from loader.mrio.load import write_table
from loader.mrio.read import MrioTable
from queries.errors import ParameterError
from queries.runner import run_module
from tests.support import va_paths as ref
from tests.test_gvc_graph import clear

SOURCE, YEAR = "va-hand", 2000
COUNTRIES, INDUSTRIES = ("AAA", "BBB", "CCC"), ("goods", "services")


def hand_table() -> MrioTable:
    # every flow non-zero and intermediates about a tenth of output: A's column sums near 0.1,
    # so the partial sums close in on the limit by a factor of about 10 per depth
    Z = np.array([[8, 3, 4, 1, 2, 1],
                  [2, 6, 1, 3, 1, 2],
                  [3, 1, 9, 2, 4, 1],
                  [1, 2, 3, 7, 1, 3],
                  [2, 1, 3, 1, 10, 2],
                  [1, 2, 1, 2, 3, 8]], dtype=float)
    Y = np.array([[60, 5, 8], [50, 4, 6], [7, 70, 9], [3, 55, 5], [6, 4, 80], [2, 8, 65]], dtype=float)
    idx = pd.MultiIndex.from_tuples([(c, s) for c in COUNTRIES for s in INDUSTRIES], names=["region", "sector"])
    cols = pd.MultiIndex.from_tuples([(c, "households") for c in COUNTRIES], names=["region", "category"])
    x = Z.sum(axis=1) + Y.sum(axis=1)
    return MrioTable(Z=pd.DataFrame(Z, index=idx, columns=idx), Y=pd.DataFrame(Y, index=idx, columns=cols),
                     x=pd.Series(x, index=idx), year=YEAR, classification="HAND2", source=SOURCE, name="hand table",
                     synthetic=True)


@pytest.fixture(scope="module")
def hand(driver, schema_applied):
    clear(driver)
    table = hand_table()
    write_table(table, progress=False)
    return table


def _ref(table, dest):
    return ref.prepare(table.Z.to_numpy(float), table.Y.to_numpy(float), [COUNTRIES.index(dest)])


@pytest.mark.parametrize("depth", [0, 1, 2, 3, 5])
def test_depth_totals_with_threshold_zero_are_the_partial_sums(hand, depth):
    p = _ref(hand, "CCC")
    df = run_module("va-paths", {"origin": "AAA", "destination": "CCC", "depth": depth, "threshold": 0.0,
                                 "limit": 0, "source": SOURCE, "year": YEAR})
    expected = ref.partial_sums(p, [0, 1], depth)
    totals = df.groupby("depth")["depth_total"].first()
    assert list(totals.index) == list(range(depth + 1))
    np.testing.assert_allclose(totals.to_numpy(), expected, rtol=1e-12)
    # every flow is non-zero, so every walk survives: 2 origins x 6^m paths of depth m
    counts = df.groupby("depth")["depth_paths"].first()
    assert list(counts) == [2 * 6 ** m for m in range(depth + 1)]
    assert df["total_va"].iloc[0] == pytest.approx(p["limit"][[0, 1]].sum(), rel=1e-12)


def test_partial_sums_converge_to_the_value_added_absorbed(hand):
    p = _ref(hand, "BBB")
    df = run_module("va-paths", {"origin": "CCC|goods", "destination": "BBB", "depth": 6, "threshold": 0.0,
                                 "limit": 1, "source": SOURCE, "year": YEAR})
    cumulative = df.groupby("depth")["cumulative"].first().to_numpy()
    gaps = np.abs(cumulative - p["limit"][4])
    assert np.all(np.diff(gaps) < 0)
    # what is left after depth K is exactly v_i (A^(K+1) (I - A)^-1 y)_i
    rest = np.linalg.solve(np.eye(6) - p["A"], p["y"])
    for K in range(7):
        rest = p["A"] @ rest
        assert cumulative[K] == pytest.approx(p["limit"][4] - p["v"][4] * rest[4], rel=1e-12)
    assert gaps[-1] < 1e-3 * p["limit"][4]
    assert df["total_va"].iloc[0] == pytest.approx(p["limit"][4], rel=1e-12)


def test_each_listed_path_is_worth_the_product_along_it(hand):
    p = _ref(hand, "AAA")
    pos = {f"{c}|{s}": i for i, (c, s) in enumerate(hand.Z.index)}
    df = run_module("va-paths", {"origin": "BBB", "destination": "AAA", "depth": 3, "threshold": 0.01,
                                 "limit": 0, "source": SOURCE, "year": YEAR})
    assert len(df)
    for row in df.to_dict("records"):
        idx = [pos[k] for k in row["path"]]
        value = p["v"][idx[0]] * np.prod([p["A"][a, b] for a, b in zip(idx, idx[1:])]) * p["y"][idx[-1]]
        assert row["value"] == pytest.approx(value, rel=1e-12)
        assert abs(row["value"]) >= 0.01
    # the same surviving paths as the numpy enumeration with the same rule
    want = ref.enumerate_paths(p, [2, 3], 3, 0.01)
    got = {tuple(pos[k] for k in r["path"]) for r in df.to_dict("records")}
    assert got == {path for level in want for path, v in level if abs(v) >= 0.01}


def test_through_keeps_paths_that_pass_and_splits_the_total(hand):
    df = run_module("va-paths", {"origin": "AAA", "destination": "CCC", "through": "BBB|services", "depth": 2,
                                 "threshold": 0.0, "limit": 0, "source": SOURCE, "year": YEAR})
    assert len(df) and all("BBB|services" in r[1:] for r in df["path"])
    d2 = df[df["depth"] == 2]
    assert d2["through_total"].iloc[0] == pytest.approx(d2["value"].sum(), rel=1e-12)
    assert d2["through_total"].iloc[0] < d2["depth_total"].iloc[0]


def test_every_path_is_split_into_staying_in_the_origin_country_or_passing_another(hand):
    """Per depth, over every surviving path (listed or not), the value of the paths whose sectors all lie
    in the origin's country and of those passing another country equal the numpy enumeration classified
    here and add up to the depth total; a national table has no region split."""
    p = _ref(hand, "CCC")
    df = run_module("va-paths", {"origin": "AAA", "destination": "CCC", "depth": 3, "threshold": 0.0,
                                 "limit": 2, "source": SOURCE, "year": YEAR})
    country = [i // len(INDUSTRIES) for i in range(6)]
    running = 0.0
    for d, level in enumerate(ref.enumerate_paths(p, [0, 1], 3, 0.0)):
        home = sum(v for path, v in level if all(country[k] == country[path[0]] for k in path))
        running += home
        row = df[df["depth"] == d].iloc[0]
        assert row["depth_same_country"] == pytest.approx(home, rel=1e-12)
        assert row["depth_other_country"] == pytest.approx(sum(v for _, v in level) - home, rel=1e-12, abs=1e-12)
        assert row["depth_same_country"] + row["depth_other_country"] == pytest.approx(row["depth_total"], rel=1e-12)
        assert row["cumulative_same_country"] == pytest.approx(running, rel=1e-12)
        assert len(df[df["depth"] == d]) <= 2 < row["depth_paths"] or d == 0
        for col in ("depth_same_region", "depth_other_region", "cumulative_same_region"):
            assert row[col] is None or np.isnan(row[col])


def test_unknown_origin_or_destination_is_refused(hand):
    with pytest.raises(ParameterError, match="origin"):
        run_module("va-paths", {"origin": "ZZZ", "destination": "AAA", "source": SOURCE, "year": YEAR})
    with pytest.raises(ParameterError, match="destination"):
        run_module("va-paths", {"origin": "AAA", "destination": "ZZZ", "source": SOURCE, "year": YEAR})

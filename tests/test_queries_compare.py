"""Years compared (queries/modules/compare.py) against numpy/pandas on two years of a small table.

Year 2010 is pymrio's test system; year 2011 is the same system with every flow scaled by a fixed
pattern (so linkages, ranks, shares and paths move). The expected values are computed here from Z, Y
and x with plain numpy and pandas, independently of the loader's and the modules' arithmetic.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pymrio
import pytest

from queries.errors import ParameterError
from queries.runner import run_module
from tests.support.paths import all_paths

SOURCE = "QTEST_COMPARE"
YEARS = (2010, 2011)


def _systems():
    io = pymrio.load_test()
    Z0, Y0 = io.Z.astype(float), io.Y.astype(float)
    n, f = Z0.shape[0], Y0.shape[1]
    i, j = np.indices((n, n))
    Z1 = Z0 * (1 + 0.6 * np.sin(i + 2 * j) ** 2)
    Y1 = Y0 * (1 + 0.4 * np.cos(np.arange(f))[None, :] ** 2)
    return {2010: (Z0, Y0), 2011: (Z1, Y1)}


def _reference(Z: pd.DataFrame, Y: pd.DataFrame) -> dict:
    z, y = Z.to_numpy(), Y.to_numpy()
    x = z.sum(axis=1) + y.sum(axis=1)
    n = len(x)
    A, B = z / x[None, :], z / x[:, None]
    L, G = np.linalg.inv(np.eye(n) - A), np.linalg.inv(np.eye(n) - B)
    keys = [f"{r}|{s}" for r, s in Z.index]
    reg = np.array(Z.index.get_level_values(0))
    yreg = np.array(Y.columns.get_level_values(0))
    e = np.array([z[k, reg != reg[k]].sum() + y[k, yreg != reg[k]].sum() for k in range(n)])
    v = 1 - A.sum(axis=0)
    emb = v[:, None] * L * e[None, :]           # v_k L_ki e_i
    same = reg[:, None] == reg[None, :]
    fva = pd.Series((emb * ~same).sum(axis=0), index=reg).groupby(level=0).sum()
    exports = pd.Series(e, index=reg).groupby(level=0).sum()
    return {"keys": keys, "A": A, "B": B, "bl": pd.Series(n * L.sum(axis=0) / L.sum(), index=keys),
            "upstreamness": pd.Series(G.sum(axis=1), index=keys), "fva_share": fva / exports,
            "in_strength": pd.Series(z.sum(axis=0), index=keys)}


def _ranks(s: pd.Series) -> pd.Series:
    """1 = largest, ties by key (pandas, independently of the module's ranking)."""
    order = s.rename("v").reset_index().sort_values(["v", "index"], ascending=[False, True])
    return pd.Series(np.arange(1, len(order) + 1), index=order["index"].to_numpy())


@pytest.fixture(scope="module")
def two_years(driver, schema_applied):
    from loader.mrio.load import write_table
    from loader.mrio.read import MrioTable
    from tests.conftest import wipe

    wipe(driver)
    ref = {}
    for year, (Z, Y) in _systems().items():
        x = Z.sum(axis=1) + Y.sum(axis=1)
        write_table(MrioTable(Z=Z, Y=Y, x=x, year=year, classification="PYMRIO_TEST", source=SOURCE,
                              name="compare test"), progress=False)
        ref[year] = _reference(Z, Y)
    return ref


def _check_shift(df: pd.DataFrame, key: str, a: pd.Series, b: pd.Series):
    df = df.set_index(key)
    ra, rb = _ranks(a), _ranks(b)
    for k, r in df.iterrows():
        assert r["value_a"] == pytest.approx(a[k], rel=1e-9) and r["value_b"] == pytest.approx(b[k], rel=1e-9)
        assert r["change"] == pytest.approx(b[k] - a[k], rel=1e-9, abs=1e-12)
        assert (r["rank_a"], r["rank_b"], r["rank_change"]) == (ra[k], rb[k], ra[k] - rb[k])


def test_linkage_shifts_against_numpy(two_years):
    df = run_module("linkage-shifts", {"limit": 1000})
    a, b = two_years[2010]["bl"], two_years[2011]["bl"]
    assert len(df) == len(a) and set(df["year_a"]) == {2010} and set(df["year_b"]) == {2011}
    _check_shift(df, "sector", a, b)
    moved = df["rank_change"].abs()
    assert moved.iloc[0] == moved.max() > 0   # largest moves first
    prov = df.attrs["provenance"]
    assert [(d["key"], d["years"]) for d in prov["datasets"]] == [(SOURCE, [2010, 2011])]
    up = run_module("linkage-shifts", {"measure": "upstreamness", "year_a": 2011, "year_b": 2010, "country": "reg2",
                                       "limit": 1000})
    mine = [k for k in two_years[2010]["keys"] if k.startswith("reg2|")]
    assert sorted(up["sector"]) == sorted(mine)
    _check_shift(up, "sector", two_years[2011]["upstreamness"][mine], two_years[2010]["upstreamness"][mine])


def test_va_shifts_against_numpy(two_years):
    df = run_module("va-shifts", {"limit": 100})
    _check_shift(df, "country", two_years[2010]["fva_share"], two_years[2011]["fva_share"])
    assert df.attrs["provenance"]["units"]["value_a"] == "share 0..1"


def test_centrality_shifts_in_strength_against_numpy(two_years):
    df = run_module("centrality-shifts", {"measure": "in_strength", "limit": 1000}, timeout_s=120)
    _check_shift(df, "key", two_years[2010]["in_strength"], two_years[2011]["in_strength"])


def test_path_shifts_against_numpy_enumeration(two_years):
    node = "reg1|manufactoring"
    keys = two_years[2010]["keys"]
    start = keys.index(node)
    threshold, depth = 1e-5, 2   # the test system's coefficients are small (largest a about 0.004)
    df = run_module("path-shifts", {"node": node, "depth": depth, "threshold": threshold, "limit": 0})
    ref = [{tuple(keys[i] for i in p): v for p, v in
            all_paths(two_years[y]["A"], start, depth, threshold, upstream=True).items()} for y in YEARS]
    got = {tuple(p): r for p, r in zip(df["path"], df.to_dict("records"))}
    assert set(got) == set(ref[0]) | set(ref[1])
    for path, r in got.items():
        va, vb = ref[0].get(path), ref[1].get(path)
        assert r["present"] == ("both" if va and vb else "a_only" if va else "b_only")
        assert (r["value_a"] is None or np.isnan(r["value_a"])) if va is None else r["value_a"] == pytest.approx(va)
        assert (r["value_b"] is None or np.isnan(r["value_b"])) if vb is None else r["value_b"] == pytest.approx(vb)
        assert r["change"] == pytest.approx((vb or 0) - (va or 0), abs=1e-12)
    assert len(df) > 30 and {"both", "b_only"} <= set(df["present"])   # the pattern moves some paths above it
    top = run_module("path-shifts", {"node": node, "depth": depth, "threshold": threshold, "limit": 3,
                                     "direction": "upstream"})
    assert top.groupby("depth").size().max() <= 3


def test_same_or_single_year_is_refused(two_years):
    with pytest.raises(ParameterError, match="both are 2010"):
        run_module("linkage-shifts", {"year_a": 2010, "year_b": 2010})
    with pytest.raises(ParameterError, match="no input-output table accounts .* before 2010"):
        run_module("va-shifts", {"year_b": 2010})
    with pytest.raises(ParameterError, match="year"):
        run_module("linkage-shifts", {"year_a": 1999})

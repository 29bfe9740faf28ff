"""sector-linkages, key-sectors and fva-share against numpy on pymrio's test system.

The graph is written by the MRIO loader (``loader.mrio.load.load_mrio``); the expected
values are computed here from Z, Y and x with plain numpy (docs/methods.md, sections 2 to 6), independently
of the loader's arithmetic.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pymrio
import pytest

from queries.runner import run_module

YEAR = 2010
SOURCE = "QTEST_MRIO"


@pytest.fixture(scope="module")
def reference(driver, schema_applied):
    from tests.conftest import wipe

    load_mrio = pytest.importorskip("loader.mrio.load").load_mrio
    wipe(driver)
    io = pymrio.load_test()
    load_mrio(io, YEAR, SOURCE, "PYMRIO_TEST", progress=False)
    Z = io.Z.to_numpy(dtype=float)
    Y = io.Y.to_numpy(dtype=float)
    x = Z.sum(axis=1) + Y.sum(axis=1)
    n = len(x)
    A = Z / np.where(x > 0, x, 1)[None, :]
    B = Z / np.where(x > 0, x, 1)[:, None]
    L = np.linalg.inv(np.eye(n) - A)
    G = np.linalg.inv(np.eye(n) - B)
    v = 1 - A.sum(axis=0)
    bl = n * L.sum(axis=0) / L.sum()
    fl = n * G.sum(axis=1) / G.sum()
    up = G.sum(axis=1)
    regions = np.array(io.Z.index.get_level_values(0))
    y_regions = np.array(io.Y.columns.get_level_values(0))
    e = np.array([Z[i, regions != regions[i]].sum() + Y[i, y_regions != regions[i]].sum() for i in range(n)])
    VA = v[:, None] * L * e[None, :]          # VA[k, i] = v_k L_ki e_i
    keys = [f"{c}|{s}" for c, s in io.Z.index]
    sectors = pd.DataFrame({"sector": keys, "country": regions, "output": x, "va_coef": v,
                            "backward_linkage": bl, "forward_linkage": fl, "upstreamness": up,
                            "value_added": x - Z.sum(axis=0)})
    fva = {}
    for c in dict.fromkeys(regions):
        cols = regions == c
        gross = e[cols].sum()
        dva = VA[np.ix_(regions == c, cols)].sum()
        foreign = VA[np.ix_(regions != c, cols)].sum()
        fva[c] = (gross, dva, foreign, foreign / gross)
    return {"sectors": sectors.set_index("sector"), "fva": fva}


def test_sector_linkages_equal_numpy(reference):
    df = run_module("sector-linkages", {"year": YEAR, "source": SOURCE, "limit": 1000})
    ref = reference["sectors"]
    assert len(df) == len(ref) == 48
    for col in ("output", "value_added", "va_coef", "backward_linkage", "forward_linkage", "upstreamness"):
        got = df.set_index("sector")[col].reindex(ref.index).to_numpy(dtype=float)
        np.testing.assert_allclose(got, ref[col].to_numpy(), rtol=1e-9, err_msg=col)
    # ranked by backward linkage, largest first
    assert list(df["sector"]) == list(ref["backward_linkage"].sort_values(ascending=False).index)
    assert list(df["rank"]) == list(range(1, 49))


def test_sector_linkages_filter_and_order(reference):
    df = run_module("sector-linkages", {"year": YEAR, "country": "reg2", "order_by": "upstreamness",
                                        "descending": False, "limit": 3})
    ref = reference["sectors"]
    expected = ref[ref["country"] == "reg2"]["upstreamness"].sort_values().index[:3]
    assert list(df["sector"]) == list(expected)
    df = run_module("sector-linkages", {"year": YEAR, "industry": "MINING"})
    assert sorted(df["sector"]) == sorted(k for k in ref.index if k.endswith("|mining"))


def test_key_sectors_equal_numpy(reference):
    df = run_module("key-sectors", {"year": YEAR, "limit": 1000})
    ref = reference["sectors"]
    key = ref[(ref["backward_linkage"] > 1) & (ref["forward_linkage"] > 1)]
    assert len(key) > 0
    assert sorted(df["sector"]) == sorted(key.index)
    assert list(df["sector"]) == list((key["backward_linkage"] + key["forward_linkage"])
                                      .sort_values(ascending=False).index)


def test_fva_share_equals_numpy(reference):
    df = run_module("fva-share", {"year": YEAR, "source": SOURCE, "order_by": "country"})
    assert len(df) == len(reference["fva"]) == 6
    for row in df.itertuples():
        gross, dva, fva, share = reference["fva"][row.country]
        assert row.gross_exports == pytest.approx(gross, rel=1e-9)
        assert row.dva == pytest.approx(dva, rel=1e-9)
        assert row.fva == pytest.approx(fva, rel=1e-9)
        assert row.fva_share == pytest.approx(share, rel=1e-9)
    top = run_module("fva-share", {"year": YEAR, "limit": 1})
    assert top["country"][0] == max(reference["fva"], key=lambda c: reference["fva"][c][3])

"""upstream-paths / downstream-paths on the real WIOD 1995 table equal a numpy enumeration (slow).

The table is loaded by the MRIO loader (``loader.mrio.load.write_table``, the shipped extract in data/wiod2013, every
non-zero flow, no --min-coefficient), so this also checks what the loader writes. This module runs right after
tests/test_mrio_wiod.py, which loads the same year into an emptied database and leaves it there: when the year is
stored as the table has it (``tests.support.wiod.stored``) it is not loaded a second time, else (this module alone,
or after another module) it is loaded here. The reference enumerates paths over A (or B) computed here from the
table's Z and x with the same depth and threshold, and must find exactly the same paths with equal values (1e-9).
"""
from __future__ import annotations

import numpy as np
import pytest

from queries.errors import ParameterError
from queries.runner import run_module
from tests.support.flows import coefficients
from tests.support import wiod as shipped
from tests.support.paths import all_paths

YEAR = 1995
SOURCE = "wiod-2013-release"   # the extract's own Dataset key, as tests/test_mrio_wiod.py loads it

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wiod(driver, schema_applied):
    from loader.mrio.load import write_table
    from tests.conftest import wipe

    table = shipped.read(YEAR)
    assert table.source == SOURCE
    if not shipped.stored(driver, table):
        write_table(table, progress=False)
    # another table of the same year under another source would add parallel edges
    driver.execute_query("MATCH ()-[r:SUPPLIES {year: $year}]->() WHERE r.source <> $source DELETE r",
                         year=YEAR, source=SOURCE)
    Z = table.Z.to_numpy(dtype=float)
    x = table.x.to_numpy(dtype=float)   # the table's own x, as the loader reads it
    keys = [f"{c}|{s}" for c, s in table.Z.index]
    A, B = coefficients(Z, x)
    yield {"keys": keys, "A": A, "B": B}
    wipe(driver)   # a full WIOD year is the suite's largest graph: the next module starts from a small database


CASES = [
    ("upstream-paths", "KOR|Electrical and Optical Equipment", 3, 1e-4),
    ("upstream-paths", "KOR|Electrical and Optical Equipment", 4, 5e-4),
    ("upstream-paths", "USA|Transport Equipment", 4, 1e-3),
    ("upstream-paths", "CHN|Basic Metals and Fabricated Metal", 3, 1e-4),
    ("downstream-paths", "DEU|Chemicals and Chemical Products", 3, 1e-4),
]


@pytest.mark.parametrize("module,node,depth,threshold", CASES)
def test_exactly_the_numpy_paths(wiod, module, node, depth, threshold):
    keys = wiod["keys"]
    assert node in keys
    up = module == "upstream-paths"
    expected = all_paths(wiod["A"] if up else wiod["B"], keys.index(node), depth, threshold, upstream=up)
    df = run_module(module, {"node": node, "year": YEAR, "depth": depth, "threshold": threshold, "limit": 0,
                             "source": SOURCE},
                    timeout_s=300, row_cap=1_000_000)
    idx = {k: i for i, k in enumerate(keys)}
    got = {tuple(idx[k] for k in path): v for path, v in zip(df["path"], df["value"])}
    assert len(expected) >= 50
    assert set(got) == set(expected)
    for path, v in expected.items():
        assert got[path] == pytest.approx(v, rel=1e-9, abs=0)
    for d, g in df.groupby("depth"):
        assert g["depth_total"].iloc[0] == pytest.approx(
            sum(v for p, v in expected.items() if len(p) == d + 1), rel=1e-9)


def test_top_k_and_depth_share_on_wiod(wiod):
    node = "KOR|Electrical and Optical Equipment"
    df = run_module("upstream-paths", {"node": node, "year": YEAR, "depth": 3, "threshold": 1e-4, "limit": 10})
    assert set(df["depth"]) == {1, 2, 3}
    A = wiod["A"]
    j = wiod["keys"].index(node)
    # depth 1 lists the ten largest a_ij of column j (self-loop included)
    top = np.sort(A[:, j][A[:, j] >= 1e-4])[::-1][:10]
    np.testing.assert_allclose(df[df["depth"] == 1]["value"].to_numpy(), top, rtol=1e-9)
    assert all(0 < s <= 1 for s in df["depth_share_listed"])


def test_a_trace_too_big_for_the_time_limit_is_refused_at_once_with_what_fits(wiod):
    node = "KOR|Electrical and Optical Equipment"
    with pytest.raises(ParameterError) as err:
        run_module("upstream-paths", {"node": node, "year": YEAR, "depth": 6, "threshold": 0.0, "source": SOURCE})
    msg = str(err.value)
    A = wiod["A"]
    j = wiod["keys"].index(node)
    # with threshold 0 the depth-2 count is exact: every supplier of every supplier (self-loops count)
    n2 = int(((A > 0).astype(int) @ (A[:, j] > 0).astype(int)).sum())
    assert f"depth 2: {n2:,}" in msg and "depth 2 fits at threshold 0" in msg
    fit = float(msg.split("threshold ")[-1].split(" fits")[0])
    df = run_module("upstream-paths", {"node": node, "year": YEAR, "depth": 6, "threshold": fit, "limit": 5,
                                       "source": SOURCE})
    for d, g in df.groupby("depth"):
        first = g.iloc[0]
        assert first["depth_same_country"] + first["depth_other_country"] == pytest.approx(first["depth_total"])
    assert df.attrs["provenance"]["datasets"][0]["synthetic"] is False

"""Pure parts of the benchmark against hand-worked values: firm graph shares, path enumeration, agreement."""
import numpy as np
import pytest

from bench.centrality import agreement, dangling
from bench.firm_graph import generate, shares
from bench.load_admin import parse_report
from tests.support.paths import per_depth


def test_shares_by_hand():
    # links 0->1 (2), 0->2 (6), 1->2 (2): buyer 2 buys 8, seller 0 sells 8
    a, b = shares(np.array([0, 0, 1]), np.array([1, 2, 2]), np.array([2.0, 6.0, 2.0]), 3)
    assert a.tolist() == [1.0, 0.75, 0.25]
    assert b.tolist() == [0.25, 0.75, 1.0]


def test_generated_graph_shape():
    g = generate(500, seed=3)
    idx = g["index"]
    assert len(g["firms"]) == 500
    assert set(range(500)) <= set(idx["supplier"])                  # every firm sells: no dangling node
    assert (idx["supplier"] != idx["buyer"]).all()
    assert not idx.duplicated(["supplier", "buyer"]).any()
    assert 4 * 500 < len(idx) <= 5 * 500
    assert generate(500, seed=3)["firm_supply"].equals(g["firm_supply"])   # seeded


def test_path_enumeration_by_hand():
    # A: 0 supplies 1 (a=0.5), 1 supplies 1 (self-loop 0.1), 2 supplies 1 (0.02), 0 supplies 0 (0.3)
    A = np.zeros((3, 3))
    A[0, 1], A[1, 1], A[2, 1], A[0, 0] = 0.5, 0.1, 0.02, 0.3
    d = per_depth(A, 1, 2, 0.01, upstream=True)
    # depth 1: 0->1 (0.5), 1->1 (0.1), 2->1 (0.02)
    assert d[0]["paths"] == 3 and d[0]["total"] == pytest.approx(0.62)
    # depth 2: 0->0->1 (0.15), 0->1->1 (0.05), 1->1->1 (0.01), 2->1->1 (0.002 < 0.01, pruned)
    assert d[1]["paths"] == 3 and d[1]["total"] == pytest.approx(0.21)
    # the same totals as column 1 of A^2 minus the pruned path
    assert d[1]["total"] == pytest.approx((A @ A)[:, 1].sum() - 0.002)


def test_agreement_and_dangling():
    got = agreement({"x": 0.5, "y": 0.5}, {"x": 0.4, "z": 0.1})
    assert got["max_abs"] == pytest.approx(0.5) and got["l1"] == pytest.approx(0.1 + 0.5 + 0.1)
    assert got["max_rel"] == pytest.approx(1.0)
    assert dangling(np.array([0, 1]), np.array([1, 2])) == 1


def test_admin_report_parsing():
    text = "IMPORT DONE in 6s 760ms. \nImported:\n  10,022 nodes\n  69,764 relationships\n  398,650 properties"
    assert parse_report(text) == {"nodes": 10022, "relationships": 69764, "properties": 398650,
                                  "tool_says": "6s 760ms"}


def test_reference_pagerank_solves_the_linear_system_by_hand():
    """3 nodes: 0->1 (w 1), 0->2 (w 3), 1->2 (w 1), 2 dangling. PageRank x solves
    x = d M x + (d * x_dangling + 1 - d) / n, with M the out-weight-normalized transition matrix."""
    from bench.centrality import DAMPING, reference_pagerank

    src, dst, w = np.array([0, 0, 1]), np.array([1, 2, 2]), np.array([1.0, 3.0, 1.0])
    n, d = 3, DAMPING
    M = np.zeros((n, n))
    M[1, 0], M[2, 0], M[2, 1] = 0.25, 0.75, 1.0
    # dangling node 2 sends its mass uniformly: add d/n to every row of column 2
    A = np.eye(n) - d * M - (d / n) * np.outer(np.ones(n), [0, 0, 1])
    x = np.linalg.solve(A, np.full(n, (1 - d) / n))
    got = reference_pagerank(src, dst, w)
    assert [got[i] for i in range(n)] == pytest.approx(list(x / x.sum()), abs=1e-14)


def test_child_peak_memory_is_the_childs_own_not_the_forked_parents():
    """wait4's ru_maxrss would report the parent's 400 MB here (fork before exec); VmHWM does not."""
    import sys

    from bench.memory import run_child

    parent = bytearray(400 * 1024 * 1024)
    parent[::4096] = b"x" * len(parent[::4096])  # touch every page so it is resident
    code, _, _, peak = run_child([sys.executable, "-c",
                                  "b = bytearray(120 * 1024 * 1024); b[::4096] = b'y' * len(b[::4096]); "
                                  "import time; time.sleep(0.6)"])
    assert code == 0
    assert 120 <= peak < 300, peak
    del parent

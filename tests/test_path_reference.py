"""The numpy path enumerator of tests/support/paths.py against brute force and matrix powers (pure)."""
from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from tests.support.paths import all_paths, per_depth

# coefficients: exact zeros (no link), ordinary shares, and entries above 1, with which a running
# product can fall below the threshold and climb back above it: such a path must stay pruned
ENTRY = st.sampled_from([0.0, 0.0, 0.0, 0.01, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0, 1.5, 3.0])
THRESHOLD = st.sampled_from([0.0, 1e-3, 0.01, 0.05, 0.2, 0.5, 1.0])


@st.composite
def cases(draw, entry=ENTRY):
    n = draw(st.integers(1, 4))
    M = np.array(draw(st.lists(entry, min_size=n * n, max_size=n * n))).reshape(n, n)
    return M, draw(st.integers(0, n - 1)), draw(st.integers(1, 4)), draw(THRESHOLD), draw(st.booleans())


def brute_force(M, start, depth, threshold, upstream):
    """Every node sequence of length 1..depth, kept when each link is > 0 and EVERY prefix's
    running product (start outwards) is >= threshold."""
    n = M.shape[0]
    out = {}
    for m in range(1, depth + 1):
        for seq in itertools.product(range(n), repeat=m):   # seq[0] is the node next to the start
            value, head, ok = 1.0, start, True
            for k in seq:
                coef = M[k, head] if upstream else M[head, k]
                value = value * coef
                if not (coef > 0 and value >= threshold):
                    ok = False
                    break
                head = k
            if ok:
                out[tuple(reversed(seq)) + (start,) if upstream else (start,) + seq] = value
    return out


@settings(max_examples=300, deadline=None, derandomize=True)
@given(cases())
def test_every_path_equals_brute_force(case):
    M, start, depth, threshold, upstream = case
    expected = brute_force(M, start, depth, threshold, upstream)
    got = all_paths(M, start, depth, threshold, upstream=upstream)
    assert got == expected                     # same paths, bit-identical values (same multiplication order)
    # a frontier cut into chunks of one path each gives the same result
    assert all_paths(M, start, depth, threshold, upstream=upstream, chunk=1) == expected


@settings(max_examples=200, deadline=None, derandomize=True)
@given(cases())
def test_summaries_agree_with_every_path(case):
    M, start, depth, threshold, upstream = case
    paths = brute_force(M, start, depth, threshold, upstream)
    summary = per_depth(M, start, depth, threshold, upstream=upstream, top=3)
    by_depth = {}
    for p, v in paths.items():
        by_depth.setdefault(len(p) - 1, []).append(v)
    assert [s["depth"] for s in summary] == sorted(by_depth)
    for s in summary:
        vals = by_depth[s["depth"]]
        assert s["paths"] == len(vals)
        assert s["total"] == pytest.approx(sum(vals), rel=1e-12, abs=0)
        assert s["top"] == sorted(vals, reverse=True)[:3]


@settings(max_examples=200, deadline=None, derandomize=True)
@given(cases(entry=st.floats(0.0, 1.0).map(lambda v: 0.0 if v < 0.3 else v)))
def test_threshold_zero_totals_are_sums_of_matrix_powers(case):
    M, start, depth, _, upstream = case
    totals = {s["depth"]: s["total"] for s in per_depth(M, start, depth, 0.0, upstream=upstream)}
    for m in range(1, depth + 1):
        P = np.linalg.matrix_power(M, m)
        expected = P[:, start].sum() if upstream else P[start, :].sum()
        assert totals.get(m, 0.0) == pytest.approx(expected, rel=1e-12, abs=1e-300)


def test_hand_example_with_a_self_loop_and_a_pruned_path():
    # 0 supplies 1 (a = 0.5), 1 supplies itself (0.1), 2 supplies 1 (0.02), 0 supplies itself (0.3)
    A = np.zeros((3, 3))
    A[0, 1], A[1, 1], A[2, 1], A[0, 0] = 0.5, 0.1, 0.02, 0.3
    got = all_paths(A, 1, 2, 0.01, upstream=True)
    assert got == {(0, 1): 0.5, (1, 1): 0.1, (2, 1): 0.02,
                   (0, 0, 1): 0.5 * 0.3, (0, 1, 1): 0.1 * 0.5, (1, 1, 1): 0.1 * 0.1}   # 2->1->1 = 0.002 pruned
    # downstream over B = A read along rows: 0 sells to 1 and to itself
    assert all_paths(A, 0, 2, 0.0, upstream=False) == {
        (0, 1): 0.5, (0, 0): 0.3, (0, 0, 1): 0.3 * 0.5, (0, 0, 0): 0.3 * 0.3, (0, 1, 1): 0.5 * 0.1}


def test_negative_entries_are_no_links_and_no_path_means_no_depth():
    M = np.array([[0.0, -0.5], [0.0, 0.0]])
    assert all_paths(M, 1, 3, 0.0, upstream=True) == {}
    assert per_depth(M, 1, 3, 0.0, upstream=True) == []

"""GVC accounting (iomath.gvc, iomath.wwz, iomath.gvc_measures) against hand-worked examples,
exact-fraction transcriptions of the published equations, accounting identities, numbers
published by decompr and exvatools, and a line-by-line numpy transcription of decompr
(tests/support/gvc_reference.py) on the WIOD tables. No database.

The references never import the product's math.
"""
from __future__ import annotations

import csv
import math
from fractions import Fraction as F
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iomath.basic import SingularSystemError
from iomath.bm import BM_TERMS, bm_source_decomposition
from iomath.gvc import (GvcInputError, gvc_system, va_in_exports, va_in_final_demand, value_added_exports)
from iomath.gvc_measures import gvc_participation, regional_value_added_split, va_generation_coefficients
from iomath.wwz import KWW_TERMS, WWZ_TERMS, kww_from_wwz, wwz_decomposition
from tests.support import gvc_reference as ref
from tests.support import wiod

HERE = Path(__file__).resolve().parent



def full(system):
    """Everything the product computes for one table, for the identity checks."""
    w = wwz_decomposition(system)
    return w, kww_from_wwz(w, system.unit_of_row)


# --------------------------------------------------------------------------------------------
# 1. Two countries, one sector each, worked by hand
#
#    A = [[0.2, 0.1], [0.3, 0.4]]  x = [100, 200]  ->  Z = A diag(x) = [[20, 20], [30, 80]]
#    Y (columns: final demand of country 1, of 2) = [[40, 20], [10, 80]]; rows of Z + Y = x.
#    v = 1 - column sums of A = [0.5, 0.5].
#    det(I - A) = 0.8 * 0.6 - 0.1 * 0.3 = 0.45, B = (I - A)^-1 = [[0.6, 0.1], [0.3, 0.8]] / 0.45
#      = [[4/3, 2/9], [2/3, 16/9]];  local inverses L11 = 1/0.8 = 5/4, L22 = 1/0.6 = 5/3.
#    Exports: E12 = z12 + y12 = 40, E21 = z21 + y21 = 40.
# --------------------------------------------------------------------------------------------
Z2 = np.array([[20.0, 20.0], [30.0, 80.0]])
Y2 = np.array([[40.0, 20.0], [10.0, 80.0]])

# Country 1 -> 2 (no third country, so the re-export and third-country terms are 0):
#   DVA_FIN = v1 B11 y12            = 1/2 * 4/3 * 20                 = 40/3
#   DVA_INT = v1 L11 a12 B22 y22    = 1/2 * 5/4 * 0.1 * 16/9 * 80   = 80/9
#   RDV_INT = v1 L11 a12 B21 y11    = 1/16 * 2/3 * 40                = 5/3
#   RDV_FIN = v1 L11 a12 B22 y21    = 1/16 * 16/9 * 10               = 10/9
#   DDC_FIN = v1 L11 a12 B21 y12    = 1/16 * 2/3 * 20                = 5/6
#   DDC_INT = v1 (B11 - L11) a12 x2 = 1/2 * (4/3 - 5/4) * 0.1 * 200  = 5/6
#   MVA_FIN = v2 B21 y12            = 1/2 * 2/3 * 20                 = 20/3
#   MVA_INT = v2 B21 a12 L22 y22    = 1/3 * 0.1 * 5/3 * 80           = 40/9
#   MDC     = v2 B21 a12 L22 E21    = 1/3 * 0.1 * 5/3 * 40           = 20/9      (sum: 720/18 = 40)
# Country 2 -> 1:
#   DVA_FIN = v2 B22 y21            = 1/2 * 16/9 * 10                = 80/9
#   DVA_INT = v2 L22 a21 B11 y11    = 1/2 * 5/3 * 0.3 * 4/3 * 40    = 40/3
#   RDV_INT = v2 L22 a21 B12 y22    = 1/4 * 2/9 * 80                 = 40/9
#   RDV_FIN = v2 L22 a21 B11 y12    = 1/4 * 4/3 * 20                 = 20/3
#   DDC_FIN = v2 L22 a21 B12 y21    = 1/4 * 2/9 * 10                 = 5/9
#   DDC_INT = v2 (B22 - L22) a21 x1 = 1/2 * (16/9 - 5/3) * 0.3 * 100 = 5/3
#   MVA_FIN = v1 B12 y21            = 1/2 * 2/9 * 10                 = 10/9
#   MVA_INT = v1 B12 a21 L11 y11    = 1/9 * 0.3 * 5/4 * 40           = 5/3
#   MDC     = v1 B12 a21 L11 E12    = 1/9 * 0.3 * 5/4 * 40           = 5/3       (sum: 360/9 = 40)
HAND_12 = dict(DVA_FIN=40 / 3, DVA_INT=80 / 9, RDV_INT=5 / 3, RDV_FIN=10 / 9, DDC_FIN=5 / 6, DDC_INT=5 / 6,
               MVA_FIN=20 / 3, MVA_INT=40 / 9, MDC=20 / 9)
HAND_21 = dict(DVA_FIN=80 / 9, DVA_INT=40 / 3, RDV_INT=40 / 9, RDV_FIN=20 / 3, DDC_FIN=5 / 9, DDC_INT=5 / 3,
               MVA_FIN=10 / 9, MVA_INT=5 / 3, MDC=5 / 3)


def hand_system():
    return gvc_system(Z2, Y2, ["C1", "C2"], ["C1", "C2"])


def test_two_country_wwz_term_by_term_by_hand():
    w = wwz_decomposition(hand_system())
    for name in WWZ_TERMS:
        assert w.term(name)[0, 1] == pytest.approx(HAND_12.get(name, 0.0), abs=1e-12), name
        assert w.term(name)[1, 0] == pytest.approx(HAND_21.get(name, 0.0), abs=1e-12), name
    assert np.all(w.values[:, 0, 0] == 0) and np.all(w.values[:, 1, 1] == 0)     # no exports to oneself
    np.testing.assert_allclose(w.exports, [[0, 40], [40, 0]])


def test_two_country_kww_by_hand():
    k = kww_from_wwz(wwz_decomposition(hand_system()), np.array([0, 1]))
    # country 1: VAX = 40/3 + 80/9 = 200/9, RDV = 10/9 + 5/3 = 25/9, FVA = 20/3 + 40/9 = 100/9,
    # PDC = 5/6 + 5/6 + 20/9 = 35/9; together 40
    np.testing.assert_allclose([k.vax[0], k.rdv[0], k.fva[0], k.pdc[0]], [200 / 9, 25 / 9, 100 / 9, 35 / 9])
    np.testing.assert_allclose([k.vax[1], k.rdv[1], k.fva[1], k.pdc[1]], [200 / 9, 100 / 9, 25 / 9, 35 / 9])
    np.testing.assert_allclose(k.exports, [40, 40])
    assert k.term("DVA_INTrex")[0] == 0 and k.term("DDC")[1] == pytest.approx(20 / 9)


def test_two_country_value_added_in_trade_by_hand():
    s = hand_system()
    # V B diag(e): [[v1 B11 40, v1 B12 40], [v2 B21 40, v2 B22 40]]
    np.testing.assert_allclose(va_in_exports(s, by="sector"), [[80 / 3, 40 / 9], [40 / 3, 320 / 9]])
    # V B Y: VA of 1 absorbed in 1 = 1/2 (4/3 40 + 2/9 10) = 250/9, in 2 = 1/2 (4/3 20 + 2/9 80) = 200/9
    np.testing.assert_allclose(va_in_final_demand(s), [[250 / 9, 200 / 9], [200 / 9, 700 / 9]])
    vax = value_added_exports(s)
    np.testing.assert_allclose(vax.vax, [200 / 9, 200 / 9])
    np.testing.assert_allclose(vax.vax_ratio, [5 / 9, 5 / 9])
    np.testing.assert_allclose(vax.value_added, [50, 100])


def test_two_country_participation_and_position_by_hand():
    p = gvc_participation(hand_system())
    # fva_1 = v2 B21 e1 = 1/2 2/3 40 = 40/3; dvx_1 = v1 B12 e2 = 1/2 2/9 40 = 40/9
    np.testing.assert_allclose(p.fva, [40 / 3, 40 / 9])
    np.testing.assert_allclose(p.dvx, [40 / 9, 40 / 3])
    np.testing.assert_allclose(p.backward, [1 / 3, 1 / 9])
    np.testing.assert_allclose(p.forward, [1 / 9, 1 / 3])
    np.testing.assert_allclose(p.position, [math.log(10 / 9) - math.log(4 / 3), math.log(4 / 3) - math.log(10 / 9)])
    np.testing.assert_allclose(p.participation, [4 / 9, 4 / 9])


def test_two_country_va_generation_coefficients_by_hand():
    s = hand_system()
    np.testing.assert_allclose(va_generation_coefficients(s), [1 / 2 * 5 / 4, 1 / 2 * 5 / 3])       # v L^ss
    np.testing.assert_allclose(va_generation_coefficients(s, feedback=True), [1 / 2 * 4 / 3, 1 / 2 * 16 / 9])


def test_two_country_regional_split_by_hand():
    r = regional_value_added_split(hand_system())
    # country 1: within v1 L11 y11 = 25, final to 2: v1 L11 y12 = 12.5, via 2: v1 L11 z12 = 12.5;
    # returning = (V B Y)_11 - within = 250/9 - 25 = 25/9
    np.testing.assert_allclose(r.within, [25, 200 / 3])
    np.testing.assert_allclose(r.final_to_others, [12.5, 25 / 3])
    np.testing.assert_allclose(r.via_others, [12.5, 25])
    np.testing.assert_allclose(r.via_others_returning, [25 / 9, 100 / 9])
    np.testing.assert_allclose(r.via_others_elsewhere, [12.5 - 25 / 9, 25 - 100 / 9])
    np.testing.assert_allclose(r.value_added, [50, 100])


# --------------------------------------------------------------------------------------------
# 2. Three countries, two sectors each: the WWZ equations transcribed block by block, in exact
#    rational arithmetic (third-country terms non-zero; '#' is an element-wise product of
#    N-vectors, so the sector level is exercised too).
# --------------------------------------------------------------------------------------------
ZX = [[30, 8, 12, 3, 5, 2], [6, 25, 4, 9, 3, 6], [9, 2, 40, 7, 14, 1],
      [3, 5, 6, 30, 2, 8], [6, 1, 10, 2, 25, 9], [2, 4, 1, 5, 7, 35]]
YX = [[60, 20, 13], [40, 9, 17], [11, 70, 26], [14, 55, 8], [7, 15, 90], [10, 12, 66]]   # column r: country r
GX, NX = 3, 2


def _inv(M):
    n = len(M)
    aug = [list(row) + [F(int(i == j)) for j in range(n)] for i, row in enumerate(M)]
    for c in range(n):
        p = next(r for r in range(c, n) if aug[r][c] != 0)
        aug[c], aug[p] = aug[p], aug[c]
        aug[c] = [a / aug[c][c] for a in aug[c]]
        for r in range(n):
            if r != c and aug[r][c] != 0:
                aug[r] = [a - aug[r][c] * b for a, b in zip(aug[r], aug[c])]
    return [row[n:] for row in aug]


def _wwz_block_exact(Z, Y, G, N):
    n = G * N
    rows = lambda s: range(s * N, s * N + N)                                       # noqa: E731
    x = [sum(Z[i]) + sum(Y[i]) for i in range(n)]
    A = [[F(Z[i][j], x[j]) for j in range(n)] for i in range(n)]
    v = [1 - sum(A[i][j] for i in range(n)) for j in range(n)]
    B = _inv([[F(int(i == j)) - A[i][j] for j in range(n)] for i in range(n)])
    L = {s: _inv([[F(int(i == j)) - A[i][j] for j in rows(s)] for i in rows(s)]) for s in range(G)}

    def mv(M, s, r, vec):             # block (s, r) of M times an N-vector
        return [sum(M[i][j] * vec[b] for b, j in enumerate(rows(r))) for i in rows(s)]

    def Lmv(r, vec):
        return [sum(L[r][a][b] * vec[b] for b in range(N)) for a in range(N)]

    def vB(t, s):                     # column sums of V^t B^ts: an N-vector over the sectors of s
        return [sum(v[k] * B[k][j] for k in rows(t)) for j in rows(s)]

    def y(t, u):
        return [F(Y[i][u]) for i in rows(t)]

    def add(*vecs):
        return [sum(c) for c in zip(*vecs)] if vecs else [F(0)] * N

    def hadamard(w, vec):
        return [a * b for a, b in zip(w, vec)]

    X = lambda r: [F(x[i]) for i in rows(r)]                                       # noqa: E731
    E = lambda r: [sum(F(Z[i][j]) for j in range(n) if j // N != r) + sum(F(Y[i][u]) for u in range(G) if u != r)
                   for i in rows(r)]                                               # noqa: E731
    out = {}
    for s in range(G):
        vLs = [sum(v[k] * L[s][a][b] for a, k in enumerate(rows(s))) for b in range(N)]
        vBs = vB(s, s)
        for r in range(G):
            if r == s:
                continue
            T = [t for t in range(G) if t not in (s, r)]
            d = lambda vec: hadamard(vLs, mv(A, s, r, vec))                      # noqa: E731
            o = add(*(vB(t, s) for t in T))
            out[s, r] = dict(
                DVA_FIN=hadamard(vBs, y(s, r)),
                DVA_INT=d(mv(B, r, r, y(r, r))),
                DVA_INTrexI1=d(add(*(mv(B, r, t, y(t, t)) for t in T))),
                DVA_INTrexF=d(mv(B, r, r, add(*(y(r, t) for t in T)))),
                DVA_INTrexI2=d(add(*(mv(B, r, t, add(*(y(t, u) for u in range(G) if u not in (s, t)))) for t in T))),
                RDV_INT=d(mv(B, r, s, y(s, s))),
                RDV_FIN=d(mv(B, r, r, y(r, s))),
                RDV_FIN2=d(add(*(mv(B, r, t, y(t, s)) for t in T))),
                OVA_FIN=hadamard(o, y(s, r)),
                MVA_FIN=hadamard(vB(r, s), y(s, r)),
                OVA_INT=hadamard(o, mv(A, s, r, Lmv(r, y(r, r)))),
                MVA_INT=hadamard(vB(r, s), mv(A, s, r, Lmv(r, y(r, r)))),
                DDC_FIN=d(mv(B, r, s, add(*(y(s, t) for t in range(G) if t != s)))),
                DDC_INT=hadamard([a - b for a, b in zip(vBs, vLs)], mv(A, s, r, X(r))),
                ODC=hadamard(o, mv(A, s, r, Lmv(r, E(r)))),
                MDC=hadamard(vB(r, s), mv(A, s, r, Lmv(r, E(r)))),
            )
    return out


def test_three_country_two_sector_wwz_equals_exact_block_transcription():
    exact = _wwz_block_exact(ZX, YX, GX, NX)
    units = np.repeat(["A", "B", "C"], NX)
    w = wwz_decomposition(gvc_system(np.array(ZX, float), np.array(YX, float), units, ["A", "B", "C"]))
    for (s, r), terms in exact.items():
        for a, i in enumerate(range(s * NX, s * NX + NX)):
            exports = sum(ZX[i][j] for j in range(GX * NX) if j // NX == r) + YX[i][r]
            assert sum(t[a] for t in terms.values()) == exports                 # the identity, exactly
            for name, value in terms.items():
                assert w.term(name)[i, r] == pytest.approx(float(value[a]), rel=1e-12, abs=1e-12), (i, r, name)
    # every third-country term is exercised, in every sector
    for name in ("DVA_INTrexI1", "DVA_INTrexF", "DVA_INTrexI2", "RDV_FIN2", "OVA_FIN", "OVA_INT", "ODC"):
        assert np.all(w.term(name)[:2, 1] > 0.01), name


# --------------------------------------------------------------------------------------------
# 3. Identities on random productive tables: uneven blocks, shuffled rows, an 'abroad'
#    destination-only unit. Column sums of A below 1 and positive final demand: x > 0, v > 0.
# --------------------------------------------------------------------------------------------
@st.composite
def tables(draw):
    G = draw(st.integers(2, 5))
    sizes = draw(st.lists(st.integers(1, 4), min_size=G, max_size=G))
    abroad = draw(st.booleans())
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    n = sum(sizes)
    A = rng.uniform(0, 1, (n, n)) * (rng.uniform(size=(n, n)) < 0.7)
    A *= rng.uniform(0.1, 0.9, n) / np.maximum(A.sum(axis=0), 1e-12)   # column sums < 1: value added > 0
    Y = rng.uniform(0, 40, (n, G + abroad)) * (rng.uniform(size=(n, G + abroad)) < 0.8)
    Y[:, 0] += 1.0                                                     # every row sells to final demand
    Z = A * np.linalg.solve(np.eye(n) - A, Y.sum(axis=1))[np.newaxis, :]   # balanced: x = Z 1 + Y 1
    names = [f"U{g}" for g in range(G)] + (["abroad"] if abroad else [])
    units = np.repeat(np.array(names[:G]), sizes)
    perm = rng.permutation(n)
    return Z[np.ix_(perm, perm)], Y[perm], units[perm], names


def close(a, b, scale):
    np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-9 * scale)


def adds_up(parts, total):
    """sum(parts) = total for every cell, to 1e-9 of the cell's own size (sum of |parts|, |total|)."""
    parts = np.asarray(parts)
    size = np.maximum(np.abs(parts).sum(axis=0), np.abs(total))
    err = np.abs(parts.sum(axis=0) - total)
    assert np.all(err <= 1e-9 * size), f"worst relative error {np.max(err / np.where(size > 0, size, 1)):.2e}"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_identities_on_random_tables(table):
    Z, Y, units, names = table
    s = gvc_system(Z, Y, units, names)
    w, k = full(s)
    x = Z.sum(1) + Y.sum(1)
    e = w.exports.sum(1)
    scale = max(e.max(), 1.0)
    adds_up(w.values, w.exports)                                         # 16 terms = E^sr
    adds_up(k.terms.T, k.exports)                                        # KWW terms = E_s
    adds_up([k.vax, k.rdv, k.fva, k.pdc], k.exports)
    bm = bm_source_decomposition(s)
    adds_up(bm.values, bm.exports)                                       # 9 BM terms = E^sr
    # independent numpy: B by solve, V B diag(e) by its definition
    A = Z / x[None, :]
    v = 1 - A.sum(0)
    B = np.linalg.solve(np.eye(len(x)) - A, np.eye(len(x)))
    VBe = v[:, None] * B * e[None, :]
    close(va_in_exports(s, by="sector"), VBe, scale)
    adds_up(va_in_exports(s, by="sector"), e)                           # value added by origin = exports
    same = units[:, None] == units[None, :]
    # foreign value added of every exporting sector, three ways: V B diag(e), WWZ, participation
    fva_wwz = sum(w.term(t) for t in ("MVA_FIN", "OVA_FIN", "MVA_INT", "OVA_INT", "MDC", "ODC")).sum(axis=1)
    ps = gvc_participation(s, level="sector")
    close(fva_wwz, (VBe * ~same).sum(axis=0), scale)
    close(ps.fva, (VBe * ~same).sum(axis=0), scale)
    close(ps.dvx, (VBe * ~same).sum(axis=1), scale)
    # domestic content (DVA + DDC) is the same in WWZ and BM, the domestic rows of V B diag(e)
    dc_wwz = sum(w.term(t) for t in WWZ_TERMS[:8] + ("DDC_FIN", "DDC_INT")).sum(axis=1)
    close(dc_wwz, (VBe * same).sum(axis=0), scale)
    close(bm.total(*BM_TERMS[:7]).sum(axis=1), (VBe * same).sum(axis=0), scale)
    # value added in final demand: rows add up to value added; VAX (Johnson-Noguera) = KWW T1-T3
    VBY = v[:, None] * (B @ Y)
    close(va_in_final_demand(s, by="sector"), VBY, scale)
    adds_up(va_in_final_demand(s, by="sector").T, v * x)                # rows of V B Y = value added
    own_unit = np.array([names.index(u) for u in units])
    jn = np.array([VBY[own_unit == g].sum() - VBY[own_unit == g, g].sum() for g in range(len(names))])
    close(value_added_exports(s).vax, jn, scale)
    close(k.vax, jn, scale)
    # regional split adds up to value added
    r = regional_value_added_split(s, level="sector")
    adds_up([r.within, r.final_to_others, r.via_others], v * x)
    adds_up([r.via_others_returning, r.via_others_elsewhere], r.via_others)
    assert np.all(r.via_others_returning >= -1e-9 * scale)
    # local value-added generation coefficient: v^s (I - A^ss)^-1 by solving per unit
    c = np.zeros(len(x))
    for u in set(units):
        idx = np.flatnonzero(units == u)
        c[idx] = np.linalg.solve((np.eye(len(idx)) - A[np.ix_(idx, idx)]).T, v[idx])
    close(va_generation_coefficients(s), c, 1.0)


@settings(max_examples=20, deadline=None)
@given(tables())
def test_results_do_not_depend_on_row_order(table):
    Z, Y, units, names = table
    w1 = wwz_decomposition(gvc_system(Z, Y, units, names))
    order = np.argsort(units, kind="stable")[::-1]
    w2 = wwz_decomposition(gvc_system(Z[np.ix_(order, order)], Y[order], units[order], names))
    np.testing.assert_allclose(w2.values, w1.values[:, order], rtol=1e-9, atol=1e-9 * w1.exports.max())


def test_zero_output_sectors_get_zero_terms_and_no_nan():
    # sector 2 (unit B) produces nothing and buys nothing; sector 3 sells +1 to A, -1 to B:
    # output 0 with non-zero exports, as WIOD 1995's LUX leather (final demand entries that cancel)
    Z = np.array([[10.0, 4.0, 0.0, 0.0], [3.0, 12.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0]])
    Y = np.array([[20.0, 5.0], [4.0, 30.0], [0.0, 0.0], [1.0, -1.0]])
    s = gvc_system(Z, Y, ["A", "B", "B", "B"], ["A", "B"])
    w, k = full(s)
    assert np.all(np.isfinite(w.values)) and np.all(np.isfinite(k.terms))
    assert np.all(w.values[:, 2:] == 0)                       # no value added in what a zero-output sector 'exports'
    np.testing.assert_allclose(w.values[:, :2].sum(axis=0), w.exports[:2], rtol=1e-12)
    assert w.exports[3, 0] == 1.0
    assert np.isnan(gvc_participation(s, level="sector").backward[2])     # 0 / 0 is undefined, not 0


# --------------------------------------------------------------------------------------------
# 4. Inputs that are wrong get a message naming the argument, row and expectation
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("args, message", [
    ((np.ones((2, 3)), np.ones((2, 2)), ["A", "B"], ["A", "B"]), "Z: expected a square"),
    ((np.ones((2, 2)), np.ones((3, 2)), ["A", "B"], ["A", "B"]), "Y: expected 2 rows"),
    ((np.ones((2, 2)), np.ones((2, 2)), ["A"], ["A", "B"]), "units: expected 2 names"),
    ((np.ones((2, 2)), np.ones((2, 3)), ["A", "B"], ["A", "B"]), "y_units: expected 3 names"),
    ((np.ones((2, 2)), np.ones((2, 2)), ["A", "B"], ["A", "A"]), "unit 'A' names more than one column"),
    ((np.ones((2, 2)), np.ones((2, 2)), ["A", "C"], ["A", "B"]), "row 1 belongs to unit 'C'"),
    ((np.array([[1.0, np.nan], [0.0, 1.0]]), np.ones((2, 2)), ["A", "B"], ["A", "B"]), "Z: row 0, column 1: got nan"),
    ((np.ones((2, 2)), np.array([[1.0, np.inf], [0.0, 1.0]]), ["A", "B"], ["A", "B"]), "Y: row 0, column 1: got inf"),
])
def test_bad_inputs_are_refused_with_a_clear_message(args, message):
    with pytest.raises(GvcInputError, match=message.replace("(", r"\(")):
        gvc_system(*args)


def test_non_productive_table_raises_singular():
    Z = np.array([[1.0, 1.0], [1.0, 1.0]])
    with pytest.raises(SingularSystemError):
        gvc_system(Z, np.zeros((2, 2)), ["A", "B"], ["A", "B"], x=np.array([2.0, 2.0]))


def test_unknown_aggregation_is_refused():
    with pytest.raises(ValueError, match="by: expected"):
        va_in_exports(hand_system(), by="country")
    with pytest.raises(ValueError, match="level: expected"):
        gvc_participation(hand_system(), level="region")


# --------------------------------------------------------------------------------------------
# 5. Published numbers: decompr's test values on its 'leather' table, exvatools' on 'iciotest'
# --------------------------------------------------------------------------------------------
# decompr 6.8.0 data(leather) (data/leather.rda): 3 countries x 3 industries
LEATHER_INTER = np.array([
    [16.1, 5.1, 1.8, 3.2, 4.3, 0.4, 3.1, 2.8, 4.9], [2.4, 8.0, 3.2, 0.1, 3.2, 1.6, 1.2, 3.9, 11.5],
    [0.9, 0.5, 4.0, 0.0, 0.1, 0.3, 0.0, 0.4, 0.5], [1.1, 1.9, 0.2, 18.0, 13.2, 6.1, 9.0, 3.1, 8.9],
    [0.3, 2.8, 0.1, 6.1, 28.1, 6.3, 2.1, 2.5, 25.6], [0.0, 0.1, 0.3, 4.1, 3.2, 8.9, 0.2, 0.0, 1.8],
    [1.2, 4.2, 0.3, 4.1, 1.2, 0.6, 29.0, 19.5, 17.9], [1.3, 1.1, 0.0, 3.2, 4.8, 2.6, 5.1, 29.1, 24.1],
    [2.1, 1.4, 3.0, 4.1, 3.1, 3.9, 11.3, 8.1, 51.3]])
LEATHER_FINAL = np.array([[21.5, 6.1, 8.4], [16.2, 1.9, 5.1], [11.0, 0.5, 0.8], [7.5, 29.5, 14.2], [8.9, 24.9, 16.9],
                          [1.2, 18.5, 4.9], [9.2, 17.9, 51.2], [7.9, 10.1, 38.5], [25.1, 35.2, 68.4]])
LEATHER_OUT = np.array([77.7, 58.3, 19.0, 112.7, 124.6, 43.2, 156.3, 127.8, 217.0])
LEATHER_UNITS = np.repeat(["Argentina", "Turkey", "Germany"], 3)


def leather_system():
    return gvc_system(LEATHER_INTER, LEATHER_FINAL, LEATHER_UNITS, ["Argentina", "Turkey", "Germany"], x=LEATHER_OUT)


def test_leather_matches_decomprs_published_test_values():
    # tests/testthat/test_leontief.R: l[1, 5] = 28.52278, l[81, 5] = 34.74381 (long format =
    # row-major V B diag(E)); lfd[1, 4] = 24.3345824, lfd[20, 4] = 23.6841309 (row-major V B Y)
    s = leather_system()
    vbe = va_in_exports(s, by="sector").ravel()
    vby = va_in_final_demand(s, by="sector").ravel()
    # (decompr's test values are the digits printed by R, cut after the 5th decimal: 34.7438192 -> 34.74381)
    assert abs(vbe[0] - 28.52278) < 1e-5 and abs(vbe[80] - 34.74381) < 1e-5
    assert abs(vby[0] - 24.3345824) < 5e-8 and abs(vby[19] - 23.6841309) < 5e-8


def test_leather_transcription_reproduces_the_published_values_too():
    d = ref.load_tables_vectors(LEATHER_INTER, LEATHER_FINAL, 3, 3, o=LEATHER_OUT)
    assert abs(ref.leontief(d)[0, 0] - 28.52278) < 5e-6
    assert abs(ref.leontief(d, "output")[8, 8] - 96.78316785) < 5e-9
    assert abs(ref.leontief(d, "final_demand").ravel()[19] - 23.6841309) < 5e-8


def test_leather_wwz_and_kww_equal_the_decompr_transcription():
    d = ref.load_tables_vectors(LEATHER_INTER, LEATHER_FINAL, 3, 3, o=LEATHER_OUT)
    ALL = ref.wwz(d)
    w, k = full(leather_system())
    assert [ref.DECOMP19[i] for i in range(16)] == list(WWZ_TERMS)
    np.testing.assert_allclose(np.moveaxis(w.values, 0, 2), ALL[:, :, :16], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(w.exports, ALL[:, :, 16], rtol=1e-12)
    assert list(ref.KWW9) == list(KWW_TERMS)
    np.testing.assert_allclose(k.terms, ref.kww(d), rtol=1e-11, atol=1e-11)


def iciotest_table():
    """exvatools 0.9.0 data(iciotest_data) (Feas, GPL-3), saved as CSV with all digits: 10 'countries'
    (MEX and CHN are empty rows; their sectors are MX1, MX2 and CN1, CN2) x 3 sectors, final
    demand CONS and INVST for 6 countries. Returns Z, Y summed per destination, row units."""
    with open(HERE / "support" / "exvatools_iciotest.csv", newline="") as fh:
        rows = list(csv.reader(fh))
    data = np.array([[float(v) for v in r[1:]] for r in rows[1:]])
    names = [r[0] for r in rows[1:]]
    units = [{"MX1": "MEX", "MX2": "MEX", "CN1": "CHN", "CN2": "CHN"}.get(n[:3], n[:3]) for n in names]
    return data[:, :30], data[:, 30:].reshape(30, 6, 2).sum(axis=2), np.array(units)


def iciotest():
    Z, Y, units = iciotest_table()
    return gvc_system(Z, Y, units, ["ESP", "FRA", "MEX", "USA", "CHN", "ROW"]), units


def test_iciotest_matches_exvatools_published_wwz_values():
    # exvatools tests/testthat/test-make_exvadec_wwz.R (rounded to cents there)
    published = {
        "ESP": dict(EXGR=4666.96, DC=2165.17, DVA=1880.60, VAX=1624.18, REF=256.41, DDC=284.58, FC=2501.78,
                    FVA=854.62, FDC=1647.16),
        "CHN": dict(EXGR=8575.51, DC=4409.66, DVA=3469.40, VAX=3117.58, REF=351.82, DDC=940.27, FC=4165.85,
                    FVA=1563.79, FDC=2602.05),
        ("MEX", "USA"): dict(EXGR=13087.74, DC=6149.93, DVA=5070.13, VAX=4547.65, REF=522.48, DDC=1079.80,
                             FC=6937.81, FVA=2743.65, FDC=4194.16),
    }
    s, units = iciotest()
    w = wwz_decomposition(s)
    groups = dict(VAX=WWZ_TERMS[0:5], REF=WWZ_TERMS[5:8], DDC=("DDC_FIN", "DDC_INT"),
                  FVA=("OVA_FIN", "MVA_FIN", "OVA_INT", "MVA_INT"), FDC=("ODC", "MDC"))
    for exporter, numbers in published.items():
        rows = np.isin(units, exporter)
        got = {g: sum(w.term(t)[rows].sum() for t in terms) for g, terms in groups.items()}
        got.update(EXGR=w.exports[rows].sum(), DVA=got["VAX"] + got["REF"])
        got.update(DC=got["DVA"] + got["DDC"], FC=got["FVA"] + got["FDC"])
        for key, value in numbers.items():
            assert round(got[key], 2) == value, (exporter, key, got[key])


def test_iciotest_country_group_as_one_unit_matches_exvatools():
    # exvatools' exporter "NAFTA" (MEX with MX1, MX2, and USA): the units vector makes the group
    # one unit, its final demand one column; exports inside the group are then not exports
    Z, Y6, units = iciotest_table()
    group = np.where(np.isin(units, ["MEX", "USA"]), "NAFTA", units)
    Y = np.column_stack((Y6[:, 0], Y6[:, 1], Y6[:, 2] + Y6[:, 3], Y6[:, 4], Y6[:, 5]))
    g = gvc_system(Z, Y, group, ["ESP", "FRA", "NAFTA", "CHN", "ROW"])
    rows = group == "NAFTA"
    w = wwz_decomposition(g)
    dc = sum(w.term(t)[rows].sum() for t in WWZ_TERMS[:8] + ("DDC_FIN", "DDC_INT"))
    fva = sum(w.term(t)[rows].sum() for t in ("OVA_FIN", "MVA_FIN", "OVA_INT", "MVA_INT"))
    assert (round(w.exports[rows].sum(), 2), round(dc, 2), round(fva, 2)) == (10485.40, 6127.84, 1714.09)
    b = bm_source_decomposition(g)
    assert (round(b.term("FVA")[rows].sum(), 2), round(b.term("FDC")[rows].sum(), 2)) == (3276.30, 1081.26)
    davax = b.total("DAVAX_FIN", "DAVAX_INT")[rows].sum()
    assert round(b.exports[rows].sum() - davax, 2) == 8656.71                  # GVC-related trade


def test_iciotest_matches_exvatools_published_bm_source_values():
    # exvatools tests/testthat/test-make_exvadec_bm_src.R
    published = {
        "ESP": dict(EXGR=4666.96, DC=2165.17, DVA=1880.60, VAX=1624.18, REF=256.41, DDC=284.58, FC=2501.78,
                    FVA=2176.21, FDC=325.58, GVC=4034.25, GVCB=2786.36, GVCF=1247.89),
        "CHN": dict(EXGR=8575.51, DC=4409.66, DVA=3469.40, VAX=3117.58, REF=351.82, DDC=940.27, FC=4165.85,
                    FVA=3273.60, FDC=892.25, GVC=7260.12, GVCB=5106.11, GVCF=2154.01),
    }
    s, units = iciotest()
    b = bm_source_decomposition(s)
    for exporter, numbers in published.items():
        rows = units == exporter
        t = {name: b.term(name)[rows].sum() for name in BM_TERMS}
        davax = t["DAVAX_FIN"] + t["DAVAX_INT"]
        vax = davax + t["REX_FIN"] + t["REX_INT"]
        ref_ = t["REF_FIN"] + t["REF_INT"]
        exgr = b.exports[rows].sum()
        got = dict(EXGR=exgr, DC=vax + ref_ + t["DDC"], DVA=vax + ref_, VAX=vax, REF=ref_, DDC=t["DDC"],
                   FC=t["FVA"] + t["FDC"], FVA=t["FVA"], FDC=t["FDC"], GVC=exgr - davax,
                   GVCB=t["FVA"] + t["FDC"] + t["DDC"], GVCF=vax - davax + ref_)
        for key, value in numbers.items():
            assert round(got[key], 2) == value, (exporter, key, got[key])


@settings(max_examples=25, deadline=None)
@given(tables())
def test_bm_foreign_value_added_equals_an_explicit_extraction_inverse(table):
    # B^{\s}: the inverse of I - A with the exporter's intermediate exports set to 0, by brute force
    Z, Y, units, names = table
    s = gvc_system(Z, Y, units, names)
    b = bm_source_decomposition(s)
    x = Z.sum(1) + Y.sum(1)
    A = Z / x[None, :]
    v = 1 - A.sum(0)
    e = b.exports.sum(axis=1)
    for u in set(units):
        own = units == u
        Ax = A.copy()
        Ax[np.ix_(own, ~own)] = 0
        Bx = np.linalg.inv(np.eye(len(x)) - Ax)
        fva = (v[~own, None] * Bx[np.ix_(~own, own)]).sum(axis=0) * e[own]
        np.testing.assert_allclose(b.term("FVA")[own].sum(axis=1), fva, rtol=1e-9, atol=1e-9 * e.max())
        # the domestic part uses the local inverse: DVA = v^s L^ss E^s*
        L = np.linalg.inv(np.eye(own.sum()) - A[np.ix_(own, own)])
        dva = (v[own] @ L) * e[own]
        np.testing.assert_allclose(b.total(*BM_TERMS[:6])[own].sum(axis=1), dva, rtol=1e-9, atol=1e-9 * e.max())


# --------------------------------------------------------------------------------------------
# 6. WIOD 2013 release, four years: the product against the decompr transcription
# --------------------------------------------------------------------------------------------
def wiod_year(year):
    io = wiod.read(year)   # the shipped extract, equal to the release cell for cell
    regions = list(io.Z.index.get_level_values(0).unique())
    y_regions = io.Y.columns.get_level_values(0)
    assert list(dict.fromkeys(y_regions)) == regions          # Y's blocks in the order of Z's rows
    Z, y = io.Z.to_numpy(dtype=float), io.Y.to_numpy(dtype=float)
    Y = y.reshape(len(Z), len(regions), -1).sum(axis=2)       # 5 categories per destination
    return Z, y, Y, io.Z.index.get_level_values(0).to_numpy(), regions


@pytest.mark.slow
@pytest.mark.parametrize("year", [1995, 2000, 2005, 2008])
def test_wiod_equals_the_decompr_transcription(year):
    Z, y, Y, units, regions = wiod_year(year)
    G, N = len(regions), len(Z) // len(regions)
    s = gvc_system(Z, Y, units, regions)
    w, k = full(s)
    d = ref.load_tables_vectors(Z, y, G, N)
    ALL = ref.wwz(d)
    scale = np.abs(ALL[:, :, 16]).max()
    np.testing.assert_allclose(np.moveaxis(w.values, 0, 2), ALL[:, :, :16], rtol=1e-9, atol=1e-12 * scale)
    np.testing.assert_allclose(w.exports, ALL[:, :, 16], rtol=1e-12)
    # A sector without output has no value added, so its exports (final-demand entries that do
    # not cancel across destinations, e.g. WIOD 1995 LUX leather: -1) are left unexplained;
    # decompr's KWW takes its last term (FDC) as the residual and so books them there.
    x = Z.sum(1) + y.sum(1)
    live = x != 0
    unexplained = np.array([w.exports[(units == r) & ~live].sum() for r in regions])
    kww_expected = ref.kww(d)
    kww_expected[:, KWW_TERMS.index("FDC")] -= unexplained
    np.testing.assert_allclose(k.terms, kww_expected, rtol=1e-9, atol=1e-12 * scale)
    adds_up(np.vstack((k.terms.T, unexplained)), k.exports)
    vbe = ref.leontief(d)
    np.testing.assert_allclose(va_in_exports(s, by="sector"), vbe, rtol=1e-9, atol=1e-12 * scale)
    np.testing.assert_allclose(va_in_final_demand(s, by="sector"), ref.leontief(d, "final_demand"),
                               rtol=1e-9, atol=1e-12 * scale)
    # participation from the transcription's Leontief matrix
    same = units[:, None] == units[None, :]
    p = gvc_participation(s, level="sector")
    np.testing.assert_allclose(p.fva, (vbe * ~same).sum(axis=0), rtol=1e-9, atol=1e-12 * scale)
    np.testing.assert_allclose(p.dvx, (vbe * ~same).sum(axis=1), rtol=1e-9, atol=1e-12 * scale)
    # identities: every sector with output; the ones without carry no value added
    bm = bm_source_decomposition(s)
    adds_up(bm.values[:, live], bm.exports[live])
    adds_up(w.values[:, live], w.exports[live])
    assert np.all(w.values[:, ~live] == 0)
    # a sanity figure an analyst knows: foreign value added is a few % (large, closed economies)
    # to about 60% (Luxembourg) of gross exports
    share = gvc_participation(s).backward
    assert np.all((share > 0.03) & (share < 0.75)), dict(zip(regions, share.round(3)))

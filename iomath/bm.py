"""Borin & Mancini source-based decomposition of gross exports, exporting-country perspective.

Borin, A. and Mancini, M. (2019), "Measuring what matters in global value chains and
value-added trade", World Bank Policy Research Working Paper 8804 (and the 2023 revision):
value added is counted where it first leaves its country of origin, so domestic value added
uses the local inverse L^ss and foreign value added uses B^{\\s}, the Leontief inverse of the
world with the exporter's intermediate exports extracted (A^{s,r} = 0 for r != s). In the
notation of iomath.gvc, for sector i of exporter s and importer r (# as in iomath.wwz):

    DAVAX_FIN  (V^s L^ss)' # Y^sr                           absorbed by the direct importer
    DAVAX_INT  (V^s L^ss)' # (A^sr L^rr Y^rr)                 ... after its own production
    REX_FIN    (V^s L^ss)' # (A^sr L^rr sum_{l != s, r} Y^rl)  re-exported in r's final goods
    REX_INT    (V^s L^ss)' # (A^sr L^rr A^r. B Y^.(l != s))   re-exported in r's intermediates
    REF_FIN    (V^s L^ss)' # (A^sr L^rr Y^rs)                 returns home in r's final goods
    REF_INT    (V^s L^ss)' # (A^sr L^rr A^r. B Y^.s)          returns home through intermediates
    DDC        (V^s B^ss - V^s L^ss)' # E^sr                  double-counted domestic value added
    FVA        (sum_{t != s} V^t B^{\\s}_ts)' # E^sr          foreign value added
    FDC        (sum_{t != s} V^t (B_ts - B^{\\s}_ts))' # E^sr  double-counted foreign value added

(A^r. = A^rj over j != r). They add up to E^sr. DVA = DAVAX + REX + REF = V^s L^ss E^sr;
VAX = DAVAX + REX; GVC-related trade = E - DAVAX, split into backward (FVA + FDC + DDC) and
forward (REX + REF). Exvatools' ``make_exvadec(method = "bm_src")`` computes the same terms.

B^{\\s} is never formed: its columns of s, summed with v over the other units, are
v_{-s}' (I - A_{--})^-1 A_{-s,s} L^ss, and (I - A_{--})^-1 = B_{--} - B_{-s} (B_ss)^-1 B_{s-}
(the inverse of a principal block from the blocks of B), so the exporter's weights cost
O(n N_s) given B instead of one inverse per exporter.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from iomath.gvc import GvcSystem, va_by_origin_unit

BM_TERMS = ("DAVAX_FIN", "DAVAX_INT", "REX_FIN", "REX_INT", "REF_FIN", "REF_INT", "DDC", "FVA", "FDC")


@dataclass(frozen=True)
class BMResult:
    """values[k, i, r]: term BM_TERMS[k] of sector i's exports to unit r (money, caller's row order)."""
    units: tuple
    values: np.ndarray
    exports: np.ndarray

    def term(self, name: str) -> np.ndarray:
        return self.values[BM_TERMS.index(name)]

    def total(self, *names: str) -> np.ndarray:
        """(n, G) the sum of the named terms."""
        return sum(self.term(name) for name in names)


def _extraction_weights(system: GvcSystem, W: np.ndarray, s: int) -> np.ndarray:
    """sum_{t != s} V^t B^{\\s}_ts, the foreign value added per unit of s's sectors' output when
    s's intermediate exports are extracted (1 x N_s)."""
    B, A = system.B, system.A
    ss = system.block(s)
    others = np.r_[0:ss.start, ss.stop:system.n]
    foreign = W.sum(axis=0) - W[s]                                  # v_{-s}' B_{-.}
    coupling = np.linalg.solve(B[ss, ss].T, foreign[ss])            # (v_{-s}' B_{-s}) B_ss^-1
    z = foreign[others] - coupling @ B[ss, others]                  # v_{-s}' (I - A_{--})^-1
    return (z @ A[others, ss]) @ system.local_inverse[s]


def bm_source_decomposition(system: GvcSystem) -> BMResult:
    """Borin & Mancini (2019) source-based terms of every sector's exports by importer.

    Returns
    -------
    BMResult
        values (9, n, G) in money, BM_TERMS order; sum over terms = E^sr (exporting-country
        perspective: each sector's weights are those of its country's total exports).
    """
    n, G, A = system.n, system.G, system.A
    rows, ru = np.arange(n), system.row_unit
    Y = system.Y
    Ym = Y.copy()
    Ym[rows, ru] = 0.0
    BY = system.B @ Y
    H = A @ BY                                                      # A^r. B Y, then without j in r
    LY, LYm, K, vLs = np.zeros(n), np.zeros((n, G)), np.zeros((n, G)), np.zeros(n)
    for r in range(G):
        sl = system.block(r)
        if sl.start == sl.stop:
            continue
        H[sl] -= A[sl, sl] @ BY[sl]
        L = system.local_inverse[r]
        LY[sl], LYm[sl], K[sl], vLs[sl] = L @ Y[sl, r], L @ Ym[sl], L @ H[sl], system.v[sl] @ L
    W = va_by_origin_unit(system)
    vBs, Wsum = W[ru, rows], W.sum(axis=0)
    E = system.exports_to
    out = np.zeros((len(BM_TERMS), n, G))
    for s in range(G):
        ss = system.block(s)
        if ss.start == ss.stop:
            continue
        Q = np.column_stack((LY, LYm.sum(axis=1) - LYm[:, s], K.sum(axis=1) - K[:, s], LYm[:, s], K[:, s]))
        C = np.zeros((ss.stop - ss.start, G, Q.shape[1]))          # C[i, r, m] = sum_{j in r} A_ij Q_jm
        for r in range(G):
            rs = system.block(r)
            if r != s and rs.start != rs.stop:
                C[:, r, :] = A[ss, rs] @ Q[rs]
        d = vLs[ss, None]
        out[0, ss] = d * Ym[ss]
        out[1:6, ss] = np.moveaxis(d[:, :, None] * C, 2, 0)
        f = _extraction_weights(system, W, s)
        out[6, ss] = (vBs - vLs)[ss, None] * E[ss]
        out[7, ss] = f[:, None] * E[ss]
        out[8, ss] = (Wsum[ss] - W[s, ss] - f)[:, None] * E[ss]
    values = np.empty_like(out)
    values[:, system.order] = out
    return BMResult(units=system.units, values=values, exports=system.to_caller_rows(E))

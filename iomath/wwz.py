"""Gross-export decompositions: Wang, Wei & Zhu (16 terms) and its Koopman, Wang & Wei aggregation.

Wang, Z., Wei, S.-J. and Zhu, K. (2013), "Quantifying international production sharing at
the bilateral and sector levels", NBER Working Paper 19677: the bilateral sector-level
decomposition of gross exports into 16 terms (Appendix E, Table E1) and its mapping to KWW
(Table E2). Koopman, R., Wang, Z. and Wei, S.-J. (2014), "Tracing value-added and double
counting in gross exports", American Economic Review 104(2): 459-494: the nine terms of a
country's gross exports (their Figure 1).

For exporting sector i of unit s and importing unit r != s (notation of iomath.gvc;
# is the element-wise product of the N-vector on its left with the one on its right,
sum_t runs over t != s, r):

    DVA_FIN      (V^s B^ss)' # Y^sr
    DVA_INT      (V^s L^ss)' # (A^sr B^rr Y^rr)
    DVA_INTrexI1 (V^s L^ss)' # (A^sr sum_t B^rt Y^tt)
    DVA_INTrexF  (V^s L^ss)' # (A^sr B^rr sum_t Y^rt)
    DVA_INTrexI2 (V^s L^ss)' # (A^sr sum_t B^rt sum_{u != s, t} Y^tu)
    RDV_INT      (V^s L^ss)' # (A^sr B^rs Y^ss)
    RDV_FIN      (V^s L^ss)' # (A^sr B^rr Y^rs)
    RDV_FIN2     (V^s L^ss)' # (A^sr sum_t B^rt Y^ts)
    OVA_FIN      (sum_t V^t B^ts)' # Y^sr
    MVA_FIN      (V^r B^rs)' # Y^sr
    OVA_INT      (sum_t V^t B^ts)' # (A^sr L^rr Y^rr)
    MVA_INT      (V^r B^rs)' # (A^sr L^rr Y^rr)
    DDC_FIN      (V^s L^ss)' # (A^sr B^rs sum_{t != s} Y^st)
    DDC_INT      (V^s B^ss - V^s L^ss)' # (A^sr X^r)
    ODC          (sum_t V^t B^ts)' # (A^sr L^rr E^r*)
    MDC          (V^r B^rs)' # (A^sr L^rr E^r*)

(the order and names of decompr's ``wwz``). They add up to E^sr = A^sr X^r + Y^sr for
every i, r. How they are computed: every right-hand factor is a column of an n x G matrix
(B Y^tt stacked by t, B^rr Y^rt, ...), so A^sr (.) is taken block by block, A^sr times an
N x 11 matrix, never as an n x n x n product.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from iomath.gvc import GvcSystem, va_by_origin_unit

WWZ_TERMS = ("DVA_FIN", "DVA_INT", "DVA_INTrexI1", "DVA_INTrexF", "DVA_INTrexI2", "RDV_INT", "RDV_FIN",
             "RDV_FIN2", "OVA_FIN", "MVA_FIN", "OVA_INT", "MVA_INT", "DDC_FIN", "DDC_INT", "ODC", "MDC")

# KWW (2014) Figure 1 terms as sums of WWZ terms (WWZ 2013, Appendix Table E2)
KWW_FROM_WWZ = {
    "DVA_FIN": ("DVA_FIN",),                        # T1 value added in final goods exports
    "DVA_INT": ("DVA_INT", "DVA_INTrexI1"),         # T2 in intermediates absorbed by the direct importer
    "DVA_INTrex": ("DVA_INTrexF", "DVA_INTrexI2"),  # T3 in intermediates re-exported to third units
    "RDV_FIN": ("RDV_FIN", "RDV_FIN2"),             # T4 returning home in final imports
    "RDV_INT": ("RDV_INT",),                        # T5 returning home in intermediate imports
    "DDC": ("DDC_FIN", "DDC_INT"),                  # T6 double-counted domestic value added
    "FVA_FIN": ("MVA_FIN", "OVA_FIN"),              # T7 foreign value added in final goods exports
    "FVA_INT": ("MVA_INT", "OVA_INT"),              # T8 foreign value added in intermediate exports
    "FDC": ("MDC", "ODC"),                          # T9 double-counted foreign value added
}
KWW_TERMS = tuple(KWW_FROM_WWZ)


@dataclass(frozen=True)
class WWZResult:
    """The 16 WWZ terms of every exporting sector and importing unit (money).

    values[k, i, r] is term WWZ_TERMS[k] of sector i's exports to unit r (rows in the
    caller's row order; 0 where r is the sector's own unit); exports[i, r] = E^sr.
    """
    units: tuple
    values: np.ndarray
    exports: np.ndarray

    def term(self, name: str) -> np.ndarray:
        """(n, G) one term by its name in WWZ_TERMS."""
        return self.values[WWZ_TERMS.index(name)]


@dataclass(frozen=True)
class KWWResult:
    """KWW (2014) terms per exporting unit (money); terms[:, k] is KWW_TERMS[k].

    vax = T1+T2+T3 (value-added exports), rdv = T4+T5 (returned domestic value added),
    dva = vax + rdv (domestic value added in exports), fva = T7+T8, pdc = T6+T9 (pure double
    counting); vax + rdv + fva + pdc = exports.
    """
    units: tuple
    terms: np.ndarray
    exports: np.ndarray

    def term(self, name: str) -> np.ndarray:
        return self.terms[:, KWW_TERMS.index(name)]

    @property
    def vax(self) -> np.ndarray:
        return self.terms[:, 0:3].sum(axis=1)

    @property
    def rdv(self) -> np.ndarray:
        return self.terms[:, 3:5].sum(axis=1)

    @property
    def dva(self) -> np.ndarray:
        return self.vax + self.rdv

    @property
    def fva(self) -> np.ndarray:
        return self.terms[:, 6:8].sum(axis=1)

    @property
    def pdc(self) -> np.ndarray:
        return self.terms[:, 5] + self.terms[:, 8]


def _right_factors(system: GvcSystem) -> dict:
    """The n-vectors and n x G matrices every term's right-hand factor is built from.

    PD[:, t] = B[:, t-block] Y^tt, PM[:, t] = B[:, t-block] (sum_{u != t} Y^tu), BYm = B Ym,
    Q4 = blockdiag(B^rr) Ym (B^rr Y^rt), LY = L^rr Y^rr, Le = L^rr E^r*, all stacked by rows.
    """
    n, G, B = system.n, system.G, system.B
    rows, ru = np.arange(n), system.row_unit
    ydom = system.Y[rows, ru]
    Ym = system.Y.copy()
    Ym[rows, ru] = 0.0
    ymtot = Ym.sum(axis=1)
    e = system.exports
    PD, PM, Q4 = np.zeros((n, G)), np.zeros((n, G)), np.zeros((n, G))
    LY, Le, vLs = np.zeros(n), np.zeros(n), np.zeros(n)
    for t in range(G):
        sl = system.block(t)
        if sl.start == sl.stop:
            continue
        both = B[:, sl] @ np.column_stack((ydom[sl], ymtot[sl]))      # n x 2: one pass over B's columns
        PD[:, t], PM[:, t] = both[:, 0], both[:, 1]
        Q4[sl] = B[sl, sl] @ Ym[sl]
        L = system.local_inverse[t]
        LY[sl], Le[sl], vLs[sl] = L @ ydom[sl], L @ e[sl], system.v[sl] @ L
    W = va_by_origin_unit(system)
    return dict(Ym=Ym, PD=PD, PM=PM, BYm=B @ Ym, Q4=Q4, LY=LY, Le=Le, vLs=vLs, W=W,
                vBs=W[ru, rows], PDdiag=PD[rows, ru],
                PDsum=PD.sum(axis=1), Q4sum=Q4.sum(axis=1), BYmtot=PM.sum(axis=1))


def _intermediate_factors(f: dict, x: np.ndarray, s: int) -> np.ndarray:
    """(n, 11): for exporter s, the vectors q that A^sr multiplies (rows of every unit r).

    A sum over third units t != s, r is the sum over all t less the columns t = r (the
    row's own unit: PDdiag, Q4sum) and t = s (column s of PD, PM, BYm or Q4).
    """
    PD, PM, BYm, Q4 = f["PD"], f["PM"], f["BYm"], f["Q4"]
    PDsum, Q4sum, BYmtot = f["PDsum"], f["Q4sum"], f["BYmtot"]
    return np.column_stack((
        f["PDdiag"],                                            # DVA_INT       B^rr Y^rr
        PDsum - f["PDdiag"] - PD[:, s],                         # DVA_INTrexI1  sum_t B^rt Y^tt
        Q4sum - Q4[:, s],                                       # DVA_INTrexF   B^rr sum_t Y^rt
        BYmtot - Q4sum - PM[:, s] - (BYm[:, s] - Q4[:, s]),     # DVA_INTrexI2  sum_t B^rt sum_u Y^tu
        PD[:, s],                                               # RDV_INT       B^rs Y^ss
        Q4[:, s],                                               # RDV_FIN       B^rr Y^rs
        BYm[:, s] - Q4[:, s],                                   # RDV_FIN2      sum_t B^rt Y^ts
        PM[:, s],                                               # DDC_FIN       B^rs sum_t Y^st
        x,                                                      # DDC_INT       X^r
        f["LY"],                                                # MVA/OVA_INT   L^rr Y^rr
        f["Le"],                                                # MDC/ODC       L^rr E^r*
    ))


def wwz_decomposition(system: GvcSystem) -> WWZResult:
    """Wang, Wei & Zhu (2013) 16-term decomposition of every sector's gross exports by importer.

    Parameters
    ----------
    system : GvcSystem from iomath.gvc.gvc_system.

    Returns
    -------
    WWZResult
        values (16, n, G) in money, terms in WWZ_TERMS order (module docstring: equations).
        Sum over the 16 terms = exports_to E^sr, for every sector and importer.

    Notes
    -----
    Backward-linkage based, as decompr's ``wwz``: each term is value added of the origin
    named in its factor on the left, embodied in sector i's exports. Cost: one n x n x G
    product (B Ym) and O(n^2) work besides the Leontief inverse already in ``system``.
    """
    n, G, A = system.n, system.G, system.A
    f = _right_factors(system)
    W, vLs, vBs, Ym = f["W"], f["vLs"], f["vBs"], f["Ym"]
    Wsum = W.sum(axis=0)
    out = np.zeros((len(WWZ_TERMS), n, G))
    k = {name: i for i, name in enumerate(WWZ_TERMS)}
    for s in range(G):
        ss = system.block(s)
        if ss.start == ss.stop:
            continue
        Q = _intermediate_factors(f, system.x, s)
        C = np.zeros((ss.stop - ss.start, G, Q.shape[1]))      # C[i, r, m] = sum_{j in r} A_ij Q_jm
        for r in range(G):
            rs = system.block(r)
            if r != s and rs.start != rs.stop:
                C[:, r, :] = A[ss, rs] @ Q[rs]
        Wm = W[:, ss].T                                           # V^r B^rs, per importer r
        Wo = Wsum[ss, None] - W[s, ss][:, None] - Wm             # sum_{t != s, r} V^t B^ts
        Wo[:, s] = 0.0
        y = Ym[ss]
        for m, name in enumerate(("DVA_INT", "DVA_INTrexI1", "DVA_INTrexF", "DVA_INTrexI2",
                                  "RDV_INT", "RDV_FIN", "RDV_FIN2", "DDC_FIN")):
            out[k[name], ss] = vLs[ss, None] * C[:, :, m]
        out[k["DDC_INT"], ss] = (vBs - vLs)[ss, None] * C[:, :, 8]
        out[k["DVA_FIN"], ss] = vBs[ss, None] * y
        out[k["MVA_FIN"], ss], out[k["OVA_FIN"], ss] = Wm * y, Wo * y
        out[k["MVA_INT"], ss], out[k["OVA_INT"], ss] = Wm * C[:, :, 9], Wo * C[:, :, 9]
        out[k["MDC"], ss], out[k["ODC"], ss] = Wm * C[:, :, 10], Wo * C[:, :, 10]
    values = np.empty_like(out)
    values[:, system.order] = out
    return WWZResult(units=system.units, values=values, exports=system.to_caller_rows(system.exports_to))


def kww_from_wwz(wwz: WWZResult, unit_of_row: np.ndarray) -> KWWResult:
    """Koopman, Wang & Wei (2014) nine terms per exporting unit, aggregated from the WWZ terms.

    Parameters
    ----------
    wwz : WWZResult
    unit_of_row : (n,) int unit index of every row, caller's order (GvcSystem.unit_of_row).

    Notes
    -----
    KWW define their decomposition for a country's total exports; summed over its sectors
    and importers the WWZ terms equal KWW's (WWZ 2013, Appendix E). terms[s] for a unit with
    no rows (a destination-only unit) is 0.
    """
    G = len(wwz.units)
    per_term = wwz.values.sum(axis=2)                               # (16, n): over importers
    rows = np.zeros((len(KWW_TERMS), per_term.shape[1]))
    for m, parts in enumerate(KWW_FROM_WWZ.values()):
        rows[m] = sum(per_term[WWZ_TERMS.index(p)] for p in parts)
    terms = np.zeros((G, len(KWW_TERMS)))
    np.add.at(terms, unit_of_row, rows.T)
    exports = np.zeros(G)
    np.add.at(exports, unit_of_row, wwz.exports.sum(axis=1))
    return KWWResult(units=wwz.units, terms=terms, exports=exports)

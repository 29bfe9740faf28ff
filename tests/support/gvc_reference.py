"""A plain numpy transcription of the R package decompr (v6.8.0), line by line, for tests and the benchmark.

It does not import the product's math. It follows decompr's R code (R/load_tables_vectors.R,
R/wwz.R, R/kww.R, R/leontief.R; Quast, Wang, Stolzenburg, Reiter, Krantz; GPL-3) as
written: the dense GN x GN right-hand matrices ``z``, the full inverse of I - Ad for the
local Leontief inverse, Am %*% L, and so on. It is deliberately the slow, direct route, so
that the product's block-wise route is checked against the published one. R's recycling
rules are spelled out where they matter: ``M * vec`` scales the ROWS of M by vec,
``C_rowmult(M, vec)`` scales its COLUMNS.

Inputs as decompr's: x (GN x GN) intermediate flows, y (GN x G*fdc) final demand with fdc
categories per country, G countries of N industries each, rows ordered country by country.
"""
from __future__ import annotations

import numpy as np

DECOMP19 = ("DVA_FIN", "DVA_INT", "DVA_INTrexI1", "DVA_INTrexF", "DVA_INTrexI2", "RDV_INT", "RDV_FIN",
            "RDV_FIN2", "OVA_FIN", "MVA_FIN", "OVA_INT", "MVA_INT", "DDC_FIN", "DDC_INT", "ODC", "MDC",
            "texp", "texpint", "texpfd")
KWW9 = ("DVA_FIN", "DVA_INT", "DVA_INTrex", "RDV_FIN", "RDV_INT", "DDC", "FVA_FIN", "FVA_INT", "FDC")


def load_tables_vectors(x, y, G, N, o=None, v=None) -> dict:
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    GN = G * N
    fdc = y.shape[1] // G
    Bd = np.zeros((GN, GN))
    Ad = np.zeros((GN, GN))
    Yd = np.zeros((GN, G))
    Efd = np.zeros((GN, G))
    Eint = np.zeros((GN, G))
    Y = np.zeros((GN, G))
    if o is None:
        o = x.sum(axis=1) + y.sum(axis=1)
    if v is None:
        v = o - x.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        A = x * (1.0 / o)[np.newaxis, :]             # C_rowmult(x, 1 / o)
    A[~np.isfinite(A)] = 0
    Am = A.copy()
    II = np.eye(GN)
    B = np.linalg.solve(II - A, II)
    Bm = B.copy()
    for j in range(G):
        b = slice(j * N, j * N + N)
        Ad[b, b] = A[b, b]
        Bd[b, b] = B[b, b]
        Bm[b, b] = 0
        Am[b, b] = 0
    L = np.linalg.solve(II - Ad, II)
    with np.errstate(divide="ignore", invalid="ignore"):
        Vc = v / o
    Vc[~np.isfinite(Vc)] = 0
    for j in range(G):
        Y[:, j] = y[:, j * fdc:(j + 1) * fdc].sum(axis=1)
    Ym = Y.copy()
    E = np.hstack((x, y))
    for j in range(G):
        b = slice(j * N, j * N + N)
        E[b, b] = 0
        E[b, GN + j * fdc:GN + (j + 1) * fdc] = 0
        Yd[b, j] = Y[b, j]
        Ym[b, j] = 0
    z = E
    E = z.sum(axis=1)
    for j in range(G):
        Efd[:, j] = z[:, GN + j * fdc:GN + (j + 1) * fdc].sum(axis=1)
        Eint[:, j] = z[:, j * N:(j + 1) * N].sum(axis=1)
    ESR = Eint + Efd
    return dict(Am=Am, B=B, Bd=Bd, Bm=Bm, L=L, E=E, ESR=ESR, Eint=Eint, Efd=Efd, Vc=Vc, G=G, N=N, GN=GN,
                X=o, Y=Y, Yd=Yd, Ym=Ym)


def wwz(d: dict) -> np.ndarray:
    """decompr::wwz as an array ALL (GN, G, 19), last axis in DECOMP19 order."""
    G, N, GN = d["G"], d["N"], d["GN"]
    Am, Bd, Bm, L, Vc, Yd, Ym, X, E = (d[k] for k in ("Am", "Bd", "Bm", "L", "Vc", "Yd", "Ym", "X", "E"))
    blocks = [slice(r * N, r * N + N) for r in range(G)]
    ALL = np.zeros((GN, G, 19))
    ALL[:, :, 16], ALL[:, :, 17], ALL[:, :, 18] = d["ESR"], d["Eint"], d["Efd"]

    Bd_Vhat_sum = (Bd * Vc[:, None]).sum(axis=0)                      # colSums(Bd * Vc)
    ALL[:, :, 0] = Ym * Bd_Vhat_sum[:, None]

    VsLss = Vc[:, None] * L
    VsLss_colSums = VsLss.sum(axis=0)
    ALL[:, :, 1] = (Am @ Bd @ Yd) * VsLss_colSums[:, None]

    z1 = np.repeat(Yd.sum(axis=1)[:, None], GN, axis=1)              # matrix(rowSums(Yd), GN, GN)
    for mn in blocks:
        z1[mn, mn] = 0
    z2 = Bm @ z1
    for mn in blocks:
        z2[mn, mn] = 0
    z3 = Am * z2.T
    for r, mn in enumerate(blocks):
        ALL[:, r, 2] = VsLss_colSums * z3[:, mn].sum(axis=1)

    z = np.zeros((GN, GN))
    zr = Ym.sum(axis=1)
    for r, mn in enumerate(blocks):
        z[:, mn] = (zr - Ym[:, r])[:, None]
        z[mn, mn] = 0
    z2 = Am * (Bd @ z).T
    for r, mn in enumerate(blocks):
        ALL[:, r, 3] = VsLss_colSums * z2[:, mn].sum(axis=1)

    z1 = (Bm @ z).T
    for mn in blocks:
        z1[mn, mn] = 0
    z2 = Am * z1
    for r, mn in enumerate(blocks):
        ALL[:, r, 4] = VsLss_colSums * z2[:, mn].sum(axis=1)

    z = np.zeros((GN, GN))
    for r, mn in enumerate(blocks):
        z[:, mn] = Yd[:, r][:, None]
    z1 = Am * (Bm @ z).T
    for r, mn in enumerate(blocks):
        ALL[:, r, 5] = VsLss_colSums * z1[:, mn].sum(axis=1)

    z = np.zeros((GN, GN))
    for r, mn in enumerate(blocks):
        z[:, mn] = Ym[:, r][:, None]
    z1 = Am * (Bd @ z).T
    for r, mn in enumerate(blocks):
        ALL[:, r, 6] = VsLss_colSums * z1[:, mn].sum(axis=1)

    z1 = Bm @ z
    for mn in blocks:
        z1[mn, mn] = 0
    z2 = Am * z1.T
    for r, mn in enumerate(blocks):
        ALL[:, r, 7] = VsLss_colSums * z2[:, mn].sum(axis=1)

    z = np.zeros((GN, GN))
    for r, mn in enumerate(blocks):
        z[mn, mn] = Ym[mn, :].sum(axis=1)[:, None]
    z1 = Am * (Bm @ z).T
    for r, mn in enumerate(blocks):
        ALL[:, r, 12] = VsLss_colSums * z1[:, mn].sum(axis=1)

    Am_X = Am * X[None, :]                                            # C_rowmult(Am, X)
    Vc_Bd_VsLss_colsums = Bd_Vhat_sum - VsLss_colSums
    for r, mn in enumerate(blocks):
        ALL[:, r, 13] = Vc_Bd_VsLss_colsums * Am_X[:, mn].sum(axis=1)

    VrBrs = Vc[:, None] * Bm
    for r, mn in enumerate(blocks):
        z = VrBrs * Ym[:, r][None, :]                                 # C_rowmult(VrBrs, Ym[, r])
        rest = np.ones(GN, dtype=bool)
        rest[mn] = False
        ALL[:, r, 8] = z[rest].sum(axis=0)
        ALL[:, r, 9] = z[mn].sum(axis=0)

    Am_L_t = (Am @ L).T
    for r, mn in enumerate(blocks):
        zz = (Am_L_t * Yd[:, r][:, None]).sum(axis=0)
        z = VrBrs * zz[None, :]
        rest = np.ones(GN, dtype=bool)
        rest[mn] = False
        ALL[:, r, 10] = z[rest].sum(axis=0)
        ALL[:, r, 11] = z[mn].sum(axis=0)

    Am_L_t = Am_L_t * E[:, None]
    for r, mn in enumerate(blocks):
        zz = Am_L_t[mn].sum(axis=0)
        z = VrBrs * zz[None, :]
        rest = np.ones(GN, dtype=bool)
        rest[mn] = False
        ALL[:, r, 14] = z[rest].sum(axis=0)
        ALL[:, r, 15] = z[mn].sum(axis=0)
    return ALL


def kww(d: dict) -> np.ndarray:
    """decompr::kww: (G, 9) in KWW9 order, computed by KWW's own country-level formulas."""
    G, N, GN = d["G"], d["N"], d["GN"]
    B, Y, Vc, Bd, Ym, Bm, Yd, Am, L, E = (d[k] for k in ("B", "Y", "Vc", "Bd", "Ym", "Bm", "Yd", "Am", "L", "E"))
    Xc = B @ Y
    VBY = Vc[:, None] * Xc
    rows = np.arange(GN)
    own = rows // N                                                    # idiag: [row i, column country(i)]
    VBY[rows, own] = 0
    vae = VBY.sum(axis=1)
    T1 = Vc * (Bd @ Ym).sum(axis=1)
    T2 = Vc * (Bm @ Yd[rows, own])
    T3 = vae - (T1 + T2)
    T4 = Vc * (Bm @ Ym)[rows, own]
    tmp = Bm @ Am @ L
    T5 = Vc * (tmp @ Yd)[rows, own]
    Ediag = Yd.copy()
    Ediag[rows, own] = E
    T6 = Vc * (tmp @ Ediag)[rows, own]
    T7, T8 = E.copy(), E.copy()
    Yms = Ym.sum(axis=1)
    AmLYds = (Am @ L @ Yd).sum(axis=1)
    for s in range(G):
        is_ = slice(s * N, s * N + N)
        others = np.r_[0:s * N, s * N + N:GN]
        part = Vc[others, None] * B[others, is_]                      # Vc[-is] * B[-is, is]
        tmp_s = part.reshape(G - 1, N, N).sum(axis=0)                  # rowsum(., industry)
        T7[is_] = tmp_s @ Yms[is_]
        T8[is_] = tmp_s @ AmLYds[is_]
    T9 = E - (vae + T4 + T5 + T6 + T7 + T8)
    out = np.column_stack((T1, T2, T3, T4, T5, T6, T7, T8, T9))
    return out.reshape(G, N, 9).sum(axis=1)


def leontief(d: dict, post: str = "exports") -> np.ndarray:
    """decompr::leontief(long = FALSE): V B diag(E), V B diag(X) or V B Y."""
    V = d["Vc"][:, None] * d["B"]
    if post == "exports":
        return V * d["E"][None, :]
    if post == "output":
        return V * d["X"][None, :]
    if post == "final_demand":
        return V @ d["Y"]
    return V

"""Input-output arithmetic as small pure numpy functions (no I/O, no database).

Every function takes and returns plain arrays, in the spirit of pymrio's
``tools/iomath.py``, so each one can be checked against a hand-worked example.
Each formula, its conventions and the full references are in docs/methods.md
(sections 2 to 6): Miller & Blair 2009, "Input-Output Analysis", 2nd ed., ch. 2
(Leontief), 12.1 (Ghosh), 12.2 (linkages); Antras, Chor, Fally & Hillberry 2012
(upstreamness); Hummels, Ishii & Yi 2001 and Koopman, Wang & Wei 2014 (value added
embodied in exports).

Notation: ``Z`` (n x n) inter-industry flows from row sector i to column
sector j, ``Y`` (n x f) final demand, ``x`` (n) gross output.

Sectors with zero output get zero coefficients (their column of A and row of
B are zero, their value-added coefficient is 0): dividing by x would give
inf/NaN, and a sector that produces nothing neither buys per unit of output
nor sells a share of it. No function here ever divides by zero.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


class SingularSystemError(ValueError):
    """I - A (or I - B) cannot be inverted: the table is not a productive economy."""


def safe_reciprocal(x: np.ndarray) -> np.ndarray:
    """1 / x element-wise, with 0 where x == 0 (the zero-output convention above)."""
    x = np.asarray(x, dtype=float)
    out = np.zeros_like(x)
    nz = x != 0
    out[nz] = 1.0 / x[nz]
    return out


def technical_coefficients(Z: np.ndarray, x: np.ndarray) -> np.ndarray:
    """A = Z diag(x)^-1, i.e. a_ij = z_ij / x_j (inputs from i per unit of j's output).

    Miller & Blair eq. 2.4. Columns of zero-output sectors are 0.
    """
    return np.asarray(Z, dtype=float) * safe_reciprocal(x)[np.newaxis, :]


def allocation_coefficients(Z: np.ndarray, x: np.ndarray) -> np.ndarray:
    """B = diag(x)^-1 Z, i.e. b_ij = z_ij / x_i (share of i's output sold to j).

    Miller & Blair eq. 12.1. Rows of zero-output sectors are 0.
    """
    return np.asarray(Z, dtype=float) * safe_reciprocal(x)[:, np.newaxis]


def _inverse_of_identity_minus(M: np.ndarray, what: str) -> np.ndarray:
    n = M.shape[0]
    try:
        inv = np.linalg.inv(np.eye(n) - M)
    except np.linalg.LinAlgError as exc:
        raise SingularSystemError(f"I - {what} is singular; the table has no {what}-inverse") from exc
    if not np.all(np.isfinite(inv)):
        raise SingularSystemError(f"(I - {what})^-1 has non-finite entries")
    return inv


def leontief_inverse(A: np.ndarray) -> np.ndarray:
    """L = (I - A)^-1 = I + A + A^2 + ... (Miller & Blair eq. 2.10).

    L_ij: output of i needed, directly and indirectly, per unit of final demand for j.
    """
    return _inverse_of_identity_minus(np.asarray(A, dtype=float), "A")


def ghosh_inverse(B: np.ndarray) -> np.ndarray:
    """G = (I - B)^-1 (Miller & Blair eq. 12.4).

    G_ij: output of j made possible, downstream, per unit of primary input into i.
    """
    return _inverse_of_identity_minus(np.asarray(B, dtype=float), "B")


def value_added_coefficients(A: np.ndarray, x: np.ndarray) -> np.ndarray:
    """v_j = 1 - sum_i A_ij: value added per unit of j's output; 0 for zero-output sectors."""
    v = 1.0 - np.asarray(A, dtype=float).sum(axis=0)
    v[np.asarray(x) == 0] = 0.0
    return v


def value_added(Z: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Value added of j in money: x_j - sum_i z_ij (gross output less intermediate inputs)."""
    return np.asarray(x, dtype=float) - np.asarray(Z, dtype=float).sum(axis=0)


def _normalised_sums(M: np.ndarray, axis: int) -> np.ndarray:
    n = M.shape[0]
    total = M.sum()
    if total == 0:
        return np.zeros(n)
    return n * M.sum(axis=axis) / total


def backward_linkage(L: np.ndarray) -> np.ndarray:
    """Rasmussen-Hirschman backward linkage BL_j = n sum_i L_ij / sum_ij L_ij.

    Miller & Blair section 12.2: the column sum of L relative to the average
    column sum; > 1 means j pulls more than average from its suppliers.
    """
    return _normalised_sums(np.asarray(L, dtype=float), axis=0)


def forward_linkage(G: np.ndarray) -> np.ndarray:
    """Ghosh-based forward linkage FL_i = n sum_j G_ij / sum_ij G_ij (Miller & Blair 12.2.4)."""
    return _normalised_sums(np.asarray(G, dtype=float), axis=1)


def upstreamness(G: np.ndarray) -> np.ndarray:
    """U = G 1 (Antras et al. 2012 in its Ghosh form; Miller & Temurshoev 2017).

    U_i >= 1; 1 means all of i's output goes straight to final use.
    """
    return np.asarray(G, dtype=float).sum(axis=1)


def exports(Z: np.ndarray, Y: np.ndarray, row_country: np.ndarray, z_col_country: np.ndarray,
            y_col_country: np.ndarray) -> np.ndarray:
    """Gross exports e_i: the entries of row i of Z and Y in columns of OTHER countries.

    ``row_country[i]`` is the country of sector i, ``z_col_country[j]`` the country
    of Z's column j (the buying sector), ``y_col_country[f]`` the country of Y's
    column f (the final demand category's country).
    """
    row_country = np.asarray(row_country)
    foreign_z = row_country[:, np.newaxis] != np.asarray(z_col_country)[np.newaxis, :]
    foreign_y = row_country[:, np.newaxis] != np.asarray(y_col_country)[np.newaxis, :]
    return (np.asarray(Z, dtype=float) * foreign_z).sum(axis=1) + (np.asarray(Y, dtype=float) * foreign_y).sum(axis=1)


def embodied_value_added(v: np.ndarray, L: np.ndarray, e: np.ndarray,
                         row_country: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Domestic and foreign value added embodied in each sector's exports.

    diag(v) L diag(e) has entry (k, i) = v_k L_ki e_i: value added of producer k
    embodied in the exports of sector i (Koopman, Wang & Wei 2014). Summing it
    over producers k in i's own country gives dva_i, over the other countries
    fva_i. Because v' = 1'(I - A), v' L = 1' for every sector with positive output, so
    dva_i + fva_i = e_i (docs/methods.md, section 6).
    """
    country = np.asarray(row_country)
    vl = np.asarray(v, dtype=float)[:, np.newaxis] * np.asarray(L, dtype=float)   # v_k L_ki
    same = country[:, np.newaxis] == country[np.newaxis, :]                       # k and i in one country
    domestic_share = (vl * same).sum(axis=0)
    foreign_share = (vl * ~same).sum(axis=0)
    e = np.asarray(e, dtype=float)
    return domestic_share * e, foreign_share * e


@dataclass(frozen=True)
class SectorAccounts:
    """Everything the loader writes for one table and year, as arrays over sectors."""
    A: np.ndarray
    B: np.ndarray
    output: np.ndarray
    value_added: np.ndarray
    va_coef: np.ndarray
    final_demand: np.ndarray
    exports: np.ndarray
    backward_linkage: np.ndarray
    forward_linkage: np.ndarray
    upstreamness: np.ndarray
    dva_exports: np.ndarray
    fva_exports: np.ndarray

    PROPERTY_NAMES = ("output", "value_added", "va_coef", "final_demand", "exports", "backward_linkage",
                      "forward_linkage", "upstreamness", "dva_exports", "fva_exports")


def sector_accounts(Z: np.ndarray, Y: np.ndarray, x: np.ndarray, row_country: np.ndarray,
                    z_col_country: np.ndarray, y_col_country: np.ndarray) -> SectorAccounts:
    """All per-sector quantities the loader stores for one table (docs/methods.md, sections 2 to 6), from Z, Y and x."""
    Z = np.asarray(Z, dtype=float)
    x = np.asarray(x, dtype=float)
    A = technical_coefficients(Z, x)
    B = allocation_coefficients(Z, x)
    L = leontief_inverse(A)
    G = ghosh_inverse(B)
    v = value_added_coefficients(A, x)
    e = exports(Z, Y, row_country, z_col_country, y_col_country)
    dva, fva = embodied_value_added(v, L, e, row_country)
    return SectorAccounts(
        A=A, B=B, output=x, value_added=value_added(Z, x), va_coef=v,
        final_demand=np.asarray(Y, dtype=float).sum(axis=1), exports=e,
        backward_linkage=backward_linkage(L), forward_linkage=forward_linkage(G),
        upstreamness=upstreamness(G), dva_exports=dva, fva_exports=fva,
    )

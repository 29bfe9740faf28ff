"""Global value chain accounting: the prepared table and value added in trade, as pure numpy.

Notation (Wang, Wei & Zhu 2013; Koopman, Wang & Wei 2014): G units (countries, or the
regions of an inter-regional table), n = GN country-sectors; Z (n x n) intermediate flows,
Y (n x G) final demand by destination unit (a table's several final-demand categories per
unit are summed per destination by the caller), x = Z 1 + Y 1 gross output, A = Z diag(x)^-1,
v_j = 1 - sum_i A_ij (value added per unit of output), B = (I - A)^-1 the global Leontief
inverse, L^ss = (I - A^ss)^-1 the local Leontief inverse of unit s, E^sr the gross exports of
unit s to unit r (intermediate plus final), e = E 1.

Rows may come in any order and units may have different numbers of sectors: ``units[i]``
names the unit of row i. ``gvc_system`` sorts rows by unit once, so every block (A^sr, B^ss,
...) is a slice; results are returned in the caller's row order.

Everything here avoids the dense n x n x n products of a direct transcription: the
right-hand matrices of the published formulas have one distinct column per unit block
(Y^rr, E^r*, ...), so the products are taken against n x G matrices, or block by block.
The only n^3 step is the inverse B itself.

References: Hummels, Ishii & Yi (2001), "The nature and growth of vertical specialization
in world trade", Journal of International Economics 54(1): 75-96; Johnson & Noguera (2012),
"Accounting for intermediates: production sharing and trade in value added", Journal of
International Economics 86(2): 224-236. Equations: docs/methods.md, section 19.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from iomath.basic import SingularSystemError, safe_reciprocal


class GvcInputError(ValueError):
    """A table handed to the GVC functions has the wrong shape, labels or values."""


@dataclass(frozen=True)
class GvcSystem:
    """A table prepared for GVC accounting; arrays are in unit-sorted row order.

    Attributes
    ----------
    units : names of the G units, in the order of Y's columns (result columns use it).
    unit_of_row : (n,) int, the unit index of every row, in the caller's row order.
    order : (n,) int, caller row of each sorted row (sorted = caller[order]).
    starts, sizes : (G,) int, where each unit's block starts in sorted order and its length
        (0 for a destination-only unit, e.g. an 'exports abroad' column of a regional table).
    A, B : (n, n) technical coefficients and global Leontief inverse (sorted order).
    local_inverse : per unit, L^ss = (I - A^ss)^-1 (empty for destination-only units).
    v, x : (n,) value-added coefficients and gross output.
    Y : (n, G) final demand by destination unit.
    exports_to : (n, G) gross exports E^sr of each sector to each unit (0 to its own unit).
    """
    units: tuple
    unit_of_row: np.ndarray
    order: np.ndarray
    starts: np.ndarray
    sizes: np.ndarray
    A: np.ndarray
    B: np.ndarray
    local_inverse: tuple
    v: np.ndarray
    x: np.ndarray
    Y: np.ndarray
    exports_to: np.ndarray

    @property
    def n(self) -> int:
        return self.A.shape[0]

    @property
    def G(self) -> int:
        return len(self.units)

    def block(self, g: int) -> slice:
        """Rows (sorted order) of unit g."""
        return slice(int(self.starts[g]), int(self.starts[g] + self.sizes[g]))

    @property
    def row_unit(self) -> np.ndarray:
        """(n,) unit index of every row in sorted order."""
        return np.repeat(np.arange(self.G), self.sizes)

    @property
    def exports(self) -> np.ndarray:
        """(n,) gross exports e of every sector (sorted order)."""
        return self.exports_to.sum(axis=1)

    def to_caller_rows(self, M: np.ndarray) -> np.ndarray:
        """Put the first axis of M (sorted order) back into the caller's row order."""
        out = np.empty_like(M)
        out[self.order] = M
        return out


def _check_inputs(Z, Y, units, y_units, x):
    Z = np.asarray(Z, dtype=float)
    Y = np.asarray(Y, dtype=float)
    if Z.ndim != 2 or Z.shape[0] != Z.shape[1]:
        raise GvcInputError(f"Z: expected a square n x n matrix of intermediate flows; got shape {Z.shape}")
    n = Z.shape[0]
    if Y.ndim != 2 or Y.shape[0] != n:
        raise GvcInputError(f"Y: expected {n} rows (one per row of Z) and one column per destination unit; "
                            f"got shape {Y.shape}")
    units = np.asarray(units)
    y_units = [str(u) for u in np.asarray(y_units).tolist()]
    if units.shape != (n,):
        raise GvcInputError(f"units: expected {n} names (the unit of each row of Z); got shape {units.shape}")
    if len(y_units) != Y.shape[1]:
        raise GvcInputError(f"y_units: expected {Y.shape[1]} names (one per column of Y); got {len(y_units)}")
    seen = set()
    for u in y_units:
        if u in seen:
            raise GvcInputError(f"y_units: unit {u!r} names more than one column of Y; sum a unit's "
                                "final-demand categories into one column first")
        seen.add(u)
    for name, M in (("Z", Z), ("Y", Y)):
        bad = np.argwhere(~np.isfinite(M))
        if len(bad):
            i, j = bad[0]
            raise GvcInputError(f"{name}: row {i}, column {j}: got {M[i, j]}; expected a finite number")
    index = {u: k for k, u in enumerate(y_units)}
    try:
        unit_of_row = np.array([index[str(u)] for u in units.tolist()], dtype=np.intp)
    except KeyError as exc:
        row = [str(u) for u in units.tolist()].index(exc.args[0])
        raise GvcInputError(f"units: row {row} belongs to unit {exc.args[0]!r}, which has no column in "
                            f"y_units (expected one of {y_units})") from None
    if x is None:
        x = Z.sum(axis=1) + Y.sum(axis=1)
    else:
        x = np.asarray(x, dtype=float)
        if x.shape != (n,):
            raise GvcInputError(f"x: expected {n} gross outputs; got shape {x.shape}")
    # A negative x is legal: WIOD 1995 has a sector with no output whose final demand is a
    # negative change in inventories (LUX leather, Z 1 + Y 1 = -2); the algebra holds for it.
    bad = np.flatnonzero(~np.isfinite(x))
    if len(bad):
        raise GvcInputError(f"x: row {bad[0]}: gross output {x[bad[0]]}; expected a finite number "
                            "(x = Z 1 + Y 1 unless given)")
    return Z, Y, x, tuple(y_units), unit_of_row


def block_sums(M: np.ndarray, starts: np.ndarray, sizes: np.ndarray, axis: int) -> np.ndarray:
    """Sum M over each unit's block along ``axis`` (length G on that axis; 0 for empty blocks).

    np.add.reduceat alone would return an element, not 0, for an empty block; those are masked.
    """
    M = np.asarray(M)
    G = len(sizes)
    nonempty = sizes > 0
    shape = list(M.shape)
    shape[axis] = G
    out = np.zeros(shape, dtype=M.dtype)
    if M.shape[axis] == 0 or not nonempty.any():
        return out
    sums = np.add.reduceat(M, starts[nonempty], axis=axis)
    index = [slice(None)] * M.ndim
    index[axis] = np.flatnonzero(nonempty)
    out[tuple(index)] = sums
    return out


def gvc_system(Z, Y, units, y_units, x=None) -> GvcSystem:
    """Prepare a multi-regional table for the GVC measures.

    Parameters
    ----------
    Z : (n, n) intermediate flows, row = selling sector, column = buying sector (money).
    Y : (n, G) final demand of each destination unit for each sector's output (money);
        sum a table's final-demand categories per destination before calling.
    units : (n,) names of the unit (country or region) of every row of Z (and column of Z).
    y_units : (G,) names of Y's columns, one per unit. Every unit in ``units`` needs one;
        extra names are destination-only units (e.g. 'abroad' in an inter-regional table).
    x : (n,) gross output, optional. Default Z 1 + Y 1, the only choice under which the
        decompositions add up exactly; a published x that differs by rounding leaves each
        identity off by that rounding.

    Returns
    -------
    GvcSystem

    Raises
    ------
    GvcInputError
        Wrong shapes, non-finite values, a row unit without a final-demand column.
    SingularSystemError
        I - A cannot be inverted (not a productive economy).
    """
    Z, Y, x, y_units, unit_of_row = _check_inputs(Z, Y, units, y_units, x)
    G = len(y_units)
    order = np.argsort(unit_of_row, kind="stable")
    sorted_already = bool(np.all(order == np.arange(len(order))))
    if not sorted_already:           # one copy, so that every block below is a slice
        Z = Z[np.ix_(order, order)]
        Y = Y[order]
        x = x[order]
    sizes = np.bincount(unit_of_row, minlength=G)
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    row_unit = np.repeat(np.arange(G), sizes)
    exports_to = block_sums(Z, starts, sizes, axis=1) + Y
    exports_to[np.arange(len(x)), row_unit] = 0.0          # sales to one's own unit are not exports

    if sorted_already:
        A = Z * safe_reciprocal(x)[np.newaxis, :]
    else:                            # the sorted copy is ours: scale it in place
        A = Z
        A *= safe_reciprocal(x)[np.newaxis, :]
    v = 1.0 - A.sum(axis=0)
    v[x == 0] = 0.0
    B = _global_leontief(A)
    local = tuple(_leontief(A[s:s + k, s:s + k]) for s, k in zip(starts, sizes))
    return GvcSystem(units=y_units, unit_of_row=unit_of_row, order=order, starts=starts, sizes=sizes,
                     A=A, B=B, local_inverse=local, v=v, x=x, Y=Y, exports_to=exports_to)


def _leontief(A: np.ndarray) -> np.ndarray:
    M = -A
    M[np.diag_indices(A.shape[0])] += 1.0
    return _inverse(M)


def _global_leontief(A: np.ndarray) -> np.ndarray:
    """(I - A)^-1, turning A into I - A and back in place: one n x n buffer less at peak.

    The off-diagonal entries come back exactly (negation is exact); the diagonal is restored
    from a copy, since (1 - a) - 1 need not round back to -a.
    """
    n = A.shape[0]
    diag = A.diagonal().copy()
    A *= -1.0
    A[np.diag_indices(n)] += 1.0
    try:
        return _inverse(A)
    finally:
        A *= -1.0
        A[np.diag_indices(n)] = diag


def _inverse(M: np.ndarray) -> np.ndarray:
    try:
        inv = np.linalg.inv(M)
    except np.linalg.LinAlgError as exc:
        raise SingularSystemError("I - A is singular; the table has no Leontief inverse") from exc
    if not np.all(np.isfinite(inv)):
        raise SingularSystemError("(I - A)^-1 has non-finite entries")
    return inv


def va_by_origin_unit(system: GvcSystem) -> np.ndarray:
    """W = R diag(v) B (G x n): value added of each origin unit per unit of each sector's output.

    W[g, j] = sum over sectors k of unit g of v_k B_kj. Columns sum to 1 (v B = 1'), so
    W[g, j] is the share of unit g's value added in a unit of sector j's final output.
    """
    W = np.zeros((system.G, system.n))
    for g in range(system.G):          # one vector-matrix product per block: no n x n temporary
        sl = system.block(g)
        W[g] = system.v[sl] @ system.B[sl]
    return W


def va_in_exports(system: GvcSystem, by: str = "unit") -> np.ndarray:
    """Value added of every origin embodied in every sector's gross exports (Leontief decomposition).

    The value-added-by-origin matrix V B diag(e) (Hummels, Ishii & Yi 2001; the
    'leontief' decomposition of decompr): entry (k, i) = v_k B_ki e_i is the value added
    of origin sector k in the gross exports e_i of sector i (money). Columns add up to e.

    Parameters
    ----------
    by : 'unit' -> (G, n) origins summed per unit (rows: origin unit, columns: exporting
        sector); 'sector' -> the full (n, n) matrix; 'unit-pair' -> (G, G), origin unit by
        exporting unit. Sectors are in the caller's row order.
    """
    e = system.exports
    if by == "sector":
        M = system.v[:, np.newaxis] * system.B * e[np.newaxis, :]
        out = np.empty_like(M)
        out[np.ix_(system.order, system.order)] = M
        return out
    W = va_by_origin_unit(system) * e[np.newaxis, :]
    if by == "unit":
        return system.to_caller_rows(W.T).T
    if by == "unit-pair":
        return block_sums(W, system.starts, system.sizes, axis=1)
    raise ValueError(f"by: expected 'unit', 'sector' or 'unit-pair'; got {by!r}")


def va_in_final_demand(system: GvcSystem, by: str = "unit") -> np.ndarray:
    """Value added by origin absorbed in each destination's final demand: V B Y (bilateral TiVA).

    Johnson & Noguera (2012). Entry (k, r) = v_k (B Y)_kr: value added of origin sector k
    absorbed by final demand of unit r (money). Rows add up to each sector's value added
    v_k x_k, when x = Z 1 + Y 1.

    Parameters
    ----------
    by : 'unit' -> (G, G) origin unit by destination unit; 'sector' -> (n, G), origin sector
        (caller's row order) by destination unit.
    """
    VBY = system.v[:, np.newaxis] * (system.B @ system.Y)
    if by == "sector":
        return system.to_caller_rows(VBY)
    if by == "unit":
        return block_sums(VBY, system.starts, system.sizes, axis=0)
    raise ValueError(f"by: expected 'unit' or 'sector'; got {by!r}")


@dataclass(frozen=True)
class ValueAddedExports:
    """Johnson & Noguera (2012) value-added exports per unit (arrays over units)."""
    units: tuple
    value_added: np.ndarray      # GDP of the unit, sum of v_k x_k (money)
    vax: np.ndarray              # its value added absorbed by final demand of other units (money)
    exports: np.ndarray          # its gross exports (money)
    vax_ratio: np.ndarray        # vax / exports (NaN where exports are <= 0)


def value_added_exports(system: GvcSystem) -> ValueAddedExports:
    """VAX_s = sum over r != s of (V B Y)_sr, and the VAX ratio VAX_s / E_s (Johnson & Noguera 2012).

    The ratio is NaN for a unit without (positive) exports: undefined, not zero.
    """
    T = va_in_final_demand(system, by="unit")
    vax = T.sum(axis=1) - np.diag(T)
    exports = block_sums(system.exports, system.starts, system.sizes, axis=0)
    gdp = block_sums(system.v * system.x, system.starts, system.sizes, axis=0)
    return ValueAddedExports(units=system.units, value_added=gdp, vax=vax, exports=exports,
                             vax_ratio=share_of(vax, exports))


def share_of(part: np.ndarray, total: np.ndarray) -> np.ndarray:
    """part / total element-wise, NaN where total <= 0.

    A share of nothing is undefined, not zero; nor is a share of a negative total (WIOD has
    sectors whose 'exports' are negative changes in inventories).
    """
    part = np.asarray(part, dtype=float)
    total = np.asarray(total, dtype=float)
    return np.divide(part, total, out=np.full(np.broadcast(part, total).shape, np.nan), where=total > 0)

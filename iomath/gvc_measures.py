"""GVC indicators on a prepared table: participation and position, value-added generation of
exports, and the regional split of value added. Pure numpy; notation of iomath.gvc.

References: Koopman, R., Powers, W., Wang, Z. and Wei, S.-J. (2010), "Give credit where credit
is due: tracing value added in global production chains", NBER Working Paper 16426;
Hummels, Ishii & Yi (2001); Miller & Blair (2009), "Input-Output Analysis", 2nd ed., ch. 3
(interregional models) and 6 (multipliers). Equations: docs/methods.md, section 19.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from iomath.gvc import GvcSystem, block_sums, share_of, va_by_origin_unit


@dataclass(frozen=True)
class Participation:
    """Export-based GVC participation and position (Koopman, Powers, Wang & Wei 2010).

    For a unit (or a sector, in ``gvc_participation(level='sector')``):
    exports E; fva = foreign value added in its gross exports (the columns of the unit in
    V B diag(e), summed over origins in other units); dvx = its value added in the gross
    exports of every OTHER unit (its rows of V B diag(e), summed over exporters in other
    units); backward = fva / E; forward = dvx / E; participation = backward + forward;
    position = ln(1 + forward) - ln(1 + backward). Ratios are NaN where E <= 0.
    """
    exports: np.ndarray
    fva: np.ndarray
    dvx: np.ndarray
    backward: np.ndarray
    forward: np.ndarray
    participation: np.ndarray
    position: np.ndarray


def _participation(exports, fva, dvx) -> Participation:
    backward, forward = share_of(fva, exports), share_of(dvx, exports)
    return Participation(exports=exports, fva=fva, dvx=dvx, backward=backward, forward=forward,
                         participation=backward + forward,
                         position=np.log1p(forward) - np.log1p(backward))


def gvc_participation(system: GvcSystem, level: str = "unit") -> Participation:
    """Backward (FVA/E) and forward (DVX/E) participation and the GVC position index.

    Parameters
    ----------
    level : 'unit' -> arrays over system.units; 'sector' -> arrays over sectors in the
        caller's row order. A sector's fva is the foreign value added in its own exports
        e_i; its dvx is the value added it generates (v_k) in other units' exports, and both
        are divided by the sector's own gross exports e_k (so a sector that exports little
        directly but supplies exporters abroad can have forward > 1).

    Notes
    -----
    fva_i = sum_{k not in s} v_k B_ki e_i and dvx_k = v_k sum_{i not in s} B_ki e_i: the two
    off-diagonal sums of the value-added-by-origin matrix V B diag(e) (Hummels, Ishii & Yi's
    vertical specialisation VS and VS1). Both include value added that the WWZ decomposition
    labels double counted (fva = WWZ FVA_FIN + FVA_INT + FDC), as in Koopman et al. (2010).
    """
    e = system.exports
    W = va_by_origin_unit(system)
    ru = system.row_unit
    rows = np.arange(system.n)
    fva = (W.sum(axis=0) - W[ru, rows]) * e                         # origins outside the exporter's unit
    Be = system.B @ e
    own = np.zeros(system.n)
    for g in range(system.G):                                       # B^ss e^s, block by block
        sl = system.block(g)
        own[sl] = system.B[sl, sl] @ e[sl]
    dvx = system.v * (Be - own)                                     # exporters outside the origin's unit
    if level == "sector":
        return _participation(system.to_caller_rows(e), system.to_caller_rows(fva), system.to_caller_rows(dvx))
    if level == "unit":
        agg = lambda a: block_sums(a, system.starts, system.sizes, axis=0)   # noqa: E731
        return _participation(agg(e), agg(fva), agg(dvx))
    raise ValueError(f"level: expected 'unit' or 'sector'; got {level!r}")


def va_generation_coefficients(system: GvcSystem, feedback: bool = False) -> np.ndarray:
    """Value added generated at home per unit of each sector's exports ('value-added inducement
    coefficient of exports', as in Korean input-output studies).

    For sector j of unit s: c_j = sum_{k in s} v_k (L^ss)_kj with the LOCAL Leontief inverse
    L^ss = (I - A^ss)^-1 (default), i.e. v^s (I - A^ss)^-1: the value added that one unit
    of j's exports induces in s when imported inputs leak abroad. That is the inverse a
    national table with domestic (non-competitive-import) coefficients gives, which is how
    the Bank of Korea's tables compute the indicator, so the two agree on the same data.

    Parameters
    ----------
    feedback : True uses the diagonal block of the GLOBAL inverse instead,
        c_j = sum_{k in s} v_k B_kj (V^s B^ss): it adds home value added that leaves in
        intermediate exports and comes back embodied in imports (WWZ's returned and double
        counted domestic value added), which a national table cannot see.

    Returns
    -------
    (n,) coefficients in the caller's row order (value added per unit of exports, a ratio in
    [0, 1] for a productive table). Multiplied by exports e_j they give value added in money.
    """
    c = np.zeros(system.n)
    if feedback:
        W = va_by_origin_unit(system)
        c = W[system.row_unit, np.arange(system.n)]
    else:
        for g in range(system.G):
            sl = system.block(g)
            c[sl] = system.v[sl] @ system.local_inverse[g]
    return system.to_caller_rows(c)


@dataclass(frozen=True)
class RegionalSplit:
    """Where each unit's value added goes (money, per unit; per sector with level='sector').

    value_added = within + final_to_others + via_others, exactly:
    within          v^s L^ss Y^ss: made in chains that stay in the unit, absorbed by its own
                    final demand;
    final_to_others v^s L^ss sum_{r != s} Y^sr: in the unit's final goods sold to other units
                    (other regions, or abroad when 'abroad' is a destination unit);
    via_others      v^s L^ss sum_{t != s} A^st x^t: in intermediates sold to other units,
                    i.e. going through their production; split into
    via_others_returning  the part that ends up in the unit's own final demand, and
    via_others_elsewhere  the part absorbed by final demand of other units.
    """
    units: tuple
    value_added: np.ndarray
    within: np.ndarray
    final_to_others: np.ndarray
    via_others: np.ndarray
    via_others_returning: np.ndarray
    via_others_elsewhere: np.ndarray


def regional_value_added_split(system: GvcSystem, level: str = "unit") -> RegionalSplit:
    """Split each unit's (region's) value added into what stays or leaves as final goods, and
    what goes through other units' production.

    Uses x^s = L^ss (Y^s* + sum_{t != s} A^st x^t) (output of s = local inverse times its
    final sales plus its intermediate sales to other units; Miller & Blair 2009, sec. 3.3),
    multiplied by v^s. The returning part is (V B Y)_{s,s} - within (Johnson & Noguera's
    value added absorbed at home, less what never left).

    Parameters
    ----------
    level : 'unit' (arrays over units) or 'sector' (arrays over sectors, caller's order).
    """
    n, G = system.n, system.G
    rows, ru = np.arange(n), system.row_unit
    v, Y = system.v, system.Y
    yown = Y[rows, ru]
    yout = Y.sum(axis=1) - yown
    z_to = np.zeros((n, G))                                          # Z aggregated by buying unit, from A x
    for g in range(G):
        sl = system.block(g)
        z_to[:, g] = system.A[:, sl] @ system.x[sl]
    z_out = z_to.sum(axis=1) - z_to[rows, ru]
    within, final_out, via = np.zeros(n), np.zeros(n), np.zeros(n)
    for g in range(G):
        sl = system.block(g)
        L = system.local_inverse[g]
        within[sl] = v[sl] * (L @ yown[sl])
        final_out[sl] = v[sl] * (L @ yout[sl])
        via[sl] = v[sl] * (L @ z_out[sl])
    absorbed_home = v * (system.B @ Y)[rows, ru]
    returning = absorbed_home - within
    parts = dict(value_added=v * system.x, within=within, final_to_others=final_out, via_others=via,
                 via_others_returning=returning, via_others_elsewhere=via - returning)
    if level == "sector":
        return RegionalSplit(units=system.units, **{k: system.to_caller_rows(a) for k, a in parts.items()})
    if level == "unit":
        return RegionalSplit(units=system.units,
                             **{k: block_sums(a, system.starts, system.sizes, axis=0) for k, a in parts.items()})
    raise ValueError(f"level: expected 'unit' or 'sector'; got {level!r}")


def va_in_exports_by_exporter(system: GvcSystem) -> np.ndarray:
    """(n, G): value added of each origin sector k embodied in the gross exports of each unit c.

    Entry (k, c) = v_k sum_{i in c} B_ki e_i: the columns of the value-added-by-origin matrix
    V B diag(e) (iomath.gvc.va_in_exports(by='sector')) summed over the exporting sectors of
    each unit, without forming that n x n matrix. Column c sums to unit c's gross exports;
    the entries of c's own sectors add up to its domestic value added in exports (DVA in
    Hummels, Ishii & Yi's sense, returning value added included), the others to its FVA.
    Rows in the caller's order.
    """
    e = system.exports
    out = np.zeros((system.n, system.G))
    for g in range(system.G):
        sl = system.block(g)
        if sl.start != sl.stop:
            out[:, g] = system.v * (system.B[:, sl] @ e[sl])
    return system.to_caller_rows(out)


def induced_output(system: GvcSystem, absolute: bool = False) -> np.ndarray:
    """(n, G): B Y, the output of each sector that each destination's final demand calls for.

    ``absolute``: B |Y| instead. Every term v_k a_kj ... y_j^d of the value-added path sums
    that make up v_k (B Y)_kd is, in absolute value, bounded by v_k (B |Y|)_kd when A >= 0, so
    a path prefix ending at sector j with weight w can still add at most |w| (B |Y|)_jd:
    the bound the value-added path module prunes by (final demand holds negative changes in
    inventories, so B Y alone bounds nothing). Rows in the caller's order.
    """
    Y = np.abs(system.Y) if absolute else system.Y
    return system.to_caller_rows(system.B @ Y)

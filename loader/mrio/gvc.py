"""GVC accounting of one MRIO year as graph rows (pure: numpy in, the writer's rows out).

``gvc_results`` runs the accounting of ``iomath`` (iomath.gvc, iomath.wwz,
iomath.gvc_measures) on a validated table; ``add_gvc_rows`` adds what it found to the
year's ``GraphRows`` (docs/methods.md, section 19; README "Input-output tables"):

- SectorYear properties (same nodes as the accounts): value-added generation coefficients
  of exports, backward/forward participation and position, DVX, the KWW terms of the
  sector's exports, its gross output Z 1 + Y 1 and the gap to the published x;
- CountryYear nodes (key 'SOURCE|COUNTRY|YEAR', Country -[:HAS_YEAR]->): gross exports,
  value added, the KWW terms and aggregates, Johnson-Noguera VAX and VAX ratio,
  participation and position, the largest gap |x - (Z 1 + Y 1)| / |x| of its sectors;
- EXPORTS_TO (Sector -> importing Country): gross exports E^sr split into final and
  intermediate, and the 16 WWZ terms;
- SERVES (Sector -> Country, every country including the sector's own): final demand
  y_k^c, output induced by c's final demand (B Y)_kc and (B |Y|)_kc, value added absorbed
  by c's final demand v_k (B Y)_kc, value added embodied in c's gross exports
  v_k sum_{i in c} B_ki e_i;
- SUPPLIES ``a_gvc`` = z_ij / (Z 1 + Y 1)_j, the coefficient the value-added paths follow.

Gross output is x = Z 1 + Y 1 for every GVC quantity (the decompositions add up only then);
the loader's accounts (A, B, linkages) keep the table's published x. Both are documented in
docs/methods.md, section 19.1.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from iomath.gvc import gvc_system, value_added_exports
from iomath.gvc_measures import (gvc_participation, induced_output, va_generation_coefficients,
                                 va_in_exports_by_exporter)
from iomath.wwz import KWW_FROM_WWZ, KWW_TERMS, WWZ_TERMS, kww_from_wwz, wwz_decomposition
from loader.graph.rows import GraphRows, check_property_name
from loader.mrio.read import MrioTable

# Tables up to this many sectors get the accounting by default (``--gvc auto``). Measured on the
# 2-core test machine (bench/gvc_results.md): WIOD's 1,435 sectors decompose in 0.2-0.3 s and write
# about 83,000 rows; a 4,000-sector table computes in 3.3 s and would write about 0.6 million
# relationships; EXIOBASE's 7,987-9,800 take 30-35 s and 3.7 GB to compute and would write 0.8-0.95
# million relationships a year, so tables above 2,500 sectors need ``--gvc on``.
GVC_AUTO_MAX_SECTORS = 2_500
GVC_MODES = ("auto", "on", "off")

WWZ_PROPS = tuple(check_property_name(t.lower()) for t in WWZ_TERMS)          # dva_fin, ..., mdc
KWW_PROPS = tuple(check_property_name(f"kww_{t.lower()}") for t in KWW_TERMS)  # kww_dva_fin, ..., kww_fdc
SECTOR_GVC_PROPS = ("gvc_output", "x_gap", "gvc_va_coef", "va_gen_coef", "va_gen_coef_feedback", "gvc_fva",
                    "gvc_dvx", "gvc_backward", "gvc_forward", "gvc_participation", "gvc_position") + KWW_PROPS
SERVES_PROPS = ("final_demand", "induced_output", "induced_output_abs", "va_final_demand", "va_exports")


def wants_gvc(mode: str, n_sectors: int) -> bool:
    if mode not in GVC_MODES:
        raise ValueError(f"--gvc {mode!r}: expected one of {', '.join(GVC_MODES)}")
    return mode == "on" or (mode == "auto" and n_sectors <= GVC_AUTO_MAX_SECTORS)


@dataclass
class GvcResults:
    """Every stored number, arrays in the table's row order (n sectors, G countries as Y's columns)."""
    units: tuple                    # the table's country codes, Y's destination order
    unit_of_row: np.ndarray         # (n,) index into units
    sector: dict                    # name -> (n,) SectorYear properties
    country: dict                   # name -> (G,) CountryYear properties
    wwz: np.ndarray                 # (16, n, G)
    exports_to: np.ndarray          # (n, G) E^sr
    exports_final: np.ndarray       # (n, G) Y^sr (0 for the own country)
    serves: dict                    # name -> (n, G)
    a_gvc: np.ndarray               # (n, n) z_ij / (Z 1 + Y 1)_j
    x_gap_max_sector: list          # per unit: the sector index of its largest gap (or -1)


def final_demand_by_unit(table: MrioTable) -> tuple[np.ndarray, tuple]:
    """Y summed over each destination's final-demand categories: (n, G) and the destination codes."""
    cols = [str(c) for c in table.Y.columns.get_level_values(0)]
    units = tuple(dict.fromkeys(cols))
    Y = table.Y.to_numpy(dtype=float)
    out = np.zeros((Y.shape[0], len(units)))
    index = {u: k for k, u in enumerate(units)}
    np.add.at(out.T, [index[c] for c in cols], Y.T)
    return out, units


def relative_gap(x_published: np.ndarray, x_sum: np.ndarray) -> np.ndarray:
    """|x - (Z 1 + Y 1)| / |x|; NaN where the table publishes x = 0 (then the gap is not relative)."""
    gap = np.abs(x_published - x_sum)
    return np.divide(gap, np.abs(x_published), out=np.full(gap.shape, np.nan), where=x_published != 0)


def gvc_results(table: MrioTable) -> GvcResults:
    Z = table.Z.to_numpy(dtype=float)
    Y, units = final_demand_by_unit(table)
    regions = np.asarray([str(r) for r in table.Z.index.get_level_values(0)], dtype=object)
    system = gvc_system(Z, Y, regions, units)                    # x = Z 1 + Y 1
    x_sum = system.to_caller_rows(system.x)
    v = system.to_caller_rows(system.v)
    wwz = wwz_decomposition(system)
    kww = kww_from_wwz(wwz, system.unit_of_row)
    part_s = gvc_participation(system, level="sector")
    part_u = gvc_participation(system, level="unit")
    vax = value_added_exports(system)
    per_term = wwz.values.sum(axis=2)                            # (16, n): over importers
    gap = relative_gap(table.x.to_numpy(dtype=float), x_sum)

    sector = {"gvc_output": x_sum, "x_gap": gap, "gvc_va_coef": v,
              "va_gen_coef": va_generation_coefficients(system),
              "va_gen_coef_feedback": va_generation_coefficients(system, feedback=True),
              "gvc_fva": part_s.fva, "gvc_dvx": part_s.dvx, "gvc_backward": part_s.backward,
              "gvc_forward": part_s.forward, "gvc_participation": part_s.participation,
              "gvc_position": part_s.position}
    for prop, parts in zip(KWW_PROPS, KWW_FROM_WWZ.values()):
        sector[prop] = sum(per_term[WWZ_TERMS.index(p)] for p in parts)

    country = {"gross_exports": kww.exports, "value_added": vax.value_added, "vax": vax.vax,
               "vax_ratio": vax.vax_ratio, "fva": part_u.fva, "dvx": part_u.dvx, "backward": part_u.backward,
               "forward": part_u.forward, "participation": part_u.participation, "position": part_u.position,
               "kww_vax": kww.vax, "kww_rdv": kww.rdv, "kww_dva": kww.dva, "kww_fva": kww.fva, "kww_pdc": kww.pdc}
    for k, prop in enumerate(KWW_PROPS):
        country[prop] = kww.terms[:, k]
    G = len(units)
    # A sector without output (Z 1 + Y 1 = 0) has no value added, so no decomposition explains its
    # "exports" (final-demand entries that cancel across destinations: WIOD 1995 LUX leather, +1 at
    # home and -1 to RoW); kept apart so that the KWW terms + unexplained_exports = gross_exports.
    dead = x_sum == 0
    unexplained = np.zeros(G)
    np.add.at(unexplained, system.unit_of_row[dead], wwz.exports.sum(axis=1)[dead])
    country["unexplained_exports"] = unexplained
    gap_max = np.full(G, np.nan)
    gap_at = [-1] * G
    for g in range(G):
        rows = np.flatnonzero((system.unit_of_row == g) & np.isfinite(gap))
        if len(rows):
            at = rows[np.argmax(gap[rows])]
            gap_max[g], gap_at[g] = gap[at], int(at)
    country["x_gap_max"] = gap_max

    induced = induced_output(system)
    serves = {"final_demand": Y, "induced_output": induced, "induced_output_abs": induced_output(system, absolute=True),
              "va_final_demand": v[:, np.newaxis] * induced, "va_exports": va_in_exports_by_exporter(system)}
    own = system.unit_of_row
    exports_final = Y.copy()
    exports_final[np.arange(len(own)), own] = 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        a_gvc = Z / x_sum[np.newaxis, :]
    a_gvc[:, x_sum == 0] = 0.0
    return GvcResults(units=units, unit_of_row=system.unit_of_row, sector=sector, country=country,
                      wwz=wwz.values, exports_to=wwz.exports, exports_final=exports_final, serves=serves,
                      a_gvc=a_gvc, x_gap_max_sector=gap_at)


def _num(value) -> float | None:
    """A stored number: NaN (an undefined ratio, e.g. a share of no exports) is no property at all."""
    f = float(value)
    return None if math.isnan(f) else f


def country_year_key(source: str, country: str, year: int) -> str:
    return f"{source}|{country}|{year}"


def add_gvc_rows(g: GraphRows, res: GvcResults, *, keys: list[str], iso: dict[str, str], year: int,
                 source: str, sector_years: dict[str, dict]) -> None:
    """Add the accounting to the year's rows.

    keys: Sector key of every row (table order); iso: table country code -> Country key;
    sector_years: Sector key -> the props of its SectorYear row (extended in place).
    Every new node and relationship set is a replaced slice of (source, year).
    """
    for n, k in enumerate(keys):
        props = sector_years[k]
        for name, arr in res.sector.items():
            props[name] = _num(arr[n])
    slice_ = {"source": source, "year": int(year)}
    years = g.node_rows("CountryYear", common=slice_, replace=("source", "year"))
    has_year = g.rel_rows("HAS_YEAR", "Country", "CountryYear")
    for u, code in enumerate(res.units):
        c = iso.get(code, code)
        key = country_year_key(source, c, year)
        props = {"name": f"{c} {year}", "country": c}
        props.update({name: _num(arr[u]) for name, arr in res.country.items()})
        at = res.x_gap_max_sector[u]
        props["x_gap_max_sector"] = keys[at] if at >= 0 else None
        years.add(key, **props)
        has_year.add(c, key)

    exports = g.rel_rows("EXPORTS_TO", "Sector", "Country", ("year",), common=slice_, replace=("source", "year"))
    serves = g.rel_rows("SERVES", "Sector", "Country", ("year",), common=slice_, replace=("source", "year"))
    no_id: dict = {}
    countries = [iso.get(u, u) for u in res.units]
    W, E, F = res.wwz, res.exports_to, res.exports_final
    i_idx, r_idx = np.nonzero((E != 0) | (np.abs(W).sum(axis=0) != 0))
    for i, r in zip(i_idx.tolist(), r_idx.tolist()):
        props = {"exports": float(E[i, r]), "exports_final": float(F[i, r]),
                 "exports_intermediate": float(E[i, r] - F[i, r])}
        props.update(zip(WWZ_PROPS, W[:, i, r].tolist()))
        exports.rows.append({"from": keys[i], "to": countries[r], "id": no_id, "props": props})
    S = np.stack([res.serves[p] for p in SERVES_PROPS])          # (5, n, G)
    i_idx, r_idx = np.nonzero(np.abs(S).sum(axis=0) != 0)
    for i, r in zip(i_idx.tolist(), r_idx.tolist()):
        serves.rows.append({"from": keys[i], "to": countries[r], "id": no_id,
                            "props": dict(zip(SERVES_PROPS, S[:, i, r].tolist()))})

"""Turn a validated MRIO table into the rows the writer sends (pure: no database, no files).

Keys follow CONTRACT.md: Sector 'COUNTRY|INDUSTRY' exactly as the table names
both, SectorYear 'COUNTRY|INDUSTRY|YEAR', Industry 'CLASSIFICATION|code'.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from iomath.basic import SectorAccounts, sector_accounts
from loader.mrio.read import MrioTable


@dataclass
class MrioRows:
    dataset: dict
    countries: list[dict]
    industries: list[dict]
    sectors: list[dict]
    sector_years: list[dict]
    # SUPPLIES as parallel columns (cheaper to build and to send than one dict per edge)
    edges: dict[str, list]
    dropped_below_min: int
    accounts: SectorAccounts

    @property
    def n_edges(self) -> int:
        return len(self.edges["s"])


def sector_key(country: str, industry: str) -> str:
    return f"{country}|{industry}"


# Codes some tables use that are not (or no longer) ISO 3166-1 alpha-3. WIOD 2013
# writes Romania as ROM, its pre-2002 UN code. Country nodes and the `country`
# property carry the ISO code; Sector keys keep the table's own spelling.
TABLE_COUNTRY_ALIASES = {"ROM": "ROU"}


def iso3_code(table_code: str) -> str:
    return TABLE_COUNTRY_ALIASES.get(table_code, table_code)


def country_name(code: str) -> tuple[str, str | None]:
    """(name, iso2) from pycountry for ISO3 codes; a table's own aggregates keep their code."""
    import pycountry

    if code.lower() == "row":
        return "Rest of the world", None
    found = pycountry.countries.get(alpha_3=code.upper()) if len(code) == 3 else None
    if found is None:
        return code, None
    return getattr(found, "common_name", None) or found.name, found.alpha_2


def edge_columns(A: np.ndarray, B: np.ndarray, Z: np.ndarray, keys: list[str],
                 min_coefficient: float) -> tuple[dict[str, list], int]:
    """SUPPLIES rows for every non-zero z_ij whose max(a_ij, b_ij) reaches min_coefficient.

    Returns the columns (s, t, value, a, b) and how many non-zero flows were dropped.
    """
    nonzero = Z != 0
    keep = nonzero & (np.maximum(A, B) >= min_coefficient) if min_coefficient > 0 else nonzero
    i, j = np.nonzero(keep)
    k = np.asarray(keys, dtype=object)
    cols = {"s": k[i].tolist(), "t": k[j].tolist(), "value": Z[i, j].tolist(),
            "a": A[i, j].tolist(), "b": B[i, j].tolist()}
    return cols, int(nonzero.sum() - keep.sum())


def build_rows(table: MrioTable, *, min_coefficient: float = 0.0) -> MrioRows:
    Z = table.Z.to_numpy(dtype=float)
    Y = table.Y.to_numpy(dtype=float)
    x = table.x.to_numpy(dtype=float)
    regions = np.asarray([str(r) for r in table.Z.index.get_level_values(0)], dtype=object)
    industries = [str(s) for s in table.Z.index.get_level_values(1)]
    y_regions = np.asarray([str(r) for r in table.Y.columns.get_level_values(0)], dtype=object)
    acc = sector_accounts(Z, Y, x, regions, regions, y_regions)
    src, year, cls = table.source, table.year, table.classification
    keys = [sector_key(c, s) for c, s in zip(regions, industries)]

    iso = [iso3_code(c) for c in regions]
    countries = []
    for code in dict.fromkeys(iso):
        name, iso2 = country_name(code)
        countries.append({"key": code, "props": {"name": name, "iso2": iso2, "source": src}})
    industry_rows = [{"key": f"{cls}|{s}", "props": {"name": s, "code": s, "classification": cls, "source": src}}
                     for s in dict.fromkeys(industries)]
    sectors = [{"key": k, "country": c, "industry": f"{cls}|{s}",
                "props": {"name": f"{c} {s}", "country": c, "industry": s, "classification": cls, "source": src}}
               for k, c, s in zip(keys, iso, industries)]
    sector_years = []
    for n, (k, c, s) in enumerate(zip(keys, iso, industries)):
        props = {"name": f"{c} {s} {year}", "sector": k, "country": c, "industry": s, "year": year, "source": src}
        props.update({p: float(getattr(acc, p)[n]) for p in SectorAccounts.PROPERTY_NAMES})
        sector_years.append({"key": f"{k}|{year}", "sector": k, "props": props})
    edges, dropped = edge_columns(acc.A, acc.B, Z, keys, min_coefficient)
    dataset = {"key": src, "props": {"name": table.name, "synthetic": bool(table.synthetic),
                                     "description": f"input-output table {table.name} ({cls} industries)",
                                     "source": src}}
    return MrioRows(dataset=dataset, countries=countries, industries=industry_rows, sectors=sectors,
                    sector_years=sector_years, edges=edges, dropped_below_min=dropped, accounts=acc)


# ---------------------------------------------------------------- differences against the database

@dataclass
class EdgePlan:
    """What a load must do to SUPPLIES of one source and year, given what the database holds."""
    new: dict[str, list]      # columns s, t, value, a, b of edges to create
    changed: list[list]       # [element id, value, a, b] of edges whose numbers differ
    stale: list[str]          # element ids of edges the new load does not contain
    unchanged: int


def plan_edge_changes(cols: dict[str, list], existing) -> EdgePlan:
    """Compare the edges to write with ``existing`` rows (s, t, element id, value, a, b).

    Floats come back from Neo4j bit-identical, so exact comparison is right: an
    unchanged table leads to an empty plan, i.e. a re-load writes nothing.
    """
    have: dict[tuple[str, str], tuple] = {}
    stale: list[str] = []
    for s, t, eid, value, a, b in existing:
        if (s, t) in have:          # a duplicate (e.g. from two concurrent loads): keep one
            stale.append(eid)
        else:
            have[(s, t)] = (eid, value, a, b)
    new = {k: [] for k in ("s", "t", "value", "a", "b")}
    changed: list[list] = []
    unchanged = 0
    for s, t, value, a, b in zip(cols["s"], cols["t"], cols["value"], cols["a"], cols["b"]):
        old = have.pop((s, t), None)
        if old is None:
            for k, v in zip(("s", "t", "value", "a", "b"), (s, t, value, a, b)):
                new[k].append(v)
        elif old[1:] != (value, a, b):
            changed.append([old[0], value, a, b])
        else:
            unchanged += 1
    stale += [v[0] for v in have.values()]
    return EdgePlan(new=new, changed=changed, stale=stale, unchanged=unchanged)


def split_rows(rows: list[dict], existing: dict[str, dict]) -> tuple[list[dict], list[dict], int]:
    """(new rows, rows whose props differ from ``existing[key]``, number unchanged)."""
    new, changed, same = [], [], 0
    for row in rows:
        old = existing.get(row["key"])
        if old is None:
            new.append(row)
        elif any(old.get(k) != v for k, v in row["props"].items()):
            changed.append(row)
        else:
            same += 1
    return new, changed, same

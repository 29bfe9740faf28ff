"""Turn a validated MRIO table into the graph writer's rows (pure: no database, no files).

``build_rows`` computes the accounts and the SUPPLIES columns (the benchmark reuses them);
``mrio_graph`` turns them into ``GraphRows`` for ``loader.graph.write.write_graph``.

Keys follow schema.model: Sector 'COUNTRY|INDUSTRY' exactly as the table names
both, SectorYear 'COUNTRY|INDUSTRY|YEAR', Industry 'CLASSIFICATION|code'.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from loader.mrio.gvc import GvcResults, add_gvc_rows, gvc_results

from iomath.basic import SectorAccounts, sector_accounts
from loader.graph.rows import GraphRows, dataset_rows
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
    # the GVC accounting (loader.mrio.gvc), None when the load skips it
    gvc: GvcResults | None = None

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


def country_name(code: str, region_names: dict[str, str] | None = None) -> tuple[str, str | None]:
    """(name, iso2) from pycountry for ISO3 codes; a table's own aggregates take the name the table gives
    them (``MrioTable.region_names``: EXIOBASE 'WA' -> 'RoW Asia and Pacific') or keep their code."""
    import pycountry

    if region_names and code in region_names:
        return region_names[code], None
    if code.lower() == "row":
        return "Rest of the world", None
    found = pycountry.countries.get(alpha_3=code.upper()) if len(code) == 3 else None
    if found is None:
        return code, None
    return getattr(found, "common_name", None) or found.name, found.alpha_2


# What each release is published under, where the project knows it (README "Licence"); the readers know
# units and citation (``MrioTable.units``, ``.citation``) but not the terms.
LICENCES = {
    "wiod-2013-release": "no licence stated for the 2013 release tables; wiod.org asks every user to cite "
                         "Timmer et al. (2015); treated as free to use and redistribute with that citation",
    "wiod-2016-release": "Creative Commons Attribution 4.0 International (CC BY 4.0)",
}


DATASET_FACTS = ("classification", "units", "citation", "licence")


def dataset_facts(table: MrioTable) -> dict:
    """What the Dataset node says about the table beyond its name: classification, units, citation, licence
    (None where unknown; the writer leaves absent what is None)."""
    facts = {"classification": table.classification, "units": table.units, "citation": table.citation,
             "licence": LICENCES.get(table.source)}
    assert tuple(facts) == DATASET_FACTS
    return facts


def balance_gaps(Z: np.ndarray, Y: np.ndarray, x: np.ndarray) -> list[float | None]:
    """|x_i - (sum_j z_ij + sum_f y_if)| / x_i per sector: how far the table's own gross output is from its
    row sums (0 when x was computed from them); None where x_i is 0."""
    rows = Z.sum(axis=1) + Y.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        gap = np.abs(x - rows) / x
    return [float(g) if xi > 0 else None for g, xi in zip(gap, x)]


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


def build_rows(table: MrioTable, *, min_coefficient: float = 0.0, gvc: bool = False) -> MrioRows:
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
        name, iso2 = country_name(code, table.region_names)
        countries.append({"key": code, "props": {"name": name, "iso2": iso2, "source": src}})
    industry_rows = [{"key": f"{cls}|{s}", "props": {"name": s, "code": s, "classification": cls, "source": src}}
                     for s in dict.fromkeys(industries)]
    sectors = [{"key": k, "country": c, "industry": f"{cls}|{s}",
                "props": {"name": f"{c} {s}", "country": c, "industry": s, "classification": cls, "source": src}}
               for k, c, s in zip(keys, iso, industries)]
    gap = balance_gaps(Z, Y, x)
    sector_years = []
    for n, (k, c, s) in enumerate(zip(keys, iso, industries)):
        props = {"name": f"{c} {s} {year}", "sector": k, "country": c, "industry": s, "year": year, "source": src}
        props.update({p: float(getattr(acc, p)[n]) for p in SectorAccounts.PROPERTY_NAMES})
        props["balance_gap"] = gap[n]
        sector_years.append({"key": f"{k}|{year}", "sector": k, "props": props})
    edges, dropped = edge_columns(acc.A, acc.B, Z, keys, min_coefficient)
    res = None
    if gvc:
        res = gvc_results(table)
        # the coefficient the value-added paths follow: z_ij over x_j = (Z 1 + Y 1)_j
        index = {k: n for n, k in enumerate(keys)}
        edges["a_gvc"] = res.a_gvc[[index[s] for s in edges["s"]], [index[t] for t in edges["t"]]].tolist()
    dataset = {"key": src, "props": {"name": table.name, "synthetic": bool(table.synthetic),
                                     "description": f"input-output table {table.name} ({cls} industries)",
                                     "source": src, **dataset_facts(table)}}
    return MrioRows(dataset=dataset, countries=countries, industries=industry_rows, sectors=sectors,
                    sector_years=sector_years, edges=edges, dropped_below_min=dropped, accounts=acc, gvc=res)


# ---------------------------------------------------------------- the writer's rows

def mrio_graph(rows: MrioRows, *, year: int, source: str, loaded_at: str) -> GraphRows:
    """One MRIO year as the graph writer's rows.

    Countries and industries are only filled when new (the reference data owns them);
    the year's SectorYear nodes and SUPPLIES of this source are a replaced slice, so a
    reload deletes what it no longer contains (e.g. edges below a higher --min-coefficient).
    """
    g = GraphRows()
    d = rows.dataset["props"]
    g.nodes["Dataset"] = dataset_rows(rows.dataset["key"], d["name"], d["synthetic"], d["description"], loaded_at)
    # what the table says about itself (units, citation, licence, classification); None: not known, not written
    g.nodes["Dataset"].rows[-1]["props"].update({k: v for k, v in d.items() if k in DATASET_FACTS and v is not None})
    g.node_rows("Country", fill_only=True).rows.extend(rows.countries)
    g.node_rows("Industry", fill_only=True).rows.extend(rows.industries)
    sectors = g.node_rows("Sector")
    located = g.rel_rows("LOCATED_IN", "Sector", "Country")
    in_industry = g.rel_rows("IN_INDUSTRY", "Sector", "Industry")
    for s in rows.sectors:
        sectors.add(s["key"], **s["props"])
        located.add(s["key"], s["country"])
        in_industry.add(s["key"], s["industry"])
    slice_ = {"source": source, "year": int(year)}
    years = g.node_rows("SectorYear", common=slice_, replace=("source", "year"))
    has_year = g.rel_rows("HAS_YEAR", "Sector", "SectorYear")
    for y in rows.sector_years:
        years.add(y["key"], **{k: v for k, v in y["props"].items() if k not in slice_})
        has_year.add(y["sector"], y["key"])
    supplies = g.rel_rows("SUPPLIES", "Sector", "Sector", ("year",), common=slice_, replace=("source", "year"))
    e = rows.edges
    no_id: dict = {}   # every row's identity (year) is common: one shared empty map
    if "a_gvc" in e:
        supplies.rows = [{"from": s, "to": t, "id": no_id, "props": {"value": v, "a": a, "b": b, "a_gvc": ag}}
                         for s, t, v, a, b, ag in zip(e["s"], e["t"], e["value"], e["a"], e["b"], e["a_gvc"])]
    else:
        supplies.rows = [{"from": s, "to": t, "id": no_id, "props": {"value": v, "a": a, "b": b}}
                         for s, t, v, a, b in zip(e["s"], e["t"], e["value"], e["a"], e["b"])]
    if rows.gvc is not None:
        keys = [s["key"] for s in rows.sectors]
        iso = {k.split("|", 1)[0]: s["country"] for k, s in zip(keys, rows.sectors)}
        props = {y["sector"]: years.rows[n]["props"] for n, y in enumerate(rows.sector_years)}
        add_gvc_rows(g, rows.gvc, keys=keys, iso=iso, year=int(year), source=source, sector_years=props)
    return g

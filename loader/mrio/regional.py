"""Inter-regional tables: a country split into sub-national regions inside an MRIO table.

A table is inter-regional when its metadata says so (Parquet ``table.json``: ``"inter_regional":
true``) or when a row region is an ISO 3166-2 code (``KR-11``). Its sub-national regions are
mapped to their country by ``region_countries`` in the metadata or, where it says nothing, by the
Region nodes (the reference data's Korean subdivisions and economic regions, and any Region a
``loader tables`` folder added with a country). Every other region of the table is a country as
in a national MRIO table.

What a load writes (pure here: ``check_regions`` and ``regional_graph``; the database is read
only for the regions it knows, by ``known_regions``):

- the sub-national part of the table: a Sector per region and industry (key ``KR-11|<industry>``,
  ``country`` KOR, ``region`` KR-11), LOCATED_IN its Region and its Country, IN_INDUSTRY; its
  SectorYear (accounts with the table's x, and the regional generation coefficients) and the
  SUPPLIES between sub-national sectors (a, b on the table's x; a_gvc on Z 1 + Y 1);
- SERVES from each sub-national sector to each destination country of the final demand (the split
  country included): y_j^d and what it induces through the country's domestic inverse, the final
  demand, bound and limit of the value-added paths (queries/modules/va_paths.py) along those SUPPLIES;
- per region and year a RegionYear node (Region -[:HAS_YEAR]->), at the table's level
  (subdivisions) and rolled up to the economic regions they are PART_OF, and Region -[:VA_INDUCED]->
  Region at each level (iomath.regional: value added generated in one region by another's exports
  abroad).

The country units of the table are read for the computation only (what the regions buy from and
sell to abroad); their sectors and yearly accounts belong to the national table they come from and
are not written again (a Sector or SectorYear key is one per country and industry).
"""
from __future__ import annotations

import re

import numpy as np

from iomath.regional import RegionalExportVA, aggregate, domestic_final_demand, regional_export_va
from loader.graph.rows import GraphRows, dataset_rows
from loader.mrio.read import MrioInputError, MrioTable
from loader.mrio.rows import DATASET_FACTS, country_name, dataset_facts, edge_columns, iso3_code, sector_key

SUBNATIONAL = re.compile(r"^[A-Z]{2}-[A-Z0-9]{1,3}$")   # ISO 3166-2: country alpha-2, '-', 1-3 characters
REGION_KINDS = ("subdivision", "economic_region")
# SERVES of a sub-national sector: the value-added paths' final demand, bound and limit (no va_exports)
REGIONAL_SERVES_PROPS = ("final_demand", "induced_output", "induced_output_abs", "va_final_demand")


def is_inter_regional(table: MrioTable) -> bool:
    return bool(table.inter_regional or table.region_countries
                or any(SUBNATIONAL.match(r) for r in table.regions))


def reference_regions() -> dict[str, dict]:
    """Region key -> {country, kind, parent} of the reference data (pure: loader.reference.korea)."""
    from loader.reference.korea import ECONOMIC_REGIONS, subdivisions

    out = {k: {"country": "KOR", "kind": "economic_region", "parent": None, "name": name}
           for k, (name, _) in ECONOMIC_REGIONS.items()}
    for s in subdivisions():
        out[s["key"]] = {"country": "KOR", "kind": "subdivision", "parent": s["economic_region"], "name": s["name"]}
    return out


def known_regions(settings=None) -> dict[str, dict]:
    """The reference regions and every sub-national Region the database holds (its country and parent)."""
    from connection import read
    from loader.graph.collect import active
    from schema.model import check_label, check_rel_type

    out = reference_regions()
    collection = active()
    if collection is not None:
        # loads collected for one bulk import (loader.graph.collect): the Regions they hold
        parents: dict[str, str] = {}
        for frm, to in collection.rel_ends("PART_OF", "Region", "Region"):
            parents[frm] = min(parents.get(frm, to), to)
        for key in sorted(collection.keys("Region")):
            p = collection.props("Region", key)
            if p.get("kind") in REGION_KINDS:
                out.setdefault(key, {"country": p.get("country"), "kind": p.get("kind"), "parent": parents.get(key),
                                     "name": p.get("name")})
        return out
    rows = read(f"MATCH (r:{check_label('Region')}) WHERE r.kind IN $kinds "
                f"OPTIONAL MATCH (r)-[:{check_rel_type('PART_OF')}]->(p:{check_label('Region')}) "
                "RETURN r.key AS key, r.country AS country, r.kind AS kind, r.name AS name, min(p.key) AS parent",
                {"kinds": list(REGION_KINDS)}, settings=settings)
    for r in rows:
        out.setdefault(r["key"], {"country": r["country"], "kind": r["kind"], "parent": r["parent"],
                                  "name": r["name"]})
    return out


def check_regions(table: MrioTable, known: dict[str, dict]) -> dict[str, str]:
    """Sub-national region -> ISO3 country, or MrioInputError naming the file and field of every problem.

    A sub-national region is one ``region_countries`` lists, whose code is ISO 3166-2, or (in a table marked
    inter-regional) that is a known Region such as KR-ECON-CAPITAL. Each must be a
    known Region of kind subdivision or economic_region, lie in a country, agree with ``region_countries``
    where both say; its country must not also be a unit of the table (its sectors would count twice)."""
    meta = table.files.get("meta", table.files.get("system", "the table"))
    sectors = table.files.get("x", "the table's sector list")
    problems, out = [], {}
    for code in table.region_countries:
        if code not in table.regions:
            problems.append(f"{meta}: field 'region_countries': region {code!r} has no sector in the table "
                            f"(expected one of the regions of {sectors})")
    for code in table.regions:
        listed = table.region_countries.get(code)
        if listed is None and not SUBNATIONAL.match(code) and not (table.inter_regional and code in known):
            continue                                   # a country of the table
        region = known.get(code)
        if region is None:
            problems.append(f"{sectors}: field 'region': region {code!r} is unknown (expected an ISO 3166-2 "
                            "subdivision or economic region held as a Region node, e.g. KR-11; load it with "
                            "`loader reference` or a `regions` file of `loader tables` first)")
            continue
        country = region.get("country")
        if not country:
            problems.append(f"{sectors}: field 'region': region {code!r} maps to no country (expected a Region "
                            "with a `country`, as subdivisions and economic regions have)")
            continue
        if listed is not None and listed != country:
            problems.append(f"{meta}: field 'region_countries': region {code!r} is mapped to {listed!r}, but the "
                            f"Region lies in {country!r}")
            continue
        out[code] = country
    if table.inter_regional and not out and not problems:
        problems.append(f"{meta}: field 'inter_regional' is true, but no region of {sectors} is sub-national "
                        "(expected ISO 3166-2 codes such as KR-11, or a 'region_countries' object)")
    units = set(table.regions)
    for country in sorted(set(out.values())):
        if country in units or any(iso3_code(u) == country for u in units):
            problems.append(f"{sectors}: field 'region': {country!r} is a unit of the table beside its regions "
                            f"{sorted(r for r, c in out.items() if c == country)} (expected the country split into "
                            "its regions only, so no sector counts twice)")
    if problems:
        raise MrioInputError(problems)
    return out


def _arrays(table: MrioTable, region_country: dict[str, str]):
    """Z, Y, the row and final-demand units, and each unit's country (a region's from ``region_country``):
    what iomath.regional takes."""
    Z = table.Z.to_numpy(dtype=float)
    Y = table.Y.to_numpy(dtype=float)
    units = [str(r) for r in table.Z.index.get_level_values(0)]
    y_units = [str(r) for r in table.Y.columns.get_level_values(0)]
    country_of = {u: iso3_code(u) for u in set(units) | set(y_units)}
    country_of.update(region_country)
    return Z, Y, units, y_units, country_of


def regional_results(table: MrioTable, region_country: dict[str, str]) -> dict[str, RegionalExportVA]:
    """iomath.regional for every country the table splits into regions (x = Z 1 + Y 1)."""
    Z, Y, units, y_units, country_of = _arrays(table, region_country)
    return {c: regional_export_va(Z, Y, units, y_units, country_of, c) for c in sorted(set(region_country.values()))}


def _num(v) -> float | None:
    f = float(v)
    return None if np.isnan(f) else f


def region_year_key(source: str, region: str, year: int) -> str:
    return f"{source}|{region}|{year}"


def _region_rows(g: GraphRows, res: RegionalExportVA, *, level: str, year: int, source: str,
                 value_added: dict[str, float]) -> None:
    years = g.node_rows("RegionYear", common={"source": source, "year": year}, replace=("source", "year"))
    has_year = g.rel_rows("HAS_YEAR", "Region", "RegionYear")
    E, coef, cc = res.region_exports, res.coefficient, res.country_coefficient
    total, within, other = res.total, res.within, res.other
    for k, region in enumerate(res.regions):
        key = region_year_key(source, region, year)
        props = {"name": f"{region} {year}", "region": region, "country": res.country, "level": level,
                 "exports_abroad": float(E[k]), "value_added": float(value_added.get(region, 0.0)),
                 "va_exports_total": float(total[k]), "va_exports_within": float(within[k]),
                 "va_exports_other": float(other[k]),
                 "va_gen_coef": _num(total[k] / E[k]) if E[k] > 0 else None,
                 "va_gen_coef_within": _num(coef[k, k]), "va_gen_coef_country": _num(cc[k]),
                 "tiva_gain": float(res.gain[k]), "tiva_loss": float(res.loss[k]), "tiva_net": float(res.net[k])}
        years.add(key, **props)
        has_year.add(region, key)
    induced = g.rel_rows("VA_INDUCED", "Region", "Region", ("year",), common={"source": source, "year": year},
                         replace=("source", "year"))
    for s, rs in enumerate(res.regions):
        for r, rr in enumerate(res.regions):
            induced.rows.append({"from": rs, "to": rr, "id": {},
                                 "props": {"level": level, "value": float(res.induced[s, r]),
                                           "coefficient": _num(coef[s, r])}})


def _serves_rows(g: GraphRows, table: MrioTable, region_country: dict[str, str], key_of_row: dict[int, str],
                 slice_: dict, countries) -> None:
    """SERVES (sub-national Sector -> destination Country) for the value-added paths (docs/methods.md 19.6):
    y_j^d, (L^CC y^d)_j, (L^CC |y^d|)_j and v_j (L^CC y^d)_j over the country's domestic inverse, the paths
    the stored SUPPLIES (between the country's regions) can follow. Every destination country of the
    table's final demand, the split country itself included (its regions' columns summed)."""
    Z, Y, units, y_units, country_of = _arrays(table, region_country)
    serves = g.rel_rows("SERVES", "Sector", "Country", ("year",), common=slice_, replace=("source", "year"))
    known = {r["key"] for r in countries.rows}
    no_id: dict = {}
    for c in sorted(set(region_country.values())):
        fd = domestic_final_demand(Z, Y, units, y_units, country_of, c)
        for d in fd.destinations:
            if d not in known:                        # a destination the table names: its Country node
                name, iso2 = country_name(d, table.region_names)
                countries.add(d, name=name, iso2=iso2, source=table.source)
                known.add(d)
        S = np.stack([fd.final_demand, fd.induced, fd.induced_abs, fd.va])        # (4, n_C, D)
        j_idx, d_idx = np.nonzero(np.abs(S).sum(axis=0) != 0)
        for j, d in zip(j_idx.tolist(), d_idx.tolist()):
            serves.rows.append({"from": key_of_row[int(fd.rows[j])], "to": fd.destinations[d], "id": no_id,
                                "props": dict(zip(REGIONAL_SERVES_PROPS, S[:, j, d].tolist()))})


def regional_graph(table: MrioTable, region_country: dict[str, str], known: dict[str, dict], *,
                   min_coefficient: float, loaded_at: str) -> tuple[GraphRows, int]:
    """The writer's rows of an inter-regional table (see the module docstring) and how many flows
    --min-coefficient dropped."""
    src, year, cls = table.source, int(table.year), table.classification
    Z = table.Z.to_numpy(dtype=float)
    Y = table.Y.to_numpy(dtype=float)
    x = table.x.to_numpy(dtype=float)
    units = [str(r) for r in table.Z.index.get_level_values(0)]
    industries = [str(s) for s in table.Z.index.get_level_values(1)]
    rows = np.flatnonzero([u in region_country for u in units])
    results = regional_results(table, region_country)

    g = GraphRows()
    name = table.name
    g.nodes["Dataset"] = dataset_rows(src, name, bool(table.synthetic),
                                      f"inter-regional input-output table {name} ({cls} industries; regions of "
                                      f"{', '.join(sorted(set(region_country.values())))})", loaded_at)
    facts = {k: v for k, v in dataset_facts(table).items() if k in DATASET_FACTS and v is not None}
    g.nodes["Dataset"].rows[-1]["props"].update(facts, inter_regional=True)
    countries = g.node_rows("Country", fill_only=True)
    for c in sorted(set(region_country.values())):
        cname, iso2 = country_name(c)
        countries.add(c, name=cname, iso2=iso2, source=src)
    regions = g.node_rows("Region", fill_only=True)
    in_country = g.rel_rows("LOCATED_IN", "Region", "Country")
    part_of = g.rel_rows("PART_OF", "Region", "Region")
    parents = {}
    for code in sorted(region_country):
        info = known[code]
        regions.add(code, name=info.get("name") or code, kind=info["kind"], country=region_country[code], source=src)
        in_country.add(code, region_country[code])
        if info.get("parent") in known:
            parents[info["parent"]] = region_country[code]
            part_of.add(code, info["parent"])
    for code, country in sorted(parents.items()):   # the roll-up's regions (reference data owns them when loaded)
        if code not in region_country:
            info = known[code]
            regions.add(code, name=info.get("name") or code, kind=info["kind"], country=country, source=src)
            in_country.add(code, country)
    g.node_rows("Industry", fill_only=True).rows.extend(
        {"key": f"{cls}|{s}", "props": {"name": s, "code": s, "classification": cls, "source": src}}
        for s in dict.fromkeys(industries[i] for i in rows))

    keys = [sector_key(units[i], industries[i]) for i in rows]
    sectors = g.node_rows("Sector")
    located = g.rel_rows("LOCATED_IN", "Sector", "Country")
    in_region = g.rel_rows("LOCATED_IN", "Sector", "Region")
    in_industry = g.rel_rows("IN_INDUSTRY", "Sector", "Industry")
    for k, i in zip(keys, rows):
        c, r, s = region_country[units[i]], units[i], industries[i]
        sectors.add(k, name=f"{r} {s}", country=c, region=r, industry=s, classification=cls, source=src)
        located.add(k, c)
        in_region.add(k, r)
        in_industry.add(k, f"{cls}|{s}")

    # accounts of the sub-national sectors on the table's own x (as loader.mrio.rows does)
    x_sum = Z.sum(axis=1) + Y.sum(axis=1)
    colsum = Z[:, rows].sum(axis=0)
    xr = x[rows]
    with np.errstate(divide="ignore", invalid="ignore"):
        va_coef = np.where(xr != 0, 1.0 - colsum / xr, 0.0)
    by_row = {}
    for c, res in results.items():
        own, tot = res.sector_own, res.sector_total
        for n, i in enumerate(res.rows):
            by_row[int(i)] = {"exports_abroad": float(res.exports_abroad[n]), "va_gen_coef_region": float(own[n]),
                              "va_gen_coef_country": float(tot[n]), "va_gen_coef_other_regions": float(tot[n] - own[n]),
                              "gvc_va_coef": float(res.va_coef[n])}
    slice_ = {"source": src, "year": year}
    years = g.node_rows("SectorYear", common=slice_, replace=("source", "year"))
    has_year = g.rel_rows("HAS_YEAR", "Sector", "SectorYear")
    value_added: dict[str, float] = {}
    for n, (k, i) in enumerate(zip(keys, rows)):
        va = float(x_sum[i] - colsum[n])               # value added on Z 1 + Y 1, as the regional measures
        value_added[units[i]] = value_added.get(units[i], 0.0) + va
        props = {"name": f"{units[i]} {industries[i]} {year}", "sector": k, "country": region_country[units[i]],
                 "region": units[i], "industry": industries[i], "output": float(xr[n]),
                 "value_added": float(xr[n] - colsum[n]), "final_demand": float(Y[i].sum()),
                 "va_coef": float(va_coef[n]), "gvc_output": float(x_sum[i]), **by_row[int(i)]}
        years.add(f"{k}|{year}", **props)
        has_year.add(k, f"{k}|{year}")

    # SUPPLIES among the sub-national sectors: a, b on the table's x; a_gvc on Z 1 + Y 1
    Zr = Z[np.ix_(rows, rows)]
    with np.errstate(divide="ignore", invalid="ignore"):
        A = np.where(xr[np.newaxis, :] != 0, Zr / xr[np.newaxis, :], 0.0)
        B = np.where(xr[:, np.newaxis] != 0, Zr / xr[:, np.newaxis], 0.0)
        xs = x_sum[rows]
        A_gvc = np.where(xs[np.newaxis, :] != 0, Zr / xs[np.newaxis, :], 0.0)
    edges, dropped = edge_columns(A, B, Zr, keys, min_coefficient)
    index = {k: n for n, k in enumerate(keys)}
    a_gvc = A_gvc[[index[s] for s in edges["s"]], [index[t] for t in edges["t"]]].tolist()
    supplies = g.rel_rows("SUPPLIES", "Sector", "Sector", ("year",), common=slice_, replace=("source", "year"))
    no_id: dict = {}
    supplies.rows = [{"from": s, "to": t, "id": no_id, "props": {"value": v, "a": a, "b": b, "a_gvc": ag}}
                     for s, t, v, a, b, ag in zip(edges["s"], edges["t"], edges["value"], edges["a"], edges["b"],
                                                  a_gvc)]

    _serves_rows(g, table, region_country, dict(zip(rows.tolist(), keys)), slice_, countries)

    for c, res in results.items():
        _region_rows(g, res, level="subdivision", year=year, source=src, value_added=value_added)
        parent = {r: known[r].get("parent") for r in res.regions if known.get(r, {}).get("parent")}
        if parent and len(set(parent.values())) < len(res.regions):
            up = aggregate(res, parent)
            up_va: dict[str, float] = {}
            for r, va in value_added.items():
                if r in res.regions:
                    up_va[parent.get(r, r)] = up_va.get(parent.get(r, r), 0.0) + va
            _region_rows(g, up, level="economic_region", year=year, source=src, value_added=up_va)
    return g, dropped

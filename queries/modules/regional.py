"""Regional measures of inter-regional input-output tables (loader.mrio.regional, iomath.regional).

- ``regional-va``: per region of a country (provinces, or the economic regions they roll up to):
  exports abroad, the value added those exports generate in the whole country, within the region
  itself and in the other regions, the value-added generation coefficients (per unit of the region's
  own exports, and per unit of the country's), and regional trade in value added: what the region
  earns from the other regions' exports (gain), what its exports generate in the other regions (loss),
  and the balance (net; sums to 0 over a country's regions).
- ``regional-tiva``: the region-to-region matrix behind it: value added generated in each region by
  each region's exports abroad, and per unit of those exports.

Both read ONE table year (``queries.provenance``: the latest year of real data unless ``source``/``year``
say otherwise; only synthetic tables hold regions so far, so the default falls back to one of them and
the provenance says so). Money is in the table's currency (million USD for the demo's WIOD-based table).
Equations: docs/methods.md, section 19.7.
"""
from __future__ import annotations

from typing import Any

from queries.model import Column, Param, QueryModule
from queries.modules.common import SOURCE, YEAR
from queries.provenance import Basis, resolve
from schema.model import check_label, check_rel_type

REGION, REGION_YEAR = map(check_label, ("Region", "RegionYear"))
HAS_YEAR, VA_INDUCED = map(check_rel_type, ("HAS_YEAR", "VA_INDUCED"))
REGIONAL_BASIS = Basis("sector_regional", "regional measures of inter-regional input-output tables (RegionYear)",
                       f"(r:{REGION_YEAR})", "r")
MONEY = "table currency (million USD for WIOD-based tables)"
LEVEL_P = Param("level", "choice", "subdivision", choices=("subdivision", "economic_region"),
                help="regions as the table has them (subdivision: Korea's 17 provinces) or rolled up to the "
                     "economic regions they are part of")
COUNTRY_P = Param("country", "str", "", help="country whose regions are listed, ISO3 (e.g. KOR); empty = all")

_REGIONS = f"""
MATCH (g:{REGION})-[:{HAS_YEAR}]->(y:{REGION_YEAR})
WHERE y.source = $source AND y.year = $year AND y.level = $level AND ($country = '' OR y.country = $country)
RETURN g.key AS region, g.name AS name, y.country AS country, y.level AS level, y.exports_abroad AS exports_abroad,
       y.value_added AS value_added, y.va_exports_total AS va_exports_total,
       y.va_exports_within AS va_exports_within, y.va_exports_other AS va_exports_other,
       y.va_gen_coef AS va_gen_coef, y.va_gen_coef_within AS va_gen_coef_within,
       y.va_gen_coef_country AS va_gen_coef_country, y.tiva_gain AS tiva_gain, y.tiva_loss AS tiva_loss,
       y.tiva_net AS tiva_net, y.year AS year, y.source AS source
ORDER BY region
"""

_PAIRS = f"""
MATCH (s:{REGION})-[v:{VA_INDUCED}]->(r:{REGION})
WHERE v.source = $source AND v.year = $year AND v.level = $level AND ($country = '' OR s.country = $country)
RETURN s.key AS earning_region, s.name AS earning_name, r.key AS exporting_region, r.name AS exporting_name,
       s.key = r.key AS same_region, v.value AS value, v.coefficient AS coefficient, v.year AS year,
       v.source AS source
ORDER BY exporting_region, earning_region
"""


def _scope(tx, p: dict[str, Any]) -> dict[str, Any] | None:
    scope = resolve(tx, REGIONAL_BASIS, source=p.get("source", ""), year=p.get("year"), allow_all_sources=False)
    if not scope.pairs:
        return None
    (source, year), = scope.pairs
    return {"source": source, "year": year, "level": p["level"], "country": p["country"].upper()}


def _regions(tx, p):
    base = _scope(tx, p)
    return [] if base is None else [dict(r) for r in tx.run(_REGIONS, base)]


def _pairs(tx, p):
    base = _scope(tx, p)
    return [] if base is None else [dict(r) for r in tx.run(_PAIRS, base)]


REGIONAL_VA = QueryModule(
    name="regional-va",
    title="Regional value added through exports abroad",
    description=("Per region of a country in an inter-regional table: exports abroad E_r, the value added they "
                 "generate in the country (within the region and in the other regions; within + other = total), "
                 "the generation coefficients (total / E_r, within / E_r, and the region's value added per unit of "
                 "the country's exports), and regional trade in value added: gain (value added earned from the other "
                 "regions' exports), loss (value added the region's exports generate elsewhere in the country), net "
                 "= gain - loss. Domestic inverse (I - A^CC)^-1 of the country's regions. docs/methods.md 19.7."),
    params=(YEAR, SOURCE, LEVEL_P, COUNTRY_P),
    columns=(Column("region", "Region key", "ISO 3166-2 code or economic region key"),
             Column("name", "name", "region name"), Column("country", "ISO3", "country of the region"),
             Column("level", "level", "subdivision or economic_region"),
             Column("exports_abroad", MONEY, "the region's sales to other countries (intermediate and final)"),
             Column("value_added", MONEY, "the region's value added (x = Z 1 + Y 1 less inputs)"),
             Column("va_exports_total", MONEY, "value added the region's exports generate in the whole country"),
             Column("va_exports_within", MONEY, "... of it in the region itself"),
             Column("va_exports_other", MONEY, "... of it in the country's other regions"),
             Column("va_gen_coef", "ratio (value added per unit of exports)", "va_exports_total / exports_abroad"),
             Column("va_gen_coef_within", "ratio", "va_exports_within / exports_abroad"),
             Column("va_gen_coef_country", "ratio (per unit of the country's exports)",
                    "value added generated in the region per unit of the whole country's exports abroad"),
             Column("tiva_gain", MONEY, "value added the region earns from the other regions' exports"),
             Column("tiva_loss", MONEY, "value added the region's exports generate in the other regions"),
             Column("tiva_net", MONEY, "tiva_gain - tiva_loss"),
             Column("year", "year", "table year"), Column("source", "Dataset key", "the inter-regional table")),
    steps=_regions,
)

REGIONAL_TIVA = QueryModule(
    name="regional-tiva",
    title="Value added between regions through exports abroad",
    description=("Region-to-region: the value added generated in the earning region by the exporting region's "
                 "exports abroad, M[s, r] = sum_(k in s, j in r) v_k (I - A^CC)^-1_kj e_j, and per unit of the "
                 "exporting region's exports (a column sums to its va_gen_coef in regional-va). docs/methods.md 19.7."),
    params=(YEAR, SOURCE, LEVEL_P, COUNTRY_P),
    columns=(Column("earning_region", "Region key", "where the value added is generated"),
             Column("earning_name", "name", "its name"),
             Column("exporting_region", "Region key", "whose exports abroad generate it"),
             Column("exporting_name", "name", "its name"),
             Column("same_region", "bool", "earning and exporting region are the same (within-region part)"),
             Column("value", MONEY, "M[s, r]"),
             Column("coefficient", "ratio (per unit of the exporting region's exports)", "M[s, r] / E_r"),
             Column("year", "year", "table year"), Column("source", "Dataset key", "the inter-regional table")),
    steps=_pairs,
)

MODULES = (REGIONAL_VA, REGIONAL_TIVA)

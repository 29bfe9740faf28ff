"""Sector modules: linkages, key sectors, foreign value added in exports.

All read ``SectorYear`` accounts written by the MRIO loader (docs/methods.md, sections 2 to 6):

- ``sector-linkages``: output x_j, value added, value-added coefficient v_j = 1 - sum_i A_ij,
  Rasmussen-Hirschman backward linkage BL_j = n sum_i L_ij / sum_ij L_ij, Ghosh forward
  linkage FL_i = n sum_j G_ij / sum_ij G_ij, upstreamness U = G 1 (Antras et al. 2012),
  filtered by country/industry and ranked by any of them.
- ``key-sectors``: sectors with BL_j > 1 and FL_j > 1 (Rasmussen 1956; Hirschman 1958),
  ranked by BL + FL.
- ``fva-share``: per country and year, gross exports E_c = sum_{i in c} e_i, domestic value
  added DVA_c = sum_{i in c} sum_{k in c} v_k L_ki e_i, foreign value added
  FVA_c = sum_{i in c} sum_{k not in c} v_k L_ki e_i and FVA_c / E_c (Hummels, Ishii and Yi
  2001; Koopman, Wang and Wei 2014). Monetary units are the table's (million USD for WIOD).
"""
from __future__ import annotations

from queries.model import Column, Param, QueryModule
from queries.modules.common import ALL_YEARS, SOURCE, YEAR
from schema.model import check_label, check_rel_type

SECTOR, SECTOR_YEAR = map(check_label, ("Sector", "SectorYear"))
HAS_YEAR = check_rel_type("HAS_YEAR")

COUNTRY = Param("country", "str", "", help="country code as the table names it (e.g. KOR); empty = all")
INDUSTRY = Param("industry", "str", "", help="text the industry name contains (case-insensitive); empty = all")
LIMIT = Param("limit", "int", 100, 1, 100000, help="rows returned")

LINKAGE_ORDER = ("output", "value_added", "va_coef", "backward_linkage", "forward_linkage", "upstreamness",
                 "exports", "final_demand")

# The runner fills $scope_pairs with the (table, year) pairs to read (queries.provenance).
_SECTOR_FILTER = f"""
MATCH (s:{SECTOR})-[:{HAS_YEAR}]->(y:{SECTOR_YEAR})
WHERE [coalesce(y.source, ''), y.year] IN $scope_pairs
  AND ($country = '' OR y.country = $country)
  AND ($industry = '' OR toLower(y.industry) CONTAINS toLower($industry))
"""

LINKAGE_COLUMNS = (
    Column("sector", "key", "Sector key COUNTRY|INDUSTRY"),
    Column("country", "code", "country as the table names it"),
    Column("industry", "name", "industry as the table names it"),
    Column("year", "year", "table year"),
    Column("source", "Dataset key", "table read"),
    Column("output", "table currency (million USD for WIOD)", "gross output x_j"),
    Column("value_added", "table currency", "value added"),
    Column("va_coef", "share", "v_j = 1 - sum_i A_ij"),
    Column("backward_linkage", "index (mean 1)", "BL_j = n sum_i L_ij / sum_ij L_ij"),
    Column("forward_linkage", "index (mean 1)", "FL_i = n sum_j G_ij / sum_ij G_ij"),
    Column("upstreamness", "steps", "U = G 1 (Antras et al.)"),
    Column("rank", "rank", "1 = first in the chosen order"),
)

SECTOR_LINKAGES = QueryModule(
    name="sector-linkages",
    title="Sector linkages",
    description=("Output, value added, Rasmussen-Hirschman backward linkage BL_j = n sum_i L_ij / sum_ij L_ij, "
                 "Ghosh forward linkage FL_i = n sum_j G_ij / sum_ij G_ij and upstreamness U = G 1 "
                 "(Antras et al. 2012) of the sectors of one year, filtered by country and industry and "
                 "ranked by any of them."),
    params=(YEAR, SOURCE, ALL_YEARS, COUNTRY, INDUSTRY,
            Param("order_by", "choice", "backward_linkage", choices=LINKAGE_ORDER, help="ranking column"),
            Param("descending", "bool", True, help="largest first"),
            LIMIT),
    columns=LINKAGE_COLUMNS,
    extra={"basis": "sector_table"},
    cypher=_SECTOR_FILTER + """
WITH s, y ORDER BY CASE WHEN $descending THEN -coalesce(y[$order_by], 0.0) ELSE coalesce(y[$order_by], 0.0) END,
     s.key
LIMIT $limit
WITH collect({s: s, y: y}) AS rows
UNWIND range(0, size(rows) - 1) AS i
WITH rows[i].s AS s, rows[i].y AS y, i + 1 AS rank
RETURN s.key AS sector, y.country AS country, y.industry AS industry, y.year AS year, y.source AS source,
       y.output AS output, y.value_added AS value_added, y.va_coef AS va_coef,
       y.backward_linkage AS backward_linkage, y.forward_linkage AS forward_linkage,
       y.upstreamness AS upstreamness, rank
""",
)

KEY_SECTORS = QueryModule(
    name="key-sectors",
    title="Key sectors (BL > 1 and FL > 1)",
    description=("Sectors whose backward linkage BL_j = n sum_i L_ij / sum_ij L_ij and Ghosh forward linkage "
                 "FL_j = n sum_k G_jk / sum_ik G_ik both exceed 1 (Rasmussen 1956; Hirschman 1958): "
                 "they pull more than the average sector from suppliers and push more to buyers. "
                 "Ranked by BL + FL."),
    params=(YEAR, SOURCE, ALL_YEARS, COUNTRY, INDUSTRY, LIMIT),
    columns=LINKAGE_COLUMNS[:5] + (
        Column("output", "table currency", "gross output x_j"),
        Column("backward_linkage", "index (mean 1)", "BL_j"),
        Column("forward_linkage", "index (mean 1)", "FL_j"),
        Column("linkage_sum", "index", "BL_j + FL_j"),
        Column("rank", "rank", "1 = largest BL + FL"),
    ),
    extra={"basis": "sector_table"},
    cypher=_SECTOR_FILTER + """
  AND y.backward_linkage > 1 AND y.forward_linkage > 1
WITH s, y, y.backward_linkage + y.forward_linkage AS linkage_sum
ORDER BY linkage_sum DESC, s.key LIMIT $limit
WITH collect({s: s, y: y, t: linkage_sum}) AS rows
UNWIND range(0, size(rows) - 1) AS i
WITH rows[i] AS r, i + 1 AS rank
RETURN r.s.key AS sector, r.y.country AS country, r.y.industry AS industry, r.y.year AS year,
       r.y.source AS source, r.y.output AS output, r.y.backward_linkage AS backward_linkage, r.y.forward_linkage AS forward_linkage,
       r.t AS linkage_sum, rank
""",
)

FVA_SHARE = QueryModule(
    name="fva-share",
    title="Foreign value added in exports",
    description=("Per country and year: gross exports E_c = sum_{i in c} e_i (Z and Y entries of row i in other "
                 "countries' columns), domestic value added DVA_c = sum_{i in c} sum_{k in c} v_k L_ki e_i, "
                 "foreign value added FVA_c = sum_{i in c} sum_{k not in c} v_k L_ki e_i (diag(v) L e, docs/methods.md "
                 "section 6; Hummels, Ishii and Yi 2001; Koopman, Wang and Wei 2014) and the foreign share "
                 "FVA_c / E_c."),
    params=(YEAR, SOURCE, ALL_YEARS, COUNTRY,
            Param("order_by", "choice", "fva_share", choices=("fva_share", "gross_exports", "fva", "dva",
                                                              "country"), help="ranking column"),
            LIMIT),
    columns=(
        Column("country", "code", "exporting country"),
        Column("year", "year", "table year"),
        Column("gross_exports", "table currency (million USD for WIOD)", "E_c"),
        Column("dva", "table currency", "domestic value added in exports"),
        Column("fva", "table currency", "foreign value added in exports"),
        Column("fva_share", "share 0..1", "FVA_c / E_c (0 when E_c = 0)"),
        Column("source", "Dataset key", "table"),
    ),
    extra={"basis": "sector_table"},
    cypher="""
MATCH (y:SectorYear)
WHERE [coalesce(y.source, ''), y.year] IN $scope_pairs AND ($country = '' OR y.country = $country)
WITH y.country AS country, y.year AS year, y.source AS source,
     sum(coalesce(y.exports, 0.0)) AS gross_exports, sum(coalesce(y.dva_exports, 0.0)) AS dva,
     sum(coalesce(y.fva_exports, 0.0)) AS fva
WITH country, year, source, gross_exports, dva, fva,
     CASE WHEN gross_exports = 0 THEN 0.0 ELSE fva / gross_exports END AS fva_share
RETURN country, year, gross_exports, dva, fva, fva_share, source
ORDER BY CASE $order_by WHEN 'country' THEN 0.0 WHEN 'fva_share' THEN -fva_share
         WHEN 'gross_exports' THEN -gross_exports WHEN 'fva' THEN -fva ELSE -dva END, country, year
LIMIT $limit
""",
)

MODULES = (SECTOR_LINKAGES, KEY_SECTORS, FVA_SHARE)

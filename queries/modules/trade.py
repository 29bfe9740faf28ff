"""Country and region modules: FDI by motive, trade unit values, region profiles.

- ``fdi-by-motive``: INVESTS_IN projects and amounts (million USD) grouped by motive
  (market-, resource-, efficiency-, strategic-asset-seeking; Dunning 1993) and optionally
  by entry mode, origin or destination country.
- ``trade-unit-values``: EXPORTS aggregated by exporter, importer and industry; unit value
  = sum value / sum weight, thousand USD per tonne = USD per kg (Schott 2004: higher unit
  values within a product signal quality / higher value-chain position).
- ``region-profile``: per region, its firms (count by size class, employees, output), the
  output-weighted foreign share sum FS_i Y_i / sum Y_i, inward FDI and the largest industry.
"""
from __future__ import annotations

from queries.model import Column, Param, QueryModule
from schema.model import check_label, check_rel_type

FIRM, COUNTRY, REGION = map(check_label, ("Firm", "Country", "Region"))
INVESTS_IN, EXPORTS, LOCATED_IN, PART_OF = map(check_rel_type, ("INVESTS_IN", "EXPORTS", "LOCATED_IN", "PART_OF"))

FDI_BY_MOTIVE = QueryModule(
    name="fdi-by-motive",
    title="FDI by motive",
    description=("Foreign direct investment (INVESTS_IN) counted and summed by motive - market-, resource-, "
                 "efficiency- and strategic-asset-seeking (Dunning 1993) - optionally split by entry mode "
                 "(greenfield, joint venture, acquisition), origin or destination country; share of the total "
                 "amount. Amounts in million USD."),
    params=(
        Param("year", "int", None, 1900, 2100, help="investment year; empty = all years"),
        Param("origin", "str", "", help="investor's country (ISO3); empty = all"),
        Param("destination", "str", "", help="destination country (ISO3); empty = all"),
        Param("split", "choice", "none", choices=("none", "mode", "origin", "destination"),
              help="second grouping besides motive"),
    ),
    columns=(
        Column("motive", "market|resource|efficiency|strategic_asset", "investment motive"),
        Column("split", "text", "value of the second grouping ('' when none)"),
        Column("projects", "count", "number of INVESTS_IN links"),
        Column("amount", "million USD", "sum of amounts"),
        Column("share", "share 0..1", "share of the total amount of the selection"),
        Column("avg_amount", "million USD", "mean amount per project"),
    ),
    cypher=f"""
MATCH (i)-[r:{INVESTS_IN}]->(t)
WHERE ($year IS NULL OR r.year = $year)
OPTIONAL MATCH (t)-[:{LOCATED_IN}]->(tc:{COUNTRY}) WHERE t:{REGION}
WITH r, CASE WHEN i:{COUNTRY} THEN i.key ELSE i.country END AS origin,
     CASE WHEN t:{COUNTRY} THEN t.key WHEN t:{REGION} THEN tc.key ELSE t.country END AS destination
WHERE ($origin = '' OR origin = $origin) AND ($destination = '' OR destination = $destination)
WITH r.motive AS motive,
     CASE $split WHEN 'mode' THEN r.mode WHEN 'origin' THEN origin WHEN 'destination' THEN destination
                 ELSE '' END AS split,
     count(r) AS projects, sum(coalesce(r.amount, 0.0)) AS amount
WITH collect({{motive: motive, split: split, projects: projects, amount: amount}}) AS rows,
     sum(amount) AS total
UNWIND rows AS row
RETURN row.motive AS motive, coalesce(row.split, '') AS split, row.projects AS projects, row.amount AS amount,
       CASE WHEN total = 0 THEN 0.0 ELSE row.amount / total END AS share,
       row.amount / row.projects AS avg_amount
ORDER BY amount DESC, motive, split
""",
    layer="firm",
)

TRADE_UNIT_VALUES = QueryModule(
    name="trade-unit-values",
    title="Trade unit values",
    description=("Bilateral exports (EXPORTS) by exporter, importer and industry with value, weight and the "
                 "unit value sum(value) / sum(weight) in USD per kg (thousand USD / tonne); within a product, "
                 "higher unit values indicate higher quality or a higher value-chain position (Schott 2004)."),
    params=(
        Param("year", "int", None, 1900, 2100, help="trade year; empty = all years"),
        Param("exporter", "str", "", help="exporting country (ISO3); empty = all"),
        Param("importer", "str", "", help="importing country (ISO3); empty = all"),
        Param("industry", "str", "", help="text the Industry key contains; empty = all"),
        Param("use", "choice", "any", choices=("any", "intermediate", "final"), help="use of the goods"),
        Param("order_by", "choice", "value", choices=("value", "unit_value", "weight"), help="ranking"),
        Param("limit", "int", 100, 1, 100000, help="rows returned"),
    ),
    columns=(
        Column("exporter", "ISO3", "exporting country"), Column("importer", "ISO3", "importing country"),
        Column("industry", "Industry key", "product industry"), Column("year", "year", "trade year"),
        Column("value", "thousand USD", "sum of export values"), Column("weight", "tonnes", "sum of weights"),
        Column("unit_value", "USD/kg", "value / weight (null when weight is 0)"),
        Column("flows", "count", "EXPORTS links aggregated"),
    ),
    cypher=f"""
MATCH (e:{COUNTRY})-[x:{EXPORTS}]->(m:{COUNTRY})
WHERE ($year IS NULL OR x.year = $year) AND ($exporter = '' OR e.key = $exporter)
  AND ($importer = '' OR m.key = $importer) AND ($industry = '' OR toLower(x.industry) CONTAINS toLower($industry))
  AND ($use = 'any' OR x.use = $use)
WITH e.key AS exporter, m.key AS importer, x.industry AS industry, x.year AS year,
     sum(coalesce(x.value, 0.0)) AS value, sum(coalesce(x.weight, 0.0)) AS weight, count(x) AS flows
RETURN exporter, importer, industry, year, value, weight,
       CASE WHEN weight > 0 THEN value / weight ELSE null END AS unit_value, flows
ORDER BY CASE $order_by WHEN 'unit_value' THEN -coalesce(unit_value, 0.0) WHEN 'weight' THEN -weight
         ELSE -value END, exporter, importer, industry
LIMIT $limit
""",
    layer="trade",
)

REGION_PROFILE = QueryModule(
    name="region-profile",
    title="Region profile",
    description=("Per region (its own firms and those of its subdivisions, via PART_OF): firms by size class, "
                 "employees, output, the output-weighted foreign share sum FS_i Y_i / sum Y_i (Javorcik's "
                 "horizontal measure over all industries), inward FDI into the region or its firms, and the "
                 "industry with the largest output."),
    params=(
        Param("region", "str", "", help="Region key (e.g. KR-ECON-CAPITAL, KR-11); empty = every region with firms"),
        Param("country", "str", "", help="only regions of this country (ISO3)"),
        Param("kind", "choice", "any", choices=("any", "subdivision", "economic_region", "grouping"),
              help="kind of region"),
        Param("limit", "int", 100, 1, 10000, help="rows returned"),
    ),
    columns=(
        Column("region", "key", "Region key"), Column("name", "name", "region name"), Column("kind", "text", "kind"),
        Column("firms", "count", "firms located in the region or its subdivisions"),
        Column("sme", "count", "SMEs"), Column("large", "count", "domestic large firms"), Column("tnc", "count", "TNC affiliates"),
        Column("employees", "persons", "sum of employees"), Column("output", "thousand USD", "sum of firm output"),
        Column("foreign_output_share", "share 0..1", "sum FS_i Y_i / sum Y_i"),
        Column("inward_fdi", "million USD", "INVESTS_IN amounts into the region or its firms"),
        Column("top_industry", "Industry key", "industry with the largest output"),
        Column("top_industry_output", "thousand USD", "its output"),
    ),
    cypher=f"""
MATCH (r:{REGION})
WHERE ($region = '' OR r.key = $region) AND ($kind = 'any' OR r.kind = $kind)
  AND ($country = '' OR EXISTS {{ (r)-[:{LOCATED_IN}]->(:{COUNTRY} {{key: $country}}) }}
       OR EXISTS {{ (r)<-[:{PART_OF}]-(:{REGION})-[:{LOCATED_IN}]->(:{COUNTRY} {{key: $country}}) }})
CALL (r) {{
  MATCH (f:{FIRM})-[:{LOCATED_IN}]->(:{REGION})-[:{PART_OF}*0..2]->(r)
  WITH DISTINCT f
  RETURN count(f) AS firms, count(CASE WHEN f.size_class = 'sme' THEN 1 END) AS sme,
         count(CASE WHEN f.size_class = 'large' THEN 1 END) AS large,
         count(CASE WHEN f.size_class = 'tnc' THEN 1 END) AS tnc,
         sum(coalesce(f.employees, 0)) AS employees, sum(coalesce(f.output, 0.0)) AS output,
         sum(coalesce(f.output, 0.0) * coalesce(f.foreign_share, 0.0)) AS foreign_output,
         collect(f) AS fs
}}
WITH r, firms, sme, large, tnc, employees, output, foreign_output, fs WHERE firms > 0 OR $region <> ''
CALL (r, fs) {{
  OPTIONAL MATCH (x)-[i:{INVESTS_IN}]->(t) WHERE t = r OR t IN fs
  RETURN sum(coalesce(i.amount, 0.0)) AS inward_fdi
}}
CALL (fs) {{
  UNWIND (CASE WHEN size(fs) = 0 THEN [null] ELSE fs END) AS f
  WITH f.industry AS industry, sum(coalesce(f.output, 0.0)) AS o
  RETURN industry AS top_industry, o AS top_industry_output ORDER BY o DESC, industry LIMIT 1
}}
RETURN r.key AS region, r.name AS name, r.kind AS kind, firms, sme, large, tnc, employees, output,
       CASE WHEN output > 0 THEN foreign_output / output ELSE 0.0 END AS foreign_output_share,
       inward_fdi, top_industry, top_industry_output
ORDER BY output DESC, region
LIMIT $limit
""",
    layer="firm",
)

MODULES = (FDI_BY_MOTIVE, TRADE_UNIT_VALUES, REGION_PROFILE)

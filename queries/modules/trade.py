"""Country and region modules: FDI projects by motive, FDI statistics, trade unit values, region profiles.

FDI exists at two levels that are never added together (they count the same money twice):

- ``fdi-by-motive`` reads the firm level only: FDI *projects* (``INVESTS_IN``, the investor a Firm),
  counted and summed by motive (market-, resource-, efficiency-, strategic-asset-seeking; Dunning
  1993) and optionally by entry mode, origin or destination country, or year. Motives and modes
  exist only there.
- ``fdi-statistics`` reads the country level only: FDI *statistics* (``FDI_STATISTIC``) as a
  statistical source publishes them, one publisher (``reported_by``) and one measure (flow or
  position) at a time, into countries or into regions (one level at a time).

- ``trade-unit-values``: EXPORTS aggregated by exporter, importer and industry; unit value
  = sum value / sum weight, thousand USD per tonne = USD per kg (Schott 2004: higher unit
  values within a product signal quality / higher value-chain position).
- ``region-profile``: per region of ONE level (``kind``), its firms (count by size class, foreign
  affiliates by the shared definition, employees, output), the output-weighted foreign share
  sum FS_i Y_i / sum Y_i, inward FDI projects and the largest industry, ranked.

Datasets and years follow ``queries.provenance`` (default: the latest year of real data, one dataset).
"""
from __future__ import annotations

from typing import Any

from queries.errors import ParameterError
from queries.model import Column, Param, QueryModule
from queries.modules.common import ALL_YEARS, SOURCE, YEAR
from queries.modules.populations import foreign_affiliate, region_at
from queries.provenance import BASES, resolve
from schema.model import check_label, check_rel_type

FIRM, COUNTRY, REGION = map(check_label, ("Firm", "Country", "Region"))
INVESTS_IN, FDI_STATISTIC, EXPORTS, LOCATED_IN, PART_OF, MEMBER_OF = map(
    check_rel_type, ("INVESTS_IN", "FDI_STATISTIC", "EXPORTS", "LOCATED_IN", "PART_OF", "MEMBER_OF"))

FDI_BY_MOTIVE = QueryModule(
    name="fdi-by-motive",
    title="FDI projects by motive (firm level)",
    description=("Firm-level foreign direct investment projects (INVESTS_IN: an investing firm and the firm, "
                 "country or region it invests in) counted and summed by motive - market-, resource-, "
                 "efficiency- and strategic-asset-seeking (Dunning 1993) - optionally split by entry mode "
                 "(greenfield, joint venture, acquisition), origin (the investing firm's country), destination "
                 "(the target's country) or year; share of the total amount. Amounts in million USD. Country-level "
                 "FDI statistics are another level (module fdi-statistics) and are never added in."),
    params=(
        YEAR, SOURCE, ALL_YEARS,
        Param("origin", "str", "", help="investing firm's country (ISO3); empty = all"),
        Param("destination", "str", "", help="destination country (ISO3); empty = all"),
        Param("split", "choice", "none", choices=("none", "mode", "origin", "destination", "year"),
              help="second grouping besides motive"),
    ),
    columns=(
        Column("motive", "market|resource|efficiency|strategic_asset", "investment motive"),
        Column("split", "text", "value of the second grouping ('' when none)"),
        Column("projects", "count", "number of firm-level projects (INVESTS_IN links)"),
        Column("amount", "million USD", "sum of amounts"),
        Column("share", "share 0..1", "share of the total amount of the selection"),
        Column("avg_amount", "million USD", "mean amount per project"),
        Column("year", "year", "year of the projects (empty when several years were read)"),
        Column("source", "Dataset key", "dataset of the projects"),
    ),
    extra={"basis": "fdi_projects"},
    cypher=f"""
MATCH (i:{FIRM})-[r:{INVESTS_IN}]->(t)
WHERE [coalesce(r.source, ''), r.year] IN $scope_pairs
OPTIONAL MATCH (t)-[:{LOCATED_IN}]->(tc:{COUNTRY}) WHERE t:{REGION}
WITH r, i.country AS origin,
     CASE WHEN t:{COUNTRY} THEN t.key WHEN t:{REGION} THEN coalesce(t.country, tc.key) ELSE t.country END AS destination
WHERE ($origin = '' OR origin = $origin) AND ($destination = '' OR destination = $destination)
WITH r.motive AS motive, r.source AS source,
     CASE $split WHEN 'mode' THEN r.mode WHEN 'origin' THEN origin WHEN 'destination' THEN destination
                 WHEN 'year' THEN toString(r.year) ELSE '' END AS split,
     count(r) AS projects, sum(coalesce(r.amount, 0.0)) AS amount
WITH collect({{motive: motive, split: split, source: source, projects: projects, amount: amount}}) AS rows,
     sum(amount) AS total
UNWIND rows AS row
RETURN row.motive AS motive, coalesce(row.split, '') AS split, row.projects AS projects, row.amount AS amount,
       CASE WHEN total = 0 THEN 0.0 ELSE row.amount / total END AS share,
       row.amount / row.projects AS avg_amount,
       CASE WHEN size($scope_years) = 1 THEN $scope_years[0] END AS year, row.source AS source
ORDER BY amount DESC, motive, split, source
""",
    layer="firm",
)

_STATISTICS = f"""
MATCH (o:{COUNTRY})-[r:{FDI_STATISTIC}]->(d)
WHERE [coalesce(r.source, ''), r.year] IN $scope_pairs AND r.measure = $measure AND r.reported_by = $reported_by
  AND CASE $destination_kind WHEN 'country' THEN d:{COUNTRY} ELSE d:{REGION} END
  AND ($origin = '' OR o.key = $origin)
  AND ($destination = '' OR d.key = $destination OR d.country = $destination)
WITH CASE WHEN $group_by = 'destination' THEN '' ELSE o.key END AS origin,
     CASE WHEN $group_by = 'origin' THEN '' ELSE d.key END AS destination,
     r.year AS year, r.source AS source, count(r) AS statistics, sum(r.amount) AS amount,
     collect(r.motive) AS motives
WITH collect({{origin: origin, destination: destination, year: year, source: source, statistics: statistics,
              amount: amount, motive: CASE WHEN $group_by = 'pair' THEN motives[0] END}}) AS rows,
     sum(amount) AS total
UNWIND rows AS row
RETURN row.origin AS origin, row.destination AS destination, row.year AS year, row.amount AS amount,
       CASE WHEN total = 0 THEN null ELSE row.amount / total END AS share, row.statistics AS statistics,
       row.motive AS motive, $reported_by AS reported_by, $measure AS measure, row.source AS source
ORDER BY amount DESC, origin, destination, year
LIMIT $limit
"""

_PUBLISHERS = f"""
MATCH (:{COUNTRY})-[r:{FDI_STATISTIC}]->()
WHERE [coalesce(r.source, ''), r.year] IN $scope_pairs AND r.measure = $measure
RETURN DISTINCT r.reported_by AS reported_by ORDER BY reported_by
"""


def fdi_statistics(tx, p: dict[str, Any]) -> list[dict[str, Any]]:
    scope = resolve(tx, BASES["fdi_statistics"], source=p["source"], year=p["year"], all_years=p["all_years"])
    if not scope.pairs:
        return []
    params = {**p, **scope.params()}
    publishers = [r["reported_by"] for r in tx.run(_PUBLISHERS, params)]
    if p["reported_by"]:
        if p["reported_by"] not in publishers:
            raise ParameterError(f"parameter 'reported_by': no {p['measure']} statistics by {p['reported_by']!r} "
                                 f"in what was read; publishers there: {publishers or 'none'}")
        reported_by = p["reported_by"]
    elif publishers:
        # two publishers' figures of one pair are two estimates of the same money: read one
        reported_by = publishers[0]
        tx.provenance.notes.append(f"publisher {reported_by!r}" + (
            f"; also published: {publishers[1:]} (pass reported_by to choose)" if len(publishers) > 1 else ""))
    else:
        return []
    return tx.run(_STATISTICS, {**params, "reported_by": reported_by})


FDI_STATISTICS = QueryModule(
    name="fdi-statistics",
    title="FDI statistics (country level)",
    description=("Country-level FDI statistics (FDI_STATISTIC) as a statistical source publishes them: flows (the "
                 "year's transactions) or positions (stocks at year end) from an investing country into a "
                 "country or a region, one publisher and one measure at a time, per pair or summed per origin or "
                 "destination, with the share of the selection's total. Amounts in million USD; net flows and "
                 "positions may be negative. Firm-level projects are another level (module fdi-by-motive) and "
                 "are never added in; a motive appears only where the publisher reports one."),
    params=(
        YEAR, SOURCE, ALL_YEARS,
        Param("measure", "choice", "flow", choices=("flow", "position"), help="flow or position (stock)"),
        Param("reported_by", "str", "", help="publisher of the statistic; empty = the first one in the data"),
        Param("destination_kind", "choice", "country", choices=("country", "region"),
              help="statistics into countries or into regions (one level at a time)"),
        Param("origin", "str", "", help="investing country (ISO3); empty = all"),
        Param("destination", "str", "", help="destination country or region key (for regions also their "
                                             "country); empty = all"),
        Param("group_by", "choice", "pair", choices=("pair", "origin", "destination"), help="rows per"),
        Param("limit", "int", 1000, 1, 100000, help="rows returned"),
    ),
    columns=(
        Column("origin", "ISO3", "investing country ('' when summed per destination)"),
        Column("destination", "ISO3 / Region key", "destination ('' when summed per origin)"),
        Column("year", "year", "year of the statistic"),
        Column("amount", "million USD", "the statistic (summed over the group)"),
        Column("share", "share", "of the selection's total (empty when the total is 0; negative amounts give "
                                 "shares outside 0..1)"),
        Column("statistics", "count", "statistics summed in the row"),
        Column("motive", "market|resource|efficiency|strategic_asset", "only where the publisher reports one"),
        Column("reported_by", "text", "publisher of the statistic"),
        Column("measure", "flow|position", "what the amount measures"),
        Column("source", "Dataset key", "dataset the statistic was loaded from"),
    ),
    steps=fdi_statistics,
    layer="trade",
)

TRADE_UNIT_VALUES = QueryModule(
    name="trade-unit-values",
    title="Trade unit values",
    description=("Bilateral exports (EXPORTS) by exporter, importer and industry with value, weight and the "
                 "unit value sum(value) / sum(weight) in USD per kg (thousand USD / tonne); within a product, "
                 "higher unit values indicate higher quality or a higher value-chain position (Schott 2004)."),
    params=(
        YEAR, SOURCE, ALL_YEARS,
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
        Column("source", "Dataset key", "dataset of the flows"),
    ),
    extra={"basis": "trade"},
    cypher=f"""
MATCH (e:{COUNTRY})-[x:{EXPORTS}]->(m:{COUNTRY})
WHERE [coalesce(x.source, ''), x.year] IN $scope_pairs AND ($exporter = '' OR e.key = $exporter)
  AND ($importer = '' OR m.key = $importer) AND ($industry = '' OR toLower(x.industry) CONTAINS toLower($industry))
  AND ($use = 'any' OR x.use = $use)
WITH e.key AS exporter, m.key AS importer, x.industry AS industry, x.year AS year, x.source AS source,
     sum(coalesce(x.value, 0.0)) AS value, sum(coalesce(x.weight, 0.0)) AS weight, count(x) AS flows
RETURN exporter, importer, industry, year, value, weight,
       CASE WHEN weight > 0 THEN value / weight ELSE null END AS unit_value, flows, source
ORDER BY CASE $order_by WHEN 'unit_value' THEN -coalesce(unit_value, 0.0) WHEN 'weight' THEN -weight
         ELSE -value END, exporter, importer, industry, year
LIMIT $limit
""",
    layer="trade",
)

REGION_ORDER = ("output", "firms", "employees", "foreign_output_share", "foreign_affiliates", "inward_fdi")

# Firms of one dataset, each in its region of kind $region_kind (groupings: every grouping its country is in).
_REGION_FIRMS = f"""
MATCH (f:{FIRM}) WHERE coalesce(f.source, '') IN $firm_sources
UNWIND (CASE WHEN $region_kind = 'grouping'
             THEN COLLECT {{ MATCH (:{COUNTRY} {{key: f.country}})-[:{MEMBER_OF}]->(g:{REGION})
                            WHERE g.kind = 'grouping' RETURN g.key }}
             ELSE [{region_at("f")}] END) AS region
WITH f, region WHERE region IS NOT NULL AND ($region = '' OR region = $region)
MATCH (r:{REGION} {{key: region}})
WHERE $country = '' OR r.country = $country OR EXISTS {{ (r)-[:{LOCATED_IN}]->(:{COUNTRY} {{key: $country}}) }}
  OR EXISTS {{ (:{COUNTRY} {{key: $country}})-[:{MEMBER_OF}]->(r) }}
WITH r, collect(f) AS fs
CALL (fs) {{
  UNWIND fs AS f
  RETURN count(f) AS firms, count(CASE WHEN f.size_class = 'sme' THEN 1 END) AS sme,
         count(CASE WHEN f.size_class = 'large' THEN 1 END) AS large,
         count(CASE WHEN f.size_class = 'tnc' THEN 1 END) AS tnc,
         count(CASE WHEN {foreign_affiliate("f")} THEN 1 END) AS foreign_affiliates,
         sum(coalesce(f.employees, 0)) AS employees, sum(coalesce(f.output, 0.0)) AS output,
         sum(coalesce(f.output, 0.0) * coalesce(f.foreign_share, 0.0)) AS foreign_output
}}
OPTIONAL CALL (r, fs) {{
  UNWIND fs AS t
  MATCH (:{FIRM})-[x:{INVESTS_IN}]->(t) WHERE [coalesce(x.source, ''), x.year] IN $fdi_pairs
  RETURN x
  UNION
  MATCH (:{FIRM})-[x:{INVESTS_IN}]->(:{REGION})-[:{PART_OF}*0..3]->(r) WHERE [coalesce(x.source, ''), x.year] IN $fdi_pairs
  RETURN x
  UNION
  MATCH (:{FIRM})-[x:{INVESTS_IN}]->(:{COUNTRY})-[:{MEMBER_OF}]->(r) WHERE [coalesce(x.source, ''), x.year] IN $fdi_pairs
  RETURN x
  UNION
  MATCH (:{FIRM})-[x:{INVESTS_IN}]->(:{REGION})-[:{LOCATED_IN}]->(:{COUNTRY})-[:{MEMBER_OF}]->(r)
  WHERE [coalesce(x.source, ''), x.year] IN $fdi_pairs
  RETURN x
}}
WITH r, fs, firms, sme, large, tnc, foreign_affiliates, employees, output, foreign_output,
     sum(coalesce(x.amount, 0.0)) AS inward_fdi, count(x) AS inward_projects
CALL (fs) {{
  UNWIND fs AS f
  WITH f.industry AS industry, sum(coalesce(f.output, 0.0)) AS o
  RETURN industry AS top_industry, o AS top_industry_output ORDER BY o DESC, industry LIMIT 1
}}
RETURN r.key AS region, r.name AS name, r.kind AS kind, firms, sme, large, tnc, foreign_affiliates, employees,
       output, CASE WHEN output > 0 THEN foreign_output / output ELSE 0.0 END AS foreign_output_share,
       inward_fdi, inward_projects, top_industry, top_industry_output
"""


def region_profile(tx, p: dict[str, Any]) -> list[dict[str, Any]]:
    kind = p["kind"]
    if p["region"]:
        found = tx.run(f"MATCH (r:{REGION} {{key: $k}}) RETURN r.kind AS kind", {"k": p["region"]})
        if not found:
            raise ParameterError(f"parameter 'region': no Region with key {p['region']!r}")
        if found[0]["kind"] != kind:
            tx.provenance.notes.append(f"kind {found[0]['kind']!r}: the kind of region {p['region']!r}")
            kind = found[0]["kind"]
    firms = resolve(tx, BASES["firms"], source=p["source"])
    if not firms.pairs:
        return []
    fdi = resolve(tx, BASES["fdi_projects"], source=p["source"], year=p["year"], all_years=p["all_years"],
                  secondary=True)
    rows = tx.run(_REGION_FIRMS, {"firm_sources": firms.sources, "fdi_pairs": fdi.params()["scope_pairs"],
                                  "region_kind": kind, "region": p["region"], "country": p["country"]})
    rows.sort(key=lambda r: (-(r[p["order_by"]] or 0), r["region"]))
    rows = rows[: p["limit"]]
    for rank, r in enumerate(rows, start=1):
        r.update(rank=rank, fdi_year=fdi.year)
    return rows


REGION_PROFILE = QueryModule(
    name="region-profile",
    title="Region profile",
    description=("Per region of one level (kind: economic regions, subdivisions or groupings; never two levels "
                 "at once, which would count the same firms twice), ranked: its firms (a subdivision's firms count "
                 "in the economic region it is part of; a grouping's firms are those of its member countries) by "
                 "size class, the foreign affiliates among them (10% rule or an ownership chain from abroad), "
                 "employees, output, the output-weighted foreign share sum FS_i Y_i / sum Y_i (Javorcik's "
                 "horizontal measure over all industries), inward firm-level FDI projects (into its firms, into "
                 "it or a region inside it, for a grouping also into its member countries and their regions) and "
                 "the industry with the "
                 "largest output."),
    params=(
        Param("kind", "choice", "economic_region", choices=("economic_region", "subdivision", "grouping"),
              help="level of the regions (one at a time); a given region uses its own kind"),
        Param("region", "str", "", help="one Region key (e.g. KR-ECON-CAPITAL, KR-11); empty = every region of "
                                        "the kind with firms"),
        Param("country", "str", "", help="only regions of this country (ISO3)"),
        SOURCE,
        Param("year", "int", None, 1900, 2100, help="year of the inward FDI projects; empty = the latest"),
        Param("all_years", "bool", False, help="inward FDI projects of every year"),
        Param("order_by", "choice", "output", choices=REGION_ORDER, help="ranking column (largest first)"),
        Param("limit", "int", 100, 1, 10000, help="rows returned"),
    ),
    columns=(
        Column("rank", "rank", "1 = largest in the chosen order"),
        Column("region", "key", "Region key"), Column("name", "name", "region name"), Column("kind", "text", "kind"),
        Column("firms", "count", "firms located in the region (at its level)"),
        Column("sme", "count", "firms of size class sme"), Column("large", "count", "firms of size class large"),
        Column("tnc", "count", "firms of size class tnc (as the source classifies them; in the demo, multinational "
                               "parents)"),
        Column("foreign_affiliates", "count", "firms owned from abroad: foreign share >= 10% or an ownership chain "
                                              "from a foreign direct investor"),
        Column("employees", "persons", "sum of employees"), Column("output", "thousand USD", "sum of firm output"),
        Column("foreign_output_share", "share 0..1", "sum FS_i Y_i / sum Y_i"),
        Column("inward_fdi", "million USD", "firm-level FDI projects into the region or its firms"),
        Column("inward_projects", "count", "those projects"),
        Column("top_industry", "Industry key", "industry with the largest output"),
        Column("top_industry_output", "thousand USD", "its output"),
        Column("fdi_year", "year", "year of the FDI projects (empty when several years were read)"),
    ),
    steps=region_profile,
    layer="firm",
)

MODULES = (FDI_BY_MOTIVE, FDI_STATISTICS, TRADE_UNIT_VALUES, REGION_PROFILE)

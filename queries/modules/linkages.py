"""TNC-SME linkages by region, industry and year (study e), with foreign affiliates defined once
(``queries.modules.populations``).

- ``linkage-intensity``: the share of foreign affiliates' *local* purchases bought from domestic SMEs.
  Local = from suppliers in the affiliate's country; the split "same region" = from suppliers in the
  affiliate's region at ``region_kind`` (economic region by default; ``populations.compared_region``).
  Per group of affiliates (their region at that level, their industry, the year):

      intensity          = sum(purchases from domestic SMEs in the country) / sum(purchases in the country)
      regional_intensity = sum(purchases from domestic SMEs in the region)  / sum(purchases in the region)

  A domestic SME: size class ``sme`` and not a foreign affiliate itself. Affiliates without a region at
  that level form the group with an empty region (their regional intensity is empty).
- ``sme-upgrading-candidates``: the domestic SMEs that already sell to foreign affiliates of their own
  country: region, industry, number of affiliate buyers, value sold to them and its share of the SME's
  sales to firms in the year (UNCTAD World Investment Report 2001: linkages as the channel of upgrading).

Supply links: one dataset, the latest year of real data by default (``all_years``: every year of it);
firms from the same dataset when it holds them.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any

from queries.model import Column, Param, QueryModule
from queries.modules.common import ALL_YEARS, REGION_KIND, SOURCE, YEAR
from queries.modules.populations import compared_region, foreign_affiliate
from queries.provenance import BASES, resolve
from schema.model import check_label, check_rel_type

FIRM, REGION = map(check_label, ("Firm", "Region"))
SUPPLIES, LOCATED_IN, PART_OF = map(check_rel_type, ("SUPPLIES", "LOCATED_IN", "PART_OF"))

_AFFILIATE_PURCHASES = f"""
MATCH (t:{FIRM})
WHERE coalesce(t.source, '') IN $firm_sources AND ($country = '' OR t.country = $country)
  AND ($industry = '' OR toLower(t.industry) CONTAINS toLower($industry))
  AND {foreign_affiliate("t")}
WITH t, {compared_region("t")} AS t_region
MATCH (s:{FIRM})-[r:{SUPPLIES}]->(t)
WHERE [coalesce(r.source, ''), r.year] IN $flow_pairs AND s.country = t.country
WITH t, t_region, r, s.size_class = 'sme' AND NOT {foreign_affiliate("s")} AS sme, {compared_region("s")} AS s_region
WITH t, t_region, r, sme, t_region IS NOT NULL AND s_region = t_region AS same_region
RETURN t.key AS affiliate, t.country AS country, coalesce(t_region, '') AS region, t.industry AS industry,
       r.year AS year, sum(coalesce(r.value, 0.0)) AS local_purchases,
       sum(CASE WHEN sme THEN coalesce(r.value, 0.0) ELSE 0.0 END) AS local_from_smes,
       sum(CASE WHEN same_region THEN coalesce(r.value, 0.0) ELSE 0.0 END) AS region_purchases,
       sum(CASE WHEN same_region AND sme THEN coalesce(r.value, 0.0) ELSE 0.0 END) AS region_from_smes,
       t_region IS NOT NULL AS has_region
ORDER BY affiliate, year
"""

GROUPS = {"region_industry": ("country", "region", "industry"), "region": ("country", "region"),
          "industry": ("country", "industry"), "country": ("country",)}


def _scopes(tx, p):
    flows = resolve(tx, BASES["firm_flows"], source=p["source"], year=p["year"], all_years=p["all_years"],
                    allow_all_sources=False)
    firms = resolve(tx, BASES["firms"], source=p["source"], secondary=True)
    return flows, firms


def intensity(tx, p: dict[str, Any]) -> list[dict[str, Any]]:
    flows, firms = _scopes(tx, p)
    if not flows.pairs or not firms.pairs:
        return []
    rows = tx.run(_AFFILIATE_PURCHASES, {"firm_sources": firms.sources, "flow_pairs": [[s, y] for s, y in flows.pairs],
                                         "country": p["country"], "industry": p["industry"],
                                         "region_kind": p["region_kind"]})
    keys = GROUPS[p["group_by"]]
    groups: dict[tuple, dict] = defaultdict(lambda: {"affiliates": set(), "local_purchases": 0.0,
                                                     "local_from_smes": 0.0, "region_purchases": 0.0,
                                                     "region_from_smes": 0.0, "with_region": 0})
    for r in rows:
        g = groups[tuple(r[k] for k in keys) + (r["year"],)]
        g["affiliates"].add(r["affiliate"])
        g["with_region"] += bool(r["has_region"])
        for k in ("local_purchases", "local_from_smes", "region_purchases", "region_from_smes"):
            g[k] += r[k]
    out = []
    for key, g in groups.items():
        row = {k: "" for k in ("country", "region", "industry")}
        row.update(dict(zip(keys, key[:-1])))
        row.update(year=key[-1], affiliates=len(g["affiliates"]), local_purchases=g["local_purchases"],
                   local_from_smes=g["local_from_smes"],
                   intensity=g["local_from_smes"] / g["local_purchases"] if g["local_purchases"] > 0 else None,
                   region_purchases=g["region_purchases"] if g["with_region"] else None,
                   region_from_smes=g["region_from_smes"] if g["with_region"] else None,
                   regional_intensity=(g["region_from_smes"] / g["region_purchases"]
                                       if g["with_region"] and g["region_purchases"] > 0 else None),
                   source=", ".join(flows.sources))
        out.append(row)
    out.sort(key=lambda r: (-r["local_purchases"], r["country"], r["region"], r["industry"], r["year"]))
    return out[: p["limit"]]


LINKAGE_INTENSITY = QueryModule(
    name="linkage-intensity",
    title="TNC-SME linkage intensity by region, industry and year",
    description=("The share of foreign affiliates' local purchases bought from domestic SMEs (size class sme, not "
                 "foreign affiliates themselves): intensity = purchases from domestic SMEs of the affiliate's "
                 "country / all its purchases from firms of its country; regional_intensity = the same within the "
                 "affiliate's own region at region_kind (economic region by default). Summed over the affiliates "
                 "of each group (their region, industry and the year) before dividing. Foreign affiliate: foreign "
                 "equity share of 10% or more, or an ownership chain from a foreign direct investor (IMF BPM6 / "
                 "OECD Benchmark Definition). UNCTAD World Investment Report 2001. Values in thousand USD."),
    params=(YEAR, SOURCE, ALL_YEARS,
            Param("country", "str", "", help="affiliates of this country (ISO3); empty = all"),
            Param("industry", "str", "", help="text the affiliate's Industry key contains; empty = all"),
            REGION_KIND,
            Param("group_by", "choice", "region_industry", choices=tuple(GROUPS),
                  help="groups of affiliates: by region and industry, region, industry, or country (and year)"),
            Param("limit", "int", 1000, 1, 100000, help="rows returned")),
    columns=(
        Column("country", "ISO3", "affiliates' country"),
        Column("region", "Region key", "affiliates' region at region_kind ('' = without one, or not grouped)"),
        Column("industry", "Industry key", "affiliates' industry ('' = not grouped)"),
        Column("year", "year", "year of the supply links"),
        Column("affiliates", "count", "foreign affiliates with local purchases"),
        Column("local_purchases", "thousand USD", "their purchases from firms of their country"),
        Column("local_from_smes", "thousand USD", "of which from domestic SMEs"),
        Column("intensity", "share 0..1", "local_from_smes / local_purchases"),
        Column("region_purchases", "thousand USD", "purchases from firms of their own region (empty: no region)"),
        Column("region_from_smes", "thousand USD", "of which from domestic SMEs"),
        Column("regional_intensity", "share 0..1", "region_from_smes / region_purchases"),
        Column("source", "Dataset key", "dataset of the supply links"),
    ),
    steps=intensity,
    layer="firm",
)

_CANDIDATES = f"""
MATCH (s:{FIRM})
WHERE coalesce(s.source, '') IN $firm_sources AND s.size_class = 'sme' AND ($country = '' OR s.country = $country)
  AND ($industry = '' OR toLower(s.industry) CONTAINS toLower($industry))
  AND ($region = '' OR EXISTS {{ (s)-[:{LOCATED_IN}]->(:{REGION})-[:{PART_OF}*0..3]->(:{REGION} {{key: $region}}) }})
  AND EXISTS {{ MATCH (s)-[r:{SUPPLIES}]->(t:{FIRM}) WHERE [coalesce(r.source, ''), r.year] IN $flow_pairs
                AND t.country = s.country }}
  AND NOT {foreign_affiliate("s")}
MATCH (s)-[r:{SUPPLIES}]->(b:{FIRM})
WHERE [coalesce(r.source, ''), r.year] IN $flow_pairs
WITH s, r, b, b.country = s.country AND coalesce(b.source, '') IN $firm_sources AND {foreign_affiliate("b")} AS to_affiliate
WITH s, r.year AS year, sum(coalesce(r.value, 0.0)) AS sales,
     count(DISTINCT CASE WHEN to_affiliate THEN b END) AS affiliate_buyers,
     sum(CASE WHEN to_affiliate THEN coalesce(r.value, 0.0) ELSE 0.0 END) AS to_affiliates
WHERE affiliate_buyers > 0
RETURN s.key AS sme, s.name AS name, s.country AS country, {compared_region("s")} AS region, s.industry AS industry,
       year, affiliate_buyers, to_affiliates AS value_to_affiliates, sales,
       CASE WHEN sales > 0 THEN to_affiliates / sales END AS share_of_sales
ORDER BY value_to_affiliates DESC, sme, year
LIMIT $limit
"""


def candidates(tx, p: dict[str, Any]) -> list[dict[str, Any]]:
    flows, firms = _scopes(tx, p)
    if not flows.pairs or not firms.pairs:
        return []
    rows = tx.run(_CANDIDATES, {"firm_sources": firms.sources, "flow_pairs": [[s, y] for s, y in flows.pairs],
                                "country": p["country"], "region": p["region"], "industry": p["industry"],
                                "region_kind": p["region_kind"], "limit": p["limit"]})
    for r in rows:
        r["source"] = ", ".join(flows.sources)
    return rows


SME_CANDIDATES = QueryModule(
    name="sme-upgrading-candidates",
    title="SMEs supplying foreign affiliates (upgrading candidates)",
    description=("Domestic SMEs (size class sme, not foreign affiliates) that already sell to foreign affiliates of "
                 "their own country: their region (at region_kind), industry, the number of affiliate buyers, the "
                 "value sold to them (thousand USD) and its share of the SME's sales to firms in the year - the "
                 "candidates for upgrading through TNC linkages (UNCTAD World Investment Report 2001)."),
    params=(YEAR, SOURCE, ALL_YEARS,
            Param("country", "str", "", help="SMEs of this country (ISO3); empty = all"),
            Param("region", "str", "", help="SMEs located in this Region (any level); empty = all"),
            Param("industry", "str", "", help="text the SME's Industry key contains; empty = all"),
            REGION_KIND,
            Param("limit", "int", 100, 1, 100000, help="rows returned")),
    columns=(
        Column("sme", "Firm key", "the SME"), Column("name", "name", "its name"),
        Column("country", "ISO3", "its country"),
        Column("region", "Region key", "its region at region_kind"),
        Column("industry", "Industry key", "its industry"),
        Column("year", "year", "year of the supply links"),
        Column("affiliate_buyers", "count", "foreign affiliates of its country buying from it"),
        Column("value_to_affiliates", "thousand USD", "value sold to them"),
        Column("sales", "thousand USD", "all its sales to firms in the year"),
        Column("share_of_sales", "share 0..1", "value_to_affiliates / sales"),
        Column("source", "Dataset key", "dataset of the supply links"),
    ),
    steps=candidates,
    layer="firm",
)

MODULES = (LINKAGE_INTENSITY, SME_CANDIDATES)

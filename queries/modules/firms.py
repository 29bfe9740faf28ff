"""Firm and person modules: TNC-SME linkages, GVC stages, neighbourhoods, ownership, supply paths.

- ``tnc-sme-linkages``: per foreign affiliate (``queries.modules.populations``: foreign share of
  10% or more, or an ownership chain from a foreign direct investor), its domestic SME suppliers
  and buyers in a year (SMEs of the affiliate's country that are not foreign affiliates
  themselves), the values (thousand USD), the share of its purchases bought from them and the
  part of that from its own region (local linkages; UNCTAD World Investment Report 2001 on
  TNC-SME linkages).
- ``gvc-stages``: value added by GVC stage (R&D, design, parts, assembly, marketing,
  service) from PERFORMS, in stage order: the "smile curve" (Shih 1992; Mudambi 2008).
- ``firm-neighbourhood``: everything one link away from a firm: suppliers, buyers (with
  values and shares of the year), owners and holdings (equity share), investors and
  investment targets, people working for it; every row with its year and dataset.
- ``ownership-chain``: every direct and indirect owner (firms and persons) of a firm up to
  ``max_depth`` links; the effective share of a chain is the product of the OWNS shares
  along it and an owner's integrated share sums its chains; ``ultimate`` marks owners
  nobody owns (the ultimate owners); ``direct_investment`` marks owners in a direct-investment
  relationship with the firm by the OECD framework used for foreign affiliates.
- ``shortest-supply-path``: the shortest SUPPLIES path(s) of a year from one Sector/Firm to
  another (fewest links), with the product of technical coefficients a along each.

Datasets and years follow ``queries.provenance`` (default: the latest year of real data, one dataset).
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any

from queries.errors import ParameterError
from queries.model import Column, Param, QueryModule
from queries.modules.common import ALL_YEARS, REGION_KIND, SOURCE, YEAR
from queries.modules.populations import (CONTROL_THRESHOLD, FDI_THRESHOLD, by_foreign_share, foreign_affiliate,
                                         foreign_parent, compared_region)
from queries.provenance import ALL_SOURCES, BASES, node_flows, resolve
from schema.model import check_label, check_rel_type

FIRM, PERSON, STAGE, SECTOR, REGION = map(check_label, ("Firm", "Person", "Stage", "Sector", "Region"))
SUPPLIES, OWNS, INVESTS_IN, WORKS_FOR, PERFORMS, LOCATED_IN, PART_OF = map(
    check_rel_type, ("SUPPLIES", "OWNS", "INVESTS_IN", "WORKS_FOR", "PERFORMS", "LOCATED_IN", "PART_OF"))

_LINKAGES = f"""
MATCH (t:{FIRM})
WHERE coalesce(t.source, '') IN $firm_sources AND ($country = '' OR t.country = $country)
  AND ($region = '' OR EXISTS {{ (t)-[:{LOCATED_IN}]->(:{REGION})-[:{PART_OF}*0..3]->(:{REGION} {{key: $region}}) }})
  AND {foreign_affiliate("t")}
WITH t, {compared_region("t")} AS t_region
CALL (t) {{
  OPTIONAL MATCH (:{FIRM})-[r:{SUPPLIES}]->(t) WHERE r.year = $year AND coalesce(r.source, '') IN $flow_sources
  RETURN sum(coalesce(r.value, 0.0)) AS purchases
}}
CALL (t, t_region) {{
  OPTIONAL MATCH (s:{FIRM})-[r:{SUPPLIES}]->(t)
  WHERE r.year = $year AND coalesce(r.source, '') IN $flow_sources
    AND s.size_class = 'sme' AND s.country = t.country AND NOT {foreign_affiliate("s")}
  WITH s, r, {compared_region("s")} AS s_region
  RETURN count(DISTINCT s) AS sme_suppliers, sum(coalesce(r.value, 0.0)) AS from_smes,
         sum(CASE WHEN t_region IS NOT NULL AND s_region = t_region THEN r.value ELSE 0.0 END) AS local
}}
CALL (t) {{
  OPTIONAL MATCH (t)-[r:{SUPPLIES}]->(b:{FIRM})
  WHERE r.year = $year AND coalesce(r.source, '') IN $flow_sources
    AND b.size_class = 'sme' AND b.country = t.country AND NOT {foreign_affiliate("b")}
  RETURN count(DISTINCT b) AS sme_buyers, sum(coalesce(r.value, 0.0)) AS sales
}}
WITH t, t_region, purchases, sme_suppliers, from_smes, local, sme_buyers, sales WHERE sme_suppliers + sme_buyers > 0
WITH t, t_region, purchases, sme_suppliers, from_smes, local, sme_buyers, sales, {foreign_parent("t")} AS parent
RETURN t.key AS affiliate, t.name AS name, t.country AS country, t.region AS region, t_region AS compared_region,
       t.foreign_share AS foreign_share, parent AS foreign_parent,
       CASE WHEN {by_foreign_share("t")} AND parent IS NOT NULL THEN 'foreign_share, ownership_chain'
            WHEN {by_foreign_share("t")} THEN 'foreign_share' ELSE 'ownership_chain' END AS affiliate_by,
       purchases, sme_suppliers, from_smes AS purchases_from_smes,
       CASE WHEN purchases > 0 THEN from_smes / purchases ELSE 0.0 END AS sme_purchase_share,
       CASE WHEN t_region IS NULL THEN null WHEN from_smes > 0 THEN local / from_smes ELSE 0.0 END
         AS local_purchase_share,
       sme_buyers, sales AS sales_to_smes
ORDER BY purchases_from_smes + sales_to_smes DESC, affiliate
LIMIT $limit
"""


def tnc_sme(tx, p: dict[str, Any]) -> list[dict[str, Any]]:
    flows = resolve(tx, BASES["firm_flows"], source=p["source"], year=p["year"])
    firms = resolve(tx, BASES["firms"], source=p["source"], secondary=True)
    if not flows.pairs or not firms.pairs:
        return []
    rows = tx.run(_LINKAGES, {"firm_sources": firms.sources, "flow_sources": flows.sources, "year": flows.year,
                              "country": p["country"], "region": p["region"], "region_kind": p["region_kind"],
                              "limit": p["limit"]})
    for r in rows:
        r.update(year=flows.year, source=", ".join(flows.sources))
    return rows


TNC_SME = QueryModule(
    name="tnc-sme-linkages",
    title="TNC-SME linkages",
    description=("Per foreign affiliate (a firm with a foreign equity share of 10% or more, or reached by an "
                 "ownership chain from a foreign direct investor: IMF BPM6 / OECD Benchmark Definition): its "
                 "domestic SME suppliers and buyers in a year (SMEs of its country that are not foreign "
                 "affiliates), purchase and sales values, the share of its purchases bought from them, and the part "
                 "of that from its own region (local backward linkages; UNCTAD World Investment Report 2001)."),
    params=(YEAR, SOURCE,
            Param("country", "str", "", help="affiliate's country (ISO3); empty = all"),
            Param("region", "str", "", help="affiliates located in this Region (any level); empty = all"),
            REGION_KIND,
            Param("limit", "int", 100, 1, 100000, help="rows returned")),
    columns=(
        Column("affiliate", "Firm key", "foreign affiliate"), Column("name", "name", "its name"),
        Column("country", "ISO3", "its country"), Column("region", "Region key", "its region"),
        Column("compared_region", "Region key", "its region at region_kind (what 'local' means)"),
        Column("foreign_share", "share 0..1", "its foreign equity share"),
        Column("foreign_parent", "key", "the foreign direct investor with the largest chain share (empty when only "
                                        "the foreign share makes it an affiliate)"),
        Column("affiliate_by", "text", "what makes it a foreign affiliate: foreign_share and/or ownership_chain"),
        Column("purchases", "thousand USD", "everything it bought from firms in the year"),
        Column("sme_suppliers", "count", "domestic SMEs selling to it"),
        Column("purchases_from_smes", "thousand USD", "value bought from domestic SMEs"),
        Column("sme_purchase_share", "share 0..1", "purchases_from_smes / purchases"),
        Column("local_purchase_share", "share 0..1", "part of purchases_from_smes from SMEs in its region (empty "
                                                     "when it has no region)"),
        Column("sme_buyers", "count", "domestic SMEs buying from it"),
        Column("sales_to_smes", "thousand USD", "value sold to domestic SMEs"),
        Column("year", "year", "year of the flows"),
        Column("source", "Dataset key", "dataset of the flows"),
    ),
    steps=tnc_sme,
    layer="firm",
)

GVC_STAGES = QueryModule(
    name="gvc-stages",
    title="GVC stages (smile curve)",
    description=("Value added by GVC stage - R&D, design, parts, assembly, marketing, service - summed over the "
                 "PERFORMS links of the selected firms, in stage order, with each stage's share and value added "
                 "per firm: the smile curve (Shih 1992; Mudambi 2008), where the ends of the chain capture more "
                 "value than assembly. Firms can be selected by size class and by ownership (foreign affiliates "
                 "by the shared 10% / ownership-chain definition, or domestic firms)."),
    params=(YEAR, SOURCE, ALL_YEARS,
            Param("country", "str", "", help="firms of this country (ISO3); empty = all"),
            Param("region", "str", "", help="firms located in this Region (any level); empty = all"),
            Param("industry", "str", "", help="text the firm's Industry key contains; empty = all"),
            Param("size_class", "choice", "any", choices=("any", "sme", "large", "tnc"), help="firm size class"),
            Param("ownership", "choice", "any", choices=("any", "foreign_affiliate", "domestic"),
                  help="foreign affiliates (10% rule or ownership chain from abroad) or the other firms")),
    columns=(
        Column("stage", "key", "rnd|design|parts|assembly|marketing|service"), Column("name", "name", "stage name"),
        Column("order", "position", "position along the chain (1 = first)"),
        Column("firms", "count", "firms performing it"), Column("value_added", "thousand USD", "sum of value added"),
        Column("share", "share 0..1", "of the value added of all stages (of the same dataset)"),
        Column("value_added_per_firm", "thousand USD", "value_added / firms"),
        Column("year", "year", "year of the stages (empty when several years were read)"),
        Column("source", "Dataset key", "dataset of the stages"),
    ),
    extra={"basis": "gvc_stages"},
    cypher=f"""
MATCH (f:{FIRM})-[p:{PERFORMS}]->(s:{STAGE})
WHERE [coalesce(p.source, ''), p.year] IN $scope_pairs AND ($country = '' OR f.country = $country)
  AND ($region = '' OR EXISTS {{ (f)-[:{LOCATED_IN}]->(:{REGION})-[:{PART_OF}*0..3]->(:{REGION} {{key: $region}}) }})
  AND ($industry = '' OR toLower(f.industry) CONTAINS toLower($industry))
  AND ($size_class = 'any' OR f.size_class = $size_class)
  AND ($ownership = 'any' OR ({foreign_affiliate("f")}) = ($ownership = 'foreign_affiliate'))
WITH s, p.source AS source, count(DISTINCT f) AS firms, sum(coalesce(p.value_added, 0.0)) AS va
WITH source, collect({{s: s, firms: firms, va: va}}) AS rows, sum(va) AS total
UNWIND rows AS row
RETURN row.s.key AS stage, row.s.name AS name, row.s.order AS order, row.firms AS firms, row.va AS value_added,
       CASE WHEN total = 0 THEN 0.0 ELSE row.va / total END AS share,
       row.va / row.firms AS value_added_per_firm,
       CASE WHEN size($scope_years) = 1 THEN $scope_years[0] END AS year, source
ORDER BY source, order, stage
""",
    layer="firm",
)

_NEIGHBOURS = f"""
MATCH (f:{FIRM} {{key: $firm}})
CALL (f) {{
  MATCH (n:{FIRM})-[r:{SUPPLIES}]->(f) WHERE r.year = $year
  RETURN 'supplier' AS relation, n, r.value AS value, r.a AS share, r.product AS detail, r
  UNION ALL
  MATCH (f)-[r:{SUPPLIES}]->(n:{FIRM}) WHERE r.year = $year
  RETURN 'buyer' AS relation, n, r.value AS value, r.b AS share, r.product AS detail, r
  UNION ALL
  MATCH (n)-[r:{OWNS}]->(f) RETURN 'owner' AS relation, n, r.share AS value, r.share AS share, null AS detail, r
  UNION ALL
  MATCH (f)-[r:{OWNS}]->(n) RETURN 'holding' AS relation, n, r.share AS value, r.share AS share, null AS detail, r
  UNION ALL
  MATCH (n)-[r:{INVESTS_IN}]->(f)
  RETURN 'investor' AS relation, n, r.amount AS value, null AS share, r.motive + '/' + r.mode AS detail, r
  UNION ALL
  MATCH (f)-[r:{INVESTS_IN}]->(n)
  RETURN 'investment' AS relation, n, r.amount AS value, null AS share, r.motive + '/' + r.mode AS detail, r
  UNION ALL
  MATCH (n:{PERSON})-[r:{WORKS_FOR}]->(f) RETURN 'person' AS relation, n, null AS value, null AS share,
        r.role AS detail, r
}}
WITH relation, n, value, share, detail, r WHERE $every OR coalesce(r.source, '') IN $sources
RETURN relation, n.key AS key, n.name AS name, head(labels(n)) AS kind,
       coalesce(n.country, n.nationality, CASE WHEN n.iso2 IS NOT NULL THEN n.key END) AS country,
       n.region AS region, value, share, detail, r.year AS year, coalesce(r.source, '') AS source
ORDER BY relation, value DESC, key
"""


def neighbourhood(tx, p: dict[str, Any]) -> list[dict[str, Any]]:
    found = tx.run(f"MATCH (f:{FIRM} {{key: $k}}) RETURN coalesce(f.source, '') AS source", {"k": p["firm"]})
    if not found:
        raise ParameterError(f"no Firm with key {p['firm']!r}")
    # supply links: one dataset and year (the firm's latest year of real data by default); the other links:
    # every year, of the same dataset (or of the firm's own dataset when it has no supply links)
    flows = resolve(tx, node_flows("Firm"), source=p["source"], year=p["year"], params={"node": p["firm"]})
    every = p["source"] == ALL_SOURCES
    sources = flows.sources or [p["source"] or found[0]["source"]]
    rows = tx.run(_NEIGHBOURS, {"firm": p["firm"], "year": flows.year, "sources": sources, "every": every})
    prov = tx.provenance
    out = []
    for r in rows:
        if r["relation"] not in ("supplier", "buyer"):
            if prov.skipped(r["source"], r["year"]):
                continue
            prov.saw(r["source"], r["year"])
        out.append(r)
    return out[: p["limit"]]


FIRM_NEIGHBOURHOOD = QueryModule(
    name="firm-neighbourhood",
    title="Firm neighbourhood",
    description=("Everything one link away from a firm: suppliers and buyers of a year (value in thousand USD, "
                 "supply shares a and b), owners and holdings (equity share), firm-level FDI investors and targets "
                 "(million USD), and the people working for it (role); each row with its year and dataset. By "
                 "default one dataset: the one holding the firm's latest year of real supply links (or the firm's "
                 "own); source = '*' lists every dataset's links."),
    params=(Param("firm", "str", None, required=True, help="Firm key"), YEAR,
            Param("source", "str", "", help="Dataset key of the links; empty = the one holding the firm's latest "
                                            "year of real supply links; * = every dataset"),
            Param("limit", "int", 200, 1, 100000, help="rows returned")),
    columns=(
        Column("relation", "text", "supplier|buyer|owner|holding|investor|investment|person"),
        Column("key", "key", "neighbour's key"), Column("name", "name", "neighbour's name"),
        Column("kind", "label", "Firm|Person|Country|Region"), Column("country", "ISO3", "neighbour's country"),
        Column("region", "Region key", "neighbour's region"),
        Column("value", "thousand USD (supplies) / million USD (FDI) / share (ownership)", "strength"),
        Column("share", "share 0..1", "a (supplier), b (buyer) or equity share"),
        Column("detail", "text", "product, motive/mode, role"),
        Column("year", "year", "year of the link (empty for stakes and jobs)"),
        Column("source", "Dataset key", "dataset of the link"),
    ),
    steps=neighbourhood,
    layer="firm",
)

_CHAINS = f"""
MATCH (f:{FIRM} {{key: $firm}})
MATCH p = (o)-[:{OWNS}*1..10]->(f)
WHERE length(p) <= $max_depth AND (o:{FIRM} OR o:{PERSON})
WITH f, o, p, reduce(s = 1.0, r IN relationships(p) | s * coalesce(r.share, 0.0)) AS chain
WHERE chain >= $min_share
RETURN o.key AS owner, o.name AS name, head(labels(o)) AS kind, coalesce(o.country, o.nationality) AS country,
       coalesce(o.country, o.nationality) <> f.country AS foreign, chain, [n IN nodes(p) | n.key] AS keys,
       length(p) AS depth, [r IN relationships(p) | [coalesce(r.source, ''), r.share]] AS links,
       NOT EXISTS {{ ()-[:{OWNS}]->(o) }} AS ultimate
"""


def ownership(tx, p: dict[str, Any]) -> list[dict[str, Any]]:
    if not tx.run(f"MATCH (f:{FIRM} {{key: $k}}) RETURN f.key AS k", {"k": p["firm"]}):
        raise ParameterError(f"no Firm with key {p['firm']!r}")
    prov = tx.provenance
    owners: dict[str, dict] = {}
    chains: dict[str, list] = defaultdict(list)
    for c in tx.run(_CHAINS, {"firm": p["firm"], "max_depth": p["max_depth"], "min_share": p["min_share"]}):
        # a stake written by a load still in progress may be half of the picture: drop chains through one
        skipped = [prov.skipped(src, None) for src, _ in c["links"]]
        if any(skipped):
            continue
        for src, _ in c["links"]:
            prov.saw(src)
        shares = [share for _, share in c["links"]]
        # a direct-investment relationship (OECD BMD4 framework): every link >= 10%, at most one of 50% or less
        c["direct_investment"] = all(s >= FDI_THRESHOLD for s in shares) and \
            sum(s <= CONTROL_THRESHOLD for s in shares) <= 1
        owners.setdefault(c["owner"], c)
        chains[c["owner"]].append(c)
    rows = []
    for key, first in owners.items():
        mine = sorted(chains[key], key=lambda c: (-c["chain"], c["depth"]))
        best = mine[0]
        rows.append({"owner": key, "name": first["name"], "kind": first["kind"], "country": first["country"],
                     "effective_share": sum(c["chain"] for c in mine), "strongest_chain_share": best["chain"],
                     "path": best["keys"], "depth": best["depth"], "chains": len(mine),
                     "ultimate": first["ultimate"], "foreign": bool(first["foreign"]),
                     "direct_investment": any(c["direct_investment"] for c in mine)})
    rows.sort(key=lambda r: (-r["effective_share"], r["owner"]))
    if p["ultimate_only"]:
        rows = [r for r in rows if r["ultimate"]]
    return rows


OWNERSHIP_CHAIN = QueryModule(
    name="ownership-chain",
    title="Ownership chain (ultimate owners)",
    description=("Every direct and indirect owner of a firm - firms and persons - through OWNS chains of up to "
                 "max_depth links. The share of a chain is the product of the equity shares along it; an owner's "
                 "effective (integrated) share sums its chains; ultimate owners are those nobody owns "
                 "(cf. OECD/Eurostat ultimate controlling institutional unit; Vitali, Glattfelder and Battiston "
                 "2011 on integrated ownership). direct_investment marks owners in a direct-investment "
                 "relationship with the firm (OECD Benchmark Definition framework: a chain whose links all hold "
                 "10% or more, at most one of them 50% or less); a foreign one makes the firm a foreign affiliate."),
    params=(Param("firm", "str", None, required=True, help="Firm key"),
            Param("max_depth", "int", 6, 1, 10, help="longest chain (links)"),
            Param("min_share", "float", 0.0, 0.0, 1.0, help="drop chains whose product of shares is below this"),
            Param("ultimate_only", "bool", False, help="list only the ultimate owners")),
    columns=(
        Column("owner", "key", "owner's key"), Column("name", "name", "owner's name"),
        Column("kind", "Firm|Person", "owner kind"), Column("country", "ISO3", "country or nationality"),
        Column("effective_share", "share 0..1", "sum over chains of the product of shares"),
        Column("strongest_chain_share", "share 0..1", "product of shares along the strongest chain"),
        Column("path", "list of keys", "strongest chain, owner first, the firm last"),
        Column("depth", "links", "length of the strongest chain"), Column("chains", "count", "distinct chains"),
        Column("ultimate", "bool", "nobody owns this owner"),
        Column("foreign", "bool", "the owner's country (a person's nationality) differs from the firm's"),
        Column("direct_investment", "bool", "a chain makes it a direct investor in the firm (10% links, at most "
                                            "one of 50% or less)"),
    ),
    steps=ownership,
    layer="firm",
)

_SHORTEST = """
MATCH (a:{label} {{key: $source}}), (b:{label} {{key: $target}})
MATCH p = allShortestPaths((a)-[:{rel}*..{maxlen}]->(b))
WHERE all(r IN relationships(p) WHERE r.year = $year AND coalesce(r.source, '') IN $sources)
RETURN [n IN nodes(p) | n.key] AS path, length(p) AS links,
       reduce(v = 1.0, r IN relationships(p) | v * coalesce(r.a, 0.0)) AS value,
       reduce(m = null, r IN relationships(p) | CASE WHEN m IS NULL OR r.value < m THEN r.value ELSE m END)
         AS smallest_flow
ORDER BY value DESC
LIMIT $limit
"""


def shortest(tx, p: dict[str, Any]) -> list[dict[str, Any]]:
    label = None
    for cand in ("Sector", "Firm"):
        n = tx.run(f"MATCH (n:{check_label(cand)}) WHERE n.key IN [$s, $t] RETURN count(n) AS c",
                   {"s": p["source"], "t": p["target"]})[0]["c"]
        if n == 2 or (n == 1 and p["source"] == p["target"]):
            label = cand
            break
    if label is None:
        raise ParameterError(f"{p['source']!r} and {p['target']!r} are not two Sectors or two Firms")
    scope = resolve(tx, node_flows(label), source=p["dataset"], year=p["year"], params={"node": p["source"]},
                    allow_all_sources=label == "Firm")
    if not scope.pairs:
        return []
    cypher = _SHORTEST.format(label=label, rel=SUPPLIES, maxlen=int(p["max_links"]))
    rows = tx.run(cypher, {"source": p["source"], "target": p["target"], "year": scope.year,
                           "sources": scope.sources, "limit": p["limit"]})
    for r in rows:
        r.update(year=scope.year, dataset=", ".join(scope.sources))
    return rows


SHORTEST_SUPPLY_PATH = QueryModule(
    name="shortest-supply-path",
    title="Shortest supply path",
    description=("The shortest chains of SUPPLIES links of one dataset and year (fewest links, direction of goods) "
                 "from a supplier Sector/Firm to a buyer Sector/Firm, ranked by the product of technical "
                 "coefficients a along the path (the share of the buyer's inputs the chain carries)."),
    params=(Param("source", "str", None, required=True, help="supplier key (Sector COUNTRY|INDUSTRY or Firm)"),
            Param("target", "str", None, required=True, help="buyer key of the same kind"),
            YEAR,
            Param("dataset", "str", "", help="Dataset key of the links; empty = the one holding the supplier's "
                                             "latest year of real data; * = every dataset's firm links"),
            Param("max_links", "int", 8, 1, 15, help="longest path considered"),
            Param("limit", "int", 10, 1, 1000, help="paths returned")),
    columns=(
        Column("path", "list of keys", "from source to target"), Column("links", "links", "path length"),
        Column("value", "share", "product of a along the path"),
        Column("smallest_flow", "table currency / thousand USD", "smallest flow on the path"),
        Column("year", "year", "year of the flows"),
        Column("dataset", "Dataset key", "dataset of the flows"),
    ),
    steps=shortest,
    layer="any",
)

MODULES = (TNC_SME, GVC_STAGES, FIRM_NEIGHBOURHOOD, OWNERSHIP_CHAIN, SHORTEST_SUPPLY_PATH)

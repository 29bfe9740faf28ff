"""Firm and person modules: TNC-SME linkages, GVC stages, neighbourhoods, ownership, supply paths.

- ``tnc-sme-linkages``: per TNC affiliate, its SME suppliers and SME buyers in a year, the
  values (thousand USD) and the share of them inside the TNC's own region (local linkages,
  UNCTAD World Investment Report 2001 on TNC-SME linkages).
- ``gvc-stages``: value added by GVC stage (R&D, design, parts, assembly, marketing,
  service) from PERFORMS, in stage order: the "smile curve" (Shih 1992; Mudambi 2008).
- ``firm-neighbourhood``: everything one link away from a firm: suppliers, buyers (with
  values and shares of the year), owners and holdings (equity share), investors and
  investment targets, people working for it.
- ``ownership-chain``: every direct and indirect owner (firms and persons) of a firm up to
  ``max_depth`` links; the effective share of a chain is the product of the OWNS shares
  along it and an owner's integrated share sums its chains; ``ultimate`` marks owners
  nobody owns (the ultimate owners).
- ``shortest-supply-path``: the shortest SUPPLIES path(s) of a year from one Sector/Firm to
  another (fewest links), with the product of technical coefficients a along each.
"""
from __future__ import annotations

from typing import Any

from queries.errors import ParameterError
from queries.model import Column, Param, QueryModule
from schema.model import check_label, check_rel_type

FIRM, PERSON, STAGE, SECTOR, REGION = map(check_label, ("Firm", "Person", "Stage", "Sector", "Region"))
SUPPLIES, OWNS, INVESTS_IN, WORKS_FOR, PERFORMS = map(
    check_rel_type, ("SUPPLIES", "OWNS", "INVESTS_IN", "WORKS_FOR", "PERFORMS"))

YEAR = Param("year", "int", None, 1900, 2100, help="year of the flows; empty = the latest")
_LATEST_FIRM_YEAR = f"""
CALL () {{ MATCH (:{FIRM})-[l:{SUPPLIES}]->(:{FIRM}) RETURN max(l.year) AS latest }}
WITH coalesce($year, latest) AS yr
"""

TNC_SME = QueryModule(
    name="tnc-sme-linkages",
    title="TNC-SME linkages",
    description=("Per TNC affiliate (size_class tnc): its SME suppliers and SME buyers in a year, purchase and "
                 "sales values, and the share of the purchases made from SMEs in the TNC's own region (local "
                 "backward linkages; UNCTAD World Investment Report 2001)."),
    params=(YEAR,
            Param("country", "str", "", help="TNC affiliate's country (ISO3); empty = all"),
            Param("region", "str", "", help="TNC affiliate's Region key; empty = all"),
            Param("limit", "int", 100, 1, 100000, help="rows returned")),
    columns=(
        Column("tnc", "Firm key", "TNC affiliate"), Column("name", "name", "its name"),
        Column("country", "ISO3", "its country"), Column("region", "Region key", "its region"),
        Column("foreign_share", "share 0..1", "its foreign equity share"),
        Column("sme_suppliers", "count", "SMEs selling to it"),
        Column("purchases_from_smes", "thousand USD", "value bought from SMEs"),
        Column("local_purchase_share", "share 0..1", "part of that bought from SMEs in its region"),
        Column("sme_buyers", "count", "SMEs buying from it"),
        Column("sales_to_smes", "thousand USD", "value sold to SMEs"),
        Column("year", "year", "year of the flows"),
    ),
    cypher=_LATEST_FIRM_YEAR + f"""
MATCH (t:{FIRM} {{size_class: 'tnc'}})
WHERE ($country = '' OR t.country = $country) AND ($region = '' OR t.region = $region)
CALL (t, yr) {{
  OPTIONAL MATCH (s:{FIRM} {{size_class: 'sme'}})-[r:{SUPPLIES}]->(t) WHERE r.year = yr
  RETURN count(DISTINCT s) AS sme_suppliers, sum(coalesce(r.value, 0.0)) AS purchases,
         sum(CASE WHEN s.region IS NOT NULL AND s.region = t.region THEN r.value ELSE 0.0 END) AS local
}}
CALL (t, yr) {{
  OPTIONAL MATCH (t)-[r:{SUPPLIES}]->(b:{FIRM} {{size_class: 'sme'}}) WHERE r.year = yr
  RETURN count(DISTINCT b) AS sme_buyers, sum(coalesce(r.value, 0.0)) AS sales
}}
WITH t, yr, sme_suppliers, purchases, local, sme_buyers, sales WHERE sme_suppliers + sme_buyers > 0
RETURN t.key AS tnc, t.name AS name, t.country AS country, t.region AS region, t.foreign_share AS foreign_share,
       sme_suppliers, purchases AS purchases_from_smes,
       CASE WHEN purchases > 0 THEN local / purchases ELSE 0.0 END AS local_purchase_share,
       sme_buyers, sales AS sales_to_smes, yr AS year
ORDER BY purchases_from_smes + sales_to_smes DESC, tnc
LIMIT $limit
""",
    layer="firm",
)

GVC_STAGES = QueryModule(
    name="gvc-stages",
    title="GVC stages (smile curve)",
    description=("Value added by GVC stage - R&D, design, parts, assembly, marketing, service - summed over the "
                 "PERFORMS links of the selected firms, in stage order, with each stage's share and value added "
                 "per firm: the smile curve (Shih 1992; Mudambi 2008), where the ends of the chain capture more "
                 "value than assembly."),
    params=(Param("year", "int", None, 1900, 2100, help="year; empty = all years"),
            Param("country", "str", "", help="firms of this country (ISO3); empty = all"),
            Param("region", "str", "", help="firms of this Region key; empty = all"),
            Param("industry", "str", "", help="text the firm's Industry key contains; empty = all"),
            Param("size_class", "choice", "any", choices=("any", "sme", "large", "tnc"), help="firm size class")),
    columns=(
        Column("stage", "key", "rnd|design|parts|assembly|marketing|service"), Column("name", "name", "stage name"),
        Column("order", "position", "position along the chain (1 = first)"),
        Column("firms", "count", "firms performing it"), Column("value_added", "thousand USD", "sum of value added"),
        Column("share", "share 0..1", "of the value added of all stages"),
        Column("value_added_per_firm", "thousand USD", "value_added / firms"),
    ),
    cypher=f"""
MATCH (f:{FIRM})-[p:{PERFORMS}]->(s:{STAGE})
WHERE ($year IS NULL OR p.year = $year) AND ($country = '' OR f.country = $country)
  AND ($region = '' OR f.region = $region) AND ($industry = '' OR toLower(f.industry) CONTAINS toLower($industry))
  AND ($size_class = 'any' OR f.size_class = $size_class)
WITH s, count(DISTINCT f) AS firms, sum(coalesce(p.value_added, 0.0)) AS va
WITH collect({{s: s, firms: firms, va: va}}) AS rows, sum(va) AS total
UNWIND rows AS row
RETURN row.s.key AS stage, row.s.name AS name, row.s.order AS order, row.firms AS firms, row.va AS value_added,
       CASE WHEN total = 0 THEN 0.0 ELSE row.va / total END AS share,
       row.va / row.firms AS value_added_per_firm
ORDER BY order, stage
""",
    layer="firm",
)

FIRM_NEIGHBOURHOOD = QueryModule(
    name="firm-neighbourhood",
    title="Firm neighbourhood",
    description=("Everything one link away from a firm: suppliers and buyers of a year (value in thousand USD, "
                 "supply shares a and b), owners and holdings (equity share), FDI investors and targets "
                 "(million USD), and the people working for it (role)."),
    params=(Param("firm", "str", None, required=True, help="Firm key"), YEAR,
            Param("limit", "int", 200, 1, 100000, help="rows returned")),
    columns=(
        Column("relation", "text", "supplier|buyer|owner|holding|investor|investment|person"),
        Column("key", "key", "neighbour's key"), Column("name", "name", "neighbour's name"),
        Column("kind", "label", "Firm|Person|Country|Region"), Column("country", "ISO3", "neighbour's country"),
        Column("region", "Region key", "neighbour's region"),
        Column("value", "thousand USD (supplies) / million USD (FDI) / share (ownership)", "strength"),
        Column("share", "share 0..1", "a (supplier), b (buyer) or equity share"),
        Column("detail", "text", "product, motive/mode, role"),
    ),
    cypher=f"""
MATCH (f:{FIRM} {{key: $firm}})
CALL (f) {{
  OPTIONAL MATCH (f)-[l:{SUPPLIES}]-(:{FIRM}) RETURN max(l.year) AS latest
}}
WITH f, coalesce($year, latest) AS yr
CALL (f, yr) {{
  MATCH (n:{FIRM})-[r:{SUPPLIES}]->(f) WHERE r.year = yr
  RETURN 'supplier' AS relation, n, r.value AS value, r.a AS share, r.product AS detail
  UNION ALL
  MATCH (f)-[r:{SUPPLIES}]->(n:{FIRM}) WHERE r.year = yr
  RETURN 'buyer' AS relation, n, r.value AS value, r.b AS share, r.product AS detail
  UNION ALL
  MATCH (n)-[r:{OWNS}]->(f) RETURN 'owner' AS relation, n, r.share AS value, r.share AS share, null AS detail
  UNION ALL
  MATCH (f)-[r:{OWNS}]->(n) RETURN 'holding' AS relation, n, r.share AS value, r.share AS share, null AS detail
  UNION ALL
  MATCH (n)-[r:{INVESTS_IN}]->(f)
  RETURN 'investor' AS relation, n, r.amount AS value, null AS share, r.motive + '/' + r.mode AS detail
  UNION ALL
  MATCH (f)-[r:{INVESTS_IN}]->(n)
  RETURN 'investment' AS relation, n, r.amount AS value, null AS share, r.motive + '/' + r.mode AS detail
  UNION ALL
  MATCH (n:{PERSON})-[r:{WORKS_FOR}]->(f) RETURN 'person' AS relation, n, null AS value, null AS share,
        r.role AS detail
}}
RETURN relation, n.key AS key, n.name AS name, head(labels(n)) AS kind,
       coalesce(n.country, n.nationality, CASE WHEN n.iso2 IS NOT NULL THEN n.key END) AS country,
       n.region AS region, value, share, detail
ORDER BY relation, value DESC, key
LIMIT $limit
""",
    layer="firm",
)

_OWNERS = f"""
MATCH (f:{FIRM} {{key: $firm}})
MATCH p = (o)-[:{OWNS}*1..10]->(f)
WHERE length(p) <= $max_depth AND (o:{FIRM} OR o:{PERSON})
WITH o, p, reduce(s = 1.0, r IN relationships(p) | s * coalesce(r.share, 0.0)) AS chain
WHERE chain >= $min_share
WITH o, chain, [n IN nodes(p) | n.key] AS keys, length(p) AS depth
ORDER BY chain DESC, depth
WITH o, collect({{keys: keys, chain: chain, depth: depth}}) AS chains
RETURN o.key AS owner, o.name AS name, head(labels(o)) AS kind, coalesce(o.country, o.nationality) AS country,
       reduce(s = 0.0, c IN chains | s + c.chain) AS effective_share, chains[0].chain AS strongest_chain_share,
       chains[0].keys AS path, chains[0].depth AS depth, size(chains) AS chains,
       NOT EXISTS {{ ()-[:{OWNS}]->(o) }} AS ultimate
ORDER BY effective_share DESC, owner
"""


def ownership(tx, p: dict[str, Any]) -> list[dict[str, Any]]:
    if not tx.run(f"MATCH (f:{FIRM} {{key: $k}}) RETURN f.key AS k", {"k": p["firm"]}):
        raise ParameterError(f"no Firm with key {p['firm']!r}")
    rows = tx.run(_OWNERS, {"firm": p["firm"], "max_depth": p["max_depth"], "min_share": p["min_share"]})
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
                 "2011 on integrated ownership)."),
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
    ),
    steps=ownership,
    layer="firm",
)

_SHORTEST = """
MATCH (a:{label} {{key: $source}}), (b:{label} {{key: $target}})
MATCH p = allShortestPaths((a)-[:{rel}*..{maxlen}]->(b))
WHERE all(r IN relationships(p) WHERE r.year = $year)
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
    year = p["year"]
    if year is None:
        year = tx.run(f"MATCH (:{label} {{key: $s}})-[r:{SUPPLIES}]-() RETURN max(r.year) AS y",
                      {"s": p["source"]})[0]["y"]
    cypher = _SHORTEST.format(label=label, rel=SUPPLIES, maxlen=int(p["max_links"]))
    rows = tx.run(cypher, {"source": p["source"], "target": p["target"], "year": year, "limit": p["limit"]})
    for r in rows:
        r["year"] = year
    return rows


SHORTEST_SUPPLY_PATH = QueryModule(
    name="shortest-supply-path",
    title="Shortest supply path",
    description=("The shortest chains of SUPPLIES links of one year (fewest links, direction of goods) from a "
                 "supplier Sector/Firm to a buyer Sector/Firm, ranked by the product of technical coefficients "
                 "a along the path (the share of the buyer's inputs the chain carries, GUIDE section 3)."),
    params=(Param("source", "str", None, required=True, help="supplier key (Sector COUNTRY|INDUSTRY or Firm)"),
            Param("target", "str", None, required=True, help="buyer key of the same kind"),
            YEAR,
            Param("max_links", "int", 8, 1, 15, help="longest path considered"),
            Param("limit", "int", 10, 1, 1000, help="paths returned")),
    columns=(
        Column("path", "list of keys", "from source to target"), Column("links", "links", "path length"),
        Column("value", "share", "product of a along the path"),
        Column("smallest_flow", "table currency / thousand USD", "smallest flow on the path"),
        Column("year", "year", "year of the flows"),
    ),
    steps=shortest,
    layer="any",
)

MODULES = (TNC_SME, GVC_STAGES, FIRM_NEIGHBOURHOOD, OWNERSHIP_CHAIN, SHORTEST_SUPPLY_PATH)

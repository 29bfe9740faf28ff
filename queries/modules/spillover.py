"""FDI spillover channels, for one foreign-invested firm or as Javorcik measures by industry.

Firm mode (``firm`` given): the three channels through which a foreign-invested firm F can raise
the productivity of others (Javorcik 2004; regional studies): horizontal (other firms of F's
industry; value = their output), backward (F's suppliers; value = F's purchases from them in
``year``) and forward (F's buyers; value = F's sales to them), each split into firms in F's own
region (``same_region``), in other regions (``other_regions``; a firm in another country is
always in another region) and firms of F's country whose region is not known
(``unknown_region``). Regions are compared at ``region_kind`` (``queries.modules.populations``:
by default the economic region, a subdivision counting as the economic region it is part of,
and a firm's own region in a country without economic regions). ``foreign_affiliate`` says whether F is one by the shared
definition (``queries.modules.populations``). Values in thousand USD.

Sector mode (no ``firm``): per industry j and per group g (a country, and a region at
``region_kind``),
  H_jg = sum_{i in j, g} FS_i Y_i / sum_{i in j, g} Y_i          (horizontal)
  Backward_jg = sum_{k != j} alpha_jk H_k,  alpha_jk = share of j's sales to firms that go to k
  Forward_jg  = sum_{m != j} sigma_jm H_m,  sigma_jm = share of j's purchases from firms bought from m
(Javorcik 2004, AER 94(3)). The coefficients alpha and sigma come from the firm supply network
of ``year`` (Firm SUPPLIES values summed by industry), because firms and input-output sectors use
different classifications; H_m in Forward uses output, as firm exports are not recorded
(Javorcik nets out exports). Each linkage is weighted with the foreign presence where the partner
firm is: ``*_inside`` sums the partners in the same group g, ``*_outside`` the partners in other
groups (other countries for the country level, other regions for the region level), and the
plain column is their sum, so spillovers inside a region can be set against those from other
regions. Firms without a region are left out of the region level.

Which data: the firm population (output, foreign share, industry, place) of one firm dataset and
the supply links of one dataset and year, each by ``queries.provenance``'s rule (by default the
latest year of real data); ``source`` names one dataset for both.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any

from queries.errors import ParameterError
from queries.model import Column, Param, QueryModule
from queries.modules.common import REGION_KIND, SOURCE, YEAR
from queries.modules.populations import compared_region, foreign_affiliate
from queries.provenance import BASES, resolve
from schema.model import check_label, check_rel_type

FIRM = check_label("Firm")
SUPPLIES = check_rel_type("SUPPLIES")

_FIRM_CHANNELS = f"""
MATCH (f:{FIRM} {{key: $firm}})
WITH f, {compared_region("f")} AS f_region
CALL (f) {{
  MATCH (o:{FIRM}) WHERE o.industry = f.industry AND o <> f AND coalesce(o.source, '') IN $firm_sources
  RETURN 'horizontal' AS channel, o AS other, coalesce(o.output, 0.0) AS value
  UNION ALL
  MATCH (o:{FIRM})-[r:{SUPPLIES}]->(f) WHERE r.year = $year AND coalesce(r.source, '') IN $flow_sources
  RETURN 'backward' AS channel, o AS other, r.value AS value
  UNION ALL
  MATCH (f)-[r:{SUPPLIES}]->(o:{FIRM}) WHERE r.year = $year AND coalesce(r.source, '') IN $flow_sources
  RETURN 'forward' AS channel, o AS other, r.value AS value
}}
WITH f, f_region, channel, other, value, {compared_region("other")} AS o_region
WITH f, channel, other, value,
     CASE WHEN other.country <> f.country THEN 'other_regions'
          WHEN f_region IS NULL OR o_region IS NULL THEN 'unknown_region'
          WHEN o_region = f_region THEN 'same_region' ELSE 'other_regions' END AS scope
WITH f, channel, scope, count(DISTINCT other) AS firms, sum(value) AS value,
     sum(CASE WHEN other.country = f.country THEN value ELSE 0.0 END) AS value_same_country
RETURN f.key AS firm, f.foreign_share AS foreign_share, {foreign_affiliate("f")} AS foreign_affiliate,
       channel, scope, firms, value, value_same_country
"""

_FIRM_GROUPS = f"""
MATCH (f:{FIRM})
WHERE coalesce(f.source, '') IN $firm_sources AND ($country = '' OR f.country = $country)
WITH f, {compared_region("f")} AS region
RETURN f.country AS country, region, f.industry AS industry, count(*) AS firms,
       sum(coalesce(f.output, 0.0)) AS output,
       sum(coalesce(f.output, 0.0) * coalesce(f.foreign_share, 0.0)) AS foreign_output
"""

_FIRM_FLOWS = f"""
MATCH (s:{FIRM})-[r:{SUPPLIES}]->(b:{FIRM})
WHERE r.year = $year AND coalesce(r.source, '') IN $flow_sources
WITH s, b, sum(r.value) AS value
RETURN s.country AS s_country, {compared_region("s")} AS s_region, s.industry AS s_industry,
       b.country AS b_country, {compared_region("b")} AS b_region, b.industry AS b_industry, sum(value) AS value
"""


def _scopes(tx, p: dict[str, Any]) -> tuple[dict[str, Any], int | None]:
    """The firm population and the supply links to read, each by the provenance rule; ``source`` names both."""
    flows = resolve(tx, BASES["firm_flows"], source=p["source"], year=p["year"])
    firms = resolve(tx, BASES["firms"], source=p["source"], secondary=True)
    return ({"firm_sources": firms.sources, "flow_sources": flows.sources, "year": flows.year,
             "region_kind": p["region_kind"]}, flows.year)


def _firm_mode(tx, p: dict[str, Any]) -> list[dict[str, Any]]:
    found = tx.run(f"MATCH (f:{FIRM} {{key: $k}}) RETURN f.key AS k", {"k": p["firm"]})
    if not found:
        raise ParameterError(f"no Firm with key {p['firm']!r}")
    params, year = _scopes(tx, p)
    rows = tx.run(_FIRM_CHANNELS, {"firm": p["firm"], **params})
    totals: dict[str, float] = defaultdict(float)
    for r in rows:
        totals[r["channel"]] += r["value"] or 0.0
    order = {"horizontal": 0, "backward": 1, "forward": 2}
    scopes = {"same_region": 0, "other_regions": 1, "unknown_region": 2}
    out = []
    for r in sorted(rows, key=lambda r: (order[r["channel"]], scopes[r["scope"]])):
        total = totals[r["channel"]]
        out.append({"level": "firm", "group": r["firm"], "channel": r["channel"], "scope": r["scope"],
                    "firms": r["firms"], "value": r["value"], "value_same_country": r["value_same_country"],
                    "share_of_channel": (r["value"] / total) if total else 0.0,
                    "foreign_share": r["foreign_share"], "foreign_affiliate": r["foreign_affiliate"], "year": year})
    return out


def _sector_mode(tx, p: dict[str, Any]) -> list[dict[str, Any]]:
    params, year = _scopes(tx, p)
    groups = tx.run(_FIRM_GROUPS, {"country": p["country"], **params})
    flows = tx.run(_FIRM_FLOWS, params) if year is not None else []
    levels = ("country", "region") if p["level"] == "both" else (p["level"],)
    out = []
    for level in levels:
        def gkey(country, region):
            return country if level == "country" else region

        y = defaultdict(float)
        fy = defaultdict(float)
        nfirms = defaultdict(int)
        country_of: dict[Any, str] = {}
        for g in groups:
            k = gkey(g["country"], g["region"])
            if k is None:
                continue
            y[(k, g["industry"])] += g["output"]
            fy[(k, g["industry"])] += g["foreign_output"]
            nfirms[(k, g["industry"])] += g["firms"]
            country_of[k] = g["country"]
        H = {key: (fy[key] / y[key] if y[key] else 0.0) for key in y}
        sales = defaultdict(float)      # (g, j) -> sales to firms
        purchases = defaultdict(float)  # (g, j) -> purchases from firms
        for f in flows:
            sales[(gkey(f["s_country"], f["s_region"]), f["s_industry"])] += f["value"]
            purchases[(gkey(f["b_country"], f["b_region"]), f["b_industry"])] += f["value"]
        back = defaultdict(lambda: [0.0, 0.0])
        fwd = defaultdict(lambda: [0.0, 0.0])
        for f in flows:
            sg, bg = gkey(f["s_country"], f["s_region"]), gkey(f["b_country"], f["b_region"])
            j, k = f["s_industry"], f["b_industry"]
            if j == k or sg is None or bg is None:
                continue
            inside = 0 if sg == bg else 1
            if sales[(sg, j)]:   # backward: j (seller in sg) sells to k in bg
                back[(sg, j)][inside] += f["value"] / sales[(sg, j)] * H.get((bg, k), 0.0)
            if purchases[(bg, k)]:  # forward: k (buyer in bg) buys from j in sg
                fwd[(bg, k)][inside] += f["value"] / purchases[(bg, k)] * H.get((sg, j), 0.0)
        for (g, j) in sorted(y, key=lambda t: (str(t[0]), str(t[1]))):
            if p["industry"] and p["industry"].lower() not in str(j).lower():
                continue
            b, fw = back[(g, j)], fwd[(g, j)]
            out.append({"level": level, "group": g, "country": country_of.get(g), "industry": j,
                        "firms": nfirms[(g, j)], "output": y[(g, j)], "horizontal": H[(g, j)],
                        "backward": b[0] + b[1], "backward_inside": b[0], "backward_outside": b[1],
                        "forward": fw[0] + fw[1], "forward_inside": fw[0], "forward_outside": fw[1],
                        "year": year})
    return out


def spillover(tx, p: dict[str, Any]) -> list[dict[str, Any]]:
    return _firm_mode(tx, p) if p["firm"] else _sector_mode(tx, p)


SPILLOVER_CHANNELS = QueryModule(
    name="spillover-channels",
    title="FDI spillover channels",
    description=("For a foreign-invested firm: horizontal (same industry), backward (its suppliers) and forward "
                 "(its buyers) channels, each split into its own region, other regions and unknown, with values. "
                 "Without a firm: the Javorcik (2004) measures H_j = sum FS_i Y_i / sum Y_i, "
                 "Backward_j = sum_{k != j} alpha_jk H_k and Forward_j = sum_{m != j} sigma_jm H_m per "
                 "industry, per country and per region, with the linkages to partners inside and outside "
                 "the group shown separately (docs/methods.md, section 11)."),
    params=(
        Param("firm", "str", "", help="Firm key for the firm channels; empty = industry measures"),
        YEAR, SOURCE,
        Param("level", "choice", "both", choices=("both", "country", "region"), help="groups of the measures"),
        REGION_KIND,
        Param("country", "str", "", help="only firms of this country (ISO3); empty = all"),
        Param("industry", "str", "", help="only industries whose key contains this text"),
    ),
    columns=(
        Column("level", "firm|country|region", "what a row describes"),
        Column("group", "key", "firm key (firm mode), country code or region key (at region_kind)"),
        Column("channel", "horizontal|backward|forward", "firm mode: spillover channel"),
        Column("scope", "same_region|other_regions|unknown_region", "firm mode: where the partner firms are"),
        Column("firms", "count", "partner firms (firm mode) or firms of the industry in the group"),
        Column("value", "thousand USD", "firm mode: competitors' output / purchases / sales"),
        Column("value_same_country", "thousand USD", "firm mode: part of value with firms of F's country"),
        Column("share_of_channel", "share 0..1", "firm mode: share of the channel's value"),
        Column("foreign_share", "share 0..1", "firm mode: F's foreign equity share"),
        Column("foreign_affiliate", "bool", "firm mode: F is a foreign affiliate (10% rule, ownership chains)"),
        Column("country", "ISO3", "group's country"), Column("industry", "Industry key", "industry j"),
        Column("output", "thousand USD", "output of the industry's firms in the group"),
        Column("horizontal", "share 0..1", "H_jg"),
        Column("backward", "share 0..1", "Backward_jg = inside + outside"),
        Column("backward_inside", "share 0..1", "part through buyers in the same group"),
        Column("backward_outside", "share 0..1", "part through buyers in other groups"),
        Column("forward", "share 0..1", "Forward_jg = inside + outside"),
        Column("forward_inside", "share 0..1", "part through suppliers in the same group"),
        Column("forward_outside", "share 0..1", "part through suppliers in other groups"),
        Column("year", "year", "year of the supply flows"),
    ),
    steps=spillover,
    layer="firm",
)

MODULES = (SPILLOVER_CHANNELS,)

"""FDI spillover channels, for one foreign-invested firm or as Javorcik measures by industry.

Firm mode (``firm`` given): the three channels through which a foreign-invested firm F
(``foreign_share`` > 0) can raise the productivity of others (Javorcik 2004; regional
studies): horizontal (other firms of F's industry; value = their output), backward (F's
suppliers; value = F's purchases from them in ``year``) and forward (F's buyers; value =
F's sales to them), each split into firms in F's own region (``same_region``) and in
other regions (``other_regions``). Values in thousand USD.

Sector mode (no ``firm``): per industry j and per group g (a country, and a region),
  H_jg = sum_{i in j, g} FS_i Y_i / sum_{i in j, g} Y_i          (horizontal)
  Backward_jg = sum_{k != j} alpha_jk H_k,  alpha_jk = share of j's sales to firms that go to k
  Forward_jg  = sum_{m != j} sigma_jm H_m,  sigma_jm = share of j's purchases from firms bought from m
(GUIDE section 3; Javorcik 2004, AER 94(3)). The coefficients alpha and sigma come from the
firm supply network of ``year`` (Firm SUPPLIES values summed by industry), because firms
and input-output sectors use different classifications; H_m in Forward uses output, as
firm exports are not recorded (Javorcik nets out exports). Each linkage is weighted with
the foreign presence where the partner firm is: ``*_inside`` sums the partners in the same
group g, ``*_outside`` the partners in other groups (other countries for the country
level, other regions for the region level), and the plain column is their sum, so
spillovers inside a region can be set against those from other regions.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Any

from queries.errors import ParameterError
from queries.model import Column, Param, QueryModule
from schema.model import check_label, check_rel_type

FIRM = check_label("Firm")
SUPPLIES = check_rel_type("SUPPLIES")

_FIRM_CHANNELS = f"""
MATCH (f:{FIRM} {{key: $firm}})
CALL (f) {{
  MATCH (o:{FIRM}) WHERE o.industry = f.industry AND o <> f
  RETURN 'horizontal' AS channel, o AS other, coalesce(o.output, 0.0) AS value
  UNION ALL
  MATCH (o:{FIRM})-[r:{SUPPLIES}]->(f) WHERE r.year = $year
  RETURN 'backward' AS channel, o AS other, r.value AS value
  UNION ALL
  MATCH (f)-[r:{SUPPLIES}]->(o:{FIRM}) WHERE r.year = $year
  RETURN 'forward' AS channel, o AS other, r.value AS value
}}
WITH f, channel, other, value,
     CASE WHEN f.region IS NOT NULL AND other.region = f.region THEN 'same_region' ELSE 'other_regions' END AS scope
WITH f, channel, scope, count(DISTINCT other) AS firms, sum(value) AS value,
     sum(CASE WHEN other.country = f.country THEN value ELSE 0.0 END) AS value_same_country
RETURN f.key AS firm, f.foreign_share AS foreign_share, channel, scope, firms, value, value_same_country
"""

_FIRM_GROUPS = f"""
MATCH (f:{FIRM})
WHERE ($country = '' OR f.country = $country)
RETURN f.country AS country, f.region AS region, f.industry AS industry, count(*) AS firms,
       sum(coalesce(f.output, 0.0)) AS output,
       sum(coalesce(f.output, 0.0) * coalesce(f.foreign_share, 0.0)) AS foreign_output
"""

_FIRM_FLOWS = f"""
MATCH (s:{FIRM})-[r:{SUPPLIES}]->(b:{FIRM})
WHERE r.year = $year
RETURN s.country AS s_country, s.region AS s_region, s.industry AS s_industry,
       b.country AS b_country, b.region AS b_region, b.industry AS b_industry, sum(r.value) AS value
"""


def _latest_firm_year(tx) -> int | None:
    rows = tx.run(f"MATCH (:{FIRM})-[r:{SUPPLIES}]->(:{FIRM}) RETURN max(r.year) AS y")
    return rows[0]["y"] if rows else None


def _firm_mode(tx, p: dict[str, Any]) -> list[dict[str, Any]]:
    found = tx.run(f"MATCH (f:{FIRM} {{key: $k}}) RETURN f.key AS k", {"k": p["firm"]})
    if not found:
        raise ParameterError(f"no Firm with key {p['firm']!r}")
    year = p["year"] if p["year"] is not None else _latest_firm_year(tx)
    rows = tx.run(_FIRM_CHANNELS, {"firm": p["firm"], "year": year})
    totals: dict[str, float] = defaultdict(float)
    for r in rows:
        totals[r["channel"]] += r["value"] or 0.0
    order = {"horizontal": 0, "backward": 1, "forward": 2}
    out = []
    for r in sorted(rows, key=lambda r: (order[r["channel"]], r["scope"] != "same_region")):
        total = totals[r["channel"]]
        out.append({"level": "firm", "group": r["firm"], "channel": r["channel"], "scope": r["scope"],
                    "firms": r["firms"], "value": r["value"], "value_same_country": r["value_same_country"],
                    "share_of_channel": (r["value"] / total) if total else 0.0,
                    "foreign_share": r["foreign_share"], "year": year})
    return out


def _sector_mode(tx, p: dict[str, Any]) -> list[dict[str, Any]]:
    year = p["year"] if p["year"] is not None else _latest_firm_year(tx)
    groups = tx.run(_FIRM_GROUPS, {"country": p["country"]})
    flows = tx.run(_FIRM_FLOWS, {"year": year}) if year is not None else []
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
                 "(its buyers) channels, each split into its own region and other regions, with values. "
                 "Without a firm: the Javorcik (2004) measures H_j = sum FS_i Y_i / sum Y_i, "
                 "Backward_j = sum_{k != j} alpha_jk H_k and Forward_j = sum_{m != j} sigma_jm H_m per "
                 "industry, per country and per region, with the linkages to partners inside and outside "
                 "the group shown separately (GUIDE section 3)."),
    params=(
        Param("firm", "str", "", help="Firm key for the firm channels; empty = industry measures"),
        Param("year", "int", None, 1900, 2100, help="year of the supply flows; empty = the latest"),
        Param("level", "choice", "both", choices=("both", "country", "region"), help="groups of the measures"),
        Param("country", "str", "", help="only firms of this country (ISO3); empty = all"),
        Param("industry", "str", "", help="only industries whose key contains this text"),
    ),
    columns=(
        Column("level", "firm|country|region", "what a row describes"),
        Column("group", "key", "firm key (firm mode), country code or region key"),
        Column("channel", "horizontal|backward|forward", "firm mode: spillover channel"),
        Column("scope", "same_region|other_regions", "firm mode: where the partner firms are"),
        Column("firms", "count", "partner firms (firm mode) or firms of the industry in the group"),
        Column("value", "thousand USD", "firm mode: competitors' output / purchases / sales"),
        Column("value_same_country", "thousand USD", "firm mode: part of value with firms of F's country"),
        Column("share_of_channel", "share 0..1", "firm mode: share of the channel's value"),
        Column("foreign_share", "share 0..1", "firm mode: F's foreign equity share"),
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

"""The global-factory panel (study a): an origin country's FDI projects by motive, its trade with each host,
and the hosts' indicators, host x year; and a two-way fixed-effects estimate of FDI by motive on them.

- ``fdi-trade-panel``: one row per host country and year. FDI by motive (Dunning 1993: market-,
  resource-, efficiency-, strategic-asset-seeking): amount (million USD) and projects, from the
  firm-level projects (INVESTS_IN) of firms of the origin only; country-level FDI statistics
  (FDI_STATISTIC) are another level and never read here. Exports (origin -> host) and imports
  (host -> origin), EXPORTS links: value (thousand USD), weight (tonnes) and unit value = value /
  weight over the flows that carry a weight (USD per kg), empty with a reason where no flow does.
  Host indicators (HAS_INDICATOR, loaded from ``country_indicators`` files): GDP, GDP per capita,
  wage, R&D share, education.
- ``fdi-trade-panel-fe``: the same panel, then y_it = a_i + d_t + x_it' b + e_it with host and year
  effects and errors clustered by host (``queries.panel.estimate``): a coefficient table.

Rows are host-years of a balanced grid: every host that receives the origin's FDI or trades with it,
times every year the datasets read cover (FDI from the projects' dataset, trade from the trade
dataset). A year a dataset covers without a record for the host is a zero; a year it does not cover
is empty. Each of the three kinds of record is read from one dataset (``queries.provenance``:
``source`` names the projects' dataset; trade and indicators take the same one if it holds them,
otherwise their own default, said in the provenance), every year of it.
"""
from __future__ import annotations

import math
from typing import Any

from queries.errors import ParameterError
from queries.model import Column, Param, QueryModule
from queries.modules.common import SOURCE
from queries.panel.estimate import PanelError, fixed_effects
from queries.provenance import BASES, Basis, resolve
from schema.model import check_label, check_rel_type

FIRM, COUNTRY, REGION, INDUSTRY, INDICATOR = map(check_label, ("Firm", "Country", "Region", "Industry", "Indicator"))
INVESTS_IN, EXPORTS, LOCATED_IN, MAPS_TO, HAS_INDICATOR = map(
    check_rel_type, ("INVESTS_IN", "EXPORTS", "LOCATED_IN", "MAPS_TO", "HAS_INDICATOR"))

MOTIVES = ("market", "resource", "efficiency", "strategic_asset")
# indicator code -> unit; the same as the table format's (loader/tables/spec.py INDICATORS; a test holds them equal)
INDICATORS = {"gdp": "million USD", "gdp_per_capita": "USD", "wage": "USD", "rnd_share": "percent of GDP",
              "education": "years"}
REGRESSORS = ("exports_unit_value", "imports_unit_value", "exports_value", "imports_value", *INDICATORS)
DEFAULT_REGRESSORS = ("exports_unit_value", "imports_unit_value", "gdp_per_capita", "wage", "rnd_share", "education")

INDICATOR_BASIS = Basis("indicators", "country indicators (HAS_INDICATOR)",
                        f"(:{COUNTRY})-[r:{HAS_INDICATOR}]->(:{INDICATOR})", "r")

_INDUSTRIES = f"""
MATCH (i:{INDUSTRY} {{key: $industry}})
RETURN i.key AS key UNION
MATCH (:{INDUSTRY} {{key: $industry}})-[:{MAPS_TO}]-(j:{INDUSTRY}) RETURN j.key AS key
"""

_FDI = f"""
MATCH (i:{FIRM})-[r:{INVESTS_IN}]->(t)
WHERE [coalesce(r.source, ''), r.year] IN $fdi_pairs AND i.country = $origin
  AND ($industries IS NULL OR i.industry IN $industries)
OPTIONAL MATCH (t)-[:{LOCATED_IN}]->(tc:{COUNTRY}) WHERE t:{REGION}
WITH r, CASE WHEN t:{COUNTRY} THEN t.key WHEN t:{REGION} THEN coalesce(t.country, tc.key) ELSE t.country END AS host
WHERE host IS NOT NULL AND host <> $origin
RETURN host, r.year AS year, r.motive AS motive, count(r) AS projects, sum(coalesce(r.amount, 0.0)) AS amount
"""

_TRADE = f"""
MATCH (e:{COUNTRY})-[x:{EXPORTS}]->(m:{COUNTRY})
WHERE [coalesce(x.source, ''), x.year] IN $trade_pairs AND (e.key = $origin OR m.key = $origin) AND e.key <> m.key
  AND ($industries IS NULL OR x.industry IN $industries)
WITH CASE WHEN e.key = $origin THEN 'exports' ELSE 'imports' END AS direction,
     CASE WHEN e.key = $origin THEN m.key ELSE e.key END AS host, x
RETURN host, x.year AS year, direction, count(x) AS flows, sum(coalesce(x.value, 0.0)) AS value,
       count(CASE WHEN x.weight > 0 THEN 1 END) AS weighed_flows,
       sum(CASE WHEN x.weight > 0 THEN x.value ELSE 0.0 END) AS weighed_value,
       sum(CASE WHEN x.weight > 0 THEN x.weight ELSE 0.0 END) AS weight,
       count(CASE WHEN x.weight IS NULL THEN 1 END) AS unweighed
"""

_INDICATORS = f"""
MATCH (c:{COUNTRY})-[h:{HAS_INDICATOR}]->(i:{INDICATOR})
WHERE [coalesce(h.source, ''), h.year] IN $indicator_pairs AND c.key IN $hosts
RETURN c.key AS host, h.year AS year, i.key AS indicator, h.value AS value, h.unit AS unit
"""

PANEL_PARAMS = (
    Param("origin", "str", None, required=True, label="Origin country", help="the investing and trading country (ISO3)"),
    Param("industry", "str", "", label="Industry", help="Industry key (e.g. ISIC4|C26); FDI of the origin's firms of "
          "that industry and trade in it, or in industries it maps to (MAPS_TO, either way); empty = all"),
    Param("years", "range", None, 1900, 2100, item="int", label="Years", help="years kept (lo..hi); empty = every "
          "year the datasets cover"),
    SOURCE,
)


PANEL_COLUMNS = (
    Column("host", "ISO3", "host country: the destination of the origin's FDI, the partner in its trade"),
    Column("year", "year", "year"),
    *[c for m in MOTIVES for c in (
        Column(f"fdi_{m}_amount", "million USD", f"{m}-seeking FDI projects of the origin's firms into the host, "
                                                  "summed (firm level, INVESTS_IN)"),
        Column(f"fdi_{m}_projects", "count", f"number of {m}-seeking projects"))],
    Column("fdi_amount", "million USD", "all motives"),
    Column("fdi_projects", "count", "all motives"),
    *[c for d, what in (("exports", "origin -> host"), ("imports", "host -> origin")) for c in (
        Column(f"{d}_value", "thousand USD", f"{d} ({what}), EXPORTS links summed"),
        Column(f"{d}_weight", "tonnes", f"weight of the {d} that carry one"),
        Column(f"{d}_unit_value", "USD/kg", f"value / weight over the {d} flows with a weight > 0 (empty: see the note)"),
        Column(f"{d}_unit_value_note", "text", "why the unit value is empty, or which part of the value it covers"))],
    *[Column(code, unit, f"host indicator {code} (HAS_INDICATOR)") for code, unit in INDICATORS.items()],
)


def _weight_note(t: dict) -> str:
    if t["weighed_flows"] == t["flows"]:
        return ""
    if t["weighed_flows"] == 0:
        if t["unweighed"] == t["flows"]:
            return "no weight loaded for these flows"
        if t["unweighed"] == 0:
            return "weight 0 on every flow (services are traded without weight)"
        return f"no flow with a weight ({t['unweighed']} without one, {t['flows'] - t['unweighed']} with weight 0)"
    share = t["weighed_value"] / t["value"] if t["value"] else 0.0
    return f"over the {t['weighed_flows']} of {t['flows']} flows with a weight ({share:.1%} of the value)"


def build_panel(tx, p: dict[str, Any]) -> list[dict[str, Any]]:
    origin = p["origin"].strip().upper()
    if not tx.run(f"MATCH (c:{COUNTRY} {{key: $k}}) RETURN c.key AS k", {"k": origin}):
        raise ParameterError(f"parameter 'origin': no Country {origin!r}; expected an ISO3 code of the graph")
    industries = None
    if p["industry"]:
        industries = [r["key"] for r in tx.run(_INDUSTRIES, {"industry": p["industry"]})]
        if not industries:
            raise ParameterError(f"parameter 'industry': no Industry {p['industry']!r}; expected a key such as "
                                 "ISIC4|C26")
    fdi = resolve(tx, BASES["fdi_projects"], source=p["source"], all_years=True, allow_all_sources=False)
    trade = resolve(tx, BASES["trade"], source=p["source"], all_years=True, allow_all_sources=False, secondary=True)
    lo, hi = p["years"] or (None, None)

    def kept(year) -> bool:
        return year is not None and (lo is None or lo <= year <= hi)

    fdi_years = {y for y in fdi.years if kept(y)}
    trade_years = {y for y in trade.years if kept(y)}
    params = {"origin": origin, "industries": industries,
              "fdi_pairs": [[s, y] for s, y in fdi.pairs], "trade_pairs": [[s, y] for s, y in trade.pairs]}
    fdi_rows = [r for r in (tx.run(_FDI, params) if fdi.pairs else []) if kept(r["year"])]
    trade_rows = [r for r in (tx.run(_TRADE, params) if trade.pairs else []) if kept(r["year"])]
    hosts = sorted({r["host"] for r in fdi_rows} | {r["host"] for r in trade_rows})
    years = sorted(fdi_years | trade_years)
    if not hosts or not years:
        return []
    indicators = resolve(tx, INDICATOR_BASIS, source=p["source"], all_years=True, allow_all_sources=False,
                         secondary=True)
    ind_rows = [r for r in tx.run(_INDICATORS, {"indicator_pairs": [[s, y] for s, y in indicators.pairs],
                                                "hosts": hosts}) if kept(r["year"])] if indicators.pairs else []
    prov = tx.provenance
    prov.notes.append(f"origin {origin}: FDI projects of its firms abroad (into {origin} itself left out) and its "
                      "trade with each host; a year a dataset covers without a record is 0, one it does not cover empty")
    if industries:
        prov.notes.append(f"industry {p['industry']}: firms and trade flows of {sorted(industries)}")

    grid = {(h, y): {"host": h, "year": y} for h in hosts for y in years}
    for row in grid.values():
        y = row["year"]
        for m in MOTIVES:
            row[f"fdi_{m}_amount"] = 0.0 if y in fdi_years else None
            row[f"fdi_{m}_projects"] = 0 if y in fdi_years else None
        for d in ("exports", "imports"):
            covered = y in trade_years
            row.update({f"{d}_value": 0.0 if covered else None, f"{d}_weight": 0.0 if covered else None,
                        f"{d}_unit_value": None,
                        f"{d}_unit_value_note": "no flow in the year" if covered else "no trade data for the year"})
        row.update({code: None for code in INDICATORS})
    for r in fdi_rows:
        row = grid[(r["host"], r["year"])]
        if r["motive"] in MOTIVES:
            row[f"fdi_{r['motive']}_amount"] += r["amount"]
            row[f"fdi_{r['motive']}_projects"] += r["projects"]
    for r in trade_rows:
        row, d = grid[(r["host"], r["year"])], r["direction"]
        row[f"{d}_value"] = r["value"]
        row[f"{d}_weight"] = r["weight"]
        row[f"{d}_unit_value"] = r["weighed_value"] / r["weight"] if r["weight"] > 0 else None
        row[f"{d}_unit_value_note"] = _weight_note(r)
    for r in ind_rows:
        if (r["host"], r["year"]) in grid and r["indicator"] in INDICATORS:
            if r["unit"] != INDICATORS[r["indicator"]]:
                raise ParameterError(f"indicator {r['indicator']} of {r['host']} {r['year']} is in {r['unit']!r}; "
                                     f"expected {INDICATORS[r['indicator']]!r}")
            grid[(r["host"], r["year"])][r["indicator"]] = r["value"]
    out = []
    for key in sorted(grid):
        row = grid[key]
        covered = row["year"] in fdi_years
        row["fdi_amount"] = sum(row[f"fdi_{m}_amount"] for m in MOTIVES) if covered else None
        row["fdi_projects"] = sum(row[f"fdi_{m}_projects"] for m in MOTIVES) if covered else None
        out.append(row)
    return out


FDI_TRADE_PANEL = QueryModule(
    name="fdi-trade-panel",
    title="Global-factory panel: FDI by motive, trade and host indicators",
    description=("For an origin country: one row per host country and year with the origin's firm-level FDI "
                 "projects into the host by motive (market-, resource-, efficiency-, strategic-asset-seeking; "
                 "Dunning 1993), amount in million USD and number of projects (INVESTS_IN only, never the "
                 "country-level FDI statistics), exports to and imports from the host (value in thousand USD, "
                 "weight in tonnes, unit value = value / weight in USD per kg over the flows with a weight; "
                 "Schott 2004), and the host's GDP, GDP per capita, wage, R&D share and education "
                 "(country_indicators). A balanced grid: every host x every year the datasets cover; a covered "
                 "year without a record is 0."),
    params=PANEL_PARAMS,
    columns=PANEL_COLUMNS,
    steps=build_panel,
    layer="trade",
)

ESTIMATE_COLUMNS = (
    Column("variable", "text", "regressor"),
    Column("coefficient", "unit of y per unit of the regressor", "within (two-way fixed effects) OLS estimate"),
    Column("std_error", "as coefficient", "clustered by host (Arellano), scaled by N / (N - K - G - T + 1)"),
    Column("t", "ratio", "coefficient / std_error"),
    Column("p_value", "probability", "two-sided, Student t with N - K - G - T + 1 degrees of freedom"),
    Column("ci_low", "as coefficient", "95% confidence interval, lower end"),
    Column("ci_high", "as coefficient", "95% confidence interval, upper end"),
    Column("n_obs", "count", "host-years used"),
    Column("hosts", "count", "host countries (clusters)"),
    Column("years", "count", "years"),
    Column("r2_within", "share 0..1", "R^2 of the within-transformed regression"),
    Column("dependent", "text", "what y is, with its unit"),
    Column("note", "text", "why there is no estimate (the panel cannot identify it); empty when estimated"),
)


def estimate(tx, p: dict[str, Any]) -> list[dict[str, Any]]:
    import pandas as pd

    rows = build_panel(tx, {k: p[k] for k in ("origin", "industry", "years", "source")})
    if not rows:
        raise ParameterError(f"no FDI projects or trade of {p['origin']!r} in the data read: nothing to estimate")
    panel = pd.DataFrame(rows)
    regressors = list(p["regressors"] or DEFAULT_REGRESSORS)
    prefix = "fdi" if p["motive"] == "all" else f"fdi_{p['motive']}"
    if p["dependent"] == "projects":
        y, what = f"{prefix}_projects", f"{prefix}_projects (count)"
    elif p["dependent"] == "log_amount":
        panel["y"] = panel[f"{prefix}_amount"].map(lambda v: math.log1p(v) if v is not None and v == v else None)
        y, what = "y", f"ln(1 + {prefix}_amount in million USD)"
    else:
        y, what = f"{prefix}_amount", f"{prefix}_amount (million USD)"
    try:
        fit = fixed_effects(panel, y, regressors, entity="host", time="year")
    except PanelError as exc:
        # the selection is valid but its data cannot identify the model: say so in the table itself
        tx.provenance.notes.append(f"no estimate: {exc}")
        return [{"variable": x, "coefficient": None, "std_error": None, "t": None, "p_value": None, "ci_low": None,
                 "ci_high": None, "n_obs": None, "hosts": None, "years": None, "r2_within": None, "dependent": what,
                 "note": f"no estimate: {exc}"} for x in regressors]
    tx.provenance.notes.extend(fit.notes)
    tx.provenance.notes.append(f"y = {what}; host and year fixed effects; errors clustered by host")
    out = []
    for r in fit.table.to_dict("records"):
        out.append({**r, "n_obs": fit.n_obs, "hosts": fit.n_entities, "years": fit.n_periods,
                    "r2_within": fit.r2_within, "dependent": what, "note": ""})
    return out


FDI_TRADE_PANEL_FE = QueryModule(
    name="fdi-trade-panel-fe",
    title="Global-factory panel: fixed-effects estimate of FDI by motive",
    description=("The fdi-trade-panel of an origin country, then y_it = a_i + d_t + x_it' b + e_it by OLS with host "
                 "effects a_i and year effects d_t (the within estimator), standard errors clustered by host: y is "
                 "the origin's FDI of one motive into host i in year t (amount in million USD, ln(1 + amount), or "
                 "projects), x the chosen unit values and host indicators. Host-years with a missing value are left "
                 "out and regressors the effects absorb are not estimated (the provenance notes say which); a "
                 "panel that cannot identify the model (too few hosts, years or rows) gives empty estimates and "
                 "a note saying why. "
                 "docs/methods.md, 'Global-factory panel'."),
    params=(*PANEL_PARAMS,
            Param("motive", "choice", "market", choices=(*MOTIVES, "all"), label="Motive", help="FDI of this motive"),
            Param("dependent", "choice", "amount", choices=("amount", "log_amount", "projects"), label="y",
                  help="amount (million USD), log_amount = ln(1 + amount), or number of projects"),
            Param("regressors", "multi", None, choices=REGRESSORS, label="Regressors",
                  help="panel columns on the right-hand side; empty = " + ", ".join(DEFAULT_REGRESSORS))),
    columns=ESTIMATE_COLUMNS,
    steps=estimate,
    layer="trade",
)

MODULES = (FDI_TRADE_PANEL, FDI_TRADE_PANEL_FE)

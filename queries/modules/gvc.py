"""GVC accounting modules: the decompositions, participation and value added by origin the MRIO loader
stores per table year (loader.mrio.gvc; equations in docs/methods.md, section 19).

- ``gvc-decomposition``: per exporting country the nine KWW terms of its gross exports (Koopman,
  Wang & Wei 2014) and their aggregates; or (``level=bilateral``) the 16 WWZ terms of each exporting
  country-sector's exports to each importer (Wang, Wei & Zhu 2013), filtered by exporter, importer
  and industry.
- ``gvc-participation``: backward (FVA/E) and forward (DVX/E) participation and the position index
  ln(1 + forward) - ln(1 + backward) (Koopman, Powers, Wang & Wei 2010), per country or per sector.
- ``va-by-origin``: value added by origin country (or origin sector) embodied in a country's gross
  exports (V B diag(e)) or absorbed by its final demand (V B Y, Johnson & Noguera 2012).
- ``tiva``: bilateral trade in value added: gross exports of s to r next to the value added of s
  absorbed by r's final demand (VAX_sr), and per country VAX and the VAX ratio.
- ``va-generation``: value added generated at home per unit of a sector's exports (local inverse;
  with feedback, the global inverse's diagonal block) and that value added in money.

Every module reads ONE table year (``queries.provenance``: the latest year of real data unless
``source``/``year`` say otherwise) from the CountryYear nodes that mark a year with GVC accounts.
Money is in the table's currency (million USD for WIOD), ratios are shares.
"""
from __future__ import annotations

from typing import Any

from queries.model import Column, Param, QueryModule
from queries.modules.common import SOURCE, YEAR
from queries.provenance import Basis, resolve
from schema.model import check_label, check_rel_type

SECTOR, COUNTRY, COUNTRY_YEAR, SECTOR_YEAR = map(check_label, ("Sector", "Country", "CountryYear", "SectorYear"))
HAS_YEAR, EXPORTS_TO, SERVES = map(check_rel_type, ("HAS_YEAR", "EXPORTS_TO", "SERVES"))

# The years with GVC accounts: every loaded year that ran the accounting has its CountryYear nodes.
# (The name starts with 'sector' so the provenance names the table's currency.)
GVC_BASIS = Basis("sector_gvc", "GVC accounts of input-output tables (CountryYear)", f"(c:{COUNTRY_YEAR})", "c")

MONEY = "table currency (million USD for WIOD)"
KWW_TERMS = ("kww_dva_fin", "kww_dva_int", "kww_dva_intrex", "kww_rdv_fin", "kww_rdv_int", "kww_ddc",
             "kww_fva_fin", "kww_fva_int", "kww_fdc")
WWZ_TERMS = ("dva_fin", "dva_int", "dva_intrexi1", "dva_intrexf", "dva_intrexi2", "rdv_int", "rdv_fin", "rdv_fin2",
             "ova_fin", "mva_fin", "ova_int", "mva_int", "ddc_fin", "ddc_int", "odc", "mdc")
KWW_TEXT = {
    "kww_dva_fin": "T1 domestic value added in final goods exports",
    "kww_dva_int": "T2 domestic value added in intermediates absorbed by the direct importer",
    "kww_dva_intrex": "T3 domestic value added in intermediates re-exported to third countries",
    "kww_rdv_fin": "T4 domestic value added returning home in final imports",
    "kww_rdv_int": "T5 domestic value added returning home in intermediate imports",
    "kww_ddc": "T6 double-counted domestic value added",
    "kww_fva_fin": "T7 foreign value added in final goods exports",
    "kww_fva_int": "T8 foreign value added in intermediate exports",
    "kww_fdc": "T9 double-counted foreign value added",
}
WWZ_TEXT = {
    "dva_fin": "DVA in final goods exports", "dva_int": "DVA in intermediates absorbed by the importer",
    "dva_intrexi1": "DVA in intermediates re-exported to third countries as intermediates (absorbed there)",
    "dva_intrexf": "DVA in intermediates re-exported as final goods to third countries",
    "dva_intrexi2": "DVA in intermediates re-exported as intermediates and absorbed further on",
    "rdv_int": "returned DVA in intermediate imports", "rdv_fin": "returned DVA in final imports from the importer",
    "rdv_fin2": "returned DVA in final imports from third countries",
    "ova_fin": "other countries' value added in final goods exports",
    "mva_fin": "the importer's value added in final goods exports",
    "ova_int": "other countries' value added in intermediate exports",
    "mva_int": "the importer's value added in intermediate exports",
    "ddc_fin": "double-counted DVA from final goods production", "ddc_int": "double-counted DVA from intermediates",
    "odc": "double-counted value added of other countries", "mdc": "double-counted value added of the importer",
}

COUNTRY_P = Param("country", "str", "", help="exporting (or origin) country, ISO3 (e.g. KOR); empty = all")
PARTNER_P = Param("partner", "str", "", help="importing / destination country, ISO3; empty = all")
INDUSTRY_P = Param("industry", "str", "", help="text the industry name contains (case-insensitive); empty = all")
LIMIT_P = Param("limit", "int", 10000, 1, 1_000_000, help="rows returned")
DESC_P = Param("descending", "bool", True, help="largest first")


def scope_params(tx, p: dict[str, Any], basis: Basis = GVC_BASIS) -> dict[str, Any] | None:
    """The one (source, year) the module reads; None when no year with GVC accounts is readable."""
    scope = resolve(tx, basis, source=p.get("source", ""), year=p.get("year"), allow_all_sources=False)
    if not scope.pairs:
        return None
    (source, year), = scope.pairs
    gap = tx.run(f"MATCH (c:{COUNTRY_YEAR}) WHERE c.source = $source AND c.year = $year AND c.x_gap_max IS NOT NULL "
                 "RETURN c.x_gap_max AS gap, c.x_gap_max_sector AS sector ORDER BY gap DESC LIMIT 1",
                 {"source": source, "year": year})
    if gap:
        tx.provenance.notes.append(
            f"gross output x = Z 1 + Y 1 (docs/methods.md 19.1); the table's published x differs from it by up to "
            f"{gap[0]['gap']:.2%} ({gap[0]['sector']})")
    return {"source": source, "year": year}


def _rank(rows: list[dict], order_by: str, descending: bool, limit: int) -> list[dict]:
    def key(r):
        v = r.get(order_by)
        if isinstance(v, str):
            return (0, v)
        if v is None:
            return (1, 0.0)     # undefined ratios last, whichever the direction
        return (0, -v if descending else v)
    rows = sorted(rows, key=key)[:limit]
    for i, r in enumerate(rows, start=1):
        r["rank"] = i
    return rows


def sector_pattern(cypher: str, country: str) -> str:
    """Put the Sector pattern into ``cypher`` (``__S__``/``__K__`` for variables s/k): with a country, a map
    pattern on the indexed ``country`` (an index seek: one exporter's rows in milliseconds); without, every
    sector. (``$country = '' OR s.country = $country`` in one statement would scan every sector.)"""
    for token, var in (("__S__", "s"), ("__K__", "k")):
        pattern = f"({var}:{SECTOR} {{country: $country}})" if country else f"({var}:{SECTOR})"
        cypher = cypher.replace(token, pattern)
    return cypher


def _country_filter(var: str, param: str) -> str:
    return f"(${param} = '' OR {var} = ${param})"


def partner_pattern(cypher: str, partner: str) -> str:
    """``__D__`` -> the importing Country: a map pattern on its key when ``partner`` is given, else every
    country (``$partner = '' OR d.key = $partner`` made the planner scan the countries and join them with the
    sectors: about 15% of one exporter's bilateral rows)."""
    return cypher.replace("__D__", f"(d:{COUNTRY} {{key: $partner}})" if partner else f"(d:{COUNTRY})")


def fetch(tx, head: str, fields: tuple[tuple[str, str], ...], params: dict[str, Any], *, packed: bool) -> list[dict]:
    """Rows of ``head`` (MATCH ... WHERE / WITH, no RETURN) with columns ``fields`` (name, Cypher expression).

    ``packed``: the server collects every row into ONE record of lists, unpacked here into the same dicts in
    the same order. Streamed, each record costs a Bolt message and the driver's per-record work; one
    exporter's 1,110 bilateral rows came back in about half the time packed (bench/gvc_results.md). Only for
    bounded results (one exporter's rows): a packed result is held whole in the server's memory."""
    out = tx.run(fetch_statement(head, fields, packed=packed), params)
    if not packed:
        return out
    return unpack(out, fields)


def fetch_statement(head: str, fields: tuple[tuple[str, str], ...], *, packed: bool) -> str:
    if not packed:
        return head + "RETURN " + ", ".join(f"{expr} AS {name}" for name, expr in fields)
    return head + "RETURN collect([" + ", ".join(expr for _, expr in fields) + "]) AS rows"


def unpack(records: list[dict], fields: tuple[tuple[str, str], ...]) -> list[dict]:
    """The rows of a packed result (``fetch_statement(..., packed=True)``), in the order collected."""
    names = [name for name, _ in fields]
    return [dict(zip(names, row)) for row in records[0]["rows"]] if records else []


# ---------------------------------------------------------------- gvc-decomposition

KWW_AGG = ("kww_vax", "kww_rdv", "kww_dva", "kww_fva", "kww_pdc", "unexplained_exports")
_KWW_COUNTRY = f"""
MATCH (c:{COUNTRY_YEAR}) WHERE c.source = $source AND c.year = $year AND {_country_filter('c.country', 'country')}
RETURN c.country AS country, c.gross_exports AS gross_exports,
       {', '.join(f'c.{t} AS {t}' for t in KWW_TERMS + KWW_AGG)},
       c.year AS year, c.source AS source
"""
_WWZ_BILATERAL = f"""
MATCH __S__-[r:{EXPORTS_TO}]->__D__
WHERE r.year = $year AND r.source = $source
  AND ($industry = '' OR toLower(s.industry) CONTAINS toLower($industry))
"""
_WWZ_FIELDS = (("sector", "s.key"), ("country", "s.country"), ("industry", "s.industry"), ("partner", "d.key"),
               ("exports", "r.exports"), ("exports_final", "r.exports_final"),
               ("exports_intermediate", "r.exports_intermediate")) + tuple((t, f"r.{t}") for t in WWZ_TERMS) \
    + (("year", "r.year"), ("source", "r.source"))


def bilateral_statement(country: str, partner: str) -> str:
    """The bilateral rows' Cypher for one choice of exporter and importer (empty = every one)."""
    return partner_pattern(sector_pattern(_WWZ_BILATERAL, country), partner)


def _decomposition(tx, p: dict[str, Any]) -> list[dict]:
    base = scope_params(tx, p)
    if base is None:
        return []
    q = {**base, "country": p["country"], "partner": p["partner"], "industry": p["industry"]}
    order = p["order_by"]
    if p["level"] == "country":
        rows = tx.run(_KWW_COUNTRY, q)
        order = {"exports": "gross_exports", "dva_fin": "kww_dva_fin", "dva_int": "kww_dva_int"}.get(order, order)
    else:
        # one exporter's rows are bounded (its sectors x the importers): packed into one record
        rows = fetch(tx, bilateral_statement(q["country"], q["partner"]), _WWZ_FIELDS, q, packed=bool(q["country"]))
        order = {"gross_exports": "exports"}.get(order, order)
    return _rank([dict(r) for r in rows], order, p["descending"], p["limit"])


GVC_DECOMPOSITION = QueryModule(
    name="gvc-decomposition",
    title="Gross exports decomposed (KWW, WWZ)",
    description=("level=country: the nine terms of each country's gross exports (Koopman, Wang & Wei 2014, "
                 "their Figure 1) and the aggregates VAX = T1+T2+T3, RDV = T4+T5, DVA = VAX + RDV, FVA = T7+T8, "
                 "PDC = T6+T9 (VAX + RDV + FVA + PDC = gross exports). level=bilateral: the 16 terms of Wang, Wei & "
                 "Zhu (2013) of each exporting country-sector's exports to each importer, which add up to those "
                 "exports. docs/methods.md 19.3; x = Z 1 + Y 1 (19.1)."),
    params=(YEAR, SOURCE,
            Param("level", "choice", "country", choices=("country", "bilateral"),
                  help="country: KWW per exporting country; bilateral: WWZ per exporting sector and importer"),
            COUNTRY_P, PARTNER_P, INDUSTRY_P,
            Param("order_by", "choice", "gross_exports",
                  choices=("gross_exports", "exports", "kww_vax", "kww_dva", "kww_fva", "kww_pdc", "dva_fin",
                           "dva_int", "country", "partner"),
                  help="ranking column (bilateral rows rank gross_exports as exports)"),
            DESC_P, LIMIT_P),
    columns=(Column("country", "ISO3", "exporting country"),
             Column("sector", "key", "exporting Sector COUNTRY|INDUSTRY (bilateral)"),
             Column("industry", "name", "exporting industry (bilateral)"),
             Column("partner", "ISO3", "importing country (bilateral)"),
             Column("gross_exports", MONEY, "gross exports E of the country (country level)"),
             Column("exports", MONEY, "gross exports E^sr of the sector to the partner (bilateral)"),
             Column("exports_final", MONEY, "of which final goods Y^sr (bilateral)"),
             Column("exports_intermediate", MONEY, "of which intermediates A^sr x^r (bilateral)"))
    + tuple(Column(t, MONEY, KWW_TEXT[t] + " (country level)") for t in KWW_TERMS)
    + (Column("kww_vax", MONEY, "value-added exports T1+T2+T3"),
       Column("kww_rdv", MONEY, "returned domestic value added T4+T5"),
       Column("kww_dva", MONEY, "domestic value added in exports VAX + RDV"),
       Column("kww_fva", MONEY, "foreign value added T7+T8"),
       Column("kww_pdc", MONEY, "pure double counting T6+T9"),
       Column("unexplained_exports", MONEY, "exports of sectors without output (Z 1 + Y 1 = 0), which no term "
                                            "explains; the nine terms + this = gross_exports (docs/methods.md 19.2)"))
    + tuple(Column(t, MONEY, WWZ_TEXT[t] + " (bilateral)") for t in WWZ_TERMS)
    + (Column("year", "year", "table year"), Column("source", "Dataset key", "table read"),
       Column("rank", "rank", "1 = first in the chosen order")),
    steps=_decomposition,
)


# ---------------------------------------------------------------- gvc-participation

_PART_COUNTRY = f"""
MATCH (c:{COUNTRY_YEAR}) WHERE c.source = $source AND c.year = $year AND {_country_filter('c.country', 'country')}
RETURN c.country AS country, null AS sector, null AS industry, c.gross_exports AS exports, c.fva AS fva, c.dvx AS dvx,
       c.backward AS backward, c.forward AS forward, c.participation AS participation, c.position AS position,
       c.year AS year, c.source AS source
"""
_PART_SECTOR = f"""
MATCH __S__-[:{HAS_YEAR}]->(y:{SECTOR_YEAR})
WHERE y.source = $source AND y.year = $year
  AND ($industry = '' OR toLower(s.industry) CONTAINS toLower($industry)) AND y.gvc_output IS NOT NULL
RETURN s.country AS country, s.key AS sector, s.industry AS industry, y.exports AS exports, y.gvc_fva AS fva,
       y.gvc_dvx AS dvx, y.gvc_backward AS backward, y.gvc_forward AS forward,
       y.gvc_participation AS participation, y.gvc_position AS position, y.year AS year, y.source AS source
"""


def _participation(tx, p: dict[str, Any]) -> list[dict]:
    base = scope_params(tx, p)
    if base is None:
        return []
    q = {**base, "country": p["country"], "industry": p["industry"]}
    rows = tx.run(_PART_COUNTRY if p["level"] == "country" else sector_pattern(_PART_SECTOR, q["country"]), q)
    return _rank([dict(r) for r in rows], p["order_by"], p["descending"], p["limit"])


GVC_PARTICIPATION = QueryModule(
    name="gvc-participation",
    title="GVC participation and position",
    description=("Backward participation FVA/E (foreign value added in the exports), forward participation DVX/E "
                 "(value added in other countries' exports), participation = backward + forward and position "
                 "ln(1 + forward) - ln(1 + backward) (Koopman, Powers, Wang & Wei 2010), per country or per "
                 "sector (a sector's DVX is divided by its own exports, so it can exceed 1), ranked. "
                 "docs/methods.md 19.5."),
    params=(YEAR, SOURCE,
            Param("level", "choice", "country", choices=("country", "sector"), help="rows per country or per sector"),
            COUNTRY_P, INDUSTRY_P,
            Param("order_by", "choice", "participation",
                  choices=("participation", "backward", "forward", "position", "exports", "fva", "dvx", "country"),
                  help="ranking column"),
            DESC_P, LIMIT_P),
    columns=(Column("country", "ISO3", "country"), Column("sector", "key", "Sector key (level=sector)"),
             Column("industry", "name", "industry (level=sector)"),
             Column("exports", MONEY, "gross exports E"),
             Column("fva", MONEY, "foreign value added in the exports"),
             Column("dvx", MONEY, "value added in other countries' exports"),
             Column("backward", "share", "FVA / E (empty when E <= 0)"),
             Column("forward", "share", "DVX / E (empty when E <= 0)"),
             Column("participation", "share", "backward + forward"),
             Column("position", "log ratio", "ln(1 + forward) - ln(1 + backward); > 0 upstream"),
             Column("year", "year", "table year"), Column("source", "Dataset key", "table read"),
             Column("rank", "rank", "1 = first in the chosen order")),
    steps=_participation,
)


# ---------------------------------------------------------------- va-by-origin and tiva

_VA_ORIGIN = f"""
MATCH __K__-[r:{SERVES}]->__D__
WHERE r.year = $year AND r.source = $source
WITH CASE WHEN $by = 'sector' THEN k.key ELSE k.country END AS origin, k.country AS origin_country, d.key AS partner,
     sum(CASE WHEN $within = 'exports' THEN r.va_exports ELSE r.va_final_demand END) AS value
WHERE value <> 0
"""
_VA_ORIGIN_FIELDS = (("origin", "origin"), ("origin_country", "origin_country"), ("partner", "partner"),
                     ("value", "value"))
_PARTNER_TOTAL = f"""
MATCH (c:{COUNTRY_YEAR}) WHERE c.source = $source AND c.year = $year RETURN c.country AS country,
       c.gross_exports AS exports
"""
_FINAL_TOTAL = f"""
MATCH (:{SECTOR})-[r:{SERVES}]->(d:{COUNTRY}) WHERE r.year = $year AND r.source = $source
RETURN d.key AS country, sum(r.va_final_demand) AS total
"""


def _va_by_origin(tx, p: dict[str, Any]) -> list[dict]:
    base = scope_params(tx, p)
    if base is None:
        return []
    q = {**base, "country": p["country"], "partner": p["partner"], "by": p["by"], "within": p["within"]}
    rows = fetch(tx, partner_pattern(sector_pattern(_VA_ORIGIN, q["country"]), q["partner"]), _VA_ORIGIN_FIELDS, q,
                 packed=bool(q["country"]))
    if p["within"] == "exports":
        totals = {r["country"]: r["exports"] for r in tx.run(_PARTNER_TOTAL, base)}
    else:
        totals = {r["country"]: r["total"] for r in tx.run(_FINAL_TOTAL, base)}
    for r in rows:
        t = totals.get(r["partner"])
        r["share"] = r["value"] / t if t and t > 0 else None
        r["domestic"] = r["origin_country"] == r["partner"]
        r.update(base)
        r["within"] = p["within"]
    return _rank(rows, "value", True, p["limit"])


VA_BY_ORIGIN = QueryModule(
    name="va-by-origin",
    title="Value added by origin",
    description=("Value added of each origin country (or origin country-sector) embodied in each country's gross "
                 "exports, v_k sum_{i in c} B_ki e_i (Hummels, Ishii & Yi 2001; the columns of V B diag(e) summed "
                 "over the exporter's sectors), or absorbed by each country's final demand, v_k (B Y)_kc (Johnson & "
                 "Noguera 2012), with its share of the partner's gross exports or of all value added its final "
                 "demand absorbs. docs/methods.md 19.4."),
    params=(YEAR, SOURCE,
            Param("within", "choice", "exports", choices=("exports", "final_demand"),
                  help="exports: value added in the partner's gross exports; final_demand: absorbed by its final "
                       "demand"),
            Param("by", "choice", "country", choices=("country", "sector"), help="origin per country or per sector"),
            Param("country", "str", "", help="origin country, ISO3; empty = all"),
            PARTNER_P, LIMIT_P),
    columns=(Column("origin", "ISO3 or Sector key", "where the value added is generated"),
             Column("origin_country", "ISO3", "country of the origin"),
             Column("partner", "ISO3", "exporting country (within=exports) or absorbing country (final_demand)"),
             Column("value", MONEY, "value added"),
             Column("share", "share 0..1", "of the partner's gross exports, or of all value added its final "
                                           "demand absorbs"),
             Column("domestic", "bool", "origin country = partner"),
             Column("within", "exports|final_demand", "what the value added is embodied in"),
             Column("year", "year", "table year"), Column("source", "Dataset key", "table read"),
             Column("rank", "rank", "1 = largest value")),
    steps=_va_by_origin,
)

_TIVA = f"""
MATCH __K__-[r:{SERVES}]->(d:{COUNTRY})
WHERE r.year = $year AND r.source = $source
  AND {_country_filter('d.key', 'partner')} AND k.country <> d.key
WITH k.country AS country, d.key AS partner, sum(r.va_final_demand) AS vax
OPTIONAL CALL (country, partner) {{
  MATCH (s:{SECTOR} {{country: country}})-[e:{EXPORTS_TO}]->(:{COUNTRY} {{key: partner}})
  WHERE e.year = $year AND e.source = $source
  RETURN sum(e.exports) AS gross_exports
}}
RETURN country, partner, coalesce(gross_exports, 0.0) AS gross_exports, vax
"""


def _tiva(tx, p: dict[str, Any]) -> list[dict]:
    base = scope_params(tx, p)
    if base is None:
        return []
    rows = [dict(r) for r in tx.run(sector_pattern(_TIVA, p["country"]),
                                    {**base, "country": p["country"], "partner": p["partner"]})]
    for r in rows:
        r["vax_ratio"] = r["vax"] / r["gross_exports"] if r["gross_exports"] > 0 else None
        r.update(base)
    return _rank(rows, p["order_by"], True, p["limit"])


TIVA = QueryModule(
    name="tiva",
    title="Trade in value added (bilateral)",
    description=("For each exporter s and partner r: gross exports E^sr (intermediate plus final) and the value "
                 "added of s absorbed by r's final demand VAX_sr = sum_{k in s} v_k (B Y)_kr (Johnson & Noguera "
                 "2012), and their ratio; summed over partners VAX_s / E_s is the VAX ratio (CountryYear). "
                 "docs/methods.md 19.4."),
    params=(YEAR, SOURCE, COUNTRY_P, PARTNER_P,
            Param("order_by", "choice", "vax", choices=("vax", "gross_exports", "vax_ratio"), help="ranking column"),
            LIMIT_P),
    columns=(Column("country", "ISO3", "exporter (origin of the value added)"),
             Column("partner", "ISO3", "importer / absorbing country"),
             Column("gross_exports", MONEY, "gross exports E^sr"),
             Column("vax", MONEY, "value added of the exporter absorbed by the partner's final demand"),
             Column("vax_ratio", "ratio", "vax / gross_exports (can exceed 1 bilaterally: value added reaching r "
                                          "through third countries)"),
             Column("year", "year", "table year"), Column("source", "Dataset key", "table read"),
             Column("rank", "rank", "1 = first in the chosen order")),
    steps=_tiva,
)


# ---------------------------------------------------------------- va-generation

_VA_GEN = f"""
MATCH __S__-[:{HAS_YEAR}]->(y:{SECTOR_YEAR})
WHERE y.source = $source AND y.year = $year
  AND ($industry = '' OR toLower(s.industry) CONTAINS toLower($industry)) AND y.va_gen_coef IS NOT NULL
RETURN s.key AS sector, s.country AS country, s.industry AS industry, y.va_gen_coef AS va_gen_coef,
       y.va_gen_coef_feedback AS va_gen_coef_feedback, y.exports AS exports,
       y.va_gen_coef * y.exports AS va_generated, y.year AS year, y.source AS source
"""


def _va_generation(tx, p: dict[str, Any]) -> list[dict]:
    base = scope_params(tx, p)
    if base is None:
        return []
    rows = tx.run(sector_pattern(_VA_GEN, p["country"]), {**base, "country": p["country"], "industry": p["industry"]})
    return _rank([dict(r) for r in rows], p["order_by"], p["descending"], p["limit"])


VA_GENERATION = QueryModule(
    name="va-generation",
    title="Value added generated by exports",
    description=("Value-added generation (inducement) coefficient of exports per sector: c_j = sum_{k in s} v_k "
                 "(L^ss)_kj with the local Leontief inverse L^ss = (I - A^ss)^-1, the home value added one unit of "
                 "j's exports induces when imported inputs leak abroad (as the Bank of Korea computes it); with "
                 "feedback, the global inverse's block B^ss (adds value added that returns embodied in imports); "
                 "and c_j e_j. docs/methods.md 19.5."),
    params=(YEAR, SOURCE, COUNTRY_P, INDUSTRY_P,
            Param("order_by", "choice", "va_gen_coef",
                  choices=("va_gen_coef", "va_gen_coef_feedback", "va_generated", "exports", "sector"),
                  help="ranking column"),
            DESC_P, LIMIT_P),
    columns=(Column("sector", "key", "Sector key COUNTRY|INDUSTRY"), Column("country", "ISO3", "country"),
             Column("industry", "name", "industry"),
             Column("va_gen_coef", "ratio (value added per unit of exports)", "v^s (I - A^ss)^-1, column j"),
             Column("va_gen_coef_feedback", "ratio", "v^s B^ss, column j"),
             Column("exports", MONEY, "gross exports e_j"),
             Column("va_generated", MONEY, "va_gen_coef x exports"),
             Column("year", "year", "table year"), Column("source", "Dataset key", "table read"),
             Column("rank", "rank", "1 = first in the chosen order")),
    steps=_va_generation,
)

MODULES = (GVC_DECOMPOSITION, GVC_PARTICIPATION, VA_BY_ORIGIN, TIVA, VA_GENERATION)

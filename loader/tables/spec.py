"""What a table folder may hold: one spec per file, with columns, types, units and allowed values.

This module is the single source of truth for the formats: validation reads it,
the demo generator writes to it, and README's "Data formats" section documents it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from loader.reference.stages import STAGE_KEYS

SIZE_CLASSES = ("sme", "large", "tnc")
ROLES = ("founder", "executive", "researcher", "expatriate_manager", "owner", "employee")
MOTIVES = ("market", "resource", "efficiency", "strategic_asset")
MODES = ("greenfield", "joint_venture", "acquisition")
USES = ("intermediate", "final")
REGION_KINDS = ("subdivision", "economic_region", "grouping")
OWNER_KINDS = ("firm", "person")
TARGET_KINDS = ("firm", "country", "region")
DESTINATION_KINDS = ("country", "region")
MEASURES = ("flow", "position")
SUBJECT_KINDS = ("firm", "country")
SCORE = dict(min=1, max=5)   # stage assessments: a 1-5 scale
# country indicators: code -> (name, the one unit a value of it is given in); a row naming another unit is refused
INDICATORS = {
    "gdp": ("GDP at current prices", "million USD"),
    "gdp_per_capita": ("GDP per capita at current prices", "USD"),
    "wage": ("average annual wage per employee", "USD"),
    "rnd_share": ("gross domestic expenditure on R&D (GERD)", "percent of GDP"),
    "education": ("mean years of schooling, population 25+", "years"),
}
INDICATOR_UNITS = {code: unit for code, (_, unit) in INDICATORS.items()}


@dataclass(frozen=True)
class Col:
    name: str
    type: str  # str | int | float
    unit: str = ""
    required: bool = True  # False: the cell may be empty
    choices: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    ref: str = ""  # entity the value must name: country|region|industry|firm|person|stage
    help: str = ""


@dataclass(frozen=True)
class FileSpec:
    stem: str  # file name without extension: <stem>.csv or <stem>.parquet
    holds: str
    columns: tuple[Col, ...]
    key: tuple[str, ...]  # columns that must be unique together
    order: int = 0  # load order: entities before the relationships that point at them
    entity: str = ""  # entity kind this file defines (for references from other files)
    # columns an earlier version of the format had: a header naming one gets this explanation
    retired: dict[str, str] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


YEAR = dict(min=1800, max=2100)

SPECS: dict[str, FileSpec] = {s.stem: s for s in [
    FileSpec("countries", "countries or aggregates beyond the reference data (e.g. a table's RoW)", (
        Col("key", "str", help="ISO 3166-1 alpha-3 code, or an aggregate code of 2-8 letters with iso2 empty"),
        Col("name", "str"),
        Col("iso2", "str", required=False, help="ISO 3166-1 alpha-2; empty for aggregates"),
        Col("continent", "str", required=False),
        Col("un_region", "str", required=False, help="UN M49 sub-region name"),
    ), ("key",), 1, "country"),
    FileSpec("regions", "sub-national regions and groupings", (
        Col("key", "str", help="ISO 3166-2 code for subdivisions (KR-11); any code otherwise"),
        Col("name", "str"),
        Col("kind", "str", choices=REGION_KINDS),
        Col("country", "str", required=False, ref="country",
            help="ISO3 country the region lies in; required for subdivision and economic_region"),
        Col("parent", "str", required=False, ref="region", help="Region key it is PART_OF"),
    ), ("key",), 2, "region"),
    FileSpec("industries", "industries of any classification", (
        Col("classification", "str", help="ISIC4, WIOD35, ICIO45 or your own (letters, digits, _)"),
        Col("code", "str"),
        Col("name", "str"),
    ), ("classification", "code"), 1, "industry"),
    FileSpec("firms", "enterprises", (
        Col("key", "str"),
        Col("name", "str"),
        Col("country", "str", ref="country"),
        Col("region", "str", required=False, ref="region", help="Region key (e.g. KR-11)"),
        Col("industry", "str", ref="industry", help="Industry key CLASSIFICATION|code, e.g. ISIC4|C26"),
        Col("size_class", "str", choices=SIZE_CLASSES),
        Col("employees", "int", "persons", min=0),
        Col("output", "float", "thousand USD", min=0),
        Col("foreign_share", "float", "share of equity held abroad", min=0, max=1),
        Col("founded", "int", "year", **YEAR),
    ), ("key",), 3, "firm"),
    FileSpec("persons", "individuals", (
        Col("key", "str"),
        Col("name", "str"),
        Col("nationality", "str", ref="country"),
    ), ("key",), 3, "person"),
    FileSpec("employment", "who works for which firm (WORKS_FOR)", (
        Col("person", "str", ref="person"),
        Col("firm", "str", ref="firm"),
        Col("role", "str", choices=ROLES),
        Col("since", "int", "year", **YEAR),
    ), ("person", "firm", "role"), 4),
    FileSpec("ownership", "equity stakes (OWNS)", (
        Col("owner", "str", help="Firm or Person key, as owner_kind says"),
        Col("owner_kind", "str", choices=OWNER_KINDS),
        Col("firm", "str", ref="firm"),
        Col("share", "float", "share of equity", min=0, max=1),
    ), ("owner", "owner_kind", "firm"), 4),
    FileSpec("investments", "firm-level FDI projects (INVESTS_IN; the investor is always a Firm)", (
        Col("investor", "str", ref="firm", help="the investing firm"),
        Col("target", "str", help="Firm, country or Region key, as target_kind says"),
        Col("target_kind", "str", choices=TARGET_KINDS),
        Col("year", "int", "year", **YEAR),
        Col("amount", "float", "million USD", min=0),
        Col("motive", "str", choices=MOTIVES),
        Col("mode", "str", choices=MODES),
    ), ("investor", "target", "target_kind", "year"), 4, retired={
        "investor_kind": "investments hold firm-level FDI projects only (the investor is a Firm key); drop the "
                         "column, and put country-level FDI statistics in fdi_statistics"}),
    FileSpec("fdi_statistics", "country-level FDI statistics (FDI_STATISTIC), as a statistical source reports them", (
        Col("origin", "str", ref="country", help="ISO3 of the investing country"),
        Col("destination", "str", help="ISO3 country or Region key, as destination_kind says"),
        Col("destination_kind", "str", choices=DESTINATION_KINDS),
        Col("year", "int", "year", **YEAR),
        Col("measure", "str", choices=MEASURES, help="flow: the year's transactions; position: the stock at year end"),
        Col("amount", "float", "million USD", help="any finite number: net flows and positions may be negative"),
        Col("reported_by", "str", help="who publishes the statistic, e.g. OECD FDI statistics (BMD4, directional)"),
        Col("motive", "str", required=False, choices=MOTIVES,
            help="only when the statistic itself reports a motive; leave empty otherwise"),
    ), ("origin", "destination", "destination_kind", "year", "measure", "reported_by"), 4),
    FileSpec("firm_supply", "firm-to-firm supply links (SUPPLIES; a and b computed at load)", (
        Col("supplier", "str", ref="firm"),
        Col("buyer", "str", ref="firm"),
        Col("year", "int", "year", **YEAR),
        Col("value", "float", "thousand USD", min=0),
        Col("product", "str"),
    ), ("supplier", "buyer", "year", "product"), 4),
    FileSpec("trade_flows", "bilateral trade (EXPORTS; unit_value computed at load)", (
        Col("exporter", "str", ref="country"),
        Col("importer", "str", ref="country"),
        Col("year", "int", "year", **YEAR),
        Col("industry", "str", ref="industry"),
        Col("value", "float", "thousand USD", min=0),
        Col("weight", "float", "tonnes", required=False, min=0,
            help="empty when not recorded (an input-output table has no weights); 0 for services; "
                 "unit_value is left empty in both cases"),
        Col("use", "str", choices=USES),
    ), ("exporter", "importer", "year", "industry", "use"), 4),
    FileSpec("country_indicators", "country indicators per year (HAS_INDICATOR): GDP, income, wages, R&D, education", (
        Col("country", "str", ref="country", help="ISO3 of the country"),
        Col("year", "int", "year", **YEAR),
        Col("indicator", "str", choices=tuple(INDICATORS)),
        Col("value", "float", "the row's unit", min=0),
        Col("unit", "str", choices=tuple(dict.fromkeys(INDICATOR_UNITS.values())),
            help="the indicator's unit: " + "; ".join(f"{k}: {u}" for k, u in INDICATOR_UNITS.items())),
        Col("source", "str", help="who publishes the value, e.g. World Bank WDI NY.GDP.PCAP.CD (2024-07 vintage)"),
    ), ("country", "year", "indicator"), 4),
    FileSpec("gvc_stages", "GVC stages firms perform (PERFORMS)", (
        Col("firm", "str", ref="firm"),
        Col("stage", "str", choices=tuple(STAGE_KEYS)),
        Col("year", "int", "year", **YEAR),
        Col("value_added", "float", "thousand USD", min=0),
    ), ("firm", "stage", "year"), 4),
    FileSpec("stage_assessments", "GVC stage assessments: current capability and target importance per stage "
             "(STAGE_ASSESSMENT; gap = target - current, module gvc-gap)", (
        Col("subject", "str", help="Firm key or ISO3 country, as subject_kind says"),
        Col("subject_kind", "str", choices=SUBJECT_KINDS),
        Col("stage", "str", choices=tuple(STAGE_KEYS)),
        Col("year", "int", "year", **YEAR),
        Col("current", "int", "score 1-5", **SCORE, help="capability the subject has in the stage now"),
        Col("target", "int", "score 1-5", **SCORE, help="importance of the stage for where the subject aims to be"),
        Col("assessed_by", "str", help="who assessed it: survey, study or expert panel (one subject, stage and year "
                                       "may have several assessors)"),
    ), ("subject", "subject_kind", "stage", "year", "assessed_by"), 4),
]}

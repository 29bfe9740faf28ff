"""The property graph: labels, natural keys and relationship types.

This is the whitelist the rest of the product draws labels and relationship
types from; nothing typed by a user is ever spliced into Cypher as a label or
type without passing through ``check_label`` / ``check_rel_type``.

Every node has a string ``key`` (its natural key, unique per label), a ``name``
and a ``source`` tag naming the data set it came from (``Dataset.key``);
synthetic records carry a source whose Dataset has ``synthetic: true``.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NodeLabel:
    name: str
    key_format: str
    description: str
    indexed: tuple[str, ...] = ()


@dataclass(frozen=True)
class RelType:
    name: str
    pairs: tuple[tuple[str, str], ...]
    properties: str
    description: str


NODE_LABELS: dict[str, NodeLabel] = {n.name: n for n in [
    NodeLabel("Country", "ISO 3166-1 alpha-3, e.g. KOR; 'ROW' for a table's rest of world",
              "A country (or a table's rest-of-world aggregate).", ("name",)),
    NodeLabel("Region", "ISO 3166-2 code (KR-11) for subdivisions; KR-ECON-* for Korea's economic "
              "regions; grouping code (EU, OECD, ASEAN, ...) for supra-national groups",
              "A sub-national region or a supra-national grouping; `kind` says which.", ("name", "kind")),
    NodeLabel("Industry", "CLASSIFICATION|code, e.g. WIOD35|Electrical and Optical Equipment, ISIC4|C26",
              "An industry of one classification (`classification`: ISIC4, WIOD35, ICIO45, ...).",
              ("name", "classification")),
    NodeLabel("Sector", "COUNTRY|INDUSTRY as the source table names both, e.g. KOR|Electrical and Optical Equipment",
              "One country x one industry: a node of an input-output table.", ("name", "country", "industry")),
    NodeLabel("SectorYear", "COUNTRY|INDUSTRY|YEAR",
              "A sector's accounts in one year: output, value added, linkages, upstreamness, exports "
              "and the value added embodied in them (million USD for WIOD/OECD).", ("year",)),
    NodeLabel("CountryYear", "SOURCE|COUNTRY|YEAR, e.g. wiod-2013-release|KOR|1995",
              "A country's GVC accounts in one year of one input-output table (loader.mrio.gvc): gross exports, "
              "value added, the KWW terms, VAX, participation and position (table currency, million USD for "
              "WIOD; ratios as shares).", ("year", "country")),
    NodeLabel("RegionYear", "SOURCE|REGION|YEAR, e.g. demo:kor-regions-synthetic|KR-11|2008",
              "A region's value added through its country's exports abroad in one year of one inter-regional "
              "input-output table (loader.mrio.regional, iomath.regional): exports, value added generated within "
              "the region and in other regions, regional trade in value added (table currency).", ("year", "region")),
    NodeLabel("Firm", "the source's firm identifier", "An enterprise: SME, domestic large firm or TNC affiliate.",
              ("name", "country", "industry")),
    NodeLabel("Person", "the source's person identifier", "An individual: founder, executive, researcher, owner.",
              ("name",)),
    NodeLabel("Stage", "stage name: rnd, design, parts, assembly, marketing, service",
              "A GVC stage of the smile curve.", ()),
    NodeLabel("Indicator", "indicator code: gdp, gdp_per_capita, wage, rnd_share, education",
              "A country indicator (name, unit); values per country and year are HAS_INDICATOR links.", ()),
    NodeLabel("Dataset", "source tag", "Where records came from; `synthetic` marks generated data.", ()),
    NodeLabel("Report", "report name", "A saved Cypher report (current version).", ()),
    NodeLabel("ReportVersion", "NAME|VERSION", "One saved version of a report.", ()),
    NodeLabel("LoadLock", "the resource a load writes: dataset:<Dataset key>, firm-supplies:<year>",
              "Held by a running load and deleted when it ends (loader/graph/locks.py); no data.", ()),
    NodeLabel("Listing", "the kind of record listed: firm_flows, fdi_projects, trade, firms, ...",
              "The (dataset, year) pairs one kind of record holds, kept by the writer for the modules' default "
              "dataset and year (schema/listings.py); no data of its own.", ()),
    NodeLabel("LoadRecord", "store, or rows:<SHA-256 of a load's rows>",
              "What the writer's last loads left: the stamp every change of records renews, and per load the stamp "
              "and count-store totals after it, so that a reload of the same rows reads nothing "
              "(loader/graph/unchanged.py); no data of its own.", ()),
    NodeLabel("Dashboard", "dashboard name", "A saved dashboard: several reports sharing parameters (current version).",
              ()),
    NodeLabel("DashboardVersion", "NAME|VERSION", "One saved version of a dashboard (its spec as JSON).", ()),
    NodeLabel("Scene", "scene name", "A saved network drawing: expanded, hidden and pinned nodes, filters, layout "
              "(current version).", ()),
    NodeLabel("SceneVersion", "NAME|VERSION", "One saved version of a network drawing (its state as JSON).", ()),
]}

REL_TYPES: dict[str, RelType] = {r.name: r for r in [
    RelType("SUPPLIES", (("Sector", "Sector"), ("Firm", "Firm")),
            "year:int, value:float (million USD for sectors, thousand USD for firms), "
            "a:float (value / buyer's input total), b:float (value / seller's output total), product:str (firms)",
            "Goods and services flowing from supplier to buyer; own-industry flows are self-loops."),
    RelType("EXPORTS", (("Country", "Country"),),
            "year:int, industry:str, value:float (thousand USD), weight:float (tonnes), "
            "unit_value:float (USD/kg), use:str (intermediate|final)", "Bilateral trade flows."),
    RelType("INVESTS_IN", (("Firm", "Firm"), ("Firm", "Country"), ("Firm", "Region")),
            "year:int, amount:float (million USD), motive:str (market|resource|efficiency|strategic_asset), "
            "mode:str (greenfield|joint_venture|acquisition)",
            "A firm-level FDI project: the investing firm, and the firm, country or region it invests in."),
    RelType("FDI_STATISTIC", (("Country", "Country"), ("Country", "Region")),
            "year:int, measure:str (flow|position), amount:float (million USD; net flows and positions may be "
            "negative), reported_by:str (who publishes the statistic), motive:str (only when the statistic "
            "reports one)",
            "A country-level FDI statistic from the investing country into a country or region: an aggregate "
            "as a statistical source reports it, never to be added to the firm-level projects (INVESTS_IN)."),
    RelType("HAS_INDICATOR", (("Country", "Indicator"),),
            "year:int, value:float (in unit), unit:str (the indicator's unit), reported_by:str (who publishes it)",
            "A country's indicator value in one year (GDP, GDP per capita, wages, R&D share, education)."),
    RelType("OWNS", (("Firm", "Firm"), ("Person", "Firm")), "share:float (0..1 of equity)", "Equity ownership."),
    RelType("WORKS_FOR", (("Person", "Firm"),), "role:str, since:int (year)", "Employment of a person."),
    RelType("LOCATED_IN", (("Firm", "Region"), ("Firm", "Country"), ("Sector", "Country"),
                           ("Person", "Country"), ("Region", "Country"), ("Sector", "Region")), "",
            "Location; a sector of an inter-regional table is located in its region and in its country."),
    RelType("PART_OF", (("Region", "Region"),), "", "A subdivision inside a larger region."),
    RelType("IN_INDUSTRY", (("Firm", "Industry"), ("Sector", "Industry")), "", "Industry membership."),
    RelType("MEMBER_OF", (("Country", "Region"),), "", "Membership of a grouping (EU, OECD, ASEAN, ...)."),
    RelType("PERFORMS", (("Firm", "Stage"),), "stage:str, value_added:float (thousand USD), year:int",
            "A GVC stage performed by a firm."),
    RelType("STAGE_ASSESSMENT", (("Firm", "Stage"), ("Country", "Stage")),
            "year:int, stage:str, current:int (capability now, 1-5), target:int (importance aimed at, 1-5), "
            "assessed_by:str (survey, study or panel)",
            "An assessment of a firm's or a country's position in one GVC stage (the GVC gap index: gap = target - "
            "current, module gvc-gap)."),
    RelType("MAPS_TO", (("Industry", "Industry"),), "weight:float (0..1)", "Concordance between classifications."),
    RelType("HAS_YEAR", (("Sector", "SectorYear"), ("Country", "CountryYear"), ("Region", "RegionYear")), "",
            "A sector's accounts of one year; a country's GVC accounts of one year; a region's regional measures "
            "of one year."),
    RelType("VA_INDUCED", (("Region", "Region"),),
            "year:int, source:str, level:str (subdivision|economic_region), value:float (value added generated "
            "in the start region by the end region's exports abroad; table currency), coefficient:float (value "
            "per unit of the end region's exports abroad)",
            "Value added one region of a country earns from another region's exports abroad (docs/methods.md "
            "19.7; the pair of a region with itself is the value added its exports keep at home)."),
    RelType("EXPORTS_TO", (("Sector", "Country"),),
            "year:int, source:str, exports:float (E^sr), exports_final:float (Y^sr), exports_intermediate:float, "
            "dva_fin, dva_int, dva_intrexi1, dva_intrexf, dva_intrexi2, rdv_int, rdv_fin, rdv_fin2, ova_fin, "
            "mva_fin, ova_int, mva_int, ddc_fin, ddc_int, odc, mdc:float (the 16 WWZ terms; all in table "
            "currency, million USD for WIOD)",
            "Gross exports of a country-sector to an importing country and their Wang-Wei-Zhu decomposition "
            "(docs/methods.md 19.3); the 16 terms add up to exports."),
    RelType("SERVES", (("Sector", "Country"),),
            "year:int, source:str, final_demand:float (y_k^c), induced_output:float ((B Y)_kc), "
            "induced_output_abs:float ((B |Y|)_kc), va_final_demand:float (v_k (B Y)_kc), va_exports:float "
            "(v_k sum_{i in c} B_ki e_i); table currency (million USD for WIOD)",
            "What a country-sector contributes to a country (its own included): output sold to its final demand, "
            "output and value added its final demand induces, value added embodied in its gross exports "
            "(docs/methods.md 19.4)."),
    RelType("HAS_VERSION", (("Report", "ReportVersion"), ("Dashboard", "DashboardVersion"), ("Scene", "SceneVersion")),
            "", "Version history of a saved report, dashboard or network drawing."),
]}

USER_FACING_LABELS = ("Country", "Region", "Industry", "Sector", "Firm", "Person")


class UnknownNameError(ValueError):
    pass


def check_label(name: str) -> str:
    if name not in NODE_LABELS:
        raise UnknownNameError(f"unknown label {name!r}; expected one of {sorted(NODE_LABELS)}")
    return name


def check_rel_type(name: str) -> str:
    if name not in REL_TYPES:
        raise UnknownNameError(f"unknown relationship type {name!r}; expected one of {sorted(REL_TYPES)}")
    return name

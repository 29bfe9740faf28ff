"""Assemble all reference data into one GraphRows (pure: no database here)."""
from __future__ import annotations

from datetime import datetime, timezone

from loader.reference import countries as rc
from loader.reference import industries as ri
from loader.reference import korea as rk
from loader.reference.stages import STAGES
from loader.graph.rows import GraphRows, dataset_rows

SOURCE = "reference"
DESCRIPTION = ("Countries from pycountry; continents, UN regions, EU, OECD, G20, APEC and ASEAN from "
               "country_converter's data table; BRICS from countrygroups; Korean subdivisions from "
               "pycountry grouped into seven economic regions; ISIC4, WIOD35, WIOD56, ICIO36, ICIO45 and ICIO2023 from loader/reference/data; "
               "EXIOBASE 3 industries and products from pymrio's model files.")


def reference_graph(loaded_at: str | None = None) -> GraphRows:
    g = GraphRows()
    loaded_at = loaded_at or datetime.now(timezone.utc).isoformat(timespec="seconds")
    g.nodes["Dataset"] = dataset_rows(SOURCE, "Reference data from packages", False, DESCRIPTION, loaded_at)

    countries = g.node_rows("Country")
    regions = g.node_rows("Region")
    member = g.rel_rows("MEMBER_OF", "Country", "Region")
    seen_regions: set[str] = set()

    def region(key, name, kind, **extra):
        if key not in seen_regions:
            seen_regions.add(key)
            regions.add(key, name=name, kind=kind, source=SOURCE, **extra)

    for c in rc.countries():
        countries.add(c["key"], name=c["name"], official_name=c["official_name"], name_pattern=c["name_pattern"],
                      iso2=c["iso2"],
                      continent=c["continent"], un_region=c["un_region"], source=SOURCE)
        if c["continent"]:
            region(rc.continent_key(c["continent"]), c["continent"], "grouping", grouping_type="continent")
            member.add(c["key"], rc.continent_key(c["continent"]))
        if c["un_region"]:
            region(rc.un_region_key(c["un_region"]), c["un_region"], "grouping", grouping_type="un_region")
            member.add(c["key"], rc.un_region_key(c["un_region"]))
    for key, members in rc.grouping_members().items():
        region(key, rc.GROUPINGS[key][0], "grouping", grouping_type="organisation")
        for iso3 in members:
            member.add(iso3, key)

    in_country = g.rel_rows("LOCATED_IN", "Region", "Country")
    part_of = g.rel_rows("PART_OF", "Region", "Region")
    for key, (name, _) in rk.ECONOMIC_REGIONS.items():
        region(key, name, "economic_region", country="KOR")
        in_country.add(key, "KOR")
    for s in rk.subdivisions():
        region(s["key"], s["name"], "subdivision", country="KOR", subdivision_type=s["type"])
        in_country.add(s["key"], "KOR")
        part_of.add(s["key"], s["economic_region"])

    industries = g.node_rows("Industry")
    for row in ri.all_industries():
        props = {k: v for k, v in row.items() if k != "key"}
        industries.add(row["key"], source=SOURCE, **props)
    maps = g.rel_rows("MAPS_TO", "Industry", "Industry")
    for frm, to, weight in ri.concordance() + ri.release_concordance():
        maps.add(frm, to, weight=weight)

    stages = g.node_rows("Stage")
    for order, (key, name) in enumerate(STAGES, start=1):
        stages.add(key, name=name, order=order, source=SOURCE)
    return g


def reference_keys() -> dict[str, set[str]]:
    """Keys the reference data defines, per label (used by validation of table folders)."""
    g = reference_graph(loaded_at="")
    return {label: {r["key"] for r in nr.rows} for label, nr in g.nodes.items()}

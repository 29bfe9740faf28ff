"""Example saved reports that ``loader demo`` stores, so the Reports page starts with some.

They are ordinary user reports (read-only Cypher with default parameters) and
go through the same guard as any report a user saves; saving identical content
again adds no version, so the demo can run any number of times.
"""
from __future__ import annotations

from connection import Settings
from queries.reports import save_report

EXAMPLES = [
    dict(
        name="top-suppliers-of-country",
        title="Largest firm suppliers selling into a country",
        description="Firms ranked by the value (thousand USD) they supply to firms located in $country, "
                    "with the supplier's own country: a first look at who feeds a country's firms.",
        cypher="MATCH (s:Firm)-[r:SUPPLIES]->(b:Firm) WHERE b.country = $country "
               "RETURN s.key AS supplier, s.name AS name, s.country AS supplier_country, "
               "round(sum(r.value), 1) AS value_kusd, count(DISTINCT b) AS buyers "
               "ORDER BY value_kusd DESC LIMIT $limit",
        params={"country": "KOR", "limit": 20},
    ),
    dict(
        name="foreign-affiliates-by-region",
        title="Foreign affiliates per region",
        description="Firms with a foreign equity share of at least $min_share (10%: the direct-investment "
                    "threshold of IMF BPM6 and the OECD Benchmark Definition), counted per country and region "
                    "(firms without a recorded region in a row of their own), with their output (thousand USD). "
                    "The query modules also count ownership chains to a foreign parent.",
        cypher="MATCH (f:Firm) WHERE f.foreign_share >= $min_share "
               "OPTIONAL MATCH (f)-[:LOCATED_IN]->(r:Region) "
               "RETURN f.country AS country, r.key AS region, coalesce(r.name, '(no region recorded)') AS name, "
               "count(f) AS affiliates, round(sum(f.output), 1) AS output_kusd ORDER BY affiliates DESC",
        params={"min_share": 0.10},
    ),
    dict(
        name="sector-output-by-country",
        title="Gross output per country and year",
        description="Sum of sector gross output (table units, million USD for WIOD/OECD) per country in $year.",
        cypher="MATCH (y:SectorYear) WHERE y.year = $year "
               "RETURN y.country AS country, round(sum(y.output), 3) AS output, "
               "round(sum(y.value_added), 3) AS value_added ORDER BY output DESC",
        params={"year": 2020},
    ),
]


def save_examples(*, year: int | None = None, settings: Settings | None = None) -> dict[str, int]:
    """Save every example report; returns name -> current version. ``year``: the default year of the
    examples that take one (the demo passes its table's latest year, so they open on rows)."""
    def params(e):
        return {**e["params"], "year": year} if year is not None and "year" in e["params"] else e["params"]

    return {e["name"]: save_report(e["name"], e["title"], e["cypher"], params(e), e["description"],
                                   settings=settings) for e in EXAMPLES}


# One example dashboard, so the Dashboards page opens on something: a country desk whose shared `country`
# feeds both tiles and whose `year` feeds the trade tile.
EXAMPLE_DASHBOARD = dict(
    name="country-desk",
    title="Country desk: firm suppliers and bilateral exports",
    description="The firms supplying into $country and $country's exports by partner in $year (thousand USD).",
    params=[{"name": "country", "type": "str", "default": "KOR", "help": "ISO3 code"},
            {"name": "year", "type": "int", "default": 2020, "help": "year of the trade flows"}],
    tiles=[{"title": "Largest firm suppliers selling into the country", "report": "top-suppliers-of-country",
            "view": "chart"},
           {"title": "Exports by partner (thousand USD)", "view": "chart",
            "cypher": "MATCH (c:Country {key: $country})-[r:EXPORTS]->(d:Country) WHERE r.year = $year "
                      "RETURN d.key AS importer, round(sum(r.value), 1) AS exports_kusd ORDER BY exports_kusd DESC"}],
)


def save_example_dashboard(*, year: int | None = None, settings: Settings | None = None) -> int:
    """Save the example dashboard (after ``save_examples``: a tile opens one of them); returns its version.
    ``year``: the default of its shared year (the demo passes its table's latest year)."""
    from queries.catalogue import save_dashboard

    d = EXAMPLE_DASHBOARD
    params = [{**p, "default": year} if p["name"] == "year" and year is not None else p for p in d["params"]]
    return save_dashboard(d["name"], d["title"], params, d["tiles"], d["description"], settings=settings)

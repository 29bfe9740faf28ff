"""Turn validated table rows into GraphRows (pure)."""
from __future__ import annotations

from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from loader.graph.rows import Columns, GraphRows
from loader.tables.spec import INDICATORS
from loader.tables.validate import industry_key

LABEL = {"firm": "Firm", "person": "Person", "country": "Country", "region": "Region"}


def unit_value(value_kusd: float, weight_t: float | None) -> float | None:
    """USD per kg from thousand USD and tonnes (the 1000s cancel); None when no weight is recorded (empty)
    or the weight is 0 (services)."""
    return value_kusd / weight_t if weight_t is not None and weight_t > 0 else None


FIRM_PROPS = ("name", "country", "region", "industry", "size_class", "employees", "output", "foreign_share", "founded")


def tables_graph(rows: dict[str, list[tuple[int, dict[str, Any]]]], source: str,
                 columns: dict[str, Any] | None = None) -> GraphRows:
    """Consumes ``rows``: each table's typed rows are dropped once they are graph rows, so a large folder
    never holds both whole. ``columns``: tables checked column-wise (``loader.tables.columns``), which
    become column-held rows (``loader.graph.rows.Columns``) with the same properties."""
    g = GraphRows()
    columns = dict(columns or {})
    if "firms" in columns:
        _firm_columns(g, columns.pop("firms"), source)

    def each(stem):
        for _, r in rows.pop(stem, ()):
            yield r

    for r in each("countries"):
        g.node_rows("Country").add(r["key"], name=r["name"], iso2=r["iso2"], continent=r["continent"],
                                   un_region=r["un_region"], source=source)
    for r in each("regions"):
        g.node_rows("Region").add(r["key"], name=r["name"], kind=r["kind"], country=r["country"], source=source)
        if r["country"]:
            g.rel_rows("LOCATED_IN", "Region", "Country").add(r["key"], r["country"])
        if r["parent"]:
            g.rel_rows("PART_OF", "Region", "Region").add(r["key"], r["parent"])
    for r in each("industries"):
        g.node_rows("Industry").add(industry_key(r), name=r["name"], code=r["code"],
                                    classification=r["classification"], source=source)
    for r in each("firms"):
        props = {k: r[k] for k in FIRM_PROPS}
        g.node_rows("Firm").add(r["key"], source=source, **props)
        g.rel_rows("LOCATED_IN", "Firm", "Country").add(r["key"], r["country"])
        if r["region"]:
            g.rel_rows("LOCATED_IN", "Firm", "Region").add(r["key"], r["region"])
        g.rel_rows("IN_INDUSTRY", "Firm", "Industry").add(r["key"], r["industry"])
    for r in each("persons"):
        g.node_rows("Person").add(r["key"], name=r["name"], nationality=r["nationality"], source=source)
    for r in each("employment"):
        g.rel_rows("WORKS_FOR", "Person", "Firm", ("role",)).add(
            r["person"], r["firm"], role=r["role"], since=r["since"], source=source)
    for r in each("ownership"):
        g.rel_rows("OWNS", LABEL[r["owner_kind"]], "Firm").add(r["owner"], r["firm"], share=r["share"], source=source)
    for r in each("investments"):
        g.rel_rows("INVESTS_IN", "Firm", LABEL[r["target_kind"]], ("year",)).add(
            r["investor"], r["target"], year=r["year"], amount=r["amount"], motive=r["motive"], mode=r["mode"],
            source=source)
    for r in each("fdi_statistics"):
        # a second publisher (reported_by) or the other measure of the same pair and year is another statistic
        g.rel_rows("FDI_STATISTIC", "Country", LABEL[r["destination_kind"]], ("year", "measure", "reported_by")).add(
            r["origin"], r["destination"], year=r["year"], measure=r["measure"], reported_by=r["reported_by"],
            amount=r["amount"], motive=r["motive"], source=source)
    if "firm_supply" in columns:
        t = columns.pop("firm_supply")
        links = _by_supplier(pa.table({"from": t.column("supplier"), "to": t.column("buyer"), "year": t.column("year"),
                                       "product": t.column("product"), "value": t.column("value")}))
        g.rel_rows("SUPPLIES", "Firm", "Firm", ("year", "product")).columns = Columns(
            links, {"source": source}, ("year", "product", "value", "source"), unique=True)
    # by supplier, as ``_by_supplier`` orders the column-held links (str order is UTF-8 byte order): both paths
    # then sum the shares in the same order, to the same bits
    for r in sorted(each("firm_supply"), key=lambda r: r["supplier"]):
        # a and b need the year's totals over the whole database: the graph writer sets them after writing
        g.rel_rows("SUPPLIES", "Firm", "Firm", ("year", "product")).add(
            r["supplier"], r["buyer"], year=r["year"], product=r["product"], value=r["value"], source=source)
    for r in each("trade_flows"):
        g.rel_rows("EXPORTS", "Country", "Country", ("year", "industry", "use")).add(
            r["exporter"], r["importer"], year=r["year"], industry=r["industry"], use=r["use"], value=r["value"],
            weight=r["weight"], unit_value=unit_value(r["value"], r["weight"]), source=source)
    indicators = list(each("country_indicators"))
    for code in sorted({r["indicator"] for r in indicators}):
        # the indicator's definition is the format's, not the file's: written once, never overwritten
        name, unit = INDICATORS[code]
        g.node_rows("Indicator", fill_only=True).add(code, name=name, unit=unit)
    for r in indicators:
        # the file's `source` column is the publisher; `source` on the link is the Dataset, as on every record
        g.rel_rows("HAS_INDICATOR", "Country", "Indicator", ("year",)).add(
            r["country"], r["indicator"], year=r["year"], value=r["value"], unit=r["unit"],
            reported_by=r["source"], source=source)
    for r in each("gvc_stages"):
        g.rel_rows("PERFORMS", "Firm", "Stage", ("year",)).add(
            r["firm"], r["stage"], stage=r["stage"], year=r["year"], value_added=r["value_added"], source=source)
    for r in each("stage_assessments"):
        g.rel_rows("STAGE_ASSESSMENT", LABEL[r["subject_kind"]], "Stage", ("year", "assessed_by")).add(
            r["subject"], r["stage"], year=r["year"], assessed_by=r["assessed_by"], stage=r["stage"],
            current=r["current"], target=r["target"], source=source)
    if columns:
        raise ValueError(f"no column-held graph rows for {sorted(columns)}")
    return g


def _firm_columns(g: GraphRows, t, source: str) -> None:
    """``tables_graph``'s firm rows, column-held: the Firm nodes and their LOCATED_IN and IN_INDUSTRY links
    (keys are distinct: the table's key was checked)."""

    g.node_rows("Firm").columns = Columns(t.select(["key", *FIRM_PROPS]), {"source": source},
                                          ("source", *FIRM_PROPS), unique=True)
    g.rel_rows("LOCATED_IN", "Firm", "Country").columns = Columns(
        pa.table({"from": t.column("key"), "to": t.column("country")}), unique=True)
    placed = t.filter(pc.is_valid(t.column("region")))
    if placed.num_rows:
        g.rel_rows("LOCATED_IN", "Firm", "Region").columns = Columns(
            pa.table({"from": placed.column("key"), "to": placed.column("region")}), unique=True)
    g.rel_rows("IN_INDUSTRY", "Firm", "Industry").columns = Columns(
        pa.table({"from": t.column("key"), "to": t.column("industry")}), unique=True)


def _by_supplier(links: pa.Table) -> pa.Table:
    """Each supplier's links together (a stable sort: in file order), made here, where the validated table is
    dropped next: the writer compares links a supplier at a time and would otherwise hold a sorted copy beside
    these (~300 MB at 5M links). Every path then sums the shares in this one order."""
    return links.take(pc.sort_indices(links.column("from")))

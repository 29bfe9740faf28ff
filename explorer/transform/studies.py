"""The Studies page's pure parts: where each report opens, the panel as tidy rows (CSV and Parquet), and the
panel view's two charts (motive mix per host, unit values per host; years side by side).

Pure: data in, links, frames, bytes and finished figures out (every figure through ``charts.finish``).
"""
from __future__ import annotations

import html
import io
import json
from typing import Any, Sequence
from urllib.parse import urlencode

import pandas as pd
import plotly.express as px

from explorer.transform import charts
from explorer.transform.tables import facts
from queries.modules.studies import StudyReport

PANEL_TAB = "Global-factory panel"
MOTIVES = ("market", "resource", "efficiency", "strategic_asset")
MAX_YEARS_SHOWN = 6


def report_target(report: StudyReport) -> tuple[str, dict[str, str]]:
    """(page url path, query parameters) that open ``report`` with its parameters and run it."""
    if report.page == "panel":
        return "studies", {"tab": PANEL_TAB, **report.params, "run": "1"}
    return "reports", {"report": f"module:{report.module}", **{f"p_{k}": v for k, v in report.params.items()},
                       "run": "1"}


def report_link(report: StudyReport) -> str:
    """The address (relative to the app) that opens ``report`` with its parameters and runs it."""
    path, query = report_target(report)
    return f"{path}?{urlencode(query)}"


def report_item(report: StudyReport, available: bool) -> str:
    """A Markdown list item: a link that opens the report in this tab, or why there is none."""
    if not available:
        return f"- {html.escape(report.label)} — `{report.module}`: *not available in this build*"
    return (f'- <a href="{html.escape(report_link(report))}" target="_self">{html.escape(report.label)}</a> '
            f"— `{report.module}`")


def tidy(panel: pd.DataFrame, units: dict[str, str]) -> pd.DataFrame:
    """One row per host, year and variable: value (a number or empty), its unit, and for unit values the note
    saying why one is empty or which part of the trade it covers."""
    notes = [c for c in panel.columns if c.endswith("_note")]
    values = [c for c in panel.columns if c not in ("host", "year", *notes)]
    long = panel.melt(id_vars=["host", "year"], value_vars=values, var_name="variable", value_name="value")
    long["value"] = pd.to_numeric(long["value"], errors="coerce").astype(float)
    long["unit"] = long["variable"].map(lambda c: units.get(c, ""))
    note_of = {}
    for c in notes:
        target = c[: -len("_note")]
        for h, y, n in zip(panel["host"], panel["year"], panel[c]):
            note_of[(h, y, target)] = n or ""
    long["note"] = [note_of.get((h, y, v), "") for h, y, v in zip(long["host"], long["year"], long["variable"])]
    order = {c: i for i, c in enumerate(values)}
    long = long.sort_values(["host", "year", "variable"], key=lambda s: s.map(order) if s.name == "variable" else s)
    return long.reset_index(drop=True)[["host", "year", "variable", "value", "unit", "note"]]


def to_parquet(frame: pd.DataFrame, source: charts.Source) -> bytes:
    """Parquet bytes of ``frame`` whose file metadata (key ``gvn.source``) holds the dataset, years, units and
    module as JSON, like the CSV's comment lines."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame, preserve_index=False)
    meta = dict(table.schema.metadata or {})
    meta[b"gvn.source"] = json.dumps(facts(list(frame.columns), source), ensure_ascii=False).encode("utf-8")
    buf = io.BytesIO()
    pq.write_table(table.replace_schema_metadata(meta), buf)
    return buf.getvalue()


def shown_years(panel: pd.DataFrame, wanted: Sequence[int] | None = None) -> list[int]:
    """The years drawn side by side: those asked for that the panel holds, else its last years with FDI."""
    held = sorted({int(y) for y in panel["year"]})
    if wanted:
        return [y for y in sorted(set(int(w) for w in wanted)) if y in held][:MAX_YEARS_SHOWN]
    with_fdi = sorted({int(y) for y, a in zip(panel["year"], panel["fdi_amount"]) if pd.notna(a) and a > 0})
    return (with_fdi or held)[-3:]


def motive_mix(panel: pd.DataFrame, years: Sequence[int], *, source: charts.Source, origin: str):
    """Stacked bars: FDI amount by motive per host, one panel per year."""
    part = panel[panel["year"].isin(years)]
    long = part.melt(id_vars=["host", "year"], value_vars=[f"fdi_{m}_amount" for m in MOTIVES],
                     var_name="motive", value_name="amount")
    long["motive"] = long["motive"].str.removeprefix("fdi_").str.removesuffix("_amount")
    value_title = charts.label("fdi_amount", source.unit("fdi_market_amount"), "FDI amount")
    fig = px.bar(long, x="host", y="amount", color="motive", facet_col="year", barmode="stack",
                 category_orders={"motive": list(MOTIVES), "year": list(years)},
                 labels={"amount": value_title, "host": "Host country", "motive": "Motive"})
    fig.for_each_annotation(lambda a: a.update(text=a.text.replace("year=", "")))
    fig.update_xaxes(type="category", title_text="Host country")
    return charts.finish(fig, title=f"FDI of {origin}'s firms by motive and host, {charts.years_text(years)}",
                         source=source, y=value_title, legend="Motive", height=440)


def unit_values(panel: pd.DataFrame, years: Sequence[int], *, source: charts.Source, origin: str):
    """Each host at its export and import unit values, coloured by its largest FDI motive, sized by FDI, one
    panel per year; hosts without both unit values are left out (the table says why)."""
    part = panel[panel["year"].isin(years)].copy()
    amounts = part[[f"fdi_{m}_amount" for m in MOTIVES]].astype(float).fillna(0.0)
    part["main_motive"] = [MOTIVES[i] if total > 0 else "no FDI"
                           for i, total in zip(amounts.to_numpy().argmax(axis=1), amounts.sum(axis=1))]
    part["fdi"] = part["fdi_amount"].astype(float).fillna(0.0)
    part = part.dropna(subset=["exports_unit_value", "imports_unit_value"])
    x_title = charts.label("exports_unit_value", source.unit("exports_unit_value"), f"Unit value of {origin}'s exports")
    y_title = charts.label("imports_unit_value", source.unit("imports_unit_value"), f"Unit value of {origin}'s imports")
    fig = px.scatter(part, x="exports_unit_value", y="imports_unit_value", color="main_motive", size="fdi",
                     size_max=30, facet_col="year", hover_name="host", text="host",
                     hover_data={"fdi_amount": True, "exports_value": True, "imports_value": True},
                     category_orders={"main_motive": [*MOTIVES, "no FDI"], "year": list(years)},
                     labels={"exports_unit_value": x_title, "imports_unit_value": y_title, "main_motive": "Largest motive"})
    fig.for_each_annotation(lambda a: a.update(text=a.text.replace("year=", "")))
    fig.update_traces(textposition="top center")
    fig.update_xaxes(title_text=x_title)
    return charts.finish(fig, title=f"Motive mix against trade unit values per host, {origin}, "
                                    f"{charts.years_text(years)} (marker area: FDI amount)",
                         source=source, y=y_title, legend="Largest motive", height=460)


def availability(study_reports: Sequence[StudyReport], catalogue_names: set[str]) -> list[tuple[StudyReport, bool]]:
    return [(r, r.module in catalogue_names) for r in study_reports]


def dataset_lines(datasets: Sequence[dict[str, Any]]) -> list[str]:
    """'KEY (name) — SYNTHETIC — 2016–2020' per dataset a study's reports can read."""
    out = []
    for d in datasets:
        flag = "SYNTHETIC" if d.get("synthetic") else "real" if d.get("synthetic") is False else "unlabelled"
        years = charts.years_text(d.get("years") or []) or "no year"
        name = d.get("name") or ""
        out.append(f"{d['key']}{f' ({name})' if name and name != d['key'] else ''} — {flag} — {years}")
    return out

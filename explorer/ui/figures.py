"""Charts and tables on a page, each with its source, units and downloads.

``show`` puts a finished figure (``explorer.transform.charts``) on the page with the config that
exports it (camera button: PNG at 3x or SVG, as the sidebar's *Chart downloads* choice says) and
reads world shapes from the app's static files. ``table`` shows a result with units in its
column titles, the source line under it and CSV / JSON downloads that carry the dataset, years
and units. ``source`` says where a module result's numbers come from.
"""
from __future__ import annotations

from typing import Any, Mapping

import pandas as pd
import streamlit as st

from explorer.data import catalogue
from explorer.data import sources
from explorer.transform import charts
from explorer.transform import tables

FORMAT_KEY = "fig_format"
CSV_HELP = (f"{tables.CSV_COMMENT_LINES} lines starting with # (dataset, years, units, module) before the header; "
            f"pandas: read_csv(path, skiprows={tables.CSV_COMMENT_LINES})")
JSON_HELP = '{"source": {datasets, years, units, module}, "rows": [...]}'
_FORMAT_NAMES = {"png": f"PNG ({charts.PNG_SCALE}x)", "svg": "SVG (vector)"}


def format_picker() -> None:
    """The sidebar choice of what the charts' camera button saves (one per page run)."""
    st.sidebar.radio("Chart downloads (camera button)", charts.FORMATS, format_func=_FORMAT_NAMES.get,
                     key=FORMAT_KEY, horizontal=True,
                     help="What the camera button above each chart saves: a PNG at three times the size on "
                          "screen, or an SVG to edit or scale; both with title, legend and source line.")


def topojson_url() -> str:
    """Where plotly.js finds world_110m.json: the app's static files (explorer/static/geo/)."""
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}/app/static/geo/" if base else "/app/static/geo/"


def show(fig, key: str, filename: str) -> None:
    fmt = st.session_state.get(FORMAT_KEY) or "png"
    st.plotly_chart(fig, width="stretch", key=key, config=charts.config(filename, fmt, topojson_url()))


def source(result: pd.DataFrame | None, module: str, kinds: str | tuple[str, ...], year: int | None = None,
           page_units: Mapping[str, str] | None = None) -> charts.Source:
    """Where the numbers of ``result`` (from ``module``) come from: its provenance record, or else the
    datasets holding records of ``kinds`` (``explorer.data.sources.KINDS``) in the year asked for (or
    the result's own years, or every year)."""
    column_units = {c.name: c.unit for c in catalogue.entry(module).columns}
    if result is not None and result.attrs.get("provenance"):
        return charts.source_of(result, module=module, column_units=column_units, page_units=page_units)
    if year is not None:
        years = [year]
    elif result is not None and "year" in result and result["year"].notna().any():
        years = sorted({int(y) for y in result["year"].dropna()})
    else:
        years = []
    found: dict[str, dict] = {}
    for kind in (kinds,) if isinstance(kinds, str) else kinds:
        for y in years or [None]:
            for d in sources.holding(kind, y):
                seen = found.setdefault(d["key"], {**d, "years": []})
                seen["years"] = sorted(set(seen["years"]) | set(d["years"]))
    return charts.source_of(result, module=module, column_units=column_units, fallback_datasets=list(found.values()),
                            fallback_years=years, page_units=page_units)


def table(df: pd.DataFrame, src: charts.Source, key: str, filename: str, what: str, *,
          column_config: Mapping[str, Any] | None = None, note: str = "", where: Any = None) -> None:
    """The table with units in its column titles, its source and units underneath, and the downloads
    *Download <what> (CSV)* and *(JSON)* carrying the dataset, years and units."""
    ui = where or st
    titles = tables.headers(list(df.columns), src)
    config: dict[str, Any] = {c: t for c, t in titles.items() if t != c}
    for c, cfg in (column_config or {}).items():
        cfg["label"] = titles.get(c, c)  # a column's own display settings keep the unit in the title
        config[c] = cfg
    ui.dataframe(df, hide_index=True, width="stretch", column_config=config or None, key=f"{key}_table")
    ui.caption((note + " " if note else "") + tables.caption(list(df.columns), src))
    c1, c2, _ = ui.columns([1, 1, 2])
    c1.download_button(f"Download {what} (CSV)", tables.to_csv(df, src), file_name=f"{filename}.csv",
                       mime="text/csv", key=f"{key}_csv", help=CSV_HELP)
    c2.download_button(f"Download {what} (JSON)", tables.to_json(df, src), file_name=f"{filename}.json",
                       mime="application/json", key=f"{key}_json", help=JSON_HELP)

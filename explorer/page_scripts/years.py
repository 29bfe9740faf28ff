"""Years compared: how linkages, centrality, value added in exports and a node's paths changed between
two years of one dataset (``queries/modules/compare.py``).

Widgets come from the modules' own Params; the URL holds every choice (``?source=wiod-2013-release
&year_a=1995&year_b=2008&measure=backward_linkage&centrality_measure=pagerank&va_measure=fva_share
&country=KOR&node=KOR|Electrical and Optical Equipment&direction=upstream&depth=2&tab=Paths``).
"""
from dataclasses import replace

import pandas as pd
import streamlit as st

from explorer.data import catalogue
from explorer.data import overview
from explorer.transform import charts
from explorer.transform import url
from explorer.ui import figures
from explorer.ui import page
from explorer.ui.widgets import widget
from queries.errors import QueryError

page.start("Years compared")
figures.format_picker()

years = overview.years_by_kind().get("SectorYear", [])
if len(years) < 2:
    st.info("Comparing years needs an input-output table loaded for two years or more "
            "(`python -m loader demo` loads WIOD 2013 for 1995, 2000, 2005 and 2008).")
    st.stop()

link = catalogue.params("linkage-shifts")
cent = catalogue.params("centrality-shifts")
va = catalogue.params("va-shifts")
paths = catalogue.params("path-shifts")
fields = {"source": link["source"], "year_a": link["year_a"], "year_b": link["year_b"], "measure": link["measure"],
          "centrality_measure": cent["measure"], "va_measure": va["measure"], "country": link["country"],
          "order_by": link["order_by"], "limit": link["limit"],
          # the module requires a node; on the page an empty one means "not chosen yet"
          "node": replace(paths["node"], required=False, default=""),
          "direction": paths["direction"], "depth": paths["depth"], "threshold": paths["threshold"]}
qp = st.query_params
from_url, problems = url.read(fields, qp)
page.url_problems(problems, stop=True)


def initial(key: str):
    return from_url.get(key, fields[key].default)


state = {}
c1, c2, c3, c4 = st.columns([2, 1, 1, 1])
state["source"] = widget(fields["source"], initial("source"), "yr_source", label="Dataset", where=c1)
state["year_a"] = widget(fields["year_a"], initial("year_a"), "yr_a", label="Year A", options=years, where=c2)
state["year_b"] = widget(fields["year_b"], initial("year_b"), "yr_b", label="Year B", options=years, where=c3)
state["country"] = widget(fields["country"], initial("country"), "yr_country", label="Country", where=c4)
o1, o2, _ = st.columns([2, 1, 2])
state["order_by"] = widget(fields["order_by"], initial("order_by"), "yr_order", label="Order", where=o1)
state["limit"] = widget(fields["limit"], initial("limit"), "yr_limit", label="Rows", where=o2)
common = {k: state[k] for k in ("source", "year_a", "year_b", "order_by", "limit")}
run = page.run
CHART_ROWS = 25
CENTRALITY_TIMEOUT_S = 120.0


def shift_figures(df: pd.DataFrame, module: str, label_col: str, what: str, key: str) -> None:
    """Dumbbell of value A and B for the first rows, then the change table with its downloads."""
    src = figures.source(df, module, "sector")
    ya, yb = int(df["year_a"].iloc[0]), int(df["year_b"].iloc[0])
    head = df.head(CHART_ROWS)
    measure = str(df["measure"].iloc[0])
    figures.show(charts.dumbbell(head, label_col, "value_a", "value_b",
                                 title=f"{what.split(' (')[0]}s: {charts.nice(measure)}, {ya} and {yb} (first {len(head)} of "
                                       f"{len(df)}, ordered by {state['order_by'].replace('_', ' ')})",
                                 source=src, category_title=what, value_title=charts.label(measure, src.unit("value_a")),
                                 a_name=str(ya), b_name=str(yb)),
                 f"{key}_chart", f"{module}-{measure}-{ya}-{yb}")
    figures.table(df, src, key, f"{module}-{measure}-{ya}-{yb}", "changes",
                  note="rank_change = rank in A - rank in B (positive: moved up).")


tab_link, tab_cent, tab_va, tab_paths = page.tabs(["Linkages", "Centrality", "Value added", "Paths"], "yr_tab")

with tab_link:
    state["measure"] = widget(fields["measure"], initial("measure"), "yr_measure", label="Measure")
    df = run("linkage-shifts", {**common, "measure": state["measure"], "country": state["country"]})
    if df is not None and not df.empty:
        shift_figures(df, "linkage-shifts", "sector", "Sector (country|industry)", "yr_link")

with tab_cent:
    state["centrality_measure"] = widget(fields["centrality_measure"], initial("centrality_measure"), "yr_cmeasure",
                                         label="Centrality")
    # two GDS runs on two years' networks (WIOD: about 95,000 links a year): more than the usual 30 s on a busy server
    try:
        with st.spinner("Running centrality-shifts…"):
            df = catalogue.run("centrality-shifts", {**common, "measure": state["centrality_measure"],
                                                     "country": state["country"]}, timeout_s=CENTRALITY_TIMEOUT_S)
    except QueryError as exc:
        st.error(f"centrality-shifts: {exc}")
        df = None
    if df is not None and not df.empty:
        df = df.assign(shown=charts.display_names(list(df["key"]), list(df["name"])))
        shift_figures(df, "centrality-shifts", "shown", "Sector (name)", "yr_cent")

with tab_va:
    state["va_measure"] = widget(fields["va_measure"], initial("va_measure"), "yr_vmeasure", label="Measure")
    df = run("va-shifts", {**common, "measure": state["va_measure"], "country": state["country"]})
    if df is not None and not df.empty:
        shift_figures(df, "va-shifts", "country", "Country (ISO3 code)", "yr_va")

with tab_paths:
    p1, p2, p3, p4 = st.columns([3, 1, 1, 1])
    state["node"] = widget(fields["node"], initial("node"), "yr_node", label="Start node (Sector or Firm key)",
                           where=p1)
    state["direction"] = widget(fields["direction"], initial("direction"), "yr_direction", where=p2)
    state["depth"] = widget(fields["depth"], initial("depth"), "yr_depth", label="Depth", where=p3)
    state["threshold"] = widget(fields["threshold"], initial("threshold"), "yr_threshold", label="Threshold", where=p4)
    if state["node"]:
        df = run("path-shifts", {k: state[k] for k in ("node", "direction", "depth", "threshold", "source",
                                                       "year_a", "year_b")})
        if df is not None and not df.empty:
            src = figures.source(df, "path-shifts", "sector")
            shown = df.assign(path=[" → ".join(p) for p in df["path"]])
            counts = shown["present"].value_counts()
            st.caption(f"{len(df)} paths: {counts.get('both', 0)} in both years, {counts.get('a_only', 0)} only in "
                       f"{int(df['year_a'].iloc[0])}, {counts.get('b_only', 0)} only in {int(df['year_b'].iloc[0])} "
                       "(missing: absent or below the threshold that year).")
            figures.table(shown, src, "yr_paths", f"path-shifts-{int(df['year_a'].iloc[0])}-{int(df['year_b'].iloc[0])}",
                          "paths")
        elif df is not None:
            st.info("No path above the threshold in either year.")
    else:
        st.caption("Give a start node (e.g. `KOR|Electrical and Optical Equipment`) to compare its paths.")

qp.from_dict({**url.write(fields, state), **page.selected_tab("yr_tab")})

"""Studies: the five source studies, each with its question, the reports that answer it (one click opens them
with their parameters, on the page that shows them), its formula and methods section, and the datasets it
reads (synthetic or real, from the Dataset nodes); and the global-factory panel view (study a).

The panel view's URL holds every choice (``?tab=Global-factory+panel&origin=KOR&industry=&years=2016..2020
&show_years=2019,2020&motive=market&dependent=amount&regressors=...``): motive mix and unit values per host
with the years side by side, the panel as a wide table (CSV/JSON) and tidy (CSV/Parquet, a unit per row), and
the fixed-effects coefficient table. The entries are data: ``queries/modules/studies.py``.
"""
import streamlit as st

from explorer.data import catalogue
from explorer.data import overview
from explorer.data import studies as study_data
from explorer.transform import studies as view
from explorer.transform import tables
from explorer.transform import url
from explorer.ui import figures
from explorer.ui import page
from explorer.ui.widgets import widget
from queries.model import Param
from queries.modules.fdi_panel import DEFAULT_REGRESSORS
from queries.modules.studies import STUDIES
from queries.provenance import describe

page.start("Studies")
figures.format_picker()
panel_params = catalogue.params("fdi-trade-panel-fe")
SHOW_YEARS = Param("show_years", "multi", (), item="int", label="Years side by side",
                   help=f"years drawn next to each other (at most {view.MAX_YEARS_SHOWN}); empty = the last three "
                        "with FDI")
fields = {name: panel_params[name] for name in ("origin", "industry", "years", "motive", "dependent", "regressors")}
fields["show_years"] = SHOW_YEARS
qp = st.query_params
from_url, problems = url.read(fields, qp)
page.url_problems(problems, stop=True)
state: dict = {}


def show(key: str, where, label: str | None = None, options=None):
    p = fields[key]
    value = widget(p, from_url.get(key, p.default), f"st_{key}", label=label, options=options, where=where)
    if key == "origin" and isinstance(value, str):
        value = value.strip().upper()
    state[key] = value
    return value


tab_list, tab_panel = page.tabs(["Studies", view.PANEL_TAB], "st_tab")

with tab_list:
    names = {e.name for e in catalogue.entries()}
    st.caption("Each study's question, the reports that answer it (a link opens the report with its parameters "
               "and runs it; the address reproduces it), the measure and the data it reads. Formulas with units "
               "and references: docs/methods.md.")
    for study in STUDIES:
        with st.container(border=True):
            st.subheader(f"({study.key}) {study.title}")
            st.markdown(f"**Question.** {study.question}")
            # plain links loaded in this tab: the opened page starts from its address alone, exactly as a
            # shared link does (a page switch inside the session would keep the widgets' earlier values)
            st.markdown("**Reports**\n\n" + "\n".join(view.report_item(r, ok) for r, ok in
                                                       view.availability(study.reports, names)),
                        unsafe_allow_html=True)
            st.markdown(f"**Measure.** `{study.formula}` — docs/methods.md, section {study.methods}")
            datasets = study_data.datasets_reading(study.reads)
            if datasets:
                st.markdown("**Data**\n\n" + "\n".join(f"- {line}" for line in view.dataset_lines(datasets)))
            else:
                st.markdown("**Data** — nothing loaded that this study reads.")

with tab_panel:
    st.caption("Study (a): an origin country's firm-level FDI projects by motive (INVESTS_IN only; country-level "
               "FDI statistics are never added in), its exports to and imports from each host with unit values, "
               "and the hosts' indicators, host x year.")
    kinds = overview.years_by_kind()
    offered = sorted(set(kinds.get("INVESTS_IN", [])) | set(kinds.get("EXPORTS", [])))
    c1, c2, c3 = st.columns(3)
    origin = show("origin", c1, "Origin country (ISO3)")
    show("industry", c2, "Industry key (empty = all)")
    show("years", c3, "Years", offered or None)
    base = {"origin": origin, "industry": state["industry"], "years": state["years"]}
    panel = None
    if not origin or not isinstance(origin, str):
        st.info("Enter the origin country (ISO3), e.g. KOR.")
    else:
        panel = page.run("fdi-trade-panel", base)
    if panel is not None and panel.empty:
        st.info(f"No FDI projects or trade of {origin} in the data read.")
    elif panel is not None:
        src = figures.source(panel, "fdi-trade-panel", ("fdi", "trade"))
        held = sorted({int(y) for y in panel["year"]})
        wanted = show("show_years", st, "Years side by side (none chosen: the last three with FDI)", options=held)
        years = view.shown_years(panel, wanted)
        figures.show(view.motive_mix(panel, years, source=src, origin=origin), "st_mix",
                     f"fdi-motive-mix-{origin}")
        figures.show(view.unit_values(panel, years, source=src, origin=origin), "st_unit_values",
                     f"fdi-unit-values-{origin}")
        st.caption("Hosts without both an export and an import unit value in a year are not drawn; the table's "
                   "*_unit_value_note columns say why (no weight loaded, services only, no trade data).")
        for line in describe(panel.attrs):
            st.caption(line)
        figures.table(panel, src, "st_panel", f"fdi-trade-panel-{origin}", "panel (wide)")
        long = view.tidy(panel, dict(src.units))
        c1, c2, _ = st.columns([1, 1, 2])
        c1.download_button("Download panel, tidy (CSV)", tables.to_csv(long, src),
                           file_name=f"fdi-trade-panel-{origin}-tidy.csv", mime="text/csv", key="st_tidy_csv",
                           help=figures.CSV_HELP + "; one row per host, year and variable, with its unit")
        c2.download_button("Download panel, tidy (Parquet)", view.to_parquet(long, src),
                           file_name=f"fdi-trade-panel-{origin}-tidy.parquet", mime="application/octet-stream",
                           key="st_tidy_parquet", help="one row per host, year and variable, with its unit; the "
                                                       "file's metadata key gvn.source holds dataset, years and module")

        st.subheader("Fixed-effects estimate")
        c1, c2 = st.columns(2)
        show("motive", c1, "FDI motive (y)")
        show("dependent", c2, "y measured as")
        show("regressors", st, "Regressors (none chosen: " + ", ".join(DEFAULT_REGRESSORS) + ")")
        fit = page.run("fdi-trade-panel-fe", {**base, "motive": state["motive"], "dependent": state["dependent"],
                                              "regressors": state["regressors"]})
        if fit is not None and not fit.empty and fit["note"].astype(bool).all():
            st.warning(fit["note"].iloc[0])
        elif fit is not None and not fit.empty:
            fsrc = figures.source(fit, "fdi-trade-panel-fe", ("fdi", "trade"))
            first = fit.iloc[0]
            st.markdown(f"y = {first['dependent']}; host and year fixed effects; standard errors clustered by host. "
                        f"{int(first['n_obs'])} host-years, {int(first['hosts'])} hosts, {int(first['years'])} years, "
                        f"within R² {first['r2_within']:.3f}.")
            figures.table(fit, fsrc, "st_fit", f"fdi-trade-panel-fe-{origin}", "coefficients")
            for line in describe(fit.attrs):
                st.caption(line)

qp.from_dict({**url.write(fields, state), **page.selected_tab("st_tab")})

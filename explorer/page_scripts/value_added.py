"""Value added & participation: the GVC accounting of an input-output table year (docs/methods.md, section 19).

Figures: the KWW decomposition of gross exports as stacked bars per country; GVC participation
against position; the value added in one exporter's gross exports by origin country next to its
exports by destination (Sankey); bilateral value-added exports (VAX_sr) as a heat map; two years
side by side (backward and forward participation per country). Widgets come from the modules'
Params (gvc-decomposition, gvc-participation, va-by-origin, tiva); the URL holds every choice
(``?year=1995&year_b=2008&exporter=DEU&top=10``). Every figure names its dataset, year and units.
"""
import pandas as pd
import plotly.express as px
import streamlit as st

from connection import read
from explorer.data import catalogue
from explorer.transform import charts
from explorer.transform import url
from explorer.ui import figures
from explorer.ui import page
from explorer.ui.widgets import widget
from queries.model import Param

page.start("Value added & participation")
figures.format_picker()
run = page.run

KWW = ("kww_dva_fin", "kww_dva_int", "kww_dva_intrex", "kww_rdv_fin", "kww_rdv_int", "kww_ddc", "kww_fva_fin",
       "kww_fva_int", "kww_fdc")
KWW_NAMES = {"kww_dva_fin": "T1 DVA in final goods", "kww_dva_int": "T2 DVA in intermediates, absorbed by importer",
             "kww_dva_intrex": "T3 DVA re-exported to third countries", "kww_rdv_fin": "T4 returned DVA, final",
             "kww_rdv_int": "T5 returned DVA, intermediates", "kww_ddc": "T6 domestic double counting",
             "kww_fva_fin": "T7 FVA in final goods", "kww_fva_int": "T8 FVA in intermediates",
             "kww_fdc": "T9 foreign double counting", "unexplained_exports": "exports of sectors without output"}

dec = catalogue.params("gvc-decomposition")
YEAR_B = Param("year_b", "int", None, 1900, 2100, label="Compare with year",
               help="second table year for the side-by-side figure; empty = none")
TOP = Param("top", "int", 10, 2, 40, label="Countries named in the Sankey",
            help="largest origins and destinations shown by name; the rest are summed as 'other'")
fields = {"year": dec["year"], "year_b": YEAR_B, "exporter": dec["country"], "top": TOP}
qp = st.query_params
from_url, problems = url.read(fields, qp)
page.url_problems(problems, stop=True)
state: dict = {}


@st.cache_data(ttl=60, show_spinner=False)
def gvc_years() -> list[int]:
    """Years holding GVC accounts (CountryYear nodes) of any table."""
    return [r["year"] for r in read("MATCH (c:CountryYear) RETURN DISTINCT c.year AS year ORDER BY year")]


def show(key: str, where, label: str | None = None, options=None):
    p = fields[key]
    value = widget(p, from_url.get(key, p.default), f"va_{key}", label=label, options=options, where=where)
    if p.type == "str":
        value = value.strip().upper()
    state[key] = value
    return value


years = gvc_years()
c1, c2, c3, c4 = st.columns(4)
show("year", c1, "Year", years)
show("year_b", c2, "Compare with year", years)
exporter = show("exporter", c3, "Exporter for Sankey (ISO3)") or "DEU"
show("top", c4)
if not years:
    st.info("No table year with GVC accounts: load one with `python -m loader mrio data/wiod2013 --format parquet "
            "--year 1995` (the accounting runs with the load).")
    qp.from_dict(url.write(fields, state))
    st.stop()


def when(src: charts.Source) -> str:
    return src.years_text() or "year not recorded"


# ------------------------------------------------------------------ 1. decomposition per country
kww = run("gvc-decomposition", {"year": state["year"], "level": "country", "limit": 1000})
if kww is not None and not kww.empty:
    src = figures.source(kww, "gvc-decomposition", "sector", state["year"])
    terms = [t for t in (*KWW, "unexplained_exports") if t in kww.columns]
    long = kww.melt(id_vars=["country", "gross_exports"], value_vars=terms, var_name="term", value_name="value")
    long["term"] = long["term"].map(KWW_NAMES)
    unit = src.unit("gross_exports")
    figures.show(charts.bar(long, "country", "value", title=f"Gross exports decomposed (Koopman, Wang & Wei 2014), "
                            f"{when(src)}", source=src, category_title="Exporting country",
                            value_title=charts.label("value", unit, "Gross exports"), colour="term",
                            legend="KWW term", stacked=True, hover=["gross_exports"]),
                 "va_kww", f"kww-decomposition-{when(src)}")
    figures.table(kww, src, "va_kww", f"kww-decomposition-{when(src)}", "decomposition")

# ------------------------------------------------------------------ 2. participation against position
part = run("gvc-participation", {"year": state["year"], "level": "country", "limit": 1000})
if part is not None and not part.empty:
    src = figures.source(part, "gvc-participation", "sector", state["year"])
    shown = part.dropna(subset=["participation", "position"])
    figures.show(charts.scatter(shown, "participation", "position",
                                title=f"GVC participation and position, {when(src)} (marker area: gross exports)",
                                source=src, x_title=charts.label("participation", src.unit("participation"),
                                                                 "Participation (backward + forward)"),
                                y_title=charts.label("position", src.unit("position"),
                                                     "Position ln(1+forward) − ln(1+backward)"),
                                size="exports", hover_name="country", hover=["backward", "forward"],
                                lines=(("h", 0.0),)),
                 "va_part", f"gvc-participation-{when(src)}")
    # country level: the sector and industry columns are empty; a table of "None" columns says nothing
    empty = [c for c in ("sector", "industry") if c in part and part[c].isna().all()]
    figures.table(part.drop(columns=empty), src, "va_part", f"gvc-participation-{when(src)}", "participation")


# ------------------------------------------------------------------ 3. origin -> exporter -> destination
def _top(frame: pd.DataFrame, name: str, value: str, n: int) -> pd.DataFrame:
    frame = frame.sort_values(value, ascending=False)
    head, rest = frame.head(n), frame.iloc[n:]
    if len(rest):
        head = pd.concat([head, pd.DataFrame({name: ["other"], value: [rest[value].sum()]})], ignore_index=True)
    return head[[name, value]]


origins = run("va-by-origin", {"year": state["year"], "within": "exports", "partner": exporter, "limit": 100000})
dests = run("tiva", {"year": state["year"], "country": exporter, "order_by": "gross_exports", "limit": 100000})
if origins is not None and dests is not None and not origins.empty and not dests.empty:
    src = figures.source(origins, "va-by-origin", "sector", state["year"])
    left = _top(origins, "origin", "value", state["top"])
    right = _top(dests, "partner", "gross_exports", state["top"])
    labels = [f"{o} (origin)" for o in left["origin"]] + [exporter] + [f"{d} (destination)" for d in right["partner"]]
    mid = len(left)
    srcs = list(range(mid)) + [mid] * len(right)
    tgts = [mid] * mid + list(range(mid + 1, mid + 1 + len(right)))
    vals = list(left["value"]) + list(right["gross_exports"])
    unit = src.unit("value")
    figures.show(charts.sankey(labels, srcs, tgts, vals,
                               title=f"Value added in {exporter}'s gross exports by origin country (left) and its "
                                     f"gross exports by destination (right), {when(src)}, {unit}",
                               source=src, value_title=charts.label("value", unit, "Value")),
                 "va_sankey", f"va-sankey-{exporter}-{when(src)}")
    st.caption("Both sides add up to the exporter's gross exports (value added by origin: V B diag(e) summed over "
               "its exporting sectors; docs/methods.md 19.4).")

# ------------------------------------------------------------------ 4. bilateral heat map
tiva = run("tiva", {"year": state["year"], "limit": 100000})
if tiva is not None and not tiva.empty:
    src = figures.source(tiva, "tiva", "sector", state["year"])
    grid = tiva.pivot_table(index="country", columns="partner", values="vax", aggfunc="sum")
    unit = src.unit("vax")
    value_title = charts.label("vax", unit, "Value-added exports")
    fig = px.imshow(grid, aspect="auto", color_continuous_scale="Blues",
                    labels={"x": "Absorbing country", "y": "Origin (exporter)", "color": value_title})
    fig = charts.finish(fig, title=f"Bilateral value-added exports VAX_sr (Johnson & Noguera 2012), {when(src)}",
                        source=src, x="Absorbing country (final demand)", y="Origin of the value added",
                        colour=value_title, height=760)
    figures.show(fig, "va_heat", f"tiva-heatmap-{when(src)}")
    figures.table(tiva, src, "va_tiva", f"tiva-{when(src)}", "bilateral trade in value added")

# ------------------------------------------------------------------ 5. two years side by side
if state["year_b"] is not None and state["year_b"] != state["year"]:
    frames = []
    for y in (state["year"], state["year_b"]):
        r = run("gvc-participation", {"year": y, "level": "country", "limit": 1000})
        if r is not None and not r.empty:
            frames.append((r, figures.source(r, "gvc-participation", "sector", y)))
    if len(frames) == 2:
        (a, sa), (b, sb) = frames
        both = pd.concat([a.assign(year=str(sa.years_text())), b.assign(year=str(sb.years_text()))])
        src = charts.Source(tuple(dict.fromkeys(sa.datasets + sb.datasets)), tuple(sorted({*sa.years, *sb.years})),
                            {**sa.units, **sb.units}, "gvc-participation")
        long = both.melt(id_vars=["country", "year"], value_vars=["backward", "forward"], var_name="measure",
                         value_name="share")
        long["series"] = long["measure"] + " " + long["year"]
        fig = px.bar(long, x="country", y="share", color="series", barmode="group",
                     labels={"share": "Share of gross exports", "country": "Country", "series": "Measure and year"})
        fig.update_xaxes(type="category", categoryorder="array", categoryarray=sorted(long["country"].unique()))
        fig = charts.finish(fig, title=f"Backward (FVA/E) and forward (DVX/E) participation, {when(src)}",
                            source=src, x="Country", y="Share of gross exports (ratio)", legend="Measure and year",
                            height=460)
        figures.show(fig, "va_years", f"participation-{when(src)}")
        figures.table(both, src, "va_years", f"participation-{when(src)}", "participation in both years")

qp.from_dict(url.write(fields, state))

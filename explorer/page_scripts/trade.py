"""Trade & FDI: investment by motive and entry mode, trade unit values, maps, regional profiles.

Widgets come from the modules' own Params (fdi-by-motive, trade-unit-values); the URL holds
every choice (``?fdi_year=2020&origin=KOR&destination=&fdi_map=destination&trade_year=2020
&exporter=KOR&importer=&use=any&province_map=output``), and a value a module refuses is named
with what is allowed. Every chart and table names its dataset, year and units.
"""
import streamlit as st

from explorer.data import catalogue
from explorer.data import geometry
from explorer.data import overview
from explorer.transform import charts
from explorer.transform import country
from explorer.transform import url
from explorer.ui import figures
from explorer.ui import page
from explorer.ui.widgets import widget
from queries.model import Param

page.start("Trade & FDI")
figures.format_picker()
kinds = overview.years_by_kind()
run = page.run

fdi = catalogue.params("fdi-by-motive")
trade_params = catalogue.params("trade-unit-values")
# the map shows one side of the investments: fdi-by-motive split by destination or by origin
FDI_MAP = Param("fdi_map", "choice", "destination", choices=("destination", "origin"), label="Map",
                help="destination: inward FDI by host country; origin: outward FDI by investor country")
region_params = catalogue.params("region-profile")
# region-profile's columns a province can be coloured by
PROVINCE_MAP = Param("province_map", "choice", "output",
                     choices=("output", "foreign_output_share", "foreign_affiliates", "inward_fdi", "firms",
                              "employees"),
                     label="Colour provinces by", help="a column of region-profile at kind = subdivision")
# regional-va's columns a province can be coloured by (inter-regional tables)
REGIONAL_MAP = Param("regional_map", "choice", "va_gen_coef",
                     choices=("va_gen_coef", "va_gen_coef_within", "va_gen_coef_country", "tiva_net", "tiva_gain",
                              "tiva_loss", "va_exports_within", "va_exports_other", "exports_abroad"),
                     label="Colour provinces by (regional value added)",
                     help="a column of regional-va at level = subdivision")
fields = {"fdi_year": fdi["year"], "fdi_all_years": fdi["all_years"], "origin": fdi["origin"],
          "destination": fdi["destination"], "fdi_map": FDI_MAP,
          "trade_year": trade_params["year"], "trade_all_years": trade_params["all_years"],
          "exporter": trade_params["exporter"], "importer": trade_params["importer"], "use": trade_params["use"],
          "region_kind": region_params["kind"], "province_map": PROVINCE_MAP,
          "regional_map": REGIONAL_MAP}
qp = st.query_params
from_url, problems = url.read(fields, qp)
page.url_problems(problems, stop=True)
state: dict = {}


def show(key: str, where, label: str | None = None, options=None):
    """The widget of URL field ``key`` at its URL value (else the module's default); the value is kept for the URL."""
    p = fields[key]
    value = widget(p, from_url.get(key, p.default), f"tr_{key}", label=label, options=options, where=where)
    if p.type == "str":
        value = value.strip().upper()  # country codes are upper-case ISO3
    state[key] = value
    return value


def when(src) -> str:
    """The years a result covers, as its provenance records them (the module picks the latest real year
    when none is asked for), for titles and file names."""
    return src.years_text() or "year not recorded"


tab_fdi, tab_trade, tab_regions = page.tabs(["FDI by motive and mode", "Trade and unit values", "Regions"], "tr_tab")

with tab_fdi:
    c1, c2, c3, c4 = st.columns(4)
    show("fdi_year", c1, "Year", kinds.get("INVESTS_IN", []))
    show("fdi_all_years", c2, "All years")
    show("origin", c3, "Investor country (ISO3)")
    show("destination", c4, "Destination country (ISO3)")
    st.caption("Firm-level FDI projects (INVESTS_IN); country-level FDI statistics are a separate module "
               "(fdi-statistics) and are never added to them.")
    base = {"year": None if state["fdi_all_years"] else state["fdi_year"], "all_years": state["fdi_all_years"],
            "origin": state["origin"], "destination": state["destination"]}
    by_mode = run("fdi-by-motive", {**base, "split": "mode"})
    if by_mode is not None and by_mode.empty:
        st.info("No FDI (INVESTS_IN) for this selection.")
    elif by_mode is not None:
        src = figures.source(by_mode, "fdi-by-motive", "fdi", state["fdi_year"])
        by_mode = by_mode.rename(columns={"split": "mode"})
        figures.show(charts.bar(by_mode, "motive", "amount", title=f"FDI by motive and entry mode, "
                                f"{when(src)}", source=src, category_title="Motive",
                                value_title=charts.label("amount", src.unit("amount")), colour="mode",
                                legend="Entry mode", horizontal=False, stacked=True,
                                hover=["projects", "avg_amount", "share"]),
                     "tr_fdi_bar", f"fdi-by-motive-{when(src)}")
        figures.table(by_mode, src, "tr_fdi", f"fdi-by-motive-and-mode-{when(src)}", "FDI by motive")
        side = show("fdi_map", st)
        flows = run("fdi-by-motive", {**base, "split": side})
        if flows is not None and not flows.empty:
            src = figures.source(flows, "fdi-by-motive", "fdi", state["fdi_year"])
            agg, left_out = country.by_country(flows.rename(columns={"split": "country"}), "amount")
            what = "Inward FDI by host country" if side == "destination" else "Outward FDI by investor country"
            figures.show(charts.world_map(agg, "amount", title=f"{what}, {when(src)}", source=src,
                                          value_title=charts.label("amount", src.unit("amount"), "FDI amount")),
                         "tr_fdi_worldmap", f"fdi-{side}-{when(src)}")
            if left_out:
                st.caption(f"Not on the map (no single country): {', '.join(left_out)}")
            figures.table(agg, src, "tr_fdi_map", f"fdi-{side}-by-country-{when(src)}", "FDI by country",
                          note=f"amount: sum over motives, by {side} country.")

with tab_trade:
    c1, c2, c3, c4, c5 = st.columns(5)
    show("trade_year", c1, "Year", kinds.get("EXPORTS", []))
    show("trade_all_years", c2, "All years")
    show("exporter", c3, "Exporter (ISO3)")
    show("importer", c4, "Importer (ISO3)")
    show("use", c5, "Use")
    trade = run("trade-unit-values", {"year": None if state["trade_all_years"] else state["trade_year"],
                                      "all_years": state["trade_all_years"], "exporter": state["exporter"],
                                      "importer": state["importer"], "use": state["use"], "order_by": "value",
                                      "limit": int(trade_params["limit"].max)})
    if trade is not None and trade.empty:
        st.info("No trade (EXPORTS) for this selection.")
    elif trade is not None:
        src = figures.source(trade, "trade-unit-values", "trade", state["trade_year"])
        plotted = trade.assign(pair=trade["exporter"] + " → " + trade["importer"])
        if plotted["unit_value"].isna().all():
            # input-output tables record values only: EXPORTS from them carry no weight (README "Data formats")
            st.info("No weights recorded for these flows (an input-output table has none), so no unit values: "
                    "the table below lists values only.")
        else:
            figures.show(charts.scatter(plotted, "value", "unit_value", title=f"Unit value against trade value, "
                                        f"{when(src)} (marker area: weight)", source=src,
                                        x_title=charts.label("value", src.unit("value") + ", log scale", "Trade value"),
                                        y_title=charts.label("unit_value", src.unit("unit_value")),
                                        colour="industry", legend="Industry", size="weight", hover_name="pair",
                                        hover=["weight", "flows"], log_x=True),
                         "tr_scatter", f"trade-unit-values-{when(src)}")
            st.caption("Higher unit values within an industry point to higher quality or a higher position in the "
                       "value chain (Schott 2004). Services carry no weight and no unit value.")
        figures.table(trade, src, "tr_trade", f"trade-unit-values-{when(src)}", "trade flows")
        agg, _ = country.by_country(trade.rename(columns={"exporter": "country"}), "value")
        figures.show(charts.world_map(agg, "value", title=f"Exports by exporting country, "
                                      f"{when(src)}", source=src,
                                      value_title=charts.label("value", src.unit("value"), "Exports")),
                     "tr_trade_map", f"exports-{when(src)}")
        figures.table(agg, src, "tr_trade_map", f"exports-by-country-{when(src)}", "exports by country",
                      note="value: exports summed over importers, industries and uses of the table above.")

with tab_regions:
    kind = show("region_kind", st, "Regions of one level")
    st.caption("Firms per region, one level at a time, ranked by output: foreign affiliates (foreign equity "
               ">= 10% or an ownership chain to a foreign parent), the output-weighted foreign share "
               "(sum FS·Y / sum Y) and inward FDI projects.")
    profile = region_params
    regions = run("region-profile", {"kind": kind, "limit": int(profile["limit"].max)})
    if regions is not None and not regions.empty:
        src = figures.source(regions, "region-profile", ("firms", "fdi"))
        shown = regions.assign(shown=charts.display_names(list(regions["region"]), list(regions["name"])))
        figures.show(charts.bar(shown, "shown", "foreign_output_share", title="Foreign output share by region",
                                source=src, category_title="Region",
                                value_title=charts.label("foreign_output_share", src.unit("foreign_output_share")),
                                colour="kind", legend="Kind of region", hover=["region", "firms", "output"]),
                     "tr_regions_bar", "foreign-output-share-by-region")
        figures.table(regions, src, "tr_regions", "region-profile", "regions")
    elif regions is not None:
        st.info("No regions with firms.")

    st.subheader("Korean provinces")
    metric = show("province_map", st)
    provinces = run("region-profile", {"kind": "subdivision", "country": "KOR", "limit": int(profile["limit"].max)})
    if provinces is not None and provinces.empty:
        st.info("No firms in Korean provinces (Region kind subdivision of KOR).")
    elif provinces is not None:
        src = figures.source(provinces, "region-profile", ("firms", "fdi"))
        value_title = charts.label(metric, src.unit(metric))
        figures.show(charts.province_map(provinces, metric, geometry.korean_provinces(),
                                         title=f"{charts.nice(metric)} by province, South Korea", source=src,
                                         value_title=value_title, credit=geometry.PROVINCES_CREDIT),
                     "tr_provinces_chart", f"korea-provinces-{metric}")
        st.caption(f"Grey: no firms in the data. {geometry.PROVINCES_ATTRIBUTION}.")
        figures.table(provinces, src, "tr_provinces", "region-profile-korean-provinces", "provinces")

    st.subheader("Regional value added through exports abroad")
    st.caption("From an inter-regional input-output table (Korea's provinces): the value added each province's "
               "exports abroad generate in the province itself and in the other provinces, per unit of exports, and "
               "what each province gains from or loses to the others (regional-va; docs/methods.md 19.7).")
    regional_metric = show("regional_map", st)
    regional = run("regional-va", {"level": "subdivision", "country": "KOR"})
    if regional is not None and regional.empty:
        st.info("No inter-regional table loaded (RegionYear nodes of KOR): `loader mrio` with an inter-regional "
                "table, or `make demo`.")
    elif regional is not None:
        src = figures.source(regional, "regional-va", "sector")
        value_title = charts.label(regional_metric, src.unit(regional_metric))
        figures.show(charts.province_map(regional, regional_metric, geometry.korean_provinces(),
                                         title=f"{charts.nice(regional_metric)} by province, South Korea", source=src,
                                         value_title=value_title, credit=geometry.PROVINCES_CREDIT),
                     "tr_regional_chart", f"korea-regional-{regional_metric}")
        figures.table(regional, src, "tr_regional", "regional-va-korean-provinces", "regional value added")

qp.from_dict({**url.write(fields, state), **page.selected_tab("tr_tab")})

"""Trade & FDI: investment by motive and entry mode, trade unit values, maps, regional profiles.

Widgets come from the modules' own Params (fdi-by-motive, trade-unit-values); the URL holds
every choice (``?fdi_year=2020&origin=KOR&destination=&fdi_map=destination&trade_year=2020
&exporter=KOR&importer=&use=any``), and a value a module refuses is named with what is allowed.
"""
import plotly.express as px
import streamlit as st

from explorer.transform import charts
from explorer.transform import country
from explorer.transform import url
from explorer.data import catalogue
from explorer.data import overview
from explorer.ui import page
from explorer.ui.widgets import widget
from queries.model import Param

page.start("Trade & FDI")
kinds = overview.years_by_kind()
run = page.run

fdi = catalogue.params("fdi-by-motive")
trade_params = catalogue.params("trade-unit-values")
# the map shows one side of the investments: fdi-by-motive split by destination or by origin
FDI_MAP = Param("fdi_map", "choice", "destination", choices=("destination", "origin"), label="Map",
                help="destination: inward FDI by host country; origin: outward FDI by investor country")
region_params = catalogue.params("region-profile")
fields = {"fdi_year": fdi["year"], "fdi_all_years": fdi["all_years"], "origin": fdi["origin"],
          "destination": fdi["destination"], "fdi_map": FDI_MAP,
          "trade_year": trade_params["year"], "trade_all_years": trade_params["all_years"],
          "exporter": trade_params["exporter"], "importer": trade_params["importer"], "use": trade_params["use"],
          "region_kind": region_params["kind"]}
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
        by_mode = by_mode.rename(columns={"split": "mode"})
        fig = px.bar(by_mode, x="motive", y="amount", color="mode", barmode="stack",
                     title="FDI amount by motive and entry mode (million USD)",
                     hover_data=["projects", "avg_amount", "share"])
        fig.update_layout(height=380, margin={"l": 10, "r": 10, "t": 40, "b": 10})
        st.plotly_chart(fig, width="stretch", key="tr_fdi_bar")
        st.dataframe(by_mode, hide_index=True, width="stretch")
        side = show("fdi_map", st)
        flows = run("fdi-by-motive", {**base, "split": side})
        if flows is not None and not flows.empty:
            agg, left_out = country.by_country(flows.rename(columns={"split": "country"}), "amount")
            st.plotly_chart(charts.world_map(agg, "amount", f"{side} FDI amount by country (million USD)"),
                            width="stretch", key="tr_fdi_worldmap")
            st.dataframe(agg, hide_index=True, width="stretch")

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
        trade["pair"] = trade["exporter"] + " → " + trade["importer"]
        fig = px.scatter(trade, x="value", y="unit_value", color="industry", hover_name="pair", size="weight",
                         log_x=True, title="Unit value (USD/kg) against trade value (thousand USD)")
        fig.update_layout(height=400, margin={"l": 10, "r": 10, "t": 40, "b": 10})
        st.plotly_chart(fig, width="stretch", key="tr_scatter")
        st.caption("Higher unit values within an industry point to higher quality or a higher position in the "
                   "value chain (Schott 2004).")
        st.dataframe(trade.drop(columns=["pair"]), hide_index=True, width="stretch")
        agg, _ = country.by_country(trade.rename(columns={"exporter": "country"}), "value")
        st.plotly_chart(charts.world_map(agg, "value", "Exports by exporter (thousand USD)"), width="stretch",
                        key="tr_trade_map")
        st.dataframe(agg, hide_index=True, width="stretch")

with tab_regions:
    kind = show("region_kind", st, "Regions of one level")
    st.caption("Firms per region, one level at a time, ranked by output: foreign affiliates (foreign equity "
               ">= 10% or an ownership chain to a foreign parent), the output-weighted foreign share "
               "(sum FS·Y / sum Y) and inward FDI projects.")
    regions = run("region-profile", {"kind": kind, "limit": int(region_params["limit"].max)})
    if regions is not None and not regions.empty:
        st.bar_chart(regions, x="name", y="foreign_output_share", horizontal=True,
                     height=max(220, 24 * len(regions)))
        st.dataframe(regions, hide_index=True, width="stretch")
    elif regions is not None:
        st.info("No regions with firms.")

qp.from_dict({**url.write(fields, state), **page.selected_tab("tr_tab")})

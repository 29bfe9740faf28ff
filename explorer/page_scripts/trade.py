"""Trade & FDI: investment by motive and entry mode, trade unit values, maps, regional profiles."""
import plotly.express as px
import streamlit as st

from explorer.transform import charts
from explorer.transform import country
from explorer.data import overview
from explorer.ui import page

page.start("Trade & FDI")
kinds = overview.years_by_kind()


run = page.run_module


def year_picker(kind: str, key: str):
    years = kinds.get(kind, [])
    return st.selectbox("Year", [None] + years, format_func=lambda y: "all years" if y is None else str(y), key=key)


tab_fdi, tab_trade, tab_regions = st.tabs(["FDI by motive and mode", "Trade and unit values", "Regions"])

with tab_fdi:
    c1, c2, c3 = st.columns(3)
    with c1:
        fdi_year = year_picker("INVESTS_IN", "tr_fdi_year")
    origin = c2.text_input("Investor country (ISO3)", key="tr_origin").strip().upper()
    destination = c3.text_input("Destination country (ISO3)", key="tr_dest").strip().upper()
    base = {"year": fdi_year, "origin": origin, "destination": destination}
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
        side = st.radio("Map", ["destination", "origin"], horizontal=True, key="tr_fdi_side",
                        format_func=lambda s: {"destination": "inward FDI (destination)",
                                               "origin": "outward FDI (investor)"}[s])
        flows = run("fdi-by-motive", {**base, "split": side})
        if flows is not None and not flows.empty:
            agg, left_out = country.by_country(flows.rename(columns={"split": "country"}), "amount")
            st.plotly_chart(charts.world_map(agg, "amount", f"{side} FDI amount by country (million USD)"),
                            width="stretch", key="tr_fdi_map")
            st.dataframe(agg, hide_index=True, width="stretch")

with tab_trade:
    c1, c2, c3, c4 = st.columns(4)
    with c1:
        tr_year = year_picker("EXPORTS", "tr_year")
    exporter = c2.text_input("Exporter (ISO3)", key="tr_exp").strip().upper()
    importer = c3.text_input("Importer (ISO3)", key="tr_imp").strip().upper()
    use = c4.selectbox("Use", ["any", "intermediate", "final"], key="tr_use")
    trade = run("trade-unit-values", {"year": tr_year, "exporter": exporter, "importer": importer, "use": use,
                                      "order_by": "value", "limit": 5000})
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
    st.caption("Firms per region with the output-weighted foreign share (sum FS·Y / sum Y) and inward FDI.")
    regions = run("region-profile", {"limit": 10000})
    if regions is not None and not regions.empty:
        st.bar_chart(regions, x="name", y="foreign_output_share", horizontal=True,
                     height=max(220, 24 * len(regions)))
        st.dataframe(regions, hide_index=True, width="stretch")
    elif regions is not None:
        st.info("No regions with firms.")

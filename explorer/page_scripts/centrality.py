"""Centrality & linkages: rankings (table + bar chart), key sectors, a world map by country, per year."""
import streamlit as st

from explorer.transform import charts
from explorer.transform import country
from explorer.data import modules
from explorer.data import overview
from explorer.ui import page

page.start("Centrality & linkages")

years = sorted(set(overview.years_by_kind().get("SectorYear", []))
               | set(overview.years_by_kind().get("SUPPLIES", [])))
if not years:
    st.info("No input-output or supply data loaded yet.")
    st.stop()
qp = st.query_params
year_default = int(qp["year"]) if qp.get("year", "").isdigit() and int(qp["year"]) in years else years[-1]
year = st.select_slider("Year", options=years, value=year_default, key="ce_year") if len(years) > 1 else years[0]
if len(years) == 1:
    st.caption(f"Year: {year} (the only one loaded)")
qp["year"] = str(year)


run = page.run_module


tab_rank, tab_link, tab_key, tab_map = st.tabs(["Centrality ranking", "Linkages", "Key sectors", "World map"])

with tab_rank:
    c1, c2, c3, c4, c5 = st.columns(5)
    layer = c1.radio("Network", ["sector", "firm"], horizontal=True, key="ce_layer")
    order = c2.selectbox("Rank by", modules.param("centrality", "order_by").choices, key="ce_order")
    weight = c3.selectbox("Edge weight", ["value", "a", "b"], key="ce_weight",
                          help="value: flow; a: technical coefficient; b: allocation coefficient")
    top = c4.number_input("Top", 5, 500, 20, key="ce_top")
    sampling_param = modules.param("centrality", "betweenness_sampling")
    sampling = c5.number_input("Betweenness sources (0 = exact)", int(sampling_param.min), int(sampling_param.max),
                               int(sampling_param.default), step=100, key="ce_bc_sampling", help=sampling_param.help)
    ranking = run("centrality", {"layer": layer, "year": year, "order_by": order, "weight": weight, "limit": int(top),
                                 "betweenness_sampling": int(sampling)})
    if ranking is not None and not ranking.empty:
        st.bar_chart(ranking, x="key", y=order, sort=f"-{order}", horizontal=True, height=max(240, 28 * len(ranking)))
        if sampling and int(ranking["betweenness_sources"].iloc[0]) == int(sampling):
            st.caption(f"Betweenness sampled from {int(sampling)} source nodes (GDS, fixed seed): sums over those "
                       "sources only, not rescaled; compare ranks, not values, with an exact run.")
        st.dataframe(ranking, hide_index=True, width="stretch")
    elif ranking is not None:
        st.info(f"No {layer} flows in {year}.")

with tab_link:
    metric = st.selectbox("Rank sectors by", ["backward_linkage", "forward_linkage", "upstreamness", "output",
                                              "value_added", "exports"], key="ce_metric")
    linkages = run("sector-linkages", {"year": year, "order_by": metric, "limit": 1000})
    if linkages is not None and not linkages.empty:
        head = linkages.head(30)
        st.bar_chart(head, x="sector", y=metric, sort=f"-{metric}", horizontal=True, height=max(240, 28 * len(head)))
        st.dataframe(linkages, hide_index=True, width="stretch")
    elif linkages is not None:
        st.info(f"No sector accounts (SectorYear) for {year}.")

with tab_key:
    st.caption("Key sectors pull strongly on suppliers (backward linkage > 1) and push strongly to buyers "
               "(forward linkage > 1), both relative to the economy's mean of 1.")
    key = run("key-sectors", {"year": year, "limit": 1000})
    linkages_all = run("sector-linkages", {"year": year, "order_by": "output", "limit": 100000})
    if linkages_all is not None and not linkages_all.empty:
        st.plotly_chart(charts.key_sector_scatter(linkages_all), width="stretch", key="ce_scatter")
    if key is not None:
        st.dataframe(key, hide_index=True, width="stretch")

with tab_map:
    source = st.radio("Colour countries by", ["output", "value_added", "exports", "backward_linkage", "pagerank"],
                      horizontal=True, key="ce_map_metric")
    if source == "pagerank":
        frame = run("centrality", {"layer": "sector", "year": year, "limit": 1000000})
    else:
        frame = run("sector-linkages", {"year": year, "order_by": "output", "limit": 100000})
    if frame is not None and not frame.empty:
        agg, left_out = country.by_country(frame, source)
        how = country.HOW.get(source, "sum")
        st.plotly_chart(charts.world_map(agg, source, f"{source} by country ({how} over sectors), {year}"),
                        width="stretch", key="ce_map")
        if left_out:
            st.caption(f"Not on the map (no single country): {', '.join(left_out)}")
        st.dataframe(agg, hide_index=True, width="stretch")

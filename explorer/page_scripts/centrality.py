"""Centrality & linkages: rankings (table + bar chart), key sectors, a world map by country, per year.

Widgets come from the modules' own Params; the URL holds every choice (``?year=2020&layer=sector
&order_by=pagerank&weight=value&limit=100&betweenness_sampling=0&linkage_order=backward_linkage
&map=output``), and a value a module refuses is named with what is allowed.
"""
import streamlit as st

from explorer.transform import charts
from explorer.transform import country
from explorer.transform import url
from explorer.data import catalogue
from explorer.data import overview
from explorer.ui import page
from explorer.ui.widgets import widget
from queries.model import Param

page.start("Centrality & linkages")

years = sorted(set(overview.years_by_kind().get("SectorYear", []))
               | set(overview.years_by_kind().get("SUPPLIES", [])))
if not years:
    st.info("No input-output or supply data loaded yet.")
    st.stop()

centrality = catalogue.params("centrality")
linkages = catalogue.params("sector-linkages")
# the map's colour: a column of sector-linkages, or PageRank from centrality (summed per country)
MAP = Param("map", "choice", "output", choices=("output", "value_added", "exports", "backward_linkage", "pagerank"),
            label="Colour countries by", help="sums over a country's sectors (mean for linkages)")
RANK = ("layer", "order_by", "weight", "betweenness", "limit", "betweenness_sampling")  # centrality's parameters shown here
fields = {"year": centrality["year"], **{k: centrality[k] for k in RANK}, "linkage_order": linkages["order_by"],
          "map": MAP}
qp = st.query_params
from_url, problems = url.read(fields, qp)
page.url_problems(problems, stop=True)


def initial(key: str):
    return from_url.get(key, fields[key].default)


# one year for every tab; empty = the module's default, the latest year of real (not synthetic) data
year = widget(centrality["year"], from_url.get("year"), "ce_year", label="Year", options=years)
state = {"year": year}
run = page.run

tab_rank, tab_link, tab_key, tab_map = page.tabs(["Centrality ranking", "Linkages", "Key sectors", "World map"],
                                                 "ce_tab")

with tab_rank:
    cols = st.columns(6)
    labels = {"layer": "Network", "order_by": "Rank by", "weight": "Edge weight", "betweenness": "Betweenness",
              "limit": "Top", "betweenness_sampling": "Betweenness sources (0 = exact)"}
    for (k, label), col in zip(labels.items(), cols):
        state[k] = widget(centrality[k], initial(k), f"ce_{'bc_sampling' if k == 'betweenness_sampling' else k}",
                          label=label, where=col)
    layer, order, sampling = state["layer"], state["order_by"], state["betweenness_sampling"]
    ranking = run("centrality", {k: state[k] for k in ("year",) + RANK})
    if ranking is not None and not ranking.empty:
        head = ranking.head(30)
        st.bar_chart(head, x="key", y=order, sort=f"-{order}", horizontal=True, height=max(240, 28 * len(head)))
        if sampling and int(ranking["betweenness_sources"].iloc[0]) == int(sampling):
            st.caption(f"Betweenness sampled from {int(sampling)} source nodes (GDS, fixed seed): sums over those "
                       "sources only, not rescaled; compare ranks, not values, with an exact run.")
        st.dataframe(ranking, hide_index=True, width="stretch")
    elif ranking is not None:
        st.info(f"No {layer} flows in {year}.")

with tab_link:
    metric = state["linkage_order"] = widget(linkages["order_by"], initial("linkage_order"), "ce_metric",
                                             label="Rank sectors by")
    every_sector = int(linkages["limit"].max)  # the table lists all sectors of the year, as far as the module allows
    ranked = run("sector-linkages", {"year": year, "order_by": metric, "limit": every_sector})
    if ranked is not None and not ranked.empty:
        head = ranked.head(30)
        st.bar_chart(head, x="sector", y=metric, sort=f"-{metric}", horizontal=True, height=max(240, 28 * len(head)))
        st.dataframe(ranked, hide_index=True, width="stretch")
    elif ranked is not None:
        st.info(f"No sector accounts (SectorYear) for {year}.")

with tab_key:
    st.caption("Key sectors pull strongly on suppliers (backward linkage > 1) and push strongly to buyers "
               "(forward linkage > 1), both relative to the economy's mean of 1.")
    key = run("key-sectors", {"year": year, "limit": int(catalogue.params("key-sectors")["limit"].max)})
    linkages_all = run("sector-linkages", {"year": year, "order_by": "output", "limit": every_sector})
    if linkages_all is not None and not linkages_all.empty:
        st.plotly_chart(charts.key_sector_scatter(linkages_all), width="stretch", key="ce_scatter")
    if key is not None:
        st.dataframe(key, hide_index=True, width="stretch")

with tab_map:
    source = state["map"] = widget(MAP, initial("map"), "ce_map_metric")
    if source == "pagerank":
        frame = run("centrality", {"layer": "sector", "year": year, "limit": int(centrality["limit"].max)})
    else:
        frame = run("sector-linkages", {"year": year, "order_by": "output", "limit": every_sector})
    if frame is not None and not frame.empty:
        agg, left_out = country.by_country(frame, source)
        how = country.HOW.get(source, "sum")
        st.plotly_chart(charts.world_map(agg, source, f"{source} by country ({how} over sectors), {year}"),
                        width="stretch", key="ce_map")
        if left_out:
            st.caption(f"Not on the map (no single country): {', '.join(left_out)}")
        st.dataframe(agg, hide_index=True, width="stretch")

qp.from_dict({**url.write(fields, state), **page.selected_tab("ce_tab")})

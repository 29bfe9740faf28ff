"""Centrality & linkages: rankings (table + bar chart), key sectors, a world map by country, per year.

Widgets come from the modules' own Params; the URL holds every choice (``?year=2020&layer=sector
&order_by=pagerank&weight=value&limit=100&betweenness_sampling=0&measures=degree,strength,pagerank
&time_limit=30&linkage_order=backward_linkage&map=output``), and a value a module refuses is named
with what is allowed.

The ranking computes the measures chosen (by default degree, strength and PageRank, plus betweenness
and eigenvector when the graph is small enough for them to take under a second). Before running it
estimates the time from the graph's size and measured rates (``centrality.estimate``); a run that
would exceed the time limit is not started: the page says so and offers what fits (fewer
betweenness sources, fewer measures, a longer limit).
"""
import dataclasses

import streamlit as st

from explorer.transform import charts
from explorer.transform import country
from explorer.transform import url
from explorer.data import catalogue
from explorer.data import overview
from explorer.ui import figures
from explorer.ui import page
from explorer.ui.widgets import widget
from queries.errors import QueryError
from queries.model import Param
from queries.modules import centrality as centrality_module
from queries.modules import centrality_cost

page.start("Centrality & linkages")
figures.format_picker()

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
# centrality's parameters shown here
RANK = ("layer", "order_by", "weight", "betweenness", "limit", "betweenness_sampling", "measures")
# the ranking's time limit: heavy measures on large graphs need more than the usual 30 s
TIME_LIMIT = Param("time_limit", "int", 30, 5, 600, label="Time limit", unit="s",
                   help="the ranking is stopped after this many seconds; runs estimated to need more are not started")
# below this estimate (seconds) the page adds betweenness and eigenvector to the default measures
SMALL_S = 1.0
fields = {"year": centrality["year"], **{k: centrality[k] for k in RANK}, "time_limit": TIME_LIMIT,
          "linkage_order": linkages["order_by"], "map": MAP}
qp = st.query_params
from_url, problems = url.read(fields, qp)
page.url_problems(problems, stop=True)


def initial(key: str):
    return from_url.get(key, fields[key].default)


def shown_year(src) -> str:
    """The year(s) a result covers, from its provenance (the module picks the latest real year when the
    page asks for none)."""
    return src.years_text() or (str(year) if year is not None else "year not recorded")


def strength_units(layer: str, weight: str) -> dict[str, str]:
    """Units of in/out strength, which the page knows from the weight it asked for."""
    if weight == "a":
        unit = "sum of technical coefficients a (share of the buyer's purchases)"
    elif weight == "b":
        unit = "sum of allocation coefficients b (share of the seller's sales)"
    elif layer == "firm":
        unit = "thousand USD"
    else:
        return {}  # flow values in the table's currency: the module's and the run's own unit
    return {"in_strength": unit, "out_strength": unit}


# one year for every tab; empty = the module's default, the latest year of real (not synthetic) data
# a slider over the loaded years; its first stop is the module's default (the latest year of real data)
year_stops = [None] + years + ([from_url["year"]] if from_url.get("year") not in [None] + years else [])
year = centrality["year"].coerce(st.select_slider(
    "Year", year_stops, value=from_url.get("year"), key="ce_year", help=centrality["year"].help,
    format_func=lambda y: "latest real" if y is None else str(y)))
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
    try:
        size = centrality_module.preview(layer, year)
    except Exception as exc:  # noqa: BLE001 - the estimate is advice; the run itself reports real errors
        size = None
        st.caption(f"No time estimate ({type(exc).__name__}).")
    # the measures the page asks for: the cheap ones, and the expensive ones too when they cost nothing here
    small = size is not None and centrality_cost.estimate(
        size["nodes"], size["rels"], ("betweenness", "eigenvector"), sampling=sampling,
        projected=True)["total"] < SMALL_S
    measures_param = dataclasses.replace(centrality["measures"], default=centrality_module.MEASURES if small
                                         else centrality_module.CHEAP)
    fields["measures"] = measures_param
    left, right = st.columns([4, 1])
    state["measures"] = widget(measures_param, from_url.get("measures", measures_param.default), "ce_measures",
                               label="Measures", where=left)
    state["time_limit"] = limit_s = widget(TIME_LIMIT, initial("time_limit"), "ce_time_limit", where=right)
    computed = centrality_module.wanted(state["measures"], order)
    if size is not None:   # now for this very request: a projection that serves it, and the results it keeps
        try:
            size = centrality_module.preview(layer, year, params={k: state[k] for k in RANK})
        except Exception as exc:  # noqa: BLE001 - as above
            size = None
            st.caption(f"No time estimate ({type(exc).__name__}).")
    est = None if size is None else centrality_cost.estimate(
        size["nodes"], size["rels"], computed, sampling=sampling,
        max_iterations=int(centrality["max_iterations"].default), tolerance=float(centrality["tolerance"].default),
        damping=float(centrality["damping"].default), projected=size["projected"], distances=size["distances"],
        whole=size["whole"], kept=size["kept"])
    ranking = None
    if est is not None and est["total"] > limit_s:
        parts = ", ".join(f"{k} {v:,.1f} s" for k, v in est.items() if k != "total" and v >= 0.05)
        graph_words = (f"{size['nodes']:,} nodes and {size['rels']:,} links" if size["projected"] else
                       f"up to {size['nodes']:,} nodes and {size['rels']:,} links (every year counted)")
        st.warning(f"Not run: this ranking would take about {est['total']:,.0f} s on {graph_words} ({parts}), "
                   f"more than the time limit of {limit_s} s. What fits: fewer betweenness sources, measures "
                   "without betweenness or eigenvector, or a longer time limit (up to "
                   f"{int(TIME_LIMIT.max)} s).")
        if "betweenness" in computed:
            rest = est["total"] - est["betweenness"]
            k_fit = centrality_cost.fitting_sampling(size["nodes"], size["rels"], max(limit_s - rest, 0.0))
            st.button(f"Use {k_fit:,} betweenness sources", key="ce_fit_sampling",
                      on_click=lambda: st.session_state.__setitem__("ce_bc_sampling", k_fit))
        st.button("Only degree, strength and PageRank", key="ce_fit_cheap",
                  on_click=lambda: st.session_state.__setitem__("ce_measures", list(centrality_module.CHEAP)))
    else:
        if est is not None and est["total"] >= 3:
            st.caption(f"Estimated {est['total']:,.0f} s (time limit {limit_s} s).")
        try:
            with st.spinner("Running centrality…"):
                ranking = catalogue.run("centrality", {k: state[k] for k in ("year",) + RANK}, timeout_s=limit_s)
        except QueryError as exc:
            st.error(f"centrality: {exc}")
    if ranking is not None and not ranking.empty:
        src = figures.source(ranking, "centrality", "sector" if layer == "sector" else "firm_links", year,
                             page_units=strength_units(layer, state["weight"]))
        head = ranking.head(30).copy()
        head["shown"] = charts.display_names(list(head["key"]), list(head["name"]))
        what = "Sectors" if layer == "sector" else "Firms"
        figures.show(charts.bar(head, "shown", order, title=f"{what} by {charts.nice(order)}, {shown_year(src)} "
                                f"(top {len(head)} of {len(ranking)})", source=src, category_title=what[:-1],
                                value_title=charts.label(order, src.unit(order)), colour="country",
                                legend="Country", hover=["key", "industry"]),
                     "ce_rank_bar", f"centrality-{layer}-{order}-{shown_year(src)}")
        if sampling and "betweenness" in computed and int(ranking["betweenness_sources"].iloc[0]) == int(sampling):
            st.caption(f"Betweenness sampled from {int(sampling)} source nodes (GDS, fixed seed): sums over those "
                       "sources only, not rescaled; compare ranks, not values, with an exact run.")
        for column, name in (("pagerank_converged", "PageRank"), ("eigenvector_converged", "Eigenvector centrality")):
            if column in ranking and ranking[column].notna().any() and not bool(ranking[column].iloc[0]):
                st.warning(f"{name} did not converge within {int(centrality['max_iterations'].default)} iterations "
                           "(GDS didConverge false): its scores are where the iterations stopped, not settled "
                           "values.")
        figures.table(ranking, src, "ce_rank", f"centrality-{layer}-{shown_year(src)}", "ranking")
    elif ranking is not None:
        st.info(f"No {layer} flows in {year if year is not None else 'the latest year of real data'}.")

with tab_link:
    metric = state["linkage_order"] = widget(linkages["order_by"], initial("linkage_order"), "ce_metric",
                                             label="Rank sectors by")
    every_sector = int(linkages["limit"].max)  # the table lists all sectors of the year, as far as the module allows
    ranked = run("sector-linkages", {"year": year, "order_by": metric, "limit": every_sector})
    if ranked is not None and not ranked.empty:
        src = figures.source(ranked, "sector-linkages", "sector", year)
        head = ranked.head(30)
        figures.show(charts.bar(head, "sector", metric, title=f"Sectors by {charts.nice(metric)}, {shown_year(src)} "
                                f"(top {len(head)} of {len(ranked)})", source=src, category_title="Sector",
                                value_title=charts.label(metric, src.unit(metric)), colour="country",
                                legend="Country"),
                     "ce_link_bar", f"sector-linkages-{metric}-{shown_year(src)}")
        figures.table(ranked, src, "ce_link", f"sector-linkages-{shown_year(src)}", "linkages")
    elif ranked is not None:
        st.info(f"No sector accounts (SectorYear) for {year if year is not None else 'the latest year of real data'}.")

with tab_key:
    st.caption("Key sectors pull strongly on suppliers (backward linkage > 1) and push strongly to buyers "
               "(forward linkage > 1), both relative to the economy's mean of 1.")
    key = run("key-sectors", {"year": year, "limit": int(catalogue.params("key-sectors")["limit"].max)})
    linkages_all = run("sector-linkages", {"year": year, "order_by": "output", "limit": every_sector})
    if linkages_all is not None and not linkages_all.empty:
        src = figures.source(linkages_all, "sector-linkages", "sector", year)
        figures.show(charts.scatter(linkages_all, "backward_linkage", "forward_linkage",
                                    title=f"Backward vs forward linkage, {shown_year(src)} (key sectors: both > 1; "
                                    "marker area: output)", source=src,
                                    x_title=charts.label("backward_linkage", src.unit("backward_linkage")),
                                    y_title=charts.label("forward_linkage", src.unit("forward_linkage")),
                                    colour="country", legend="Country", size="output", hover_name="sector",
                                    hover=["output"], lines=(("h", 1.0), ("v", 1.0))),
                     "ce_scatter", f"key-sectors-{shown_year(src)}")
    if key is not None:
        figures.table(key, figures.source(key, "key-sectors", "sector", year), "ce_key", f"key-sectors-{year}",
                      "key sectors")

with tab_map:
    shown = state["map"] = widget(MAP, initial("map"), "ce_map_metric")
    module = "centrality" if shown == "pagerank" else "sector-linkages"
    if shown == "pagerank":
        frame = run("centrality", {"layer": "sector", "year": year, "limit": int(centrality["limit"].max)})
    else:
        frame = run("sector-linkages", {"year": year, "order_by": "output", "limit": every_sector})
    if frame is not None and not frame.empty:
        src = figures.source(frame, module, "sector", year)
        agg, left_out = country.by_country(frame, shown)
        how = "sum" if country.HOW.get(shown, "sum") == "sum" else "mean"
        value_title = charts.label(shown, src.unit(shown), f"{charts.nice(shown)}, {how} over sectors")
        figures.show(charts.world_map(agg, shown, title=f"{charts.nice(shown)} by country ({how} over the "
                                      f"country's sectors), {shown_year(src)}", source=src, value_title=value_title),
                     "ce_map", f"world-{shown}-{shown_year(src)}")
        if left_out:
            st.caption(f"Not on the map (no single country): {', '.join(left_out)}")
        figures.table(agg, src, "ce_map", f"world-{shown}-{shown_year(src)}", "map values",
                      note=f"{shown}: {how} over each country's sectors.")

qp.from_dict({**url.write(fields, state), **page.selected_tab("ce_tab")})

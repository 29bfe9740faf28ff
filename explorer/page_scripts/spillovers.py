"""Spillovers: upstream/downstream paths of a sector or firm, as table, Sankey, path graph and region split.

The URL holds the whole trace (``?node=KOR|ELEC&direction=upstream&depth=3&threshold=0.001&limit=20
&year=2020&by=region&run=1``); the path parameters are the modules' own Params, so a value
they refuse is named with what is allowed, and a node that does not exist is said so, never
swapped for another.
"""
import pandas as pd
import streamlit as st

from explorer.data import catalogue
from explorer.data import overview
from explorer.data import search
from explorer.data import spillovers
from explorer.ui import figures
from explorer.ui import page
from explorer.transform import charts
from explorer.transform import paths as path_tables
from explorer.transform import url
from explorer.graph.component import network_graph
from explorer.graph.style import legend_html, style, to_html
from explorer.transform.search import split_node_id
from explorer.ui.widgets import widget

page.start("Spillovers")
figures.format_picker()
GRAPH_HEIGHT = 480  # the path graph's frame and the drawing inside it (one height: a taller drawing was cut off)
st.caption("Upstream: who supplies the node, directly and through their own suppliers (product of technical "
           "coefficients a along the path). Downstream: who buys from it (product of allocation coefficients b). "
           "Paths below the threshold are not extended.")

qp = st.query_params
ss = st.session_state
TRACE = ("depth", "threshold", "limit", "year")  # the path modules' parameters this page shows
module_params = catalogue.params("upstream-paths")
fields = {"node": module_params["node"], "direction": spillovers.DIRECTION, "by": spillovers.COMPARE_BY,
          **{k: module_params[k] for k in TRACE}}
from_url, problems = url.read(fields, qp)
# the URL's node must be a sector or firm that exists: a search would otherwise trace a look-alike
url_node = from_url.get("node")
if url_node and url_node not in spillovers.node_info((url_node,)):
    problems.append(f"URL parameter node: no sector or firm has the key {url_node!r}; allowed: the key of a Sector "
                    "(COUNTRY|INDUSTRY) or Firm; search for one below")
    url_node = None
url_refused = page.url_problems(problems)
if not url_node and not qp.get("node") and ss.get("net_selected"):
    # the Network page's selection gives the starting node
    label, key = split_node_id(ss["net_selected"])
    url_node = key if label in ("Sector", "Firm") else None

q = st.text_input("Sector or firm (name or code)", value=url_node or "", key="sp_q", live=True)
found = search.find(q, 20, ("Sector", "Firm")) if q.strip() else None
names = {h["key"]: f"{h['name']} · {h['label']}" for h in (found.hits if found else [])}
if url_node and url_node not in names and q.strip() == url_node:
    info = spillovers.node_info((url_node,))[url_node]
    names = {url_node: f"{info['props'].get('name') or url_node} · {info['label']}", **names}
if not names:
    st.info("Type a sector (e.g. Korea electrical, KOR|Electrical) or a firm name, then pick it." if not found
            else f"No sector or firm matches {q!r}. {found.note}")
    st.stop()
if found and found.note:
    st.caption(found.note)
options = list(names)
node = st.selectbox("Start node", options, format_func=lambda k: f"{names[k]} · {k}", key="sp_node",
                    index=options.index(url_node) if url_node in options else 0)

c1, c2, c3, c4, c5 = st.columns(5)
direction = widget(spillovers.DIRECTION, from_url.get("direction", spillovers.DIRECTION.default), "sp_dir", where=c1)
module = f"{direction}-paths"
module_params = catalogue.params(module)
depth = widget(module_params["depth"], from_url.get("depth", module_params["depth"].default), "sp_depth",
               label="Depth (links)", where=c2)
threshold = widget(module_params["threshold"], from_url.get("threshold", module_params["threshold"].default),
                   "sp_threshold", label="Threshold (path value)", where=c3)
limit = widget(module_params["limit"], from_url.get("limit", module_params["limit"].default), "sp_limit",
               label="Paths per depth (0 = all)", where=c4)
year = widget(module_params["year"], from_url.get("year", module_params["year"].default), "sp_year", label="Year",
              options=overview.years_by_kind().get("SUPPLIES", []), where=c5)
by = widget(spillovers.COMPARE_BY, from_url.get("by", spillovers.COMPARE_BY.default), "sp_by")

clicked = st.button("Trace paths", type="primary", key="sp_run")
if not (clicked or ss.get("sp_ran") or (qp.get("run") == "1" and not url_refused)):
    st.stop()
ss["sp_ran"] = True
state = {"node": node, "direction": direction, "by": by, "depth": depth, "threshold": threshold, "limit": limit,
         "year": year}
# the trace's URL now (kept if it finds nothing); the open tab is added once the tabs exist
qp.from_dict({**url.write(fields, state), "run": "1", **({"tab": qp["tab"]} if "tab" in qp else {})})

params = {"node": node, "depth": depth, "threshold": threshold, "limit": limit, "year": year}
with st.spinner(f"Tracing {direction} paths…"):
    paths = page.run(module, params)
if paths is None:
    st.stop()

if paths.empty:
    st.warning("No path above the threshold: lower the threshold or pick another year.")
    st.stop()

keys = tuple(sorted({k for p in paths["path"] for k in p}))
info = spillovers.node_info(keys)
display = {k: (v["props"].get("name") or k) for k, v in info.items()}
traced_year = int(paths["year"].iloc[0]) if "year" in paths and pd.notna(paths["year"].iloc[0]) else None
st.success(f"{len(paths)} paths listed ({direction}, depth ≤ {depth}, threshold {threshold:g}, "
           f"year {traced_year if traced_year is not None else '—'}).")

# what a path's value is, in the direction traced: a product of shares, so a share itself
coefficient = ("technical coefficients a (share of the buyer's purchases)" if direction == "upstream"
               else "allocation coefficients b (share of the seller's sales)")
value_unit = f"share: product of {coefficient} along the path"
is_firm = info.get(node, {}).get("label") == "Firm"
src = figures.source(paths, module, "firm_links" if is_firm else "sector", traced_year,
                     page_units={"value": value_unit, "share_of_depth": "share 0..1 of the depth's total",
                                 "depth_total": "share: sum of the path values of the depth",
                                 "listed_share": "share 0..1", "paths": "count",
                                 "same_region": "share: summed path value", "other_region": "share: summed path value",
                                 "unknown_region": "share: summed path value",
                                 "same_region_share": "share 0..1 of the known-region value"})
start_name = display.get(node, node)
towards = "into" if direction == "upstream" else "out of"
file_base = f"{module}-{node}-{traced_year or 'latest'}"

tab_table, tab_sankey, tab_graph, tab_region = page.tabs(["Ranked paths", "Sankey", "Path graph",
                                                          "Same vs other place"], "sp_tab")
qp.from_dict({**url.write(fields, state), "run": "1", **page.selected_tab("sp_tab")})
with tab_table:
    table = path_tables.ranked_table(paths, display)
    figures.table(table, src, "sp_paths", file_base, "paths",
                  column_config={"value": st.column_config.NumberColumn(format="%.5f"),
                                 "share_of_depth": st.column_config.ProgressColumn(min_value=0.0, max_value=1.0)})
    totals = paths.groupby("depth").agg(depth_total=("depth_total", "first"), paths=("depth_paths", "first"),
                                        listed_share=("depth_share_listed", "first")).reset_index()
    st.caption("All paths above the threshold per depth (the listed ones cover `listed_share` of each depth's total):")
    figures.table(totals, src, "sp_totals", f"{file_base}-depth-totals", "depth totals")

with tab_sankey:
    sk = path_tables.sankey(paths, direction, display)
    figures.show(charts.sankey(sk["labels"], sk["source"], sk["target"], sk["value"],
                               title=f"{direction.capitalize()} paths {towards} {start_name}: link width = summed "
                                     "path value (share); (n) = links from the start node",
                               source=src, value_title="summed path value (share)"),
                 "sp_sankey", f"{file_base}-sankey")

with tab_graph:
    # drawn only while its tab is open: a drawing laid out in a hidden tab has no size to fit into, and
    # showed one huge label until "Fit" was pressed; opened, it lays itself out in view and fits
    if tab_graph.open is not False:
        scene = path_tables.to_scene(paths, {k: {"label": v["label"], "props": v["props"]} for k, v in info.items()})
        html = to_html(scene, size_by="strength", colour_by="label", height_px=GRAPH_HEIGHT)
        network_graph(html, height=GRAPH_HEIGHT, caption=f"{len(scene['nodes'])} nodes on the paths", key="sp_graph")
        st.markdown("Colour (node label): " + legend_html(style(scene, "strength", "label")["legend"]),
                    unsafe_allow_html=True)
        st.caption(f"Edge weight and node size: summed value of the paths through them ({value_unit}). {src.line()}.")

with tab_region:
    compared = by
    if by == "region" and not is_firm:
        compared = "country"  # said on the page, never silently: sectors have a country, no region
        st.caption("Sectors of an input-output table have a country and no region: compared by **country**.")
    split = path_tables.place_split(paths, compared)
    home = info.get(node, {}).get("region" if compared == "region" else "country")
    far = "supplier" if direction == "upstream" else "buyer"
    by = compared
    if split.empty:
        st.info(f"No {by} split: the start node and the path ends carry no {by}.")
    else:
        st.caption(f"Start node's {by}: **{home or 'unknown'}**. Per depth, the value of every path above the "
                   f"threshold (not only the listed ones) whose farthest {far} is in the same {by}, against the "
                   f"rest" + (" (firms: economic region; a firm without a region counts as unknown)"
                              if by == "region" else "") + ".")
        figures.table(split, src, "sp_split", f"{file_base}-same-other-{by}", f"{by} split")
        parts = [c for c in split.columns if c.startswith(("same_", "other_", "unknown_")) and not c.endswith("_share")]
        long = split.melt(id_vars="depth", value_vars=parts, var_name="where", value_name="value")
        long["where"] = long["where"].str.replace("_", " ")
        figures.show(charts.bar(long, "depth", "value", title=f"{direction.capitalize()} path value {towards} "
                                f"{start_name} from its own {by} and from others, by depth (every path above "
                                "the threshold)", source=src,
                                category_title="Depth (links from the start node)",
                                value_title="Summed path value (share)", colour="where",
                                legend=f"Far end of the path ({by})", horizontal=False, stacked=True),
                     "sp_split_bar", f"{file_base}-same-other-{by}")

"""Spillovers: upstream/downstream paths of a sector or firm, as table, Sankey, path graph and region split."""
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from explorer.data import modules
from explorer.data import overview
from explorer.data import search
from explorer.data import spillovers
from explorer.ui import page
from explorer.transform import paths as path_tables
from explorer.graph.component import network_graph
from explorer.graph.style import legend_html, style, to_html
from explorer.transform.search import split_node_id
from queries.errors import QueryError

page.start("Spillovers")
st.caption("Upstream: who supplies the node, directly and through their own suppliers (product of technical "
           "coefficients a along the path). Downstream: who buys from it (product of allocation coefficients b). "
           "Paths below the threshold are not extended.")

qp = st.query_params
ss = st.session_state
# the Network page's selection, or a shared link, gives the starting node
default_node = qp.get("node")
if not default_node and ss.get("net_selected"):
    label, key = split_node_id(ss["net_selected"])
    default_node = key if label in ("Sector", "Firm") else None

q = st.text_input("Sector or firm (name or code)", value=default_node or "", key="sp_q", live=True)
hits = search.search(q, 20, ("Sector", "Firm")) if q.strip() else []
if not hits:
    st.info("Type a sector (e.g. KOR|Electrical) or a firm name, then pick it.")
    st.stop()
options = [h["key"] for h in hits]
names = {h["key"]: f"{h['name']} · {h['label']}" for h in hits}
node = st.selectbox("Start node", options, format_func=lambda k: f"{names[k]} · {k}", key="sp_node")

c1, c2, c3, c4, c5 = st.columns(5)
direction = c1.radio("Direction", ["upstream", "downstream"], key="sp_dir",
                     index=1 if qp.get("direction") == "downstream" else 0, horizontal=True)
depth = c2.slider("Depth (links)", 1, 6, int(qp.get("depth", 3)), key="sp_depth")
threshold = c3.number_input("Threshold (path value)", 0.0, 1.0, float(qp.get("threshold", 0.001)),
                            step=0.001, format="%.4f", key="sp_threshold")
limit = c4.number_input("Paths per depth", 1, 1000, int(qp.get("limit", 20)), key="sp_limit")
years = overview.years_by_kind().get("SUPPLIES", [])
year = c5.selectbox("Year", [None] + years, format_func=lambda y: "latest" if y is None else str(y), key="sp_year")
by = st.radio("Compare regions by", ["region", "country"], horizontal=True, key="sp_by",
              help="Firms: economic region (a subdivision counts as the economic region it is part of). "
                   "Sectors have a country only.")

if not st.button("Trace paths", type="primary", key="sp_run") and not ss.get("sp_ran"):
    st.stop()
ss["sp_ran"] = True
st.query_params.update({"node": node, "direction": direction, "depth": str(depth), "threshold": str(threshold),
                        "limit": str(limit)})

module = "upstream-paths" if direction == "upstream" else "downstream-paths"
params = {"node": node, "depth": depth, "threshold": threshold, "limit": int(limit), "year": year}
with st.spinner(f"Tracing {direction} paths…"):
    try:
        paths = modules.run(module, params)
    except QueryError as exc:
        st.error(f"{type(exc).__name__}: {exc}")
        st.stop()

if paths.empty:
    st.warning("No path above the threshold: lower the threshold or pick another year.")
    st.stop()

keys = tuple(sorted({k for p in paths["path"] for k in p}))
info = spillovers.node_info(keys)
display = {k: (v["props"].get("name") or k) for k, v in info.items()}
st.success(f"{len(paths)} paths listed ({direction}, depth ≤ {depth}, threshold {threshold:g}, "
           f"year {int(paths['year'].iloc[0]) if 'year' in paths and pd.notna(paths['year'].iloc[0]) else '—'}).")

tab_table, tab_sankey, tab_graph, tab_region = st.tabs(["Ranked paths", "Sankey", "Path graph", "Same vs other region"])
with tab_table:
    table = path_tables.ranked_table(paths, display)
    st.dataframe(table, hide_index=True, width="stretch",
                 column_config={"value": st.column_config.NumberColumn(format="%.5f"),
                                "share_of_depth": st.column_config.ProgressColumn(min_value=0.0, max_value=1.0)})
    totals = paths.groupby("depth").agg(depth_total=("depth_total", "first"), paths=("depth_paths", "first"),
                                        listed_share=("depth_share_listed", "first")).reset_index()
    st.caption("All paths above the threshold per depth (the listed ones cover `listed_share` of each depth's total):")
    st.dataframe(totals, hide_index=True)
    st.download_button("Download paths (CSV)", table.to_csv(index=False), file_name=f"{module}.csv",
                       mime="text/csv", key="sp_csv")

with tab_sankey:
    sk = path_tables.sankey(paths, direction, display)
    fig = go.Figure(go.Sankey(node={"label": sk["labels"], "pad": 12},
                              link={"source": sk["source"], "target": sk["target"], "value": sk["value"]}))
    fig.update_layout(height=520, margin={"l": 10, "r": 10, "t": 30, "b": 10},
                      title="Flow of goods along the paths (numbers: distance from the start node)")
    st.plotly_chart(fig, width="stretch", key="sp_sankey")

with tab_graph:
    view = path_tables.path_graph(paths, {k: {"label": v["label"], "props": v["props"]} for k, v in info.items()})
    html = to_html(view, size_by="strength", colour_by="label")
    network_graph(html, height=480, caption=f"{len(view['nodes'])} nodes on the paths", key="sp_graph")
    st.markdown(legend_html(style(view, "strength", "label")["legend"]), unsafe_allow_html=True)
    st.caption("Edge weight and node size: summed value of the paths through them.")

with tab_region:
    region_of = {k: (v["region"] if by == "region" and v["region"] else v["country"]) for k, v in info.items()}
    split = path_tables.region_split(paths, direction, region_of)
    home = region_of.get(node)
    st.caption(f"Start node's {by}: **{home or 'unknown'}**. A path counts as same-{by} when its far end "
               f"(farthest {'supplier' if direction == 'upstream' else 'buyer'}) is in the same {by}. "
               "Values are sums of the listed paths.")
    st.dataframe(split, hide_index=True, width="stretch")
    long = split.melt(id_vars="depth", value_vars=["same_region", "other_region"], var_name="where",
                      value_name="value")
    st.bar_chart(long, x="depth", y="value", color="where", stack=True)

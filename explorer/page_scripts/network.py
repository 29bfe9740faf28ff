"""Network: search a node, draw its neighbourhood, click nodes for details, expand, filter, export."""
import pandas as pd
import streamlit as st

from explorer.data import neighbourhood
from explorer.data import overview
from explorer.data import search
from explorer.ui import page
from explorer.data.scene import Filters, build_view
from explorer.graph.component import network_graph
from explorer.graph.style import REL_COLOURS, legend_html, style, to_html
from explorer.graph.scene import METRICS, graphml, showing
from explorer.transform.search import node_id, split_node_id
from schema.model import USER_FACING_LABELS

page.start("Network")

ss = st.session_state
ss.setdefault("net_expanded", [])
ss.setdefault("net_selected", None)
ss.setdefault("net_seq", 0)

# A shared link (?node=Firm:F1) opens that node's neighbourhood.
shared = st.query_params.get("node")
if shared and shared not in ss.net_expanded and not ss.net_expanded:
    ss.net_expanded = [shared]
    ss.net_selected = shared


def _start_from_search() -> None:
    hit = ss.get("net_pick")
    if hit:
        ss.net_expanded = [hit]
        ss.net_selected = hit
        st.query_params["node"] = hit


# --- search with autocomplete: results follow the typing (live input), the pick draws the node
q = st.text_input("Search a country, region, industry, sector, firm or person (name or code)", key="net_q",
                  live=True, placeholder="e.g. Korea, KR-11, Electrical, F00012")
hits = search.search(q) if q.strip() else []
labels_of = {node_id(h["label"], h["key"]): f"{h['name']} · {h['label']} · {h['key']}" for h in hits}
if q.strip():
    if hits:
        st.selectbox(f"{len(hits)} match{'es' if len(hits) != 1 else ''}", list(labels_of), index=None, key="net_pick",
                     format_func=labels_of.get, placeholder="Pick a match to draw its neighbourhood",
                     on_change=_start_from_search)
    else:
        st.caption("No match.")

# --- filters and styling
with st.sidebar:
    st.subheader("Network filters")
    labels = st.multiselect("Node labels", USER_FACING_LABELS, default=list(USER_FACING_LABELS), key="net_labels")
    types = st.multiselect("Relationship types", neighbourhood.BROWSABLE_REL_TYPES,
                           default=list(neighbourhood.BROWSABLE_REL_TYPES), key="net_types")
    years = overview.all_years()
    year = st.selectbox("Year", [None] + years, format_func=lambda y: "all years" if y is None else str(y),
                        key="net_year")
    min_value = st.number_input("Minimum value (value / amount / share)", min_value=0.0, value=0.0, key="net_min")
    cap = st.slider("Relationships per expanded node (cap)", 10, 1000, 300, step=10, key="net_cap")
    size_by = st.selectbox("Size by", METRICS, index=METRICS.index("degree"), key="net_size")
    colour_by = st.selectbox("Colour by", ("label",) + METRICS[1:], key="net_colour")
    physics = st.toggle("Physics layout (settles, then stops)", value=True, key="net_physics")

if not ss.net_expanded:
    st.info("Search above and pick a match to start.")
    st.stop()

filters = Filters(tuple(labels), tuple(types), year, min_value or None, cap)
with st.spinner("Loading the neighbourhood…"):
    view = build_view(ss.net_expanded, filters)

shown, total = showing(view)
caption = f"{len(view['nodes'])} nodes · showing {shown} of {total} relationships"
if shown < total:
    caption += f" (cap {cap} per expanded node: raise it in the sidebar, or filter)"

graph_col, detail_col = st.columns([3, 1])
with graph_col:
    st.caption(caption)
    html = to_html(view, size_by=size_by, colour_by=colour_by, physics=physics)
    event = network_graph(html, height=620, caption=caption, key="net_graph")
    st.markdown(legend_html(style(view, size_by, colour_by)["legend"]), unsafe_allow_html=True)
    present_types = sorted({e["type"] for e in view["edges"].values()})
    st.markdown("Relationships: " + legend_html([(REL_COLOURS.get(t, "#999999"), t) for t in present_types]),
                unsafe_allow_html=True)
    if size_by != "none":
        st.caption(f"Node size: {size_by} (area grows with the value).")
    e1, e2 = st.columns(2)
    e1.download_button("Export HTML", html, file_name="network.html", mime="text/html", key="net_html")
    e2.download_button("Export GraphML", graphml(view), file_name="network.graphml",
                       mime="application/graphml+xml", key="net_graphml")
    st.caption("PNG: use “Save PNG” above the drawing.")

if event and event.get("seq", 0) != ss.net_seq and event.get("node") in view["nodes"]:
    ss.net_seq = event["seq"]
    ss.net_selected = event["node"]
    if event.get("event") == "expand" and event["node"] not in ss.net_expanded:
        ss.net_expanded = ss.net_expanded + [event["node"]]
        st.rerun()

with detail_col:
    sel = ss.net_selected
    if sel and sel in view["nodes"]:
        node = view["nodes"][sel]
        label, key = split_node_id(sel)
        st.subheader(node["props"].get("name") or key)
        st.caption(f"{label} · `{key}`")
        if sel in ss.net_expanded:
            st.caption("expanded")
        elif st.button("Expand this node", key="net_expand", type="primary"):
            ss.net_expanded = ss.net_expanded + [sel]
            st.rerun()
        props = pd.DataFrame([{"property": k, "value": str(v)} for k, v in sorted(node["props"].items())])
        st.dataframe(props, hide_index=True, width="stretch")
        deg = neighbourhood.node_degree(sel)
        if deg:
            st.caption("Relationships in the database")
            st.dataframe(pd.DataFrame(deg), hide_index=True, width="stretch")
    else:
        st.caption("Click a node for its details; double-click expands it.")
    if len(ss.net_expanded) > 1 and st.button("Reset to the first node", key="net_reset"):
        ss.net_expanded = ss.net_expanded[:1]
        st.rerun()

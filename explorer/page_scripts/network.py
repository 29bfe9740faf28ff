"""Network: search a node, draw its neighbourhood, click nodes for details, expand, filter, export.

The URL holds the whole drawing: every expanded node in order (``?node=Firm:F1&node=Country:KOR``),
the selected one, the filters and the styling (``explorer.transform.network_state``). A node
that does not exist or a bad setting is named in a one-line message, never drawn as nothing.
"""
import pandas as pd
import streamlit as st

from explorer.data import neighbourhood
from explorer.data import overview
from explorer.data import search
from explorer.ui import page
from explorer.data.scene import Filters, build_scene
from explorer.graph.component import network_graph
from explorer.graph.style import REL_COLOURS, legend_html, style, to_html
from explorer.graph.scene import METRICS, graphml, showing
from explorer.transform import network_state, url
from explorer.transform.search import node_id, split_node_id
from schema.model import USER_FACING_LABELS

page.start("Network")

ss = st.session_state
qp = st.query_params
ss.setdefault("net_expanded", [])
ss.setdefault("net_selected", None)
ss.setdefault("net_seq", 0)
SETTINGS = network_state.SETTINGS

# --- the URL's state, checked: the first run of a session opens what the link shows
problems: list[str] = []
settings, bad = url.read(SETTINGS, qp)
problems += bad
lists = {}
for key, allowed in (("labels", USER_FACING_LABELS), ("types", neighbourhood.BROWSABLE_REL_TYPES)):
    if key in qp:
        lists[key], msg = network_state.names_list(key, qp[key], allowed)
        problems += [msg] if msg else []
bad_settings = bool(problems)  # so far: settings and filters; missing nodes follow
url_nodes = []
for nid in qp.get_all("node"):
    checked = network_state.check_node_id(nid)
    if isinstance(checked, str):
        problems.append(f"URL parameter node: {checked}")
    elif neighbourhood.node_details(nid) is None:
        problems.append(f"URL parameter node: no {checked[0]} with key {checked[1]!r} in the database; "
                        "allowed: an existing node (search for one above)")
    else:
        url_nodes.append(nid)
if not ss.net_expanded and url_nodes:
    ss.net_expanded = list(dict.fromkeys(url_nodes))
    wanted = qp.get("selected")
    # checked once the scene is built: any node drawn may be the selected one
    ss.net_selected = wanted or ss.net_expanded[0]
    ss.net_check_selected = bool(wanted)


def _start_from_search() -> None:
    hit = ss.get("net_pick")
    if hit:
        ss.net_expanded = [hit]
        ss.net_selected = hit


# --- search with autocomplete: results follow the typing (live input), the pick draws the node
q = st.text_input("Search a country, region, industry, sector, firm or person (name or code)", key="net_q",
                  live=True, placeholder="e.g. Korea, KR-11, Electrical, F00012")
# a bad setting or filter stops the page: the drawing would not be the one the link asked for
page.url_problems(problems, stop=bad_settings)
found = search.find(q) if q.strip() else None
hits = found.hits if found else []
labels_of = {node_id(h["label"], h["key"]): f"{h['name']} · {h['label']} · {h['key']}" for h in hits}
if found:
    if hits:
        st.selectbox(found.summary, list(labels_of), index=None, key="net_pick", format_func=labels_of.get,
                     placeholder="Pick a match to draw its neighbourhood", on_change=_start_from_search)
    if found.note:
        st.caption(found.note)


def setting(key: str):
    return settings.get(key, SETTINGS[key].default)


# --- filters and styling
with st.sidebar:
    st.subheader("Network filters")
    labels = st.multiselect("Node labels", USER_FACING_LABELS, default=lists.get("labels") or list(USER_FACING_LABELS),
                            key="net_labels")
    types = st.multiselect("Relationship types", neighbourhood.BROWSABLE_REL_TYPES,
                           default=lists.get("types") or list(neighbourhood.BROWSABLE_REL_TYPES), key="net_types")
    years = overview.all_years()
    year_options = [None] + years + ([setting("year")] if setting("year") not in [None] + years else [])
    year = st.selectbox("Year", year_options, index=year_options.index(setting("year")),
                        format_func=lambda y: "all years" if y is None else str(y), key="net_year")
    min_value = st.number_input(SETTINGS["min_value"].title, min_value=float(SETTINGS["min_value"].min),
                                value=float(setting("min_value")), key="net_min")
    cap = st.slider(SETTINGS["cap"].title, int(SETTINGS["cap"].min), int(SETTINGS["cap"].max), int(setting("cap")),
                    step=10, key="net_cap")
    size_by = st.selectbox("Size by", METRICS, index=METRICS.index(setting("size")), key="net_size")
    colours = SETTINGS["colour"].choices
    colour_by = st.selectbox("Colour by", colours, index=colours.index(setting("colour")), key="net_colour")
    physics = st.toggle(SETTINGS["physics"].title, value=setting("physics"), key="net_physics")

state = {"year": year, "min_value": min_value, "cap": cap, "size": size_by, "colour": colour_by, "physics": physics}


def write_link() -> None:
    """The URL of what is on screen now (called again after a click changed the selection)."""
    link: dict = url.write(SETTINGS, state)
    if set(labels) != set(USER_FACING_LABELS):
        link["labels"] = ",".join(labels)
    if set(types) != set(neighbourhood.BROWSABLE_REL_TYPES):
        link["types"] = ",".join(types)
    if ss.net_expanded:
        link["node"] = list(ss.net_expanded)
        if ss.net_selected:
            link["selected"] = ss.net_selected
    qp.from_dict(link)


write_link()
if not ss.net_expanded:
    st.info("Search above and pick a match to start.")
    st.stop()

filters = Filters(tuple(labels), tuple(types), year, min_value or None, cap)
with st.spinner("Loading the neighbourhood…"):
    scene = build_scene(ss.net_expanded, filters)

if ss.pop("net_check_selected", False) and ss.net_selected not in scene["nodes"]:
    st.error(f"URL parameter selected: {ss.net_selected!r} is not drawn with these nodes and filters; "
             "allowed: a node of the drawing")
    ss.net_selected = ss.net_expanded[0]

shown, total = showing(scene)
caption = f"{len(scene['nodes'])} nodes · showing {shown} of {total} relationships"
if shown < total:
    caption += f" (cap {cap} per expanded node: raise it in the sidebar, or filter)"

graph_col, detail_col = st.columns([3, 1])
with graph_col:
    st.caption(caption)
    html = to_html(scene, size_by=size_by, colour_by=colour_by, physics=physics)
    event = network_graph(html, height=620, caption=caption, key="net_graph")
    st.markdown(f"Colour ({colour_by}): " + legend_html(style(scene, size_by, colour_by)["legend"]), unsafe_allow_html=True)
    present_types = sorted({e["type"] for e in scene["edges"].values()})
    st.markdown("Relationships: " + legend_html([(REL_COLOURS.get(t, "#999999"), t) for t in present_types]),
                unsafe_allow_html=True)
    if size_by != "none":
        st.caption(f"Node size: {size_by} (area grows with the value).")
    e1, e2 = st.columns(2)
    e1.download_button("Export HTML", html, file_name="network.html", mime="text/html", key="net_html")
    e2.download_button("Export GraphML", graphml(scene), file_name="network.graphml",
                       mime="application/graphml+xml", key="net_graphml")
    st.caption("PNG: use “Save PNG” above the drawing.")

if event and event.get("seq", 0) != ss.net_seq and event.get("node") in scene["nodes"]:
    ss.net_seq = event["seq"]
    ss.net_selected = event["node"]
    if event.get("event") == "expand" and event["node"] not in ss.net_expanded:
        ss.net_expanded = ss.net_expanded + [event["node"]]
        st.rerun()

with detail_col:
    sel = ss.net_selected
    if sel and sel in scene["nodes"]:
        node = scene["nodes"][sel]
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

write_link()

"""Network: search a node, draw its neighbourhood, click nodes for details, expand, hide, pin, filter,
lay out, colour by community, export (HTML, GraphML, GEXF; PNG and SVG from the drawing's bar), save.

The URL holds the whole drawing: every expanded node in order (``?node=Firm:F1&node=Country:KOR``),
the selected one, hidden (``hide=``) and pinned (``pin=Firm:F1@x,y``) nodes, the filters, the layout,
the styling and the renderer (``explorer.transform.network_state``). A saved drawing (``?scene=NAME``)
is that URL state stored in Neo4j. A node that does not exist or a bad setting is named in a
one-line message, never drawn as nothing. Scenes beyond ``webgl.WEBGL_NODES`` nodes are drawn
by WebGL (sigma.js); the same clicks work in both.
"""
import pandas as pd
import streamlit as st

from explorer.data import catalogue
from explorer.data import neighbourhood
from explorer.data import overview
from explorer.data import search
from explorer.ui import page
from explorer.data.scene import Filters, build_scene
from explorer.graph import gexf, view, webgl
from explorer.graph.component import network_graph
from explorer.graph.style import drawing, legend_html, to_html
from explorer.graph.scene import METRICS, graphml, showing
from explorer.transform import network_state, url
from explorer.transform.search import node_id, split_node_id
from queries import reports
from queries.errors import QueryError
from schema.model import USER_FACING_LABELS

page.start("Network")

ss = st.session_state
qp = st.query_params
ss.setdefault("net_expanded", [])
ss.setdefault("net_selected", None)
ss.setdefault("net_seq", 0)
ss.setdefault("net_hidden", [])
ss.setdefault("net_pinned", {})
ss.setdefault("net_pos", {})   # where the drawing last showed a clicked node: what "Pin" pins
SETTINGS = network_state.SETTINGS
WIDGET_KEYS = ("net_labels", "net_types", "net_year", "net_min", "net_cap", "net_size", "net_colour", "net_physics",
               "net_layout", "net_renderer", "net_algorithm", "net_countries", "net_industries", "net_min_size")

# --- a saved drawing: its URL state replaces the page's, then the page reads it like a link
problems: list[str] = []
if "scene" in qp and ss.get("net_scene_open") != (qp.get("scene"), qp.get("sv")):
    try:
        sv = int(qp["sv"]) if qp.get("sv") else None
        doc = reports.get_document("scene", qp["scene"], sv)
    except (QueryError, ValueError) as exc:
        problems.append(f"URL parameter scene: {exc}")
    else:
        for k in WIDGET_KEYS + ("net_expanded", "net_selected", "net_hidden", "net_pinned"):
            ss.pop(k, None)
        ss.net_expanded, ss.net_hidden, ss.net_pinned = [], [], {}
        ss.net_scene_open = (qp.get("scene"), qp.get("sv"))
        ss.net_scene_note = f"Opened saved drawing {doc['name']!r} (version {doc['version']}): {doc['title']}"
        qp.from_dict(doc["content"])
        st.rerun()

# --- the URL's state, checked: the first run of a session opens what the link shows
settings, bad = url.read(SETTINGS, qp)
problems += bad
# the year: one year (by default the latest of real data), or every year drawn together when the link says year=all
years = overview.all_years()
url_year, year_problem = network_state.read_year(qp.get("year"), years)
problems += [year_problem] if year_problem else []
lists = {}
for key, allowed in (("labels", USER_FACING_LABELS), ("types", neighbourhood.BROWSABLE_REL_TYPES)):
    if key in qp:
        lists[key], msg = network_state.names_list(key, qp[key], allowed)
        problems += [msg] if msg else []
url_hidden = []
for nid in qp.get_all("hide"):
    checked = network_state.check_node_id(nid)
    if isinstance(checked, str):
        problems.append(f"URL parameter hide: {checked}")
    else:
        url_hidden.append(nid)
url_pins = {}
for text in qp.get_all("pin"):
    checked = network_state.check_pin(text)
    if isinstance(checked, str):
        problems.append(f"URL parameter pin: {checked}")
    else:
        url_pins[checked[0]] = checked[1]
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
    ss.net_hidden = list(dict.fromkeys(url_hidden))
    ss.net_pinned = dict(url_pins)


def _start_from_search() -> None:
    hit = ss.get("net_pick")
    if hit:
        ss.net_expanded = [hit]
        ss.net_selected = hit
        ss.net_hidden, ss.net_pinned = [], {}


# --- search with autocomplete: results follow the typing (live input), the pick draws the node
q = st.text_input("Search a country, region, industry, sector, firm or person (name or code)", key="net_q",
                  live=True, placeholder="e.g. Korea, KR-11, Electrical, F00012")
# a bad setting or filter stops the page: the drawing would not be the one the link asked for
page.url_problems(problems, stop=bad_settings)
if ss.get("net_scene_note"):
    st.success(ss.pop("net_scene_note"))
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


def choice(key: str, label: str | None = None):
    p = SETTINGS[key]
    return st.selectbox(label or p.title, p.choices, index=p.choices.index(setting(key)), key=f"net_{key}",
                        help=p.help or None)


# --- filters and styling
with st.sidebar:
    st.subheader("Network filters")
    labels = st.multiselect("Node labels", USER_FACING_LABELS, default=lists.get("labels") or list(USER_FACING_LABELS),
                            key="net_labels")
    types = st.multiselect("Relationship types", neighbourhood.BROWSABLE_REL_TYPES,
                           default=lists.get("types") or list(neighbourhood.BROWSABLE_REL_TYPES), key="net_types")
    latest = network_state.default_year(overview.years_by_source(),
                                        {d["key"] for d in overview.datasets() if not d["synthetic"]})
    year_options = network_state.year_options(years)
    wanted = url_year if url_year is not None else (latest if latest is not None else network_state.ALL_YEARS)
    year_choice = st.selectbox(
        "Year", year_options, index=year_options.index(wanted), key="net_year",
        format_func=lambda y: "all years (each edge labelled)" if y == network_state.ALL_YEARS
        else f"{y} (latest of real data)" if y == latest else str(y),
        help="relationships of one year (relationships without a year are always drawn); 'all years' draws every "
             "year together and labels each relationship with its year")
    year = network_state.year_filter(year_choice)
    min_value = st.number_input(SETTINGS["min_value"].title, min_value=float(SETTINGS["min_value"].min),
                                value=float(setting("min_value")), key="net_min")
    cap = st.slider(SETTINGS["cap"].title, int(SETTINGS["cap"].min), int(SETTINGS["cap"].max), int(setting("cap")),
                    step=10, key="net_cap")
    st.subheader("Drawing")
    layout = choice("layout")
    size_by = st.selectbox("Size by", METRICS, index=METRICS.index(setting("size")), key="net_size")
    colour_by = choice("colour", "Colour by")
    algorithm = choice("algorithm") if colour_by == "community" else setting("algorithm")
    physics = st.toggle(SETTINGS["physics"].title, value=setting("physics"), key="net_physics",
                        disabled=layout != "force")
    renderer = choice("renderer")

state = {"year": year, "min_value": min_value, "cap": cap, "size": size_by, "colour": colour_by, "physics": physics,
         "layout": layout, "renderer": renderer, "algorithm": algorithm}


def write_link() -> None:
    """The URL of what is on screen now (called again after a click changed the selection)."""
    values = dict(state)
    for key in ("countries", "industries", "min_size"):
        values[key] = ss.get(f"net_{key}", setting(key)) or None
    link: dict = {"year": str(year_choice), **url.write(SETTINGS, values)}
    if set(labels) != set(USER_FACING_LABELS):
        link["labels"] = ",".join(labels)
    if set(types) != set(neighbourhood.BROWSABLE_REL_TYPES):
        link["types"] = ",".join(types)
    if ss.net_expanded:
        link["node"] = list(ss.net_expanded)
        if ss.net_selected:
            link["selected"] = ss.net_selected
        if ss.net_hidden:
            link["hide"] = list(ss.net_hidden)
        if ss.net_pinned:
            link["pin"] = [network_state.pin_text(n, xy) for n, xy in ss.net_pinned.items()]
    qp.from_dict(link)


if not ss.net_expanded:
    write_link()
    st.info("Search above and pick a match to start.")
    st.stop()

filters = Filters(tuple(labels), tuple(types), year, min_value or None, cap)
with st.spinner("Loading the neighbourhood…"):
    scene = build_scene(ss.net_expanded, filters)

# in-drawing filters: the countries and industries the scene has (plus any the link named)
present_countries, present_industries = view.present_values(scene)
with st.sidebar:
    st.subheader("Filter the drawing")
    want_c = setting("countries") or []
    countries = st.multiselect(SETTINGS["countries"].title, sorted(set(present_countries) | set(want_c)),
                               default=want_c, key="net_countries", placeholder="all countries")
    want_i = setting("industries") or []
    industries = st.multiselect(SETTINGS["industries"].title, sorted(set(present_industries) | set(want_i)),
                                default=want_i, key="net_industries", placeholder="all industries")
    min_size = st.number_input(f"{SETTINGS['min_size'].title} ({size_by})", min_value=0.0, value=setting("min_size"),
                               key="net_min_size", placeholder="all sizes", disabled=size_by == "none")
write_link()

if ss.pop("net_check_selected", False) and ss.net_selected not in scene["nodes"]:
    st.error(f"URL parameter selected: {ss.net_selected!r} is not drawn with these nodes and filters; "
             "allowed: a node of the drawing")
    ss.net_selected = ss.net_expanded[0]

drawn, left_out = view.visible(scene, set(ss.net_hidden), countries, industries, size_by,
                               min_size if size_by != "none" else None)
shown, total = showing(scene)
caption = f"{len(drawn['nodes'])} nodes · showing {shown} of {total} relationships"
if shown < total:
    caption += f" (cap {cap} per expanded node: raise it in the sidebar, or filter)"
if left_out:
    caption += f" · {left_out} nodes hidden or filtered out"
drawn_years = sorted({e["props"]["year"] for e in drawn["edges"].values() if e.get("props", {}).get("year") is not None})
caption += " · " + network_state.year_caption(year_choice, drawn_years)

communities = None
if colour_by == "community" and drawn["nodes"]:
    try:
        with st.spinner("Finding communities (GDS)…"):
            found_c = catalogue.run("communities", {
                "nodes": sorted(drawn["nodes"]), "types": sorted({e["type"] for e in drawn["edges"].values()}) or None,
                "year": year, "algorithm": algorithm, "weight": "value"})
        communities = dict(zip(found_c["id"], found_c["community"]))
        if len(found_c):
            k = int(found_c["communities"].iloc[0])
            caption += (f" · {k} {'community' if k == 1 else 'communities'} ({algorithm}, modularity "
                        f"{found_c['modularity'].iloc[0]:.3f})")
    except QueryError as exc:
        st.error(f"communities: {exc}")

which = webgl.renderer_for(len(drawn["nodes"]), renderer)
# the selection is not part of the drawing: a click must not redraw thousands of nodes
spec = drawing(drawn, size_by, colour_by, None, layout, ss.net_pinned, communities,
               positions=True if which == "webgl" else None, year_labels=year is None)
title = ", ".join(str(scene["nodes"][n]["props"].get("name") or n) for n in ss.net_expanded[:3]
                  if n in scene["nodes"]) + (" …" if len(ss.net_expanded) > 3 else "")
title = f"Network around {title}" + (f" · {year}" if year else " · all years")

graph_col, detail_col = st.columns([3, 1])
with graph_col:
    st.caption(caption)
    if which == "webgl":
        html = webgl.to_html(spec, height_px=620)
        st.caption(f"Drawn with WebGL (sigma.js): {len(drawn['nodes']):,} nodes; layout computed in Python.")
    else:
        html = to_html(drawn, size_by=size_by, colour_by=colour_by, physics=physics, layout=layout,
                       pinned=ss.net_pinned, communities=communities, year_labels=year is None)
    event = network_graph(html, height=620, caption=caption, key="net_graph", title=title, legend=spec["legend"],
                          rel_legend=spec["relationship_legend"])
    st.markdown(f"Colour ({colour_by}): " + legend_html(spec["legend"]), unsafe_allow_html=True)
    st.markdown(("Relationships of ALL YEARS together (each edge labelled with its year): " if year is None
                 else f"Relationships of {year}: ") + legend_html(spec["relationship_legend"]), unsafe_allow_html=True)
    notes = []
    if size_by != "none":
        notes.append(f"Node size: {size_by} (area grows with the value)")
    notes.append("edge width: value, amount or share within each relationship type")
    if len(drawn["nodes"]) > 60:
        notes.append("labels on the 30 largest nodes (hover for the others)")
    st.caption("; ".join(notes) + ".")
    b1, b2 = st.columns(2)
    if b1.button("Expand all shown nodes", key="net_expand_all",
                 help=f"expands the drawn nodes not yet expanded, best connected first, {view.EXPAND_ALL_CAP} per press"):
        more, waiting = view.expand_all(drawn, ss.net_expanded)
        if more:
            ss.net_expanded = ss.net_expanded + more
            ss.net_expand_note = (f"Expanded {len(more)} of {waiting} shown nodes not yet expanded (at most "
                                  f"{view.EXPAND_ALL_CAP} per press)" + ("; press again for more." if waiting > len(more)
                                                                        else "."))
        else:
            ss.net_expand_note = "Every shown node is already expanded."
        st.rerun()
    if ss.get("net_expand_note"):
        st.info(ss.pop("net_expand_note"))
    if ss.net_hidden and b2.button(f"Show the {len(ss.net_hidden)} hidden nodes again", key="net_unhide"):
        ss.net_hidden = []
        st.rerun()
    # exports are written when clicked (a 5,000-node GEXF is megabytes), and clicking does not rerun the page
    e1, e2, e3 = st.columns(3)
    e1.download_button("Export HTML", html, file_name="network.html", mime="text/html", key="net_html",
                       on_click="ignore")
    e2.download_button("Export GraphML", lambda: graphml(drawn), file_name="network.graphml",
                       mime="application/graphml+xml", key="net_graphml", on_click="ignore")
    placed = {n["id"]: (n["x"], n["y"]) for n in spec["nodes"] if "x" in n}
    e3.download_button("Export GEXF (Gephi)", lambda: gexf.to_gexf(
        drawn, title=title, positions=placed or None, sizes={n["id"]: n["size"] for n in spec["nodes"]},
        colours={n["id"]: n["color"] for n in spec["nodes"]}), file_name="network.gexf", mime="application/xml",
        key="net_gexf", on_click="ignore")
    st.caption("PNG (3x resolution) and SVG, with title and legend: “Save PNG” / “Save SVG” above the drawing.")

if event and event.get("seq", 0) != ss.net_seq and event.get("node") in scene["nodes"]:
    ss.net_seq = event["seq"]
    ss.net_selected = event["node"]
    if event.get("pos"):
        ss.net_pos[event["node"]] = (float(event["pos"]["x"]), float(event["pos"]["y"]))
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
        h1, h2 = st.columns(2)
        if sel not in ss.net_hidden and h1.button("Hide", key="net_hide", help="take this node out of the drawing"):
            ss.net_hidden = ss.net_hidden + [sel]
            st.rerun()
        if sel in ss.net_pinned:
            if h2.button("Unpin", key="net_unpin"):
                ss.net_pinned = {n: p for n, p in ss.net_pinned.items() if n != sel}
                st.rerun()
        else:
            where = ss.net_pos.get(sel) or placed.get(sel)
            if h2.button("Pin", key="net_pin", disabled=where is None,
                         help="keep this node where it is drawn now, in every layout"
                         if where else "click the node in the drawing first"):
                ss.net_pinned = {**ss.net_pinned, sel: where}
                st.rerun()
        if sel in ss.net_pinned:
            x, y = ss.net_pinned[sel]
            st.caption(f"pinned at ({x:.0f}, {y:.0f})")
        if communities and sel in communities:
            st.caption(f"community {communities[sel]}")
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

with st.expander("Save this drawing / open a saved one"):
    with st.form("net_save"):
        s_name = st.text_input("Name (letters, digits, . _ -)", key="net_save_name")
        s_title = st.text_input("Title", value=title, key="net_save_title")
        if st.form_submit_button("Save drawing"):
            content = {k: v for k, v in qp.to_dict().items() if k not in ("scene", "sv")}
            content.update({k: qp.get_all(k) for k in ("node",) + network_state.LIST_KEYS if qp.get_all(k)})
            try:
                v = reports.save_document("scene", s_name.strip(), s_title, content)
                st.success(f"Saved drawing {s_name.strip()!r} version {v}; open it with ?scene={s_name.strip()}")
            except QueryError as exc:
                st.error(f"{type(exc).__name__}: {exc}")
    saved = reports.list_documents("scene")
    if saved:
        names = [d["name"] for d in saved]
        pick = st.selectbox("Saved drawings", names, index=None, key="net_open_pick",
                            format_func=lambda n: f"{n} · {next(d['title'] for d in saved if d['name'] == n)}")
        if pick and st.button("Open", key="net_open"):
            ss.pop("net_scene_open", None)
            qp.from_dict({"scene": pick})
            st.rerun()

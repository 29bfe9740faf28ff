"""Dashboards: saved pages of several reports that share parameters (like NeoDash).

Pick a dashboard (``?dashboard=NAME&v=2``); its shared parameters (text, numbers, multi-selects,
ranges) sit at the top, and each value feeds every tile whose report declares a parameter of that
name; the tiles run at once and show a table, a bar chart or a graph. The URL holds the shared
values (``p_country=KOR&p_years=2000..2010``), so a link reopens the same page. *Build a dashboard*
puts saved reports and modules side by side and chooses which of their parameters are shared (and
whether as a multi-select or a range); saving checks every tile (reports exist, inline Cypher
read-only) and stores a new version in Neo4j.
"""
from urllib.parse import urlencode

import streamlit as st

from explorer.data import catalogue as data_catalogue
from explorer.data import cypher as data_cypher
from explorer.graph import rows
from explorer.graph.component import network_graph
from explorer.graph.style import to_html
from explorer.transform import results, url
from explorer.ui import page
from explorer.ui.widgets import widget
from queries.catalogue import VIEWS, param_spec
from queries.errors import QueryError
from queries.model import Param

page.start("Dashboards")
qp = st.query_params
ss = st.session_state

found = {d.name: d for d in data_cypher.dashboards()}
wanted = qp.get("dashboard")
problems: list[str] = []
if wanted and wanted not in found:
    problems.append(f"URL parameter dashboard: no saved dashboard {wanted!r}; allowed: "
                    + (", ".join(sorted(found)) or "none saved yet (build one below)"))
names = sorted(found)
choice = st.selectbox("Dashboard", names, index=names.index(wanted) if wanted in found else None,
                      key="db_choice", placeholder="Pick a saved dashboard", format_func=lambda n: f"{found[n].title} ({n})")
from_url = choice == wanted


def show_tile(tile, df, i: int) -> None:
    if tile.view == "chart":
        nums, labels = results.numeric_columns(df), results.label_columns(df)
        if nums and labels and len(df):
            st.bar_chart(df.head(30), x=labels[0], y=nums[0], sort=f"-{nums[0]}", horizontal=True,
                         height=max(200, 18 * min(len(df), 30)))
            return
        st.caption("Nothing to chart (needs a text and a numeric column): the table instead.")
    if tile.view == "graph":
        scene = rows.to_scene(df, (results.numeric_columns(df) or [None])[0])
        if scene and scene["nodes"]:
            network_graph(to_html(scene, size_by="strength", colour_by="label"), height=380,
                          caption=f"{len(scene['nodes'])} nodes", key=f"db_graph_{i}", title=tile.title)
            return
        st.caption("No graph in this result: the table instead.")
    st.dataframe(df, hide_index=True, width="stretch")


if choice:
    version = None
    d = found[choice]
    if from_url and qp.get("v"):
        v_param = Param("v", "choice", choices=tuple(str(v) for v in d.versions), help="dashboard version")
        try:
            version = int(v_param.coerce(qp["v"]))
        except QueryError as exc:
            problems.append(url.problem("v", exc) + f" (the saved versions of {choice!r})")
    d = data_cypher.dashboard(choice, version)
    if d.description:
        st.caption(d.description)
    fields = url.report_fields(d.params)
    url_values = {}
    if from_url:
        url_values, bad = url.read(fields, qp)
        problems += bad
        problems += [f"URL parameter {k}: dashboard {choice!r} has no parameter {k[len(url.REPORT_PREFIX):]!r}; "
                     f"it has {', '.join(p.name for p in d.params) or 'none'}"
                     for k in qp if k.startswith(url.REPORT_PREFIX) and k not in fields]
    refused = page.url_problems(problems)
    shared = {}
    if d.params:
        cols = st.columns(min(4, len(d.params)))
        for i, p in enumerate(d.params):
            with cols[i % len(cols)]:
                start_value = None if p.required else p.coerce(None)
                shared[p.name] = widget(p, url_values.get(url.REPORT_PREFIX + p.name, start_value),
                                        key=f"db_{choice}_{version}_{p.name}")
    try:
        shared = d.coerce(shared)
    except QueryError as exc:
        st.error(str(exc))
        st.stop()
    if refused:
        st.stop()
    link = {"dashboard": choice, **({"v": str(version)} if version else {}),
            **url.write(fields, {url.REPORT_PREFIX + k: v for k, v in shared.items()})}
    qp.from_dict(link)
    tiles = list(d.tiles)
    for start in range(0, len(tiles), 2):
        cols = st.columns(2)
        for i, (tile, col) in enumerate(zip(tiles[start:start + 2], cols), start=start):
            with col, st.container(border=True):
                st.subheader(tile.title)
                try:
                    used = data_cypher.tile_values(tile, shared)
                    df = data_cypher.run_tile(tile, shared)
                except QueryError as exc:
                    st.error(f"{tile.title}: {exc}")
                    continue
                what = f"report {tile.report}" + (f" v{tile.version}" if tile.version else "") if tile.report \
                    else "inline Cypher"
                st.caption(f"{what} · {len(df)} rows · " + (", ".join(f"{k} = {v}" for k, v in sorted(used.items()))
                                                              or "no parameters"))
                show_tile(tile, df, i)
    base = (st.context.url or "").split("?")[0]
    st.caption("Link to this dashboard with these values:")
    st.code(f"{base}?{urlencode(link)}", language=None, wrap_lines=True)
else:
    page.url_problems(problems)
    st.info("Pick a dashboard above, or build one below.")

with st.expander("Build a dashboard", expanded=not found):
    entries = {e.name: e for e in data_catalogue.entries()}
    picks = st.multiselect("Tiles: saved reports and query modules", list(entries), key="db_new_tiles",
                           format_func=lambda n: ("📄 " if entries[n].kind == "report" else "🧮 ")
                           + f"{entries[n].title} ({n})")
    views = {n: st.selectbox(f"View of {n}", VIEWS, key=f"db_new_view_{n}") for n in picks}
    declared: dict[str, list[Param]] = {}
    for n in picks:
        for p in entries[n].params:
            declared.setdefault(p.name, []).append(p)
    common = [k for k, ps in declared.items() if len(ps) > 1]
    share_names = st.multiselect("Shared parameters (a value feeds every tile that has the parameter)",
                                 sorted(declared), default=sorted(common),
                                 # keyed by the tiles: a new choice of tiles starts from its own default
                                 key="db_new_shared_" + "|".join(picks))
    params = []
    for k in share_names:
        first = declared[k][0]
        numeric = first.type in ("int", "float") or first.item in ("int", "float")
        kinds = ["as declared", "multi-select"] + (["range"] if numeric else [])
        kind = st.radio(f"{k} ({first.type})", kinds, horizontal=True, key=f"db_new_kind_{k}")
        if kind == "multi-select":
            item = first.item or (first.type if first.type in ("int", "float") else "str")
            params.append(Param(k, "multi", None, first.min, first.max, help=first.help or k, item=item))
        elif kind == "range":
            item = "int" if (first.item or first.type) == "int" else "float"
            params.append(Param(k, "range", None, first.min, first.max, help=first.help or k, item=item))
        else:
            params.append(first)
    with st.form("db_new"):
        new_name = st.text_input("Name (letters, digits, . _ -)", key="db_new_name")
        new_title = st.text_input("Title", key="db_new_title")
        new_desc = st.text_area("Description", key="db_new_desc")
        if st.form_submit_button("Save dashboard"):
            tiles = [{"title": entries[n].title, "report": n, "view": views[n]} for n in picks]
            try:
                v = data_cypher.save_dashboard(new_name.strip(), new_title or new_name.strip(),
                                               [param_spec(p) for p in params], tiles, new_desc)
                st.success(f"Saved dashboard {new_name.strip()!r} version {v}: open it with "
                           f"?dashboard={new_name.strip()}")
            except QueryError as exc:
                st.error(f"{type(exc).__name__}: {exc}")

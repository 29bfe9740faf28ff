"""Reports: pick a saved report (or a built-in query module), fill its typed parameters, run,
see table / chart / graph, download CSV and JSON, save a copy.

The URL holds everything that decides the result: ``?report=report:NAME&v=2&p_<param>=...&run=1``
(``report=module:NAME`` for a module), and the chart's and graph's columns. A value the
entry refuses, an unknown report, parameter or version is named in a one-line message and
nothing runs until it is fixed.
"""
from urllib.parse import urlencode

import streamlit as st

from explorer.data import catalogue
from explorer.graph.component import network_graph
from explorer.graph.style import to_html
from explorer.transform import results, url
from explorer.ui import page
from explorer.ui.widgets import widget
from queries import export
from queries.errors import QueryError
from queries.model import Param

page.start("Reports")
qp = st.query_params
ss = st.session_state

entries = {f"{e.kind}:{e.name}": e for e in catalogue.entries()}
ids = list(entries)
wanted = qp.get("report")
if wanted and wanted not in entries:
    # a bare name is fine too: names are unique across modules and reports
    wanted = next((i for i in ids if i.split(":", 1)[1] == wanted), wanted)
problems: list[str] = []
if wanted and wanted not in entries:
    problems.append(f"URL parameter report: no saved report or query module {wanted!r}; pick one below")
if not ids:
    st.info("No query modules or saved reports.")
    st.stop()
choice = st.selectbox("Report (📄 saved, 🧮 built-in module)", ids,
                      index=ids.index(wanted) if wanted in entries else 0,
                      format_func=lambda i: ("📄 " if i.startswith("report:") else "🧮 ")
                      + f"{entries[i].title} ({entries[i].name})", key="rp_choice")
from_url = wanted == choice  # URL values count only for the entry the URL names
name = entries[choice].name

version = None
if entries[choice].kind == "report":
    versions = list(entries[choice].versions)
    url_version = None
    if from_url and "v" in qp:
        v_param = Param("v", "choice", choices=tuple(str(v) for v in versions), help="report version")
        try:
            url_version = int(v_param.coerce(qp["v"]))
        except QueryError as exc:
            problems.append(url.problem("v", exc) + f" (the saved versions of {name!r})")
    version = st.selectbox("Version", versions, key=f"rp_ver_{choice}",
                           index=versions.index(url_version) if url_version in versions else len(versions) - 1)
entry = catalogue.entry(name, version)
st.caption(entry.description or "")

fields = url.report_fields(entry.params)
url_values: dict = {}
if from_url:
    url_values, bad = url.read(fields, qp)
    problems += bad
    problems += [f"URL parameter {k}: {entry.kind} {name!r} has no parameter {k[len(url.REPORT_PREFIX):]!r}; "
                 f"it has {', '.join(p.name for p in entry.params) or 'none'}"
                 for k in qp if k.startswith(url.REPORT_PREFIX) and k not in fields]
url_refused = page.url_problems(problems)

values = {}
with st.form(key=f"rp_form_{choice}_{version}"):
    cols = st.columns(3)
    for i, p in enumerate(entry.params):
        with cols[i % 3]:
            values[p.name] = widget(p, url_values.get(url.REPORT_PREFIX + p.name, p.default),
                                    key=f"rp_{choice}_{version}_{p.name}")
    submitted = st.form_submit_button("Run", type="primary")



def column_pick(where, label: str, options: list, key: str, url_key: str):
    """A column of the result, from the URL when it names one (a name it does not have is said so)."""
    given = qp.get(url_key) if from_url else None
    if given is not None and given not in options:
        st.error(f"URL parameter {url_key}: {given!r} is not a column this result offers here; "
                 f"allowed: {', '.join(str(o) for o in options)}")
    return where.selectbox(label, options, key=key, index=options.index(given) if given in options else 0)


run_key = f"rp_ran_{choice}_{version}"
if submitted or (qp.get("run") == "1" and from_url and not url_refused) or ss.get(run_key):
    ss[run_key] = True
    with st.spinner("Running…"):
        try:
            df = catalogue.run(name, values, version)
        except QueryError as exc:
            st.error(f"{name}: {exc}")
            st.stop()
    share = {"report": choice, **({"v": str(version)} if version else {}),
             **url.write(fields, {url.REPORT_PREFIX + k: v for k, v in values.items()}), "run": "1"}
    truncated = " (row cap reached: more rows exist)" if df.attrs.get("truncated") else ""
    st.success(f"{len(df)} rows{truncated}")

    tab_table, tab_chart, tab_graph = page.tabs(["Table", "Chart", "Graph"], "rp_tab")
    with tab_table:
        st.dataframe(df, hide_index=True, width="stretch")
        if entry.columns:
            with st.expander("Columns and units"):
                st.table({"column": [c.name for c in entry.columns],
                          "unit and meaning": [f"{c.unit}: {c.description}" for c in entry.columns]})
    with tab_chart:
        nums, labels = results.numeric_columns(df), results.label_columns(df)
        if nums and labels and len(df):
            c1, c2 = st.columns(2)
            x = column_pick(c1, "Category", labels, "rp_x", "x")
            y = column_pick(c2, "Value", nums, "rp_y", "y")
            share.update({"x": x, "y": y})
            st.bar_chart(df.head(50), x=x, y=y, sort=f"-{y}", horizontal=True, height=max(240, 20 * min(len(df), 50)))
        else:
            st.caption("Nothing to chart: the result needs a text column and a numeric column.")
    with tab_graph:
        nums = results.numeric_columns(df)
        weight = column_pick(st, "Edge weight", ["none"] + nums, "rp_w", "w") if nums else "none"
        if weight != "none":
            share["w"] = weight
        weight = None if weight == "none" else weight
        scene = results.to_scene(df, weight)
        if scene:
            network_graph(to_html(scene, size_by="strength", colour_by="label"), height=460,
                          caption=f"{len(scene['nodes'])} nodes", key="rp_graph")
        else:
            st.caption("No graph: the result has neither a path column (list of keys) nor source/target columns.")

    # written after every widget that shapes the result, so the link always has the current values
    share.update(page.selected_tab("rp_tab"))
    qp.from_dict(share)
    base = (st.context.url or "").split("?")[0]
    st.caption("Shareable link to this result (the parameters of this run):")
    st.code(f"{base}?{urlencode(share)}", language=None, wrap_lines=True)

    d1, d2 = st.columns(2)
    d1.download_button("Download CSV", export.to_csv(df), file_name=f"{name}.csv", mime="text/csv", key="rp_csv")
    d2.download_button("Download JSON", export.to_json(df), file_name=f"{name}.json", mime="application/json",
                       key="rp_json")

with st.expander("Save a copy as a new report"):
    if entry.cypher is None:
        st.caption("This module runs several Cypher steps in Python; only single-statement reports can be copied.")
    else:
        with st.form("rp_save"):
            new_name = st.text_input("New report name (letters, digits, . _ -)", key="rp_new_name")
            new_title = st.text_input("Title", value=f"{entry.title} (copy)", key="rp_new_title")
            new_desc = st.text_area("Description", value=entry.description or "", key="rp_new_desc")
            new_cypher = st.text_area("Cypher (read-only)", value=entry.cypher, height=160, key="rp_new_cypher")
            st.caption("The parameter values in the form above become the new report's defaults.")
            if st.form_submit_button("Save copy"):
                try:
                    v = catalogue.save_copy(new_name.strip(), new_title, new_cypher,
                                            {p.name: values.get(p.name) for p in entry.params}, new_desc)
                    st.success(f"Saved report {new_name.strip()!r} version {v}.")
                except QueryError as exc:
                    st.error(f"{type(exc).__name__}: {exc}")

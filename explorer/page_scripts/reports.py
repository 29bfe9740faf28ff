"""Reports: pick a saved report (or a built-in query module), fill its typed parameters, run,
see table / chart / graph, download CSV and JSON, save a copy; the URL reproduces the view."""
from urllib.parse import urlencode

import streamlit as st

from explorer.data import reports
from explorer.ui import page
from explorer.transform import params
from explorer.transform import results
from explorer.ui.widgets import widget
from explorer.graph.component import network_graph
from explorer.graph.style import to_html
from queries import export
from queries.errors import QueryError

page.start("Reports")
qp = st.query_params
ss = st.session_state

entries = reports.catalogue()
ids = [e["id"] for e in entries]
titles = {e["id"]: ("📄 " if e["id"].startswith("report:") else "🧮 ") + f"{e['title']} ({e['id'].split(':', 1)[1]})"
          for e in entries}
wanted = qp.get("report")
if wanted and wanted not in ids:
    st.warning(f"No report {wanted!r}; pick another.")
choice = st.selectbox("Report (📄 saved, 🧮 built-in module)", ids, index=ids.index(wanted) if wanted in ids else 0,
                      format_func=titles.get, key="rp_choice")
version = None
if choice.startswith("report:"):
    versions = reports.describe(choice)["versions"]
    url_v = int(qp["v"]) if qp.get("v", "").isdigit() and int(qp["v"]) in versions else versions[-1]
    version = st.selectbox("Version", versions, index=versions.index(url_v), key=f"rp_ver_{choice}")
info = reports.describe(choice, version)
st.caption(info["description"] or "")

# URL values win over defaults, but only for the report the URL names
from_url, problems = params.from_query(info["specs"], dict(qp)) if wanted == choice else ({}, [])
for p in problems:
    st.warning(f"Ignored from the URL: {p}")

values = {}
with st.form(key=f"rp_form_{choice}_{version}"):
    cols = st.columns(3)
    for i, spec in enumerate(info["specs"]):
        with cols[i % 3]:
            values[spec.name] = widget(
                spec, from_url.get(spec.name, spec.default), key=f"rp_{choice}_{version}_{spec.name}")
    submitted = st.form_submit_button("Run", type="primary")

run_key = f"rp_ran_{choice}_{version}"
if submitted or (qp.get("run") == "1" and wanted == choice) or ss.get(run_key):
    ss[run_key] = True
    share = {"report": choice, **({"v": str(version)} if version else {}),
             **params.to_query(info["specs"], values), "run": "1"}
    qp.from_dict(share)
    with st.spinner("Running…"):
        try:
            df = reports.run(choice, values, version)
        except QueryError as exc:
            st.error(f"{type(exc).__name__}: {exc}")
            st.stop()
    base = (st.context.url or "").split("?")[0]
    st.text_input("Shareable link to this view", f"{base}?{urlencode(share)}", key="rp_share", disabled=False)
    truncated = " (row cap reached: more rows exist)" if df.attrs.get("truncated") else ""
    st.success(f"{len(df)} rows{truncated}")

    tab_table, tab_chart, tab_graph = st.tabs(["Table", "Chart", "Graph"])
    with tab_table:
        st.dataframe(df, hide_index=True, width="stretch")
        if info.get("columns"):
            with st.expander("Columns and units"):
                st.table({"column": list(info["columns"]), "unit and meaning": list(info["columns"].values())})
    with tab_chart:
        nums, labels = results.numeric_columns(df), results.label_columns(df)
        if nums and labels and len(df):
            c1, c2 = st.columns(2)
            x = c1.selectbox("Category", labels, key="rp_x")
            y = c2.selectbox("Value", nums, key="rp_y")
            st.bar_chart(df.head(50), x=x, y=y, sort=f"-{y}", horizontal=True, height=max(240, 20 * min(len(df), 50)))
        else:
            st.caption("Nothing to chart: the result needs a text column and a numeric column.")
    with tab_graph:
        nums = results.numeric_columns(df)
        weight = st.selectbox("Edge weight", [None] + nums, key="rp_w") if nums else None
        view = results.graph_view(df, weight)
        if view:
            network_graph(to_html(view, size_by="strength", colour_by="label"), height=460,
                          caption=f"{len(view['nodes'])} nodes", key="rp_graph")
        else:
            st.caption("No graph: the result has neither a path column (list of keys) nor source/target columns.")

    d1, d2 = st.columns(2)
    stem = choice.split(":", 1)[1]
    d1.download_button("Download CSV", export.to_csv(df), file_name=f"{stem}.csv", mime="text/csv", key="rp_csv")
    d2.download_button("Download JSON", export.to_json(df), file_name=f"{stem}.json", mime="application/json",
                       key="rp_json")

with st.expander("Save a copy as a new report"):
    if info["cypher"] is None:
        st.caption("This module runs several Cypher steps in Python; only single-statement reports can be copied.")
    else:
        with st.form("rp_save"):
            new_name = st.text_input("New report name (letters, digits, . _ -)", key="rp_new_name")
            new_title = st.text_input("Title", value=f"{info['title']} (copy)", key="rp_new_title")
            new_desc = st.text_area("Description", value=info["description"] or "", key="rp_new_desc")
            new_cypher = st.text_area("Cypher (read-only)", value=info["cypher"], height=160, key="rp_new_cypher")
            st.caption("The parameter values in the form above become the new report's defaults.")
            if st.form_submit_button("Save copy"):
                try:
                    v = reports.save_copy(new_name.strip(), new_title, new_cypher, info["specs"], values, new_desc)
                    st.success(f"Saved report {new_name.strip()!r} version {v}.")
                except QueryError as exc:
                    st.error(f"{type(exc).__name__}: {exc}")

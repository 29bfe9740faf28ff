"""Cypher: type a read-only query, see the result as a table, a bar chart or a graph, save it as a report.

It runs through the same door as saved reports (``queries.catalogue``: the read-only guard, one READ
transaction, a time limit and a row cap), so a write is refused with the guard's one-line reason
and changes nothing. Every ``$name`` in the text gets a field (text that is JSON is read as JSON:
numbers, lists, maps). The URL holds the text, its parameters, the open view and whether it ran
(``?q=MATCH...&p_country=KOR&run=1&tab=Graph``), so a link reproduces the result.
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
from queries import catalogue, export
from queries.errors import QueryError

page.start("Cypher")
qp = st.query_params
ss = st.session_state

EXAMPLE = ("MATCH (s:Sector)-[r:SUPPLIES]->(b:Sector)\nWHERE b.country = $country\n"
           "RETURN s.key AS supplier, b.key AS buyer, r.year AS year, r.value AS value\nORDER BY value DESC LIMIT 25")

st.caption(f"Read-only Cypher: anything that would write, change the schema, administer the server, read files "
           f"or URLs is refused before it runs. At most {data_cypher.ROW_CAP:,} rows, {data_cypher.TIMEOUT_S:g} s.")
text = st.text_area("Cypher", value=qp.get("q", EXAMPLE), height=170, key="cy_text")
entry = catalogue.cypher_entry(text)
fields = url.report_fields(entry.params)
url_values, problems = url.read(fields, qp) if qp.get("q") == text else ({}, [])
page.url_problems(problems)

values = {}
if entry.params:
    cols = st.columns(min(3, len(entry.params)))
    for i, p in enumerate(entry.params):
        with cols[i % len(cols)]:
            given = url_values.get(url.REPORT_PREFIX + p.name, "KOR" if p.name == "country" else None)
            values[p.name] = widget(p, given, key=f"cy_p_{p.name}")
run = st.button("Run", type="primary", key="cy_run")

if run:
    ss.cy_ran = text
if run or (qp.get("run") == "1" and qp.get("q") == text and not problems) or ss.get("cy_ran") == text:
    ss.cy_ran = text
    try:
        with st.spinner("Running…"):
            df = data_cypher.run_cypher(text, values)
    except QueryError as exc:
        st.error(str(exc))
        ss.pop("cy_ran", None)
        qp.from_dict({"q": text, **url.write(fields, {url.REPORT_PREFIX + k: v for k, v in values.items()})})
        st.stop()
    truncated = " (row cap reached: more rows exist)" if df.attrs.get("truncated") else ""
    st.success(f"{len(df)} rows{truncated}")
    share = {"q": text, **url.write(fields, {url.REPORT_PREFIX + k: v for k, v in values.items()}), "run": "1"}
    tab_table, tab_chart, tab_graph = page.tabs(["Table", "Chart", "Graph"], "cy_tab")
    with tab_table:
        st.dataframe(df, hide_index=True, width="stretch")
    with tab_chart:
        nums, labels = results.numeric_columns(df), results.label_columns(df)
        if nums and labels and len(df):
            c1, c2 = st.columns(2)
            x = c1.selectbox("Category", labels, key="cy_x")
            y = c2.selectbox("Value", nums, key="cy_y")
            st.bar_chart(df.head(50), x=x, y=y, sort=f"-{y}", horizontal=True,
                         height=max(240, 20 * min(len(df), 50)))
        else:
            st.caption("Nothing to chart: the result needs a text column and a numeric column.")
    with tab_graph:
        nums = results.numeric_columns(df)
        weight = st.selectbox("Edge weight", ["none"] + nums, key="cy_w") if nums else "none"
        scene = rows.to_scene(df, None if weight == "none" else weight)
        if scene and scene["nodes"]:
            network_graph(to_html(scene, size_by="strength", colour_by="label"), height=460,
                          caption=f"{len(scene['nodes'])} nodes", key="cy_graph", title="Cypher result")
            st.caption(f"{len(scene['nodes'])} nodes, {len(scene['edges'])} relationships")
        else:
            st.caption("No graph: return nodes, relationships or paths, source/target columns or lists of keys.")
    share.update(page.selected_tab("cy_tab"))
    qp.from_dict(share)
    base = (st.context.url or "").split("?")[0]
    st.caption("Link to this result:")
    st.code(f"{base}?{urlencode(share)}", language=None, wrap_lines=True)
    d1, d2 = st.columns(2)
    d1.download_button("Download CSV", export.to_csv(df), file_name="cypher.csv", mime="text/csv", key="cy_csv")
    d2.download_button("Download JSON", export.to_json(df), file_name="cypher.json", mime="application/json",
                       key="cy_json")
else:
    qp.from_dict({"q": text, **url.write(fields, {url.REPORT_PREFIX + k: v for k, v in values.items()})})

with st.expander("Save as a report"):
    with st.form("cy_save"):
        name = st.text_input("Report name (letters, digits, . _ -)", key="cy_save_name")
        title = st.text_input("Title", key="cy_save_title")
        desc = st.text_area("Description", key="cy_save_desc")
        st.caption("The parameter values above become the report's defaults.")
        if st.form_submit_button("Save report"):
            try:
                v = data_catalogue.save_copy(name.strip(), title or name.strip(), text, values, desc)
                st.success(f"Saved report {name.strip()!r} version {v}: open it on the Reports page "
                           f"(?report=report:{name.strip()}).")
            except QueryError as exc:
                st.error(f"{type(exc).__name__}: {exc}")

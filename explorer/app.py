"""Streamlit entry point: ``streamlit run explorer/app.py``.

Builds the page navigation; each page is a small script in ``explorer/page_scripts/`` that starts
with ``explorer.ui.page.start`` (database check, synthetic-data badge, title). An outage in the
middle of a page (server stopped or restarting) is caught here for every page.
"""
from __future__ import annotations

import sys
from pathlib import Path

# streamlit runs this file as a script; make the project packages importable
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import streamlit as st  # noqa: E402

from explorer.ui import outage


st.set_page_config(page_title="Global value network explorer", layout="wide", page_icon="🌐")

# not "pages/": Streamlit would also serve files there as old-style pages, run without this script
_PAGES = Path(__file__).parent / "page_scripts"
pages = [
    st.Page(_PAGES / "overview.py", title="Overview", default=True),  # served at /
    st.Page(_PAGES / "data.py", title="Data", url_path="data"),
    st.Page(_PAGES / "network.py", title="Network", url_path="network"),
    st.Page(_PAGES / "spillovers.py", title="Spillovers", url_path="spillovers"),
    st.Page(_PAGES / "centrality.py", title="Centrality & linkages", url_path="centrality"),
    st.Page(_PAGES / "years.py", title="Years compared", url_path="years"),
    st.Page(_PAGES / "reports.py", title="Reports", url_path="reports"),
    st.Page(_PAGES / "cypher.py", title="Cypher", url_path="cypher"),
    st.Page(_PAGES / "dashboards.py", title="Dashboards", url_path="dashboards"),
    st.Page(_PAGES / "trade.py", title="Trade & FDI", url_path="trade"),
    st.Page(_PAGES / "value_added.py", title="Value added & participation", url_path="value-added"),
    st.Page(_PAGES / "studies.py", title="Studies", url_path="studies"),
]
nav = st.navigation(pages)
with outage.page_guard():
    nav.run()

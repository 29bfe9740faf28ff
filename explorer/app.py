"""Streamlit entry point: ``streamlit run explorer/app.py``."""
from __future__ import annotations

import sys
from pathlib import Path

# streamlit runs this file as a script; make the project packages importable
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402

from connection import ConfigError, Settings  # noqa: E402
from explorer.status import database_status  # noqa: E402

st.set_page_config(page_title="Global value network explorer", layout="wide")
st.title("Global value network explorer")

try:
    settings = Settings.from_env()
except ConfigError as exc:
    st.error(f"Configuration error: {exc}")
    st.stop()

status = database_status(settings)
if not status.ok:
    st.error(f"Neo4j is not reachable: {status.error}")
    st.info("Start it with `make neo4j`, or set NEO4J_URI / NEO4J_PASSWORD in .env. This page retries on every rerun.")
    if st.button("Retry"):
        st.rerun()
    st.stop()

st.success(f"Connected to Neo4j {status.server_version} ({status.edition}) at {status.uri}")
left, right = st.columns(2)
with left:
    st.subheader("Nodes per label")
    st.dataframe(pd.DataFrame(list(status.label_counts.items()), columns=["label", "count"]), hide_index=True)
with right:
    st.subheader("Relationships per type")
    st.dataframe(pd.DataFrame(list(status.rel_counts.items()), columns=["type", "count"]), hide_index=True)

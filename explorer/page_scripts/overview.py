"""Overview: what is loaded (counts per label and type, datasets, years), synthetic data flagged."""
import pandas as pd
import streamlit as st

from connection import Settings
from explorer.data import overview
from explorer.ui import page

page.start("Overview")
st.caption(f"Connected to {Settings.from_env().describe()}")

with st.spinner("Counting…"):
    labels, types = overview.counts()
    datasets = overview.datasets()
    years = overview.years_by_kind()

if not labels:
    st.info("The database is empty. Load the demo graph with `python -m loader demo --firms 3000 --seed 7`.")

c1, c2, c3 = st.columns(3)
c1.metric("Nodes", f"{sum(labels.values()):,}")
c2.metric("Relationships", f"{sum(types.values()):,}")
c3.metric("Datasets", len(datasets))

# what every table here covers: the whole database as it is now, not one dataset or year
WHOLE = "All datasets (Sources below) and all years, as the database holds them now."

left, right = st.columns(2)
with left:
    st.subheader("Nodes per label")
    st.dataframe(pd.DataFrame(sorted(labels.items()), columns=["label", "count"]), hide_index=True,
                 width="stretch", column_config={"count": "count (nodes)"})
    st.caption(WHOLE)
with right:
    st.subheader("Relationships per type")
    st.dataframe(pd.DataFrame(sorted(types.items()), columns=["type", "count"]), hide_index=True,
                 width="stretch", column_config={"count": "count (relationships)"})
    st.caption(WHOLE)

st.subheader("Sources")
if datasets:
    frame = pd.DataFrame(datasets)
    frame["data"] = frame["synthetic"].map({True: "⚠️ SYNTHETIC", False: "observed"})
    st.dataframe(frame[["key", "name", "data", "nodes", "loaded_at", "description"]], hide_index=True,
                 width="stretch", column_config={"nodes": "nodes (count, all years)",
                                                 "loaded_at": "loaded_at (date and time of the load)"})
    st.caption("One row per Dataset node: records point at their dataset by `source = key`; `nodes` counts the "
               "nodes of each (relationships carry the same tag).")
    for d in datasets:
        if d.get("unfinished_since"):
            # a batched load stopped half-way: the figures from this source are incomplete until it is rerun
            st.error(f"**{d['key']}**: the load started {d['unfinished_since']} did not finish, so its data is "
                     "incomplete. Run the same load command again to complete it.", icon="⛔")
        if d["synthetic"]:
            st.warning(f"**{d['key']}** is synthetic: generated for demonstration, not real observations.",
                       icon="⚠️")
else:
    st.caption("No Dataset nodes: sources are unknown.")

st.subheader("Years")
if years:
    st.dataframe(pd.DataFrame([{"data": k, "years": ", ".join(str(y) for y in v)} for k, v in years.items()]),
                 hide_index=True, width="stretch", column_config={"data": "data (label or relationship type)",
                                                                  "years": "years (calendar years with records)"})
    st.caption("All datasets: which years each kind of yearly record exists for.")
else:
    st.caption("No yearly data loaded.")

"""Know your data: one row per dataset (what it covers, its units, citation and licence, real or synthetic,
when it was loaded, an unfinished load) and, per input-output table year, its coverage and the largest
gap between the table's gross output and its row sums, |x - (Z 1 + Y 1)| / x."""
import pandas as pd
import streamlit as st

from explorer.data import coverage
from explorer.ui import page

page.start("Data")

with st.spinner("Reading the datasets…"):
    rows = coverage.datasets()
    years = coverage.table_years()

if not rows:
    st.info("No Dataset nodes: load the demo with `python -m loader demo`.")
    st.stop()


def joined(values) -> str:
    return ", ".join(str(v) for v in sorted(v for v in (values or []) if v is not None))


def kind(r: dict) -> str:
    if r["io_years"]:
        return "input-output table"
    if r["firms"]:
        return "firms"
    if r["trade_years"]:
        return "trade flows"
    return "reference" if r["key"] == "reference" else "other"


table = []
for r in rows:
    countries = r["io_countries"] or r["firm_countries"] or r["trade_countries"] or []
    industries = r["io_industries"] or r["firm_industries"] or r["trade_industries"] or 0
    table.append({
        "key": r["key"], "name": r["name"], "data": "⚠️ SYNTHETIC" if r["synthetic"] else "real",
        "kind": kind(r), "countries": len(countries), "country codes": joined(countries),
        "industries": industries, "classification": r["classification"] or "",
        "years": joined(set(r["io_years"] or []) | set(r["trade_years"] or []) | set(r["firm_years"] or [])),
        "units": r["units"] or ("per column: see the module's columns (thousand USD for firms and trade, "
                                "million USD for FDI)" if kind(r) in ("firms", "trade flows") else ""),
        "citation": r["citation"] or "", "licence": r["licence"] or "",
        "loaded_at": r["loaded_at"] or "",
        "load": (f"UNFINISHED since {r['unfinished_since']} (years {joined(r['unfinished_years'])})"
                 if r["unfinished_since"] else "complete"),
        "description": r["description"] or "",
    })
frame = pd.DataFrame(table)
st.subheader("Datasets")
st.dataframe(frame, hide_index=True, width="stretch",
             column_config={"countries": "countries (count)", "industries": "industries (count)",
                            "years": "years (calendar years with records)",
                            "loaded_at": "loaded_at (first load, UTC)"})
st.caption("One row per Dataset node (records point at it by `source = key`). Countries and industries: those "
           "the dataset's sector accounts, firms or trade flows name; units, citation and licence as the loader "
           "recorded them (empty: not recorded). Synthetic data is generated for demonstration, not observed.")
st.download_button("Download datasets (CSV)", frame.to_csv(index=False), file_name="datasets.csv", mime="text/csv",
                   key="data_csv")
for r in rows:
    if r["unfinished_since"]:
        st.error(f"**{r['key']}**: a load started {r['unfinished_since']} did not finish (years "
                 f"{joined(r['unfinished_years']) or 'without a year'}); run the same load again to complete it.",
                 icon="⛔")

st.subheader("Input-output tables by year")
if years:
    per_year = pd.DataFrame(years)
    per_year["max_balance_gap"] = [g if n else None for g, n in zip(per_year["max_balance_gap"],
                                                                    per_year["gaps_recorded"])]
    st.dataframe(per_year.drop(columns=["gaps_recorded"]), hide_index=True, width="stretch",
                 column_config={"sectors": "sectors (count)", "countries": "countries (count, incl. aggregates)",
                                "industries": "industries (count)",
                                "max_balance_gap": st.column_config.NumberColumn(
                                    "max |x - (Z1 + Y1)| / x (share)", format="%.3e")})
    st.caption("The largest relative gap, over the year's sectors with output, between the table's own gross output "
               "x and its row sums (intermediate plus final use); 0 where x was computed from them; empty where the "
               "load did not record it (loaded before the gap was stored).")
else:
    st.caption("No input-output table loaded.")

"""Know your data: what each Dataset covers (countries, industries, years), what it says about itself
(units, citation, licence, classification, real or synthetic, when it was loaded, an unfinished load)
and, for input-output tables, how far each year's gross output is from its row sums."""
from __future__ import annotations

import streamlit as st

from connection import read

TTL_S = 60

_DATASETS = """
MATCH (d:Dataset)
OPTIONAL CALL (d) {
  MATCH (y:SectorYear) WHERE y.source = d.key
  RETURN collect(DISTINCT y.year) AS io_years, collect(DISTINCT y.country) AS io_countries,
         count(DISTINCT y.industry) AS io_industries
}
OPTIONAL CALL (d) {
  MATCH (f:Firm) WHERE f.source = d.key
  RETURN count(f) AS firms, collect(DISTINCT f.country) AS firm_countries, count(DISTINCT f.industry) AS firm_industries
}
OPTIONAL CALL (d) {
  MATCH (e:Country)-[r:EXPORTS]->(:Country) WHERE r.source = d.key
  RETURN collect(DISTINCT r.year) AS trade_years, collect(DISTINCT e.key) AS trade_countries,
         count(DISTINCT r.industry) AS trade_industries
}
OPTIONAL CALL (d) {
  MATCH (:Firm)-[r:SUPPLIES|INVESTS_IN|PERFORMS]->() WHERE r.source = d.key
  RETURN collect(DISTINCT r.year) AS firm_years
}
RETURN d.key AS key, d.name AS name, coalesce(d.synthetic, false) AS synthetic, d.classification AS classification,
       d.units AS units, d.citation AS citation, d.licence AS licence, d.description AS description,
       toString(d.loaded_at) AS loaded_at, toString(d['loading']) AS unfinished_since,
       d['loading_years'] AS unfinished_years, io_years, io_countries, io_industries, firms, firm_countries,
       firm_industries, trade_years, trade_countries, trade_industries, firm_years
ORDER BY key
"""

_TABLE_YEARS = """
MATCH (y:SectorYear)
RETURN y.source AS source, y.year AS year, count(y) AS sectors, count(DISTINCT y.country) AS countries,
       count(DISTINCT y.industry) AS industries, max(y.balance_gap) AS max_balance_gap,
       count(y.balance_gap) AS gaps_recorded
ORDER BY source, year
"""


@st.cache_data(ttl=TTL_S, show_spinner=False)
def datasets() -> list[dict]:
    return read(_DATASETS)


@st.cache_data(ttl=TTL_S, show_spinner=False)
def table_years() -> list[dict]:
    return read(_TABLE_YEARS)

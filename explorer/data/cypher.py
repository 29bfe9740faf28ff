"""The Cypher box's and the dashboards' reads: ad-hoc read-only Cypher and dashboard tiles through
``queries.catalogue`` (guard, READ transaction, time limit, row cap), cached by text and values."""
from __future__ import annotations

import json
from typing import Any

import pandas as pd
import streamlit as st

from queries import catalogue
from queries.catalogue import Dashboard, Tile

TTL_S = 60
TIMEOUT_S = 30.0
ROW_CAP = 5000


@st.cache_data(ttl=TTL_S, show_spinner=False)
def _run_cypher(cypher: str, values_json: str, timeout_s: float, row_cap: int) -> pd.DataFrame:
    return catalogue.run_entry(catalogue.cypher_entry(cypher), json.loads(values_json), timeout_s=timeout_s,
                               row_cap=row_cap)


def run_cypher(cypher: str, values: dict[str, Any], timeout_s: float = TIMEOUT_S, row_cap: int = ROW_CAP
               ) -> pd.DataFrame:
    """Run ad-hoc Cypher if the guard lets it (QueryRefused otherwise); the same text and values within
    the TTL come from the cache."""
    return _run_cypher(cypher, json.dumps(values, sort_keys=True, default=str), timeout_s, row_cap)


@st.cache_data(ttl=TTL_S, show_spinner=False)
def dashboards() -> list[Dashboard]:
    return catalogue.dashboards()


@st.cache_data(ttl=TTL_S, show_spinner=False)
def dashboard(name: str, version: int | None = None) -> Dashboard:
    return catalogue.get_dashboard(name, version)


@st.cache_data(ttl=TTL_S, show_spinner=False)
def _run_tile(tile: Tile, values_json: str) -> pd.DataFrame:
    entry = catalogue.tile_entry(tile)
    return catalogue.run_entry(entry, json.loads(values_json), timeout_s=TIMEOUT_S, row_cap=ROW_CAP)


def tile_values(tile: Tile, shared: dict[str, Any]) -> dict[str, Any]:
    return catalogue.tile_values(tile, catalogue.tile_entry(tile), shared)


def run_tile(tile: Tile, shared: dict[str, Any]) -> pd.DataFrame:
    """One tile with the dashboard's shared values (those its entry declares) and its own fixed ones."""
    return _run_tile(tile, json.dumps(tile_values(tile, shared), sort_keys=True, default=str))


def save_dashboard(name: str, title: str, params: list, tiles: list[dict[str, Any]], description: str = "") -> int:
    version = catalogue.save_dashboard(name, title, params, tiles, description)
    dashboards.clear()
    dashboard.clear()
    return version

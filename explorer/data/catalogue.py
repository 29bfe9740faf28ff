"""The query catalogue (``queries.catalogue``: built-in modules and saved reports) for the pages,
cached by name, version and parameters.

Every page runs its analyses through ``run`` here, so a module and a saved report are run,
limited and cached the same way.
"""
from __future__ import annotations

import json
from typing import Any

import pandas as pd
import streamlit as st

from queries import catalogue, reports
from queries.catalogue import Entry
from queries.model import Param

TTL_S = 60


@st.cache_data(ttl=TTL_S, show_spinner=False)
def entries() -> list[Entry]:
    """Saved reports first (what users made), then the built-in modules."""
    found = catalogue.entries()
    return [e for e in found if e.kind == "report"] + [e for e in found if e.kind == "module"]


@st.cache_data(ttl=TTL_S, show_spinner=False)
def entry(name: str, version: int | None = None) -> Entry:
    return catalogue.get(name, version)


def params(name: str) -> dict[str, Param]:
    """An entry's Params by name: what a page builds its widgets from."""
    return {p.name: p for p in entry(name).params}


@st.cache_data(ttl=120, show_spinner=False)
def _run(name: str, version: int | None, params_json: str, timeout_s: float) -> pd.DataFrame:
    return catalogue.run(name, json.loads(params_json), version, timeout_s=timeout_s)


def run(name: str, values: dict[str, Any], version: int | None = None, timeout_s: float = 30.0) -> pd.DataFrame:
    """Run a module or saved report; the same call within the TTL comes from the cache (key: sorted JSON)."""
    return _run(name, version, json.dumps(values, sort_keys=True, default=str), timeout_s)


def save_copy(new_name: str, title: str, cypher: str, defaults: dict[str, Any], description: str) -> int:
    """Save ``cypher`` as a new report with ``defaults``; returns its version."""
    version = reports.save_report(new_name, title, cypher, defaults, description)
    entries.clear()
    entry.clear()
    _run.clear()
    return version

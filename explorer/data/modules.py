"""Query modules (queries.modules / queries.runner) and saved reports, cached by their parameters."""
from __future__ import annotations

import json
from typing import Any

import pandas as pd
import streamlit as st

from queries import modules as library
from queries.runner import run_module

TTL_S = 120


def module(name: str):
    return library.get(name)


def param(name: str, param_name: str):
    return {p.name: p for p in library.get(name).params}[param_name]


@st.cache_data(ttl=TTL_S, show_spinner=False)
def _run(name: str, params_json: str, timeout_s: float) -> pd.DataFrame:
    return run_module(name, json.loads(params_json), timeout_s=timeout_s)


def run(name: str, params: dict[str, Any], timeout_s: float = 30.0) -> pd.DataFrame:
    """Run a module; identical parameters within TTL_S come from the cache (key: sorted JSON)."""
    return _run(name, json.dumps(params, sort_keys=True, default=str), timeout_s)

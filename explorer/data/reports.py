"""Saved reports and built-in query modules as one catalogue for the Reports page."""
from __future__ import annotations

import json
from typing import Any

import pandas as pd
import streamlit as st

from explorer.data import modules
from explorer.transform.params import Spec, from_module_param, from_saved_defaults
from queries import modules as library, reports
from queries.runner import run_cypher

TTL_S = 60


@st.cache_data(ttl=TTL_S, show_spinner=False)
def catalogue() -> list[dict[str, Any]]:
    """Entries {id: 'report:NAME' | 'module:NAME', title, description}; saved reports first."""
    saved = [{"id": f"report:{r['name']}", "title": r["title"] or r["name"], "description": r["description"] or "",
              "version": r["version"]} for r in reports.list_reports()]
    modules = [{"id": f"module:{m.name}", "title": m.title, "description": m.description, "version": None}
               for m in sorted(library.MODULES.values(), key=lambda m: m.name)]
    return saved + modules


@st.cache_data(ttl=TTL_S, show_spinner=False)
def saved(name: str, version: int | None = None) -> dict[str, Any]:
    return reports.get_report(name, version)


def describe(entry_id: str, version: int | None = None) -> dict[str, Any]:
    """Title, description, Cypher (None for multi-step modules) and parameter specs of an entry."""
    kind, _, name = entry_id.partition(":")
    if kind == "report":
        rep = saved(name, version)
        return {"kind": kind, "name": name, "title": rep["title"], "description": rep["description"],
                "cypher": rep["cypher"], "specs": from_saved_defaults(rep["params"]), "version": rep["version"],
                "versions": [v["version"] for v in rep["versions"]]}
    mod = library.get(name)
    return {"kind": kind, "name": name, "title": mod.title, "description": mod.description, "cypher": mod.cypher,
            "specs": [from_module_param(p) for p in mod.params], "version": None, "versions": [],
            "columns": {c.name: f"{c.unit}: {c.description}" for c in mod.columns}}


@st.cache_data(ttl=TTL_S, show_spinner=False)
def _run_saved(name: str, version: int | None, params_json: str) -> pd.DataFrame:
    rep = saved(name, version)
    merged = {**rep["params"], **json.loads(params_json)}
    return run_cypher(rep["cypher"], merged)


def run(entry_id: str, values: dict[str, Any], version: int | None = None) -> pd.DataFrame:
    kind, _, name = entry_id.partition(":")
    if kind == "report":
        return _run_saved(name, version, json.dumps(values, sort_keys=True, default=str))
    return modules.run(name, values)


def save_copy(new_name: str, title: str, cypher: str, specs: list[Spec], values: dict[str, Any],
              description: str) -> int:
    """Save ``cypher`` as a new report whose defaults are the values in the form now."""
    version = reports.save_report(new_name, title, cypher, {s.name: values.get(s.name) for s in specs}, description)
    catalogue.clear()
    _run_saved.clear()
    saved.clear()
    return version

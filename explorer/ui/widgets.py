"""One Streamlit widget per parameter spec, typed, with the spec's default (or the URL's value)."""
from __future__ import annotations

import json
from typing import Any

import streamlit as st

from explorer.transform.params import Spec


def widget(spec: Spec, value: Any, key: str) -> Any:
    label = spec.name
    help_ = spec.help or None
    if spec.type == "bool":
        return st.checkbox(label, value=bool(value), key=key, help=help_)
    if spec.type == "choice":
        idx = spec.choices.index(value) if value in spec.choices else 0
        return st.selectbox(label, spec.choices, index=idx, key=key, help=help_)
    if spec.type == "int":
        return st.number_input(label, value=None if value is None else int(value), step=1,
                               min_value=None if spec.min is None else int(spec.min),
                               max_value=None if spec.max is None else int(spec.max),
                               key=key, help=help_, placeholder="empty = default behaviour")
    if spec.type == "float":
        return st.number_input(label, value=None if value is None else float(value),
                               min_value=None if spec.min is None else float(spec.min),
                               max_value=None if spec.max is None else float(spec.max),
                               format="%g", key=key, help=help_, placeholder="empty = default behaviour")
    if spec.type == "json":
        text = st.text_input(label + " (JSON)", value="" if value is None else json.dumps(value), key=key,
                             help=help_)
        try:
            return json.loads(text) if text.strip() else None
        except json.JSONDecodeError:
            st.error(f"{spec.name}: not valid JSON")
            st.stop()
    return st.text_input(label, value="" if value is None else str(value), key=key, help=help_)

"""The Python side of the network-drawing component (static HTML in component_html/).

``network_graph(html)`` shows a pyvis drawing and returns the last click as
{'event': 'select'|'expand', 'node': id, 'seq': n} (or None before the first click).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit.components.v1 as components

_component = components.declare_component("gvn_network", path=str(Path(__file__).parent / "component_html"))


def network_graph(html: str, *, height: int = 620, caption: str = "", key: str = "network") -> dict[str, Any] | None:
    return _component(html=html, height=height, caption=caption, key=key, default=None)

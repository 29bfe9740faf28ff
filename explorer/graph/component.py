"""The Python side of the network-drawing component (static HTML in component_html/).

``network_graph(html)`` shows a drawing (pyvis or WebGL, see ``explorer.graph.style`` and
``explorer.graph.webgl``) and returns the last click as {'event': 'select'|'expand', 'node': id,
'pos': {'x', 'y'} (where the node is drawn), 'seq': n} (or None before the first click).
``title`` and ``legend`` rows (colour, text) go into the SVG and PNG the drawing's bar saves.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit.components.v1 as components

_component = components.declare_component("gvn_network", path=str(Path(__file__).parent / "component_html"))


def network_graph(html: str, *, height: int = 620, caption: str = "", key: str = "network", title: str = "",
                  legend: list[tuple[str, str]] | None = None,
                  rel_legend: list[tuple[str, str]] | None = None) -> dict[str, Any] | None:
    return _component(html=html, height=height, caption=caption, key=key, title=title,
                      legend=[list(r) for r in legend or []], rel_legend=[list(r) for r in rel_legend or []],
                      default=None)

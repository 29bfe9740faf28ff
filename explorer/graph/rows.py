"""A scene from the rows of a Cypher result (the Cypher box's and dashboards' Graph view). Pure.

The runner hands rows as plain values (``Record.data()``): a node is the map of its properties, a
relationship the triple (start node's properties, type, end node's properties), a path the list
node, type, node, type, node, ... Nodes are identified by their ``key`` (every node of the model has
one; else by their name), so the same node in two rows is drawn once. Results without nodes or
relationships fall back to ``explorer.transform.results.to_scene`` (source/target columns, lists of
keys).
"""
from __future__ import annotations

from typing import Any

import pandas as pd

from explorer.graph.scene import edge_id, empty_scene
from explorer.transform.results import to_scene as table_scene


def _is_node(v: Any) -> bool:
    return isinstance(v, dict) and ("key" in v or "name" in v)


def _node_id(props: dict[str, Any]) -> str:
    return f"Node:{props.get('key', props.get('name'))}"


def _triples(v: Any) -> list[tuple[dict, str, dict]]:
    """Relationships in a value: a (start, TYPE, end) triple or a path's alternating list."""
    if isinstance(v, (list, tuple)) and len(v) >= 3 and len(v) % 2 == 1 and all(
            _is_node(v[i]) for i in range(0, len(v), 2)) and all(isinstance(v[i], str) for i in range(1, len(v), 2)):
        return [(v[i], v[i + 1], v[i + 2]) for i in range(0, len(v) - 2, 2)]
    return []


def to_scene(df: pd.DataFrame, weight: str | None = None) -> dict[str, Any] | None:
    scene = empty_scene()
    for _, row in df.iterrows():
        for v in row.values:
            for a, rel, b in _triples(v):
                for props in (a, b):
                    scene["nodes"].setdefault(_node_id(props), {"label": "Node", "props": dict(props)})
                e = {"source": _node_id(a), "target": _node_id(b), "type": rel, "props": {}, "weight": None}
                scene["edges"][edge_id(e)] = e   # one line per relationship, however many rows repeat it
            if _is_node(v):
                scene["nodes"].setdefault(_node_id(v), {"label": "Node", "props": dict(v)})
    if scene["edges"] or scene["nodes"]:
        return scene
    return table_scene(df, weight)

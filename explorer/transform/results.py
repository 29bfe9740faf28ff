"""How a result table can be shown besides the table itself. Pure: DataFrame in, choices out."""
from __future__ import annotations

from typing import Any

import pandas as pd


def numeric_columns(df: pd.DataFrame) -> list[str]:
    return [c for c in df.columns if pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])]


def label_columns(df: pd.DataFrame) -> list[str]:
    return [c for c in df.columns if c not in numeric_columns(df)
            and df[c].map(lambda v: isinstance(v, (str, int, float)) or v is None).all()]


def list_columns(df: pd.DataFrame) -> list[str]:
    """Columns holding lists of keys (paths): drawable as a graph."""
    return [c for c in df.columns if len(df) and df[c].map(lambda v: isinstance(v, (list, tuple))).all()]


def edge_columns(df: pd.DataFrame) -> tuple[str, str] | None:
    """A (source, target) pair of columns, when the result is an edge list."""
    for a, b in (("source", "target"), ("from", "to"), ("supplier", "buyer"), ("exporter", "importer"),
                 ("investor", "investee"), ("origin", "destination")):
        if a in df.columns and b in df.columns:
            return a, b
    return None


def to_scene(df: pd.DataFrame, weight: str | None = None) -> dict[str, Any] | None:
    """A scene (to_scene format) from path lists or an edge list; None when the result is neither."""
    from explorer.graph.scene import empty_scene

    scene = empty_scene()

    def add(a: str, b: str, w: float) -> None:
        for k in (a, b):
            scene["nodes"].setdefault(k, {"label": "Node", "props": {"key": k, "name": k}})
        e = scene["edges"].setdefault(f"{a}->{b}", {"source": a, "target": b, "type": "RESULT", "props": {},
                                                    "weight": 0.0})
        e["weight"] += w
        e["props"]["weight"] = e["weight"]

    lists = list_columns(df)
    pair = edge_columns(df)
    if lists:
        col = lists[0]
        for _, row in df.iterrows():
            keys = [str(k) for k in row[col]]
            w = float(row[weight]) if weight and pd.notna(row[weight]) else 1.0
            for a, b in zip(keys, keys[1:]):
                add(a, b, w)
    elif pair:
        for _, row in df.iterrows():
            w = float(row[weight]) if weight and pd.notna(row[weight]) else 1.0
            add(str(row[pair[0]]), str(row[pair[1]]), w)
    else:
        return None
    return scene

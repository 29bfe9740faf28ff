"""Spillover paths turned into what the Spillovers page shows. Pure: DataFrames in, data out.

Paths come from the `upstream-paths` / `downstream-paths` modules: ``path`` lists node keys
in the direction goods flow (supplier first), so consecutive keys are always supplier ->
buyer, whichever way the trace went. The start node is the last key upstream, the first
downstream.
"""
from __future__ import annotations

from typing import Any

import pandas as pd


def start_of(path: list[str], direction: str) -> str:
    return path[-1] if direction == "upstream" else path[0]


def far_end(path: list[str], direction: str) -> str:
    """The node the spillover comes from (upstream: the farthest supplier) or reaches (downstream)."""
    return path[0] if direction == "upstream" else path[-1]


def path_text(path: list[str], names: dict[str, str] | None = None) -> str:
    names = names or {}
    return " → ".join(names.get(k, k) for k in path)


def ranked_table(paths: pd.DataFrame, names: dict[str, str] | None = None) -> pd.DataFrame:
    """One row per path, strongest first overall (the module ranks within each depth)."""
    if paths.empty:
        return pd.DataFrame(columns=["rank", "path", "depth", "value", "share_of_depth"])
    out = paths.copy()
    out["share_of_depth"] = out["value"] / out["depth_total"].where(out["depth_total"] > 0)
    out["path"] = out["path"].map(lambda p: path_text(list(p), names))
    out = out.sort_values(["value", "depth"], ascending=[False, True]).reset_index(drop=True)
    out["rank"] = range(1, len(out) + 1)
    return out[["rank", "path", "depth", "value", "share_of_depth"]]


def _positions(path: list[str], direction: str) -> list[int]:
    # distance of each key from the start node along the path
    n = len(path)
    return [n - 1 - i for i in range(n)] if direction == "upstream" else list(range(n))


def sankey(paths: pd.DataFrame, direction: str, names: dict[str, str] | None = None) -> dict[str, Any]:
    """Layered Sankey: a node per (key, distance from start), links summed over paths.

    Layering keeps the diagram acyclic even though paths revisit sectors (self-loops count
    in the path sums), which a Sankey cannot draw otherwise.
    """
    names = names or {}
    index: dict[tuple[str, int], int] = {}
    labels: list[str] = []
    links: dict[tuple[int, int], float] = {}

    def idx(key: str, pos: int) -> int:
        if (key, pos) not in index:
            index[(key, pos)] = len(labels)
            labels.append(f"{names.get(key, key)} ({pos})" if pos else names.get(key, key))
        return index[(key, pos)]

    for path, value in zip(paths["path"], paths["value"]):
        path = list(path)
        pos = _positions(path, direction)
        for i in range(len(path) - 1):
            link = (idx(path[i], pos[i]), idx(path[i + 1], pos[i + 1]))
            links[link] = links.get(link, 0.0) + float(value)
    return {"labels": labels, "source": [s for s, _ in links], "target": [t for _, t in links],
            "value": list(links.values())}


def place_split(paths: pd.DataFrame, by: str) -> pd.DataFrame:
    """Per depth, the value of EVERY path above the threshold whose far end (the farthest supplier
    upstream, the farthest buyer downstream) lies in the start node's own country or region, and the
    rest, as the path module computed them (``depth_same_<by>``, ``depth_other_<by>``, and for
    regions ``depth_unknown_region``); the listed top paths alone would cover only part of each depth.
    """
    if by not in ("country", "region"):
        raise ValueError(f"by={by!r}; expected country or region")
    parts = [f"same_{by}", f"other_{by}"] + (["unknown_region"] if by == "region" else [])
    cols = ["depth", *parts, f"same_{by}_share", "depth_total"]
    if paths.empty or f"depth_same_{by}" not in paths or paths[f"depth_same_{by}"].isna().all():
        return pd.DataFrame(columns=cols)
    per_depth = paths.groupby("depth", sort=True).first().reset_index()
    out = pd.DataFrame({"depth": per_depth["depth"].astype(int)})
    for p in parts:
        out[p] = per_depth[f"depth_{p}"].astype(float)
    known = out[f"same_{by}"] + out[f"other_{by}"]
    out[f"same_{by}_share"] = (out[f"same_{by}"] / known.where(known > 0)).fillna(0.0)
    out["depth_total"] = per_depth["depth_total"].astype(float)
    return out[cols]


def to_scene(paths: pd.DataFrame, nodes: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The union of the paths as a scene for graph_style.to_html (edges weighted by summed path value)."""
    from explorer.graph.scene import empty_scene

    scene = empty_scene()
    for path, value in zip(paths["path"], paths["value"]):
        path = list(path)
        for k in path:
            info = nodes.get(k, {"label": "Sector", "props": {"key": k, "name": k}})
            scene["nodes"].setdefault(k, info)
        for a, b in zip(path, path[1:]):
            eid = f"{a}->{b}"
            e = scene["edges"].setdefault(eid, {"source": a, "target": b, "type": "SUPPLIES",
                                               "props": {"path_value": 0.0}, "weight": 0.0})
            e["weight"] += float(value)
            e["props"]["path_value"] = e["weight"]
    return scene

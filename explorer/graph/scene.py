"""A browsing scene as data: the nodes and edges on screen, merged from several expansions.

Pure: no Streamlit, no database. ``merge_into_scene`` adds one neighbourhood (from data_graph) to a scene;
``node_metric`` computes the number a node is sized/coloured by; ``to_networkx`` feeds GraphML.
"""
from __future__ import annotations

import math
from typing import Any

import networkx as nx

# Node-property metrics (None where a node has no such property) and scene-derived ones.
PROPERTY_METRICS = ("output", "employees", "foreign_share", "value_added", "backward_linkage", "forward_linkage",
                    "upstreamness")
SCENE_METRICS = ("degree", "strength")
METRICS = ("none",) + SCENE_METRICS + PROPERTY_METRICS


def empty_scene() -> dict[str, Any]:
    return {"nodes": {}, "edges": {}, "expanded": [], "totals": {}}


def edge_id(edge: dict[str, Any]) -> str:
    # year and product distinguish parallel flows between the same pair
    p = edge.get("props", {})
    return "|".join(str(x) for x in (edge["source"], edge["type"], edge["target"], p.get("year"), p.get("product"),
                                      p.get("industry"), p.get("use"), p.get("role")))


def merge_into_scene(scene: dict[str, Any], center: str, center_node: dict[str, Any], hood: dict[str, Any]) -> dict[str, Any]:
    """A new scene with ``center`` and its neighbourhood added (the input is left unchanged)."""
    nodes = dict(scene["nodes"])
    edges = dict(scene["edges"])
    nodes[center] = center_node
    for nid, node in hood["nodes"].items():
        nodes.setdefault(nid, node)
    for e in hood["edges"]:
        edges[edge_id(e)] = e
    expanded = list(scene["expanded"]) + ([center] if center not in scene["expanded"] else [])
    totals = dict(scene["totals"])
    totals[center] = {"shown": hood["shown"], "total": hood["total"]}
    return {"nodes": nodes, "edges": edges, "expanded": expanded, "totals": totals}


def showing(scene: dict[str, Any]) -> tuple[int, int]:
    """(relationships shown, relationships that matched the filters) over all expanded nodes."""
    shown = sum(t["shown"] for t in scene["totals"].values())
    total = sum(t["total"] for t in scene["totals"].values())
    return shown, total


def node_metric(scene: dict[str, Any], metric: str) -> dict[str, float | None]:
    if metric == "none":
        return {nid: None for nid in scene["nodes"]}
    if metric in SCENE_METRICS:
        out = {nid: 0.0 for nid in scene["nodes"]}
        for e in scene["edges"].values():
            add = 1.0 if metric == "degree" else float(e.get("weight") or 0.0)
            for end in {e["source"], e["target"]}:  # a self-loop counts once
                if end in out:
                    out[end] += add
        return out
    vals: dict[str, float | None] = {}
    for nid, node in scene["nodes"].items():
        v = node["props"].get(metric)
        vals[nid] = float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None
    return vals


def scale_sizes(values: dict[str, float | None], lo: float = 10.0, hi: float = 45.0) -> dict[str, float]:
    """Area-true sizes: radius grows with the square root of the metric; missing values get ``lo``."""
    present = [v for v in values.values() if v is not None and v >= 0]
    top = max(present, default=0.0)
    out = {}
    for nid, v in values.items():
        if v is None or v < 0 or top <= 0:
            out[nid] = lo
        else:
            out[nid] = lo + (hi - lo) * math.sqrt(v / top)
    return out


def to_networkx(scene: dict[str, Any]) -> nx.MultiDiGraph:
    """The scene as a graph whose attributes GraphML can hold (scalars only; lists become text)."""
    g = nx.MultiDiGraph()

    def scalar(v):
        return v if isinstance(v, (str, int, float, bool)) else str(v)

    for nid, node in scene["nodes"].items():
        attrs = {k: scalar(v) for k, v in node["props"].items() if v is not None}
        g.add_node(nid, neo4j_label=node["label"], **attrs)
    for eid, e in scene["edges"].items():
        attrs = {k: scalar(v) for k, v in e.get("props", {}).items() if v is not None}
        g.add_edge(e["source"], e["target"], key=eid, type=e["type"], **attrs)
    return g


def graphml(scene: dict[str, Any]) -> str:
    return "\n".join(nx.generate_graphml(to_networkx(scene)))

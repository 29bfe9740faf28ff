"""What of a scene is drawn: hidden nodes and the in-drawing filters (country, industry, size) taken out.

Pure. The scene itself (what was fetched) stays whole, so showing a hidden node again or clearing a
filter needs no query; ``expand_all`` picks which drawn nodes to expand next, within a cap.
"""
from __future__ import annotations

from typing import Any

from explorer.graph.layout import node_country
from explorer.graph.scene import node_metric

# "Expand all" opens at most this many nodes per press: each is one neighbourhood query and can
# add hundreds of nodes
EXPAND_ALL_CAP = 25


def node_industry(node: dict[str, Any]) -> str | None:
    props = node.get("props", {})
    if node.get("label") == "Industry":
        return str(props.get("key"))
    v = props.get("industry")
    return str(v) if v else None


def visible(scene: dict[str, Any], hidden: set[str] = frozenset(), countries: list[str] | None = None,
            industries: list[str] | None = None, size_by: str = "none", min_size: float | None = None
            ) -> tuple[dict[str, Any], int]:
    """The scene without hidden nodes and the nodes the filters leave out (and their edges);
    returns it and how many nodes were left out."""
    sizes = node_metric(scene, size_by) if min_size is not None else {}
    keep = {}
    for nid, node in scene["nodes"].items():
        if nid in hidden:
            continue
        if countries and node_country(node) not in countries:
            continue
        if industries and node_industry(node) not in industries:
            continue
        if min_size is not None and (sizes.get(nid) is None or sizes[nid] < min_size):
            continue
        keep[nid] = node
    edges = {eid: e for eid, e in scene["edges"].items() if e["source"] in keep and e["target"] in keep}
    out = {**scene, "nodes": keep, "edges": edges, "expanded": [n for n in scene["expanded"] if n in keep]}
    return out, len(scene["nodes"]) - len(keep)


def present_values(scene: dict[str, Any]) -> tuple[list[str], list[str]]:
    """The countries and industries of the scene's nodes, for the filter choices."""
    countries = sorted({node_country(n) for n in scene["nodes"].values()})
    industries = sorted({i for i in (node_industry(n) for n in scene["nodes"].values()) if i})
    return countries, industries


def expand_all(drawn: dict[str, Any], expanded: list[str], cap: int = EXPAND_ALL_CAP) -> tuple[list[str], int]:
    """The drawn nodes not yet expanded, best connected first, at most ``cap``; and how many wait."""
    degree = node_metric(drawn, "degree")
    waiting = sorted((n for n in drawn["nodes"] if n not in expanded), key=lambda n: (-(degree[n] or 0), n))
    return waiting[:cap], len(waiting)

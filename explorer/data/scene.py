"""Builds the Network page's scene from the expanded node ids and the filters (cached I/O + pure merge)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from explorer.data import neighbourhood
from explorer.graph.scene import empty_scene, merge_into_scene
from explorer.transform.search import split_node_id


@dataclass(frozen=True)
class Filters:
    labels: tuple[str, ...]
    types: tuple[str, ...]
    year: int | None
    min_value: float | None
    cap: int


def build_scene(expanded: list[str], f: Filters) -> dict[str, Any]:
    """Every expanded node with its (filtered, capped) neighbourhood; unknown ids are skipped."""
    scene = empty_scene()
    for nid in expanded:
        details = neighbourhood.node_details(nid)
        if details is None:
            continue
        label, _ = split_node_id(nid)
        hood = neighbourhood.neighbourhood(nid, f.types, f.labels, f.year, f.min_value, f.cap)
        scene = merge_into_scene(scene, nid, {"label": label, "props": details}, hood)
    return with_sector_accounts(scene, f.year)


def with_sector_accounts(scene: dict[str, Any], year: int | None) -> dict[str, Any]:
    """Sector nodes get their SectorYear numbers (that year, else the latest) as properties."""
    sectors = {nid: split_node_id(nid)[1] for nid, n in scene["nodes"].items() if n["label"] == "Sector"}
    if not sectors:
        return scene
    accounts = neighbourhood.sector_accounts(tuple(sorted(sectors.values())), year)
    nodes = dict(scene["nodes"])
    for nid, key in sectors.items():
        if key in accounts:
            nodes[nid] = {**nodes[nid], "props": {**nodes[nid]["props"], **accounts[key]}}
    return {**scene, "nodes": nodes}

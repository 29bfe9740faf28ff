"""A scene as GEXF 1.3 (Gephi's format), with years as time. Pure: scene in, XML text out.

The graph is dynamic (``mode="dynamic"``, ``timeformat="integer"``, ``timerepresentation="interval"``):
a yearly relationship (``year`` property: SUPPLIES, EXPORTS, INVESTS_IN, PERFORMS) has
``start = end = year``, so Gephi's timeline shows one year at a time; relationships without a year
(OWNS, LOCATED_IN, ...) hold for every year. ``WORKS_FOR.since`` becomes its ``start``. Every node
and relationship property is an attribute column (typed integer, double, boolean or string from its
values; lists are written as JSON text); the Neo4j label and relationship type are attributes too,
and the edge weight is the relationship's value / amount / share. With a drawing's positions,
sizes and colours the nodes carry ``viz:position``, ``viz:size`` and ``viz:color``, so Gephi opens the
scene as it was drawn. Written with ElementTree (text is escaped); ``networkx.read_gexf(path,
version="1.3")`` reads it back.
"""
from __future__ import annotations

import datetime as dt
import json
import math
import xml.etree.ElementTree as ET
from typing import Any

NS = "http://gexf.net/1.3"
VIZ = "http://gexf.net/1.3/viz"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


def _kind(values: list[Any]) -> str:
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return "boolean"
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return "integer"
    if present and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return "double"
    return "string"


def _text(v: Any, kind: str) -> str:
    if kind == "boolean":
        return "true" if v else "false"
    if kind == "double":
        return repr(float(v))
    if kind == "integer":
        return str(int(v))
    return v if isinstance(v, str) else json.dumps(v, ensure_ascii=False, default=str)


def _columns(records: list[dict[str, Any]]) -> dict[str, str]:
    names = sorted({k for r in records for k, v in r.items() if v is not None})
    return {k: _kind([r.get(k) for r in records]) for k in names}


def _hex_rgb(colour: str) -> tuple[int, int, int]:
    c = colour.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def _attributes(graph: ET.Element, cls: str, columns: dict[str, str]) -> dict[str, str]:
    el = ET.SubElement(graph, "attributes", {"class": cls, "mode": "static"})
    ids = {}
    for i, (name, kind) in enumerate(columns.items()):
        ids[name] = f"{cls[0]}{i}"
        ET.SubElement(el, "attribute", {"id": ids[name], "title": name, "type": kind})
    return ids


def _attvalues(parent: ET.Element, record: dict[str, Any], columns: dict[str, str], ids: dict[str, str]) -> None:
    vals = ET.SubElement(parent, "attvalues")
    for name, v in record.items():
        if v is not None and name in columns:
            ET.SubElement(vals, "attvalue", {"for": ids[name], "value": _text(v, columns[name])})


def to_gexf(scene: dict[str, Any], *, title: str = "Network", positions: dict[str, tuple[float, float]] | None = None,
            sizes: dict[str, float] | None = None, colours: dict[str, str] | None = None,
            today: dt.date | None = None) -> str:
    ET.register_namespace("viz", VIZ)
    ET.register_namespace("xsi", XSI)
    root = ET.Element("gexf", {"version": "1.3", f"{{{XSI}}}schemaLocation": f"{NS} http://gexf.net/1.3/gexf.xsd"})
    root.set("xmlns", NS)
    meta = ET.SubElement(root, "meta", {"lastmodifieddate": (today or dt.date.today()).isoformat()})
    ET.SubElement(meta, "creator").text = "Global value network explorer"
    ET.SubElement(meta, "description").text = title
    graph = ET.SubElement(root, "graph", {"defaultedgetype": "directed", "mode": "dynamic",
                                          "timeformat": "integer", "timerepresentation": "interval"})
    node_records = {nid: {"neo4j_label": n["label"], **n["props"]} for nid, n in scene["nodes"].items()}
    edge_records = {eid: {"type": e["type"], **e.get("props", {})} for eid, e in scene["edges"].items()}
    node_cols = _columns(list(node_records.values()))
    edge_cols = _columns(list(edge_records.values()))
    node_ids = _attributes(graph, "node", node_cols)
    edge_ids = _attributes(graph, "edge", edge_cols)
    nodes = ET.SubElement(graph, "nodes")
    for nid, node in scene["nodes"].items():
        props = node["props"]
        el = ET.SubElement(nodes, "node", {"id": nid, "label": str(props.get("name") or props.get("key") or nid)})
        _attvalues(el, node_records[nid], node_cols, node_ids)
        if colours and nid in colours:
            r, g, b = _hex_rgb(colours[nid])
            ET.SubElement(el, f"{{{VIZ}}}color", {"r": str(r), "g": str(g), "b": str(b)})
        if sizes and nid in sizes:
            ET.SubElement(el, f"{{{VIZ}}}size", {"value": repr(float(sizes[nid]))})
        if positions and nid in positions:
            x, y = positions[nid]
            # GEXF's y axis points up, the drawing's down
            ET.SubElement(el, f"{{{VIZ}}}position", {"x": repr(float(x)), "y": repr(-float(y)), "z": "0.0"})
    edges = ET.SubElement(graph, "edges")
    for eid, e in scene["edges"].items():
        p = e.get("props", {})
        attrs = {"id": eid, "source": e["source"], "target": e["target"], "label": e["type"]}
        w = e.get("weight")
        if isinstance(w, (int, float)) and not isinstance(w, bool) and math.isfinite(w) and w > 0:
            attrs["weight"] = repr(float(w))
        year = p.get("year")
        if isinstance(year, int) and not isinstance(year, bool):
            attrs["start"] = attrs["end"] = str(year)
        elif isinstance(p.get("since"), int) and not isinstance(p.get("since"), bool):
            attrs["start"] = str(p["since"])
        el = ET.SubElement(edges, "edge", attrs)
        _attvalues(el, edge_records[eid], edge_cols, edge_ids)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode")

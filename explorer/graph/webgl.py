"""Big scenes drawn by WebGL: sigma.js 3 on a graphology graph, both MIT-licensed and vendored in
``vendor/`` (no CDN). Pure: the drawing spec of ``explorer.graph.style.drawing`` in, HTML text out.

Scenes of more than ``WEBGL_NODES`` nodes are drawn this way (``renderer_for``): vis-network draws
on a 2D canvas and runs its physics in JavaScript, which past about 1,500 nodes takes seconds to
settle and answers clicks slowly; sigma draws every node and edge on the GPU at positions computed
in Python (the chosen layout; no physics in the browser). The page speaks the same protocol as
the pyvis drawing (``style.BRIDGE``): a click posts ``{gvn: true, event: 'select', node, pos}`` to
the component, a double click ``event: 'expand'``, and the body gets ``data-stabilized`` once the
first frame is drawn; ``gvnNodeScreenPosition(id)`` and ``gvnExport()`` serve the browser tests
and the SVG/PNG export.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

VENDOR = Path(__file__).parent / "vendor"
SIGMA_JS = VENDOR / "sigma-3.0.3.min.js"
GRAPHOLOGY_JS = VENDOR / "graphology-0.26.0.umd.min.js"
WEBGL_NODES = 1500            # more nodes than this: WebGL (sigma); up to it: pyvis (vis-network)
RENDERERS = ("auto", "pyvis", "webgl")
# sigma sizes nodes in screen pixels at the initial zoom, where the whole scene fits the frame:
# the pyvis radii (10-45 px at 1:1) shrink so thousands of nodes stay apart (and stay big enough to click)
SIZE_FACTOR = 0.35


def renderer_for(n_nodes: int, choice: str = "auto") -> str:
    """pyvis or webgl: the user's choice, or by the number of nodes."""
    if choice in ("pyvis", "webgl"):
        return choice
    return "webgl" if n_nodes > WEBGL_NODES else "pyvis"


_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8">
<style>html, body {{ margin: 0; padding: 0; }} #mynetwork {{ width: 100%; height: {height}px; }}</style>
</head><body>
<div id="mynetwork"></div>
<script>{graphology}</script>
<script>{sigma}</script>
<script>
(function () {{
  var data = {data};
  function send(msg) {{ window.parent.postMessage(Object.assign({{gvn: true}}, msg), "*"); }}
  var graph = new graphology.MultiDirectedGraph();
  data.nodes.forEach(function (n) {{
    // sigma's y axis points up, the layouts' (vis-network's) down
    graph.addNode(n.id, {{x: n.x, y: -n.y, size: Math.max(1.5, n.size * {factor}), color: n.color, label: n.label || null,
                         fullLabel: n.title}});
  }});
  data.edges.forEach(function (e, i) {{
    if (graph.hasNode(e.source) && graph.hasNode(e.target))
      graph.addEdgeWithKey("e" + i, e.source, e.target, {{size: Math.max(0.5, e.width * 0.5), color: e.color,
                                                        type: "arrow", label: e.label || null}});
  }});
  var container = document.getElementById("mynetwork");
  var renderer = new Sigma(graph, container, {{renderLabels: true, labelRenderedSizeThreshold: 0,
                                              renderEdgeLabels: data.edges.some(function (e) {{ return e.label; }}),
                                              defaultEdgeType: "arrow", zIndex: true}});
  window.network = renderer;   // as pyvis names its drawing: the component's Fit button uses it
  renderer.fit = function () {{ renderer.getCamera().animatedReset({{duration: 0}}); }};
  function pos(id) {{ var a = graph.getNodeAttributes(id); return {{x: a.x, y: -a.y}}; }}
  renderer.on("clickNode", function (p) {{ send({{event: "select", node: p.node, pos: pos(p.node)}}); }});
  renderer.on("doubleClickNode", function (p) {{
    if (p.event && p.event.preventSigmaDefault) p.event.preventSigmaDefault();   // no zoom: expand instead
    send({{event: "expand", node: p.node, pos: pos(p.node)}});
  }});
  var tip = document.createElement("div");
  tip.style.cssText = "position:absolute;display:none;background:#fff;border:1px solid #999;padding:4px;" +
                      "font:12px sans-serif;white-space:pre;pointer-events:none;z-index:5";
  document.body.appendChild(tip);
  renderer.on("enterNode", function (p) {{
    var v = renderer.graphToViewport(graph.getNodeAttributes(p.node));
    tip.textContent = graph.getNodeAttribute(p.node, "fullLabel");
    tip.style.left = (v.x + 12) + "px"; tip.style.top = (v.y + 12) + "px"; tip.style.display = "block";
  }});
  renderer.on("leaveNode", function () {{ tip.style.display = "none"; }});
  window.gvnNodeScreenPosition = function (id) {{
    var v = renderer.graphToViewport(graph.getNodeAttributes(id));
    var rect = container.getBoundingClientRect();
    return {{x: rect.left + v.x, y: rect.top + v.y}};
  }};
  window.gvnExport = function () {{   // what is on screen, in screen pixels, for the SVG and PNG export
    var rect = container.getBoundingClientRect();
    var nodes = [], at = {{}};
    graph.forEachNode(function (id, a) {{
      var d = renderer.getNodeDisplayData(id), v = renderer.graphToViewport(a);
      at[id] = v;
      nodes.push({{id: id, x: v.x, y: v.y, r: renderer.scaleSize(d.size), color: a.color, label: a.label || ""}});
    }});
    var edges = [];
    graph.forEachEdge(function (k, a, s, t) {{
      edges.push({{x1: at[s].x, y1: at[s].y, x2: at[t].x, y2: at[t].y, color: a.color, width: a.size}});
    }});
    return {{width: rect.width, height: rect.height, nodes: nodes, edges: edges}};
  }};
  function settled() {{
    document.body.setAttribute("data-stabilized", "1");
    send({{event: "stabilized"}});
  }}
  // the first frame is drawn on the next animation frame after construction
  requestAnimationFrame(function () {{ requestAnimationFrame(settled); }});
}})();
</script>
</body></html>
"""


def to_html(drawing: dict[str, Any], height_px: int = 620) -> str:
    """A self-contained sigma page for ``drawing`` (every node must carry a position)."""
    missing = [n["id"] for n in drawing["nodes"] if "x" not in n]
    if missing:
        raise ValueError(f"the WebGL drawing needs positions for every node; missing for {missing[:3]}")
    data = {"nodes": [{k: n[k] for k in ("id", "x", "y", "size", "color", "label", "title")}
                      for n in drawing["nodes"]],
            "edges": [{k: e[k] for k in ("source", "target", "color", "width", "label")} for e in drawing["edges"]]}
    # "</" inside a script would end it: JSON allows "<\/"
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    return _PAGE.format(height=height_px, graphology=GRAPHOLOGY_JS.read_text(), sigma=SIGMA_JS.read_text(),
                        data=payload, factor=SIZE_FACTOR)

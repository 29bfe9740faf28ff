"""Colours, legends and the pyvis drawing of a scene. Pure: returns HTML text, touches no I/O."""
from __future__ import annotations

import json
import math
import re
from typing import Any

from pyvis.network import Network

from explorer.graph.layout import LAYOUTS, positions as layout_positions
from explorer.graph.scene import node_metric, scale_sizes

LABEL_COLOURS = {
    "Country": "#1f77b4", "Region": "#17becf", "Industry": "#9467bd", "Sector": "#2ca02c",
    "Firm": "#ff7f0e", "Person": "#e377c2", "Stage": "#8c564b", "Dataset": "#7f7f7f",
}
REL_COLOURS = {
    "SUPPLIES": "#2ca02c", "EXPORTS": "#1f77b4", "INVESTS_IN": "#d62728", "FDI_STATISTIC": "#ff9896",
    "OWNS": "#8c564b", "WORKS_FOR": "#e377c2", "PERFORMS": "#bcbd22",
}
# Five sequential bins (light to dark) for colouring by a metric; grey where the value is missing.
SEQUENTIAL = ("#fee8c8", "#fdbb84", "#fc8d59", "#e34a33", "#b30000")
MISSING = "#cccccc"

# Physics that settles: a bounded stabilisation run, then physics is switched off by the
# bridge script, so a large drawing stops moving (and stops using the CPU).
# Scenes of more than LARGE_SCENE_NODES nodes start from positions computed in Python
# (explorer.graph.layout) and get only LARGE_SCENE_ITERATIONS stabilisation steps to polish
# them: 400 Barnes-Hut steps from vis-network's own start took 9-10 s for 1,000 nodes
# in headless Chromium.
LARGE_SCENE_NODES = 500
LARGE_SCENE_ITERATIONS = 30
OPTIONS = {
    # avoidOverlap: barnesHut keeps discs apart by their size, so hubs do not sit on each other
    "physics": {"enabled": True, "solver": "barnesHut",
                "barnesHut": {"gravitationalConstant": -8000, "springLength": 120, "damping": 0.4,
                              "avoidOverlap": 1},
                "stabilization": {"enabled": True, "iterations": 400, "updateInterval": 50, "fit": True}},
    "edges": {"smooth": False, "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}}},
    "interaction": {"hover": True, "tooltipDelay": 150, "navigationButtons": False},
    "nodes": {"font": {"size": 12}},
}

# Posts clicks to the component page around the drawing (see component_html/index.html);
# `network` is the global pyvis's template defines.
BRIDGE = """
<script type="text/javascript">
(function () {
  function send(msg) { window.parent.postMessage(Object.assign({gvn: true}, msg), "*"); }
  var done = false;
  // Physics leaves some discs touching; once it stops, push overlapping discs apart (like Gephi's
  // Noverlap and explorer.graph.layout.remove_overlaps): pairs found on a grid of cells as wide as
  // the largest disc, each moved by half the overlap, pinned (fixed) nodes not at all.
  function separate() {
    var ids = network.body.data.nodes.getIds(), pos = network.getPositions(), r = {}, fixed = {}, big = 1;
    network.body.data.nodes.forEach(function (n) {
      r[n.id] = n.size || 10; fixed[n.id] = !!n.fixed; big = Math.max(big, r[n.id]);
    });
    var cell = 2 * big + 1;
    for (var round = 0; round < 100; round++) {
      var grid = {}, moved = 0;
      ids.forEach(function (id) {
        var k = Math.floor(pos[id].x / cell) + "," + Math.floor(pos[id].y / cell);
        (grid[k] = grid[k] || []).push(id);
      });
      ids.forEach(function (a) {
        var gx = Math.floor(pos[a].x / cell), gy = Math.floor(pos[a].y / cell);
        for (var dx = -1; dx <= 1; dx++) for (var dy = -1; dy <= 1; dy++) {
          (grid[(gx + dx) + "," + (gy + dy)] || []).forEach(function (b) {
            if (a >= b || (fixed[a] && fixed[b])) return;
            var ux = pos[b].x - pos[a].x, uy = pos[b].y - pos[a].y, d = Math.sqrt(ux * ux + uy * uy);
            var need = r[a] + r[b] + 4 - d;
            if (need <= 0) return;
            if (d < 1e-6) { ux = 1; uy = 0; d = 1; }
            ux /= d; uy /= d;
            var sa = fixed[a] ? 0 : (fixed[b] ? 1 : 0.5), sb = 1 - sa;
            pos[a].x -= ux * need * sa; pos[a].y -= uy * need * sa;
            pos[b].x += ux * need * sb; pos[b].y += uy * need * sb;
            moved++;
          });
        }
      });
      if (!moved) break;
    }
    // moveNode would redraw once per node (seconds for a few hundred): set them all, draw once
    ids.forEach(function (id) {
      var node = network.body.nodes[id];
      if (node && !fixed[id]) { node.x = pos[id].x; node.y = pos[id].y; }
    });
  }
  // Labels that would cover another label are dropped, largest nodes first (what sigma.js does
  // with its label grid): label boxes are estimated from the text length and the font size.
  function declutter() {
    var pos = network.getPositions(), placed = [], drop = [];
    var nodes = network.body.data.nodes.get().filter(function (n) { return n.label && n.label.trim(); });
    nodes.sort(function (a, b) { return (b.size || 0) - (a.size || 0); });
    nodes.forEach(function (n) {
      var f = (n.font && n.font.size) || 12, p = pos[n.id];
      var w = n.label.length * f * 0.55, box = {x1: p.x - w / 2, x2: p.x + w / 2,
                                                y1: p.y + (n.size || 10), y2: p.y + (n.size || 10) + f * 1.2};
      var hit = placed.some(function (o) { return box.x1 < o.x2 && o.x1 < box.x2 && box.y1 < o.y2 && o.y1 < box.y2; });
      if (hit) drop.push({id: n.id, label: " "}); else placed.push(box);
    });
    if (drop.length) network.body.data.nodes.update(drop);
  }
  function settled() {
    if (done) return;
    done = true;
    network.setOptions({physics: {enabled: false}});
    separate();
    declutter();
    // "drawn" only once the separated nodes are on the canvas: clicks hit nodes where they now are
    var marked = false;
    function mark() {
      if (marked) return;
      marked = true;
      document.body.setAttribute("data-stabilized", "1");
      send({event: "stabilized"});
    }
    network.once("afterDrawing", mark);
    network.redraw();
    setTimeout(mark, 1000);   // in case nothing needed drawing
  }
  // The parser may run vis-network's stabilisation timers between pyvis's script and this one,
  // so the event can already be over: check the state as well as listening for it.
  // physics.ready turns true when the stabilisation iterations are done even if the nodes still
  // move (a short run finishes in one batch, before this script may have started listening).
  function over() { return !network.physics.options.enabled || network.physics.stabilized || network.physics.ready; }
  network.once("stabilizationIterationsDone", settled);
  if (over()) { settled(); }
  var poll = setInterval(function () {
    if (done) { clearInterval(poll); } else if (over()) { clearInterval(poll); settled(); }
  }, 250);
  // a click carries the node's position in the drawing, so the page can pin it where it is
  function at(id) { var p = network.getPositions([id])[id]; return {x: p.x, y: p.y}; }
  network.on("click", function (p) { if (p.nodes.length) send({event: "select", node: p.nodes[0], pos: at(p.nodes[0])}); });
  network.on("doubleClick", function (p) { if (p.nodes.length) send({event: "expand", node: p.nodes[0], pos: at(p.nodes[0])}); });
  window.gvnNodeScreenPosition = function (id) {  // used by the browser test to click a node
    var pos = network.canvasToDOM(network.getPositions([id])[id]);
    var rect = document.querySelector("#mynetwork canvas").getBoundingClientRect();
    return {x: rect.left + pos.x, y: rect.top + pos.y};
  };
  window.gvnExport = function () {  // what is on screen, in screen pixels, for the SVG and PNG export
    var canvas = document.querySelector("#mynetwork canvas");
    var rect = canvas.getBoundingClientRect(), scale = network.getScale();
    var positions = network.getPositions(), at = {}, nodes = [], edges = [];
    network.body.data.nodes.forEach(function (n) {
      if (!positions[n.id]) return;
      var v = network.canvasToDOM(positions[n.id]);
      at[n.id] = v;
      var colour = typeof n.color === "string" ? n.color : (n.color && n.color.background) || "#999999";
      nodes.push({id: n.id, x: v.x, y: v.y, r: (n.size || 10) * scale, color: colour,
                  label: (n.label || "").trim()});
    });
    network.body.data.edges.forEach(function (e) {
      if (!at[e.from] || !at[e.to]) return;
      var colour = typeof e.color === "string" ? e.color : (e.color && e.color.color) || "#999999";
      edges.push({x1: at[e.from].x, y1: at[e.from].y, x2: at[e.to].x, y2: at[e.to].y, color: colour,
                  width: (e.width || 1) * scale});
    });
    return {width: rect.width, height: rect.height, nodes: nodes, edges: edges};
  };
})();
</script>
"""

# pyvis's in-line template still links Bootstrap from a CDN and an unused local vis copy;
# the drawing needs neither, and offline they only cost failed requests.
_EXTERNAL = re.compile(r'<(link|script)\b[^>]*(?:href|src)="(?:https?:)?//[^"]*"[^>]*>(?:\s*</script>)?'
                       r'|<(link|script)\b[^>]*(?:href|src)="\.\./node_modules[^"]*"[^>]*>(?:\s*</script>)?',
                       re.S)


def strip_external(html: str) -> str:
    return _EXTERNAL.sub("", html)


def metric_colours(values: dict[str, float | None]) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Quantile-free equal-width bins over the present values; returns colours and legend rows."""
    present = sorted(v for v in values.values() if v is not None)
    if not present:
        return {nid: MISSING for nid in values}, [(MISSING, "no value")]
    lo, hi = present[0], present[-1]
    width = (hi - lo) / len(SEQUENTIAL) or 1.0
    colours = {}
    for nid, v in values.items():
        if v is None:
            colours[nid] = MISSING
        else:
            colours[nid] = SEQUENTIAL[min(int((v - lo) / width), len(SEQUENTIAL) - 1)]
    legend = [(SEQUENTIAL[i], f"{lo + i * width:,.3g} – {lo + (i + 1) * width:,.3g}") for i in range(len(SEQUENTIAL))]
    if any(v is None for v in values.values()):
        legend.append((MISSING, "no value"))
    return colours, legend


# A categorical palette for communities (Tableau 10, then greys for the tail): community 1 is the largest.
COMMUNITY_COLOURS = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
                     "#9c755f", "#bab0ac")
OTHER_COMMUNITY = "#dddddd"
# Readability of busy drawings: past LABEL_ALL nodes only the LABEL_TOP largest nodes (and the
# selected and expanded ones) carry a label; the rest show theirs on hover.
LABEL_ALL = 60
LABEL_TOP = 30
EDGE_WIDTH = (1.0, 8.0)   # pixels: the lightest and the heaviest relationship of a type


def community_colours(communities: dict[str, int], nodes: dict[str, Any]
                      ) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Colour per community (1 = largest); nodes outside any community (no relationship among the
    drawn nodes) are grey. Legend rows name each coloured community and its size."""
    sizes: dict[int, int] = {}
    for c in communities.values():
        sizes[c] = sizes.get(c, 0) + 1
    colours = {}
    for nid in nodes:
        c = communities.get(nid)
        colours[nid] = MISSING if c is None else (COMMUNITY_COLOURS[c - 1] if c <= len(COMMUNITY_COLOURS)
                                                  else OTHER_COMMUNITY)
    legend = [(COMMUNITY_COLOURS[c - 1], f"community {c} ({sizes[c]} nodes)") for c in sorted(sizes)
              if c <= len(COMMUNITY_COLOURS)]
    rest = [c for c in sizes if c > len(COMMUNITY_COLOURS)]
    if rest:
        legend.append((OTHER_COMMUNITY, f"{len(rest)} smaller communities ({sum(sizes[c] for c in rest)} nodes)"))
    if any(communities.get(n) is None for n in nodes):
        legend.append((MISSING, "no link among the drawn nodes"))
    return colours, legend


def style(scene: dict[str, Any], size_by: str, colour_by: str,
          communities: dict[str, int] | None = None) -> dict[str, Any]:
    """Per-node size and colour plus the legend rows that explain them."""
    sizes = scale_sizes(node_metric(scene, size_by))
    if colour_by == "label":
        colours = {nid: LABEL_COLOURS.get(n["label"], MISSING) for nid, n in scene["nodes"].items()}
        present = sorted({n["label"] for n in scene["nodes"].values()})
        legend = [(LABEL_COLOURS.get(label, MISSING), label) for label in present]
    elif colour_by == "community":
        colours, legend = community_colours(communities or {}, scene["nodes"])
    else:
        colours, legend = metric_colours(node_metric(scene, colour_by))
    return {"sizes": sizes, "colours": colours, "legend": legend}


def _tooltip(label: str, props: dict[str, Any]) -> str:
    lines = [label] + [f"{k}: {v}" for k, v in sorted(props.items()) if k != "name" and v is not None][:12]
    return f"{props.get('name', props.get('key'))}\n" + "\n".join(lines)


def _short(text: str, n: int = 28) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def is_large(scene: dict[str, Any]) -> bool:
    return len(scene["nodes"]) > LARGE_SCENE_NODES


def drawing_options(large: bool, physics: bool = True) -> dict[str, Any]:
    """vis-network options: small scenes as before; large ones keep the given positions and polish briefly."""
    options = json.loads(json.dumps(OPTIONS))
    options["physics"]["enabled"] = bool(physics)
    if large:
        options["physics"]["stabilization"]["iterations"] = LARGE_SCENE_ITERATIONS
        options["physics"]["stabilization"]["updateInterval"] = 10
        # vis-network's own start (Kamada-Kawai on clusters) is slow and gives up on big graphs
        options["layout"] = {"improvedLayout": False}
    return options


def labelled(scene: dict[str, Any], sizes: dict[str, float], keep: set[str]) -> set[str]:
    """Nodes whose label is drawn: all in a small scene, else the LABEL_TOP largest plus ``keep``."""
    if len(scene["nodes"]) <= LABEL_ALL:
        return set(scene["nodes"])
    # nodes of the smallest size are never "the largest": a star's thousand equal leaves get no label
    smallest = min(sizes.values(), default=0.0)
    top = [n for n in sorted(scene["nodes"], key=lambda n: (-sizes[n], n)) if sizes[n] > smallest][:LABEL_TOP]
    return set(top) | (keep & set(scene["nodes"]))


def edge_widths(scene: dict[str, Any]) -> dict[str, float]:
    """Width by value: within each relationship type the width grows with the square root of the
    weight (value, amount or share) up to the type's heaviest; no weight: the thinnest line."""
    top: dict[str, float] = {}
    for e in scene["edges"].values():
        w = e.get("weight")
        if isinstance(w, (int, float)) and w > 0:
            top[e["type"]] = max(top.get(e["type"], 0.0), float(w))
    lo, hi = EDGE_WIDTH
    out = {}
    for eid, e in scene["edges"].items():
        w = e.get("weight")
        t = top.get(e["type"])
        out[eid] = lo + (hi - lo) * math.sqrt(float(w) / t) if t and isinstance(w, (int, float)) and w > 0 else lo
    return out


def drawing(scene: dict[str, Any], size_by: str = "degree", colour_by: str = "label", selected: str | None = None,
            layout: str = "force", pinned: dict[str, tuple[float, float]] | None = None,
            communities: dict[str, int] | None = None, positions: bool | None = None,
            year_labels: bool = False) -> dict[str, Any]:
    """What is drawn, for either renderer: nodes (id, label shown, tooltip, colour, size = disc
    radius in pixels, position where one is set, pinned), edges (colour, width, tooltip), legend,
    and whether the browser's physics should run.

    Positions: ``hierarchical`` and ``country`` layouts are computed here and drawn as they are;
    ``force`` runs the browser's physics, from positions computed here for big scenes
    (``positions`` True forces them, e.g. for the WebGL renderer, which has no physics). Pinned
    nodes keep their spot in every layout. Discs never overlap where positions come from here.
    ``year_labels``: each edge carries its year as its label (a drawing of several years together
    must not mix them silently).
    """
    st_ = style(scene, size_by, colour_by, communities)
    radii = st_["sizes"]
    pinned = {n: tuple(p) for n, p in (pinned or {}).items() if n in scene["nodes"]}
    computed = layout in ("hierarchical", "country") or is_large(scene) if positions is None else positions
    pos = layout_positions(scene, layout if layout in LAYOUTS else "force", radii, pinned) if computed \
        else dict(pinned)
    show = labelled(scene, radii, {selected} | set(scene.get("expanded", [])) if selected else
                    set(scene.get("expanded", [])))
    nodes = []
    for nid, node in scene["nodes"].items():
        props = node["props"]
        rec = {"id": nid, "label": _short(str(props.get("name") or props.get("key") or nid)) if nid in show else "",
               "title": _tooltip(node["label"], props), "color": st_["colours"][nid], "size": round(radii[nid], 2),
               "selected": nid == selected, "pinned": nid in pinned}
        if nid in pos:
            rec["x"], rec["y"] = float(pos[nid][0]), float(pos[nid][1])
        nodes.append(rec)
    widths = edge_widths(scene)
    edges = []
    for eid, e in scene["edges"].items():
        p = e.get("props", {})
        bits = [e["type"]] + [f"{k}: {p[k]}" for k in ("year", "value", "amount", "share", "product", "motive", "mode",
                                                        "role") if p.get(k) is not None]
        edges.append({"source": e["source"], "target": e["target"], "title": "\n".join(str(b) for b in bits),
                      "color": REL_COLOURS.get(e["type"], "#999999"), "width": round(widths[eid], 2),
                      "type": e["type"],
                      "label": str(p["year"]) if year_labels and p.get("year") is not None else ""})
    physics = layout not in ("hierarchical", "country")
    return {"nodes": nodes, "edges": edges, "legend": st_["legend"], "physics": physics, "computed": computed,
            "relationship_legend": [(REL_COLOURS.get(t, "#999999"), t)
                                    for t in sorted({e["type"] for e in scene["edges"].values()})]}


def to_html(scene: dict[str, Any], size_by: str = "degree", colour_by: str = "label",
            selected: str | None = None, height_px: int = 620, physics: bool = True, layout: str = "force",
            pinned: dict[str, tuple[float, float]] | None = None, communities: dict[str, int] | None = None,
            year_labels: bool = False) -> str:
    """The scene drawn by pyvis (``Network.generate_html``), self-contained, with the click bridge.

    Scenes above ``LARGE_SCENE_NODES`` nodes carry starting positions (``graph_layout``) and a short
    stabilisation; with ``physics`` off they are drawn at those positions straight away. The
    hierarchical and country layouts are drawn at their computed positions without physics.
    """
    d = drawing(scene, size_by, colour_by, selected, layout, pinned, communities, year_labels=year_labels)
    large = is_large(scene)
    net = Network(height=f"{height_px}px", width="100%", directed=True, cdn_resources="in_line")
    # vis-network zooms out to fit a big scene and stops drawing labels below 5 px on screen: the
    # labels it does draw (the largest nodes') grow with the scene, so they stay readable when fitted
    font = round(12 * max(1.0, math.sqrt(len(d["nodes"]) / 36)), 1)
    for n in d["nodes"]:
        at = {"x": round(n["x"], 1), "y": round(n["y"], 1)} if "x" in n else {}
        if n["pinned"]:
            at.update(fixed=True, physics=False)
        net.add_node(n["id"], label=n["label"] or " ", title=n["title"], color=n["color"], size=n["size"],
                     shape="dot", borderWidth=4 if n["selected"] else 1, font={"size": font}, **at)
    for e in d["edges"]:
        label = {"label": e["label"], "font": {"size": 10, "align": "middle"}} if e["label"] else {}
        net.add_edge(e["source"], e["target"], title=e["title"], color=e["color"], width=e["width"], **label)
    options = drawing_options(large or d["computed"], physics and d["physics"])
    net.set_options(json.dumps(options))
    html = strip_external(net.generate_html())
    return html.replace("</body>", BRIDGE + "</body>", 1)


def legend_html(legend: list[tuple[str, str]]) -> str:
    return " ".join(
        f'<span style="display:inline-block;margin-right:12px"><span style="display:inline-block;width:12px;'
        f'height:12px;border-radius:6px;background:{c};margin-right:4px;vertical-align:middle"></span>{t}</span>'
        for c, t in legend)

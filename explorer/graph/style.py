"""Colours, legends and the pyvis drawing of a scene. Pure: returns HTML text, touches no I/O."""
from __future__ import annotations

import json
import re
from typing import Any

from pyvis.network import Network

from explorer.graph.layout import seed_positions
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
    "physics": {"enabled": True, "solver": "barnesHut",
                "barnesHut": {"gravitationalConstant": -8000, "springLength": 120, "damping": 0.4},
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
  function settled() {
    if (done) return;
    done = true;
    network.setOptions({physics: {enabled: false}});
    document.body.setAttribute("data-stabilized", "1");
    send({event: "stabilized"});
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
  network.on("click", function (p) { if (p.nodes.length) send({event: "select", node: p.nodes[0]}); });
  network.on("doubleClick", function (p) { if (p.nodes.length) send({event: "expand", node: p.nodes[0]}); });
  window.gvnNodeScreenPosition = function (id) {  // used by the browser test to click a node
    var pos = network.canvasToDOM(network.getPositions([id])[id]);
    var rect = document.querySelector("#mynetwork canvas").getBoundingClientRect();
    return {x: rect.left + pos.x, y: rect.top + pos.y};
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


def style(scene: dict[str, Any], size_by: str, colour_by: str) -> dict[str, Any]:
    """Per-node size and colour plus the legend rows that explain them."""
    sizes = scale_sizes(node_metric(scene, size_by))
    if colour_by == "label":
        colours = {nid: LABEL_COLOURS.get(n["label"], MISSING) for nid, n in scene["nodes"].items()}
        present = sorted({n["label"] for n in scene["nodes"].values()})
        legend = [(LABEL_COLOURS.get(label, MISSING), label) for label in present]
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


def to_html(scene: dict[str, Any], size_by: str = "degree", colour_by: str = "label",
            selected: str | None = None, height_px: int = 620, physics: bool = True) -> str:
    """The scene drawn by pyvis (``Network.generate_html``), self-contained, with the click bridge.

    Scenes above ``LARGE_SCENE_NODES`` nodes carry starting positions (``graph_layout``) and a short
    stabilisation; with ``physics`` off they are drawn at those positions straight away.
    """
    st_ = style(scene, size_by, colour_by)
    large = is_large(scene)
    pos = seed_positions(scene) if large else {}
    net = Network(height=f"{height_px}px", width="100%", directed=True, cdn_resources="in_line")
    for nid, node in scene["nodes"].items():
        props = node["props"]
        at = {"x": round(pos[nid][0], 1), "y": round(pos[nid][1], 1)} if nid in pos else {}
        net.add_node(nid, label=_short(str(props.get("name") or props.get("key") or nid)),
                     title=_tooltip(node["label"], props), color=st_["colours"][nid], size=st_["sizes"][nid],
                     shape="dot", borderWidth=4 if nid == selected else 1, **at)
    for e in scene["edges"].values():
        p = e.get("props", {})
        bits = [e["type"]] + [f"{k}: {p[k]}" for k in ("year", "value", "amount", "share", "product", "motive", "mode",
                                                        "role") if p.get(k) is not None]
        net.add_edge(e["source"], e["target"], title="\n".join(str(b) for b in bits),
                     color=REL_COLOURS.get(e["type"], "#999999"))
    net.set_options(json.dumps(drawing_options(large, physics)))
    html = strip_external(net.generate_html())
    return html.replace("</body>", BRIDGE + "</body>", 1)


def legend_html(legend: list[tuple[str, str]]) -> str:
    return " ".join(
        f'<span style="display:inline-block;margin-right:12px"><span style="display:inline-block;width:12px;'
        f'height:12px;border-radius:6px;background:{c};margin-right:4px;vertical-align:middle"></span>{t}</span>'
        for c, t in legend)

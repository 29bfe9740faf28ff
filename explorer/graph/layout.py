"""A cheap starting layout for big scenes, computed in Python so the browser need not find one.

Pure: a scene in (the dict of explorer.graph.scene), ``{node id: (x, y)}`` out, in vis-network pixels.

A scene is the union of the neighbourhoods the user expanded (``scene["expanded"]``), so it is
laid out that way: every node joins the group of its nearest expanded node (a breadth-first
search from all of them at once; parts of the scene no expanded node reaches get their own
best-connected node as centre), each group sits on concentric rings around its centre,
nearest nodes on the inner rings, and a node that is a direct neighbour of two or more
centres sits between them. The centres themselves are spread by a small spring layout
(networkx, only over the centres, so it stays fast) or, past ``SPRING_CENTRES`` centres,
on a sunflower spiral. Linear in nodes + edges apart from that: about 2 ms for a
1,000-node neighbourhood (7 ms for 3,000), where a force-directed layout of all nodes
(networkx's dense Fruchterman-Reingold, 50 iterations) takes 1.7 s on the same machine, and
networkx ``spring_layout`` needs SciPy (not a dependency) past 500 nodes.
"""
from __future__ import annotations

import math
from collections import deque
from typing import Any

import networkx as nx

NODE_SPACING = 48.0   # pixels between neighbours on a ring (dots are drawn 10-45 px wide)
INNER_RADIUS = 140.0  # first ring around a centre
RING_GAP = 55.0       # between rings
SPRING_CENTRES = 60   # more centres than this: sunflower spiral instead of a spring layout
GOLDEN_ANGLE = math.pi * (3.0 - math.sqrt(5.0))


def _adjacency(scene: dict[str, Any]) -> dict[str, set[str]]:
    adj: dict[str, set[str]] = {nid: set() for nid in scene["nodes"]}
    for e in scene["edges"].values():
        s, t = e["source"], e["target"]
        if s != t and s in adj and t in adj:
            adj[s].add(t)
            adj[t].add(s)
    return adj


def _groups(scene: dict[str, Any], adj: dict[str, set[str]]) -> tuple[list[str], dict[str, str], dict[str, int]]:
    """Centres in order, each node's centre and its distance from it (multi-source BFS)."""
    centres = [c for c in dict.fromkeys(scene.get("expanded", [])) if c in adj]
    owner: dict[str, str] = {}
    dist: dict[str, int] = {}

    def bfs(starts: list[str]) -> None:
        queue = deque()
        for c in starts:
            owner[c], dist[c] = c, 0
            queue.append(c)
        while queue:
            u = queue.popleft()
            for w in sorted(adj[u]):
                if w not in owner:
                    owner[w], dist[w] = owner[u], dist[u] + 1
                    queue.append(w)

    bfs(centres)
    # parts no expanded node reaches: their best-connected node leads them (isolated nodes go last)
    for nid in sorted(adj, key=lambda n: (-len(adj[n]), n)):
        if nid not in owner and adj[nid]:
            centres.append(nid)
            bfs([nid])
    return centres, owner, dist


def _rings(members: list[str], cx: float, cy: float, out: dict[str, tuple[float, float]]) -> float:
    """Place ``members`` on rings around (cx, cy); returns the outer radius used."""
    radius, i = INNER_RADIUS, 0
    while i < len(members):
        capacity = max(6, int(2 * math.pi * radius / NODE_SPACING))
        ring = members[i:i + capacity]
        offset = (len(out) % 7) * 0.37   # rings do not all start at angle 0, so spokes do not line up
        for k, nid in enumerate(ring):
            a = offset + 2 * math.pi * k / len(ring)
            out[nid] = (cx + radius * math.cos(a), cy + radius * math.sin(a))
        i += len(ring)
        radius += RING_GAP
    return radius - RING_GAP if members else 0.0


def _ring_radius(count: int) -> float:
    radius, left = INNER_RADIUS, count
    while left > 0:
        left -= max(6, int(2 * math.pi * radius / NODE_SPACING))
        radius += RING_GAP
    return radius - RING_GAP if count else INNER_RADIUS / 2


def _centre_positions(centres: list[str], sizes: dict[str, float], links: dict[tuple[str, str], int]
                      ) -> dict[str, tuple[float, float]]:
    if len(centres) == 1:
        return {centres[0]: (0.0, 0.0)}
    gap = 2.2 * max(sizes.values())
    if len(centres) > SPRING_CENTRES:
        return {c: (gap * math.sqrt(i) * math.cos(i * GOLDEN_ANGLE) * 0.6,
                    gap * math.sqrt(i) * math.sin(i * GOLDEN_ANGLE) * 0.6) for i, c in enumerate(centres)}
    g = nx.Graph()
    g.add_nodes_from(centres)
    for (a, b), w in links.items():
        g.add_edge(a, b, weight=float(w))
    pos = nx.spring_layout(g, seed=1, iterations=100, method="force")
    # spring_layout fits into [-1, 1]; stretch so neighbouring groups' rings do not overlap
    nearest = min(math.dist(pos[a], pos[b]) for i, a in enumerate(centres) for b in centres[i + 1:]) or 1.0
    scale = gap / nearest
    return {c: (float(pos[c][0]) * scale, float(pos[c][1]) * scale) for c in centres}


def seed_positions(scene: dict[str, Any]) -> dict[str, tuple[float, float]]:
    """Starting positions for every node of ``scene``."""
    adj = _adjacency(scene)
    if not adj:
        return {}
    centres, owner, dist = _groups(scene, adj)
    out: dict[str, tuple[float, float]] = {}
    lonely = sorted(n for n in adj if n not in owner)
    if centres:
        centre_set = set(centres)
        # a direct neighbour of two or more centres is drawn between them, not in one group's rings
        bridges = {n: sorted(adj[n] & centre_set) for n in adj
                   if n not in centre_set and len(adj[n] & centre_set) >= 2}
        members: dict[str, list[str]] = {c: [] for c in centres}
        for n in sorted(owner, key=lambda n: (dist[n], -len(adj[n]), n)):
            if n not in centre_set and n not in bridges:
                members[owner[n]].append(n)
        links: dict[tuple[str, str], int] = {}
        for n, cs in bridges.items():
            for i, a in enumerate(cs):
                for b in cs[i + 1:]:
                    links[(a, b)] = links.get((a, b), 0) + 1
        for a in adj:
            for b in adj[a]:
                if a in owner and b in owner and owner[a] < owner[b]:
                    links[(owner[a], owner[b])] = links.get((owner[a], owner[b]), 0) + 1
        sizes = {c: _ring_radius(len(members[c])) for c in centres}
        centre_pos = _centre_positions(centres, sizes, links)
        for c in centres:
            out[c] = centre_pos[c]
            _rings(members[c], *centre_pos[c], out)
        for k, (n, cs) in enumerate(sorted(bridges.items())):
            x = sum(centre_pos[c][0] for c in cs) / len(cs)
            y = sum(centre_pos[c][1] for c in cs) / len(cs)
            a = k * GOLDEN_ANGLE   # a small deterministic spread so shared partners do not sit on one point
            r = NODE_SPACING * 0.5 * math.sqrt(k % 50)
            out[n] = (x + r * math.cos(a), y + r * math.sin(a))
    if lonely:   # nodes without any edge in the scene: a block below everything else
        top = max((y for _, y in out.values()), default=0.0) + 2 * RING_GAP
        per_row = max(1, int(math.sqrt(len(lonely))))
        for i, n in enumerate(lonely):
            out[n] = ((i % per_row - per_row / 2) * NODE_SPACING, top + (i // per_row) * NODE_SPACING)
    return out


# --- layouts the user chooses (Network page "Layout"), and discs that do not overlap

LAYOUTS = ("force", "hierarchical", "country")
# relationships that carry goods (or money for goods) from the first node to the second:
# the hierarchical layout runs left to right along them
GOODS_TYPES = ("SUPPLIES", "EXPORTS")
LAYER_GAP = 260.0      # pixels between the columns of the hierarchical layout
COLUMN_MAX = 40        # nodes per column before a layer is split into side-by-side sub-columns
SUB_COLUMN_GAP = 70.0
DISC_GAP = 4.0         # pixels kept free between two discs
LABEL_ROOM = 24.0      # pixels between discs stacked in a column: room for the label under each
NO_COUNTRY = "(no country)"


def node_country(node: dict[str, Any]) -> str:
    """The country a node belongs to: a Country's own key, else its ``country`` property."""
    props = node.get("props", {})
    if node.get("label") == "Country":
        return str(props.get("key"))
    return str(props.get("country") or props.get("nationality") or NO_COUNTRY)


def _goods_order(nodes: list[str], edges: list[tuple[str, str]]) -> dict[str, int]:
    """A node order with few edges pointing backwards (Eades, Lin and Smyth 1993 greedy heuristic):
    sinks go to the end, sources to the front, otherwise the node with most out- minus in-weight."""
    out_n: dict[str, set[str]] = {n: set() for n in nodes}
    in_n: dict[str, set[str]] = {n: set() for n in nodes}
    for s, t in edges:
        out_n[s].add(t)
        in_n[t].add(s)
    left = set(nodes)
    front: list[str] = []
    back: list[str] = []
    while left:
        changed = True
        while changed:
            changed = False
            for n in sorted(n for n in left if not (out_n[n] & left)):   # sinks
                back.append(n)
                left.discard(n)
                changed = True
            for n in sorted(n for n in left if not (in_n[n] & left)):    # sources
                front.append(n)
                left.discard(n)
                changed = True
        if left:
            n = max(sorted(left), key=lambda n: len(out_n[n] & left) - len(in_n[n] & left))
            front.append(n)
            left.discard(n)
    order = front + back[::-1]
    return {n: i for i, n in enumerate(order)}


def _column(members: list[str], x: float, radii: dict[str, float], out: dict[str, tuple[float, float]]) -> None:
    """Members stacked top to bottom around y = 0 (split into sub-columns past COLUMN_MAX)."""
    subs = [members[i:i + COLUMN_MAX] for i in range(0, len(members), COLUMN_MAX)]
    for j, sub in enumerate(subs):
        sx = x + (j - (len(subs) - 1) / 2) * SUB_COLUMN_GAP
        heights = [2 * radii[n] + LABEL_ROOM for n in sub]
        y = -sum(heights) / 2
        for n, h in zip(sub, heights):
            out[n] = (sx, y + h / 2)
            y += h


def hierarchical_positions(scene: dict[str, Any], radii: dict[str, float]) -> dict[str, tuple[float, float]]:
    """Columns left to right in the direction of goods (SUPPLIES supplier -> buyer, EXPORTS exporter ->
    importer): a node sits one column right of its furthest supplier along the goods order (longest
    path layering after the few backward edges of a cycle are set aside). Nodes off every goods edge
    join the column of a neighbour, or a column of their own on the left. Within a column nodes are
    ordered by the mean height of their suppliers (one barycentre sweep), so lines cross less."""
    nodes = sorted(scene["nodes"])
    goods = sorted({(e["source"], e["target"]) for e in scene["edges"].values()
                    if e["type"] in GOODS_TYPES and e["source"] != e["target"]
                    and e["source"] in scene["nodes"] and e["target"] in scene["nodes"]})
    on_goods = sorted({n for edge in goods for n in edge})
    order = _goods_order(on_goods, goods)
    forward = [(s, t) for s, t in goods if order[s] < order[t]]
    layer = {n: 0 for n in on_goods}
    preds: dict[str, list[str]] = {n: [] for n in on_goods}
    for s, t in forward:
        preds[t].append(s)
    for n in sorted(on_goods, key=order.get):
        if preds[n]:
            layer[n] = max(layer[p] + 1 for p in preds[n])
    adj = _adjacency(scene)
    for n in nodes:
        if n not in layer:
            placed = sorted(layer[m] for m in adj[n] if m in layer)
            layer[n] = placed[0] if placed else -1
    columns: dict[int, list[str]] = {}
    for n in nodes:
        columns.setdefault(layer[n], []).append(n)
    out: dict[str, tuple[float, float]] = {}
    for k in sorted(columns):
        members = columns[k]
        placed_y = {n: out[n][1] for n in out}

        def centre(n: str) -> float:
            ys = [placed_y[p] for p in preds.get(n, []) if p in placed_y]
            ys = ys or [placed_y[m] for m in adj[n] if m in placed_y]
            return sum(ys) / len(ys) if ys else 0.0

        members = sorted(members, key=lambda n: (centre(n), -radii.get(n, 10.0), n))
        _column(members, k * LAYER_GAP, radii, out)
    return out


def _disc(members: list[str], cx: float, cy: float, radii: dict[str, float],
          out: dict[str, tuple[float, float]]) -> float:
    """A sunflower disc of ``members`` (largest in the middle) around (cx, cy); returns its radius."""
    if not members:
        return 0.0
    step = 2 * max(radii[n] for n in members) + DISC_GAP
    reach = 0.0
    for i, n in enumerate(members):
        r = step * 0.62 * math.sqrt(i) if i else 0.0
        out[n] = (cx + r * math.cos(i * GOLDEN_ANGLE), cy + r * math.sin(i * GOLDEN_ANGLE))
        reach = max(reach, r + radii[n])
    return reach


def country_positions(scene: dict[str, Any], radii: dict[str, float]) -> dict[str, tuple[float, float]]:
    """One disc per country (the Country node, then the largest nodes, in the middle), discs on rows
    from the largest group, so every country's nodes sit together."""
    groups: dict[str, list[str]] = {}
    for nid, node in scene["nodes"].items():
        groups.setdefault(node_country(node), []).append(nid)
    names = sorted(groups, key=lambda c: (c == NO_COUNTRY, -len(groups[c]), c))
    out: dict[str, tuple[float, float]] = {}
    sizes = {}
    for c in names:
        groups[c].sort(key=lambda n: (scene["nodes"][n]["label"] != "Country", -radii[n], n))
        sizes[c] = _disc(groups[c], 0.0, 0.0, radii, {})
    per_row = max(1, math.ceil(math.sqrt(len(names))))
    y = 0.0
    for row_start in range(0, len(names), per_row):
        row = names[row_start:row_start + per_row]
        height = max(sizes[c] for c in row)
        x = 0.0
        for c in row:
            x += sizes[c]
            _disc(groups[c], x, y + height, radii, out)
            x += sizes[c] + 3 * NODE_SPACING
        y += 2 * height + 3 * NODE_SPACING
    return out


def overlapping_pairs(pos: dict[str, tuple[float, float]], radii: dict[str, float],
                      among: set[str] | None = None) -> list[tuple[str, str]]:
    """Pairs of discs that overlap (closer than the sum of their radii); ``among``: pairs with at least
    one node of that set only. A grid of cells as wide as the largest disc keeps this near-linear."""
    if not pos:
        return []
    cell = 2 * max(radii.get(n, 10.0) for n in pos) + 1e-9
    grid: dict[tuple[int, int], list[str]] = {}
    for n, (x, y) in pos.items():
        grid.setdefault((int(math.floor(x / cell)), int(math.floor(y / cell))), []).append(n)
    found = []
    for (gx, gy), members in grid.items():
        near = [m for dx in (-1, 0, 1) for dy in (-1, 0, 1) for m in grid.get((gx + dx, gy + dy), [])]
        for a in members:
            for b in near:
                if a < b and (among is None or a in among or b in among):
                    if math.dist(pos[a], pos[b]) < radii.get(a, 10.0) + radii.get(b, 10.0) - 1e-6:
                        found.append((a, b))
    return sorted(set(found))


def remove_overlaps(pos: dict[str, tuple[float, float]], radii: dict[str, float], fixed: set[str] = frozenset(),
                    rounds: int = 300) -> dict[str, tuple[float, float]]:
    """Push overlapping discs apart (each pair by half the overlap plus DISC_GAP, fixed nodes do not
    move) until none overlap; like Gephi's Noverlap. Deterministic."""
    out = {n: [float(x), float(y)] for n, (x, y) in pos.items()}
    for _ in range(rounds):
        pairs = overlapping_pairs({n: tuple(p) for n, p in out.items()}, radii)
        if not pairs:
            break
        for a, b in pairs:
            (ax, ay), (bx, by) = out[a], out[b]
            d = math.dist((ax, ay), (bx, by))
            need = radii.get(a, 10.0) + radii.get(b, 10.0) + DISC_GAP - d
            if d < 1e-9:   # the same spot: part them sideways
                ux, uy = 1.0, 0.0
            else:
                ux, uy = (bx - ax) / d, (by - ay) / d
            share_a = 0.0 if a in fixed else (1.0 if b in fixed else 0.5)
            share_b = 0.0 if b in fixed else 1.0 - share_a
            out[a] = [ax - ux * need * share_a, ay - uy * need * share_a]
            out[b] = [bx + ux * need * share_b, by + uy * need * share_b]
    return {n: (round(x, 1), round(y, 1)) for n, (x, y) in out.items()}


def positions(scene: dict[str, Any], layout: str, radii: dict[str, float],
              pinned: dict[str, tuple[float, float]] | None = None) -> dict[str, tuple[float, float]]:
    """Positions for a layout choice: ``hierarchical`` and ``country`` as above, ``force`` the
    starting layout of big scenes (rings around the expanded nodes); pinned nodes keep their
    spot; then overlapping discs are pushed apart."""
    if layout == "hierarchical":
        pos = hierarchical_positions(scene, radii)
    elif layout == "country":
        pos = country_positions(scene, radii)
    else:
        pos = seed_positions(scene)
    pinned = {n: p for n, p in (pinned or {}).items() if n in scene["nodes"]}
    pos.update(pinned)
    return remove_overlaps(pos, radii, fixed=set(pinned))

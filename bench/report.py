"""results.json (everything) and results.md (tables per section, targets) from a Record."""
from __future__ import annotations

import json
from pathlib import Path

from bench.record import Record


def _fmt(v, digits=3) -> str:
    if v is None:
        return "–"
    if isinstance(v, float):
        if v == 0:
            return "0"
        if abs(v) >= 1000:
            return f"{v:,.0f}"
        return f"{v:.{digits}g}"
    return str(v)


def write_json(rec: Record, meta: dict, path: Path) -> None:
    path.write_text(json.dumps({"meta": meta, "figures": [f.as_dict() for f in rec.figures], "facts": rec.facts},
                               indent=1, default=str) + "\n")


def _table(rec: Record, section: str, dataset: str, cols: list[tuple[str, callable]]) -> list[str]:
    figs = [f for f in rec.figures if f.section == section and f.dataset == dataset]
    if not figs:
        return []
    lines = ["| " + " | ".join(c for c, _ in cols) + " |", "|" + "---|" * len(cols)]
    for f in figs:
        lines.append("| " + " | ".join(_fmt(fn(f)) for _, fn in cols) + " |")
    return lines + [""]


def _peak(f, key):
    return f.extra.get(key)


LOAD_COLS = [
    ("method", lambda f: f.timing.name), ("runs", lambda f: len(f.timing.runs_s)),
    ("median s", lambda f: f.timing.median_s), ("relationships/s", lambda f: f.timing.per_second),
    ("x naive", lambda f: f.ratio), ("Python peak MiB", lambda f: _peak(f, "python_peak_mib")),
    ("JVM peak MiB", lambda f: _peak(f, "jvm_peak_mib") or _peak(f, "child_peak_mib")),
    ("note", lambda f: f.timing.note or ""),
]
TIME_COLS = [
    ("what", lambda f: f.timing.name), ("runs", lambda f: len(f.timing.runs_s)),
    ("median s", lambda f: f.timing.median_s), ("p95 s", lambda f: f.timing.p95_s),
    ("x baseline", lambda f: f.ratio), ("baseline", lambda f: f.baseline or ""),
]
PATH_COLS = [
    ("what", lambda f: f.timing.name), ("runs", lambda f: len(f.timing.runs_s)),
    ("median s", lambda f: f.timing.median_s), ("p95 s", lambda f: f.timing.p95_s),
    ("paths", lambda f: f.extra.get("paths_enumerated")), ("= numpy", lambda f: f.extra.get("agrees_with_numpy")),
    ("x numpy", lambda f: f.ratio),
]
VIEW_COLS = [
    ("what", lambda f: f.timing.name), ("nodes", lambda f: f.extra.get("nodes")), ("runs", lambda f: len(f.timing.runs_s)),
    ("median s", lambda f: f.timing.median_s), ("p95 s", lambda f: f.timing.p95_s),
]


def write_markdown(rec: Record, meta: dict, targets: list[dict], path: Path) -> None:
    m = meta["machine"]
    out = ["# Benchmark results", "",
           f"Run {meta['started']} – {meta['finished']} UTC, mode `{meta['mode']}`, command `{meta['command']}`.", "",
           f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB; Python {m['python']}; "
           f"Neo4j {m.get('neo4j_server')} + GDS {m.get('gds')} + APOC {m.get('apoc')} (heap {meta['heap']}, "
           f"page cache {meta['pagecache']}); driver neo4j {m['neo4j']}, networkx {m['networkx']}, "
           f"igraph {m['igraph']}, py2neo {m['py2neo']}, pyvis {m['pyvis']}, numpy {m['numpy']}.", "",
           f"Machine shared during the run: {meta['shared']}", "",
           "Every figure is the median of the runs listed (wall clock); ratios are against a baseline measured "
           "in the same run (\"x naive\", \"x baseline\": how many times faster). Nothing here is asserted by a "
           "test.", "", "## Targets", "", "| target | measured | met |", "|---|---|---|"]
    for t in targets:
        out.append(f"| {t['target']} | {t['measured']} | {'yes' if t['met'] else 'no' if t['met'] is False else '–'} |")
    out += [""]
    datasets = list(dict.fromkeys(f.dataset for f in rec.figures))
    out += ["## 1. Loading", ""]
    for d in datasets:
        t = _table(rec, "load", d, LOAD_COLS)
        if t:
            out += [f"### {d}  {rec.facts.get(d + '.size', '')}", ""] + t
    for sec, title in (("pagerank", "## 2a. PageRank"), ("betweenness", "## 2b. Betweenness"),
                       ("requests", "## 2c. Centrality requests (the module: old request path, cold, warm)")):
        out += [title, ""]
        for d in datasets:
            t = _table(rec, sec, d, TIME_COLS)
            if t:
                out += [f"### {d}", ""] + t
    out += ["### Agreement", "", "| comparison | nodes | max abs diff | max rel diff | L1 |", "|---|---|---|---|---|"]
    for k, v in rec.facts.items():
        if isinstance(v, dict) and "max_abs" in v:
            out.append(f"| {k} | {v['nodes']} | {v['max_abs']:.2e} | {v['max_rel']:.2e} | {v['l1']:.2e} |")
    out += [""]
    out += ["## 3. Path tracing (WIOD 1995)", ""]
    for d in ("upstream-paths", "downstream-paths"):
        out += _table(rec, "paths", d, PATH_COLS)
    out += ["## 4. Explorer views", ""]
    for d in datasets:
        t = _table(rec, "explorer", d, VIEW_COLS)
        if t:
            out += [f"### {d}", ""] + t
    out += ["## 4b. Network renderers: pyvis against WebGL (sigma.js)", ""]
    for d in datasets:
        out += _table(rec, "explorer-renderers", d, VIEW_COLS)
    out += ["## Other facts", ""]
    for k, v in rec.facts.items():
        if not (isinstance(v, dict) and "max_abs" in v):
            out.append(f"- `{k}`: {v}")
    out += ["", "## Notes", ""] + [f"- {n}" for n in meta.get("notes", [])] + [""]
    path.write_text("\n".join(out))

"""``python -m bench.scaling_table [results.json]``: fitted growth exponents from a run's figures (markdown).

Each row fits cost ~ c * size^k over the datasets where the same method was measured
(size = relationships for loading and centrality, nodes for explorer views, paths
enumerated for path tracing) and says what the fit predicts one size step further.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from bench.scaling import fit_exponent, predict

SIZE_OF = {"firms-": "relationships"}


def _size(facts: dict, dataset: str, section: str) -> float | None:
    if section == "load":
        s = facts.get(f"{dataset}.size", {})
        return s.get("relationships")
    p = facts.get(f"{dataset}.projected", {})
    return p.get("relationships")


def rows(results: dict) -> list[dict]:
    facts, figs = results["facts"], results["figures"]
    series: dict[tuple[str, str], list[tuple[float, float, str]]] = {}
    for f in figs:
        sec, name = f["section"], f["name"]
        if sec in ("load", "pagerank", "betweenness"):
            if sec == "load" and not f["dataset"].startswith("firms"):
                continue
            if sec != "load" and not f["dataset"].startswith("firms"):
                continue
            size = _size(facts, f["dataset"], sec)
            label = name.split(" (")[0] if "sources" in name or "sampled" in name else name
        elif sec == "explorer" and name.startswith(("data access", "pyvis HTML", "Chromium", "total")):
            size = f.get("nodes")
            label = name.split(",")[0]
        elif sec == "paths" and not name.startswith("numpy"):
            size = f.get("paths_enumerated")
            label = f"{f['dataset']} (threshold {f.get('threshold')})"
        else:
            continue
        if size:
            series.setdefault((sec, label), []).append((float(size), float(f["median_s"]), f["dataset"]))
    out = []
    for (sec, label), pts in series.items():
        sizes = sorted({p[0] for p in pts})
        if len(sizes) < 2:
            continue
        k, c = fit_exponent([p[0] for p in pts], [p[1] for p in pts])
        out.append({"section": sec, "what": label, "points": sorted(pts), "k": k,
                    "next": (sizes[-1] * 10, predict(k, c, sizes[-1] * 10))})
    return out


def markdown(results: dict) -> str:
    lines = ["| section | what | measured points (size: median s) | exponent k | predicted at 10x the largest |",
             "|---|---|---|---|---|"]
    for r in rows(results):
        pts = "; ".join(f"{s:,.0f}: {t:.3g}" for s, t, _ in r["points"])
        lines.append(f"| {r['section']} | {r['what']} | {pts} | {r['k']:.2f} | "
                     f"{r['next'][0]:,.0f}: {r['next'][1]:.3g} s |")
    return "\n".join(lines)


if __name__ == "__main__":
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent / "results.json"
    print(markdown(json.loads(path.read_text())))

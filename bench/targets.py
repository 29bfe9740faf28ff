"""The benchmark targets, checked against the figures of one run (reported, never asserted)."""
from __future__ import annotations

from bench.record import Record


def _fig(rec: Record, section: str, dataset: str, name: str):
    return rec.find(section, dataset, name)


def evaluate(rec: Record) -> list[dict]:
    out = []
    datasets = list(dict.fromkeys(f.dataset for f in rec.figures))
    for d in datasets:
        f = _fig(rec, "load", d, "project loader")
        if f is None:
            continue
        rate = f.timing.per_second
        out.append({"target": f"{d}: project loader >= 50,000 relationships/s (end to end)",
                    "measured": f"{rate:,.0f}/s", "met": rate >= 50_000})
        phase = f.extra.get("write_phase_rels_per_s")
        if phase:
            best = sorted(phase)[len(phase) // 2]
            out.append({"target": f"{d}: project loader write phase alone >= 50,000 relationships/s",
                        "measured": f"{best:,.0f}/s", "met": best >= 50_000})
        if f.ratio is not None:
            out.append({"target": f"{d}: project loader >= 10x naive", "measured": f"{f.ratio:.1f}x",
                        "met": f.ratio >= 10})
    for d in datasets:
        rels = rec.facts.get(f"{d}.projected", {}).get("relationships")
        where = f"{d} ({rels:,} relationships)" if rels else d
        for suffix, what in (("", "both converged to 1e-10"), (", 1e-6 accuracy", "each at the loosest tolerance within 1e-6")):
            g = _fig(rec, "pagerank", d, "GDS pageRank" + suffix)
            nx_ = _fig(rec, "pagerank", d, "networkx pagerank" + suffix)
            ig = _fig(rec, "pagerank", d, "igraph pagerank (PRPACK)")
            if g is None:
                continue
            if nx_:
                r = nx_.timing.median_s / g.timing.median_s
                out.append({"target": f"{where}, {what}: GDS PageRank >= 10x networkx", "measured": f"{r:.1f}x",
                            "met": r >= 10})
            if ig:
                r = ig.timing.median_s / g.timing.median_s
                out.append({"target": f"{where}, {what}: GDS PageRank not slower than igraph",
                            "measured": f"{r:.2f}x", "met": r >= 1})
        ref = dict(rec.facts.get(f"{d}.pagerank_vs_numpy_reference", {}))
        for who in ("gds", "networkx"):
            acc = rec.facts.get(f"{d}.pagerank_{who}_at_accuracy")
            if acc:
                ref[f"{'GDS pageRank' if who == 'gds' else 'networkx pagerank'}, 1e-6 accuracy"] = acc
        for method, a in ref.items():
            out.append({"target": f"{d}: {method} within 1e-6 of the numpy reference (max abs, scores sum 1)",
                        "measured": f"{a['max_abs']:.1e} (max rel {a['max_rel']:.1e})", "met": a["max_abs"] <= 1e-6})
    for module in ("upstream-paths", "downstream-paths"):
        for f in rec.figures:
            if f.section == "paths" and f.dataset == module and f.extra.get("depth") == 4 \
                    and not f.timing.name.startswith("numpy"):
                out.append({"target": f"{module} depth 4, threshold {f.extra.get('threshold')}: p95 < 1 s", "measured": f"{f.timing.p95_s:.3f} s",
                            "met": f.timing.p95_s < 1.0})
    for f in rec.figures:
        if f.section == "explorer" and f.timing.name.startswith("total") and f.extra.get("cap") == 300:
            out.append({"target": f"{f.dataset}: 300-node view < 2 s (data + HTML + Chromium)",
                        "measured": f"{f.timing.median_s:.2f} s median, {f.extra.get('nodes')} nodes",
                        "met": f.timing.median_s < 2.0})
    return out

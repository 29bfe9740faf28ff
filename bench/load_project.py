"""The project's own loaders, timed end to end: `loader tables` for firm graphs, `load_mrio` for WIOD."""
from __future__ import annotations

import time
from pathlib import Path

from bench.memory import PeakWatch


def load_reference_untimed() -> None:
    """Countries, industries, ... (every method's database starts with them; not part of any timing)."""
    from loader.reference.load import load_reference

    load_reference(progress=False)


def firms(folder: Path, source: str, jvm_pid: int | None) -> dict:
    """`loader tables FOLDER`: read CSV, validate every row, diff against the store, write (auto commit mode)."""
    from loader.tables.load import load_tables

    with PeakWatch(jvm_pid) as w:
        t0 = time.perf_counter()
        summary = load_tables(folder, source=source, synthetic=True, progress=False)
        seconds = time.perf_counter() - t0
    created_rels = sum(v for k, v in summary.created.items() if "(" in k)
    created_nodes = sum(v for k, v in summary.created.items() if "(" not in k)
    mode = next((n.split(": ", 1)[1] for n in summary.notes if n.startswith("commit mode: ")), "")
    return {"seconds": seconds, "write_seconds": summary.seconds, "created_nodes": created_nodes,
            "created_relationships": created_rels, "python_peak_mib": w.peaks.python_mib,
            "jvm_peak_mib": w.peaks.jvm_mib, "commit_mode": mode}


def wiod(io, year: int, source: str, jvm_pid: int | None) -> dict:
    """`load_mrio`: accounts (A, B, L, G, linkages, TiVA) in numpy, then the edges by difference, CREATE in
    two parallel batches."""
    from loader.mrio.load import load_mrio

    with PeakWatch(jvm_pid) as w:
        t0 = time.perf_counter()
        summary = load_mrio(io, year, source, "WIOD35", progress=False)
        seconds = time.perf_counter() - t0
    created_rels = sum(v for k, v in summary.created.items() if " (" in k)
    created_nodes = sum(v for k, v in summary.created.items() if " (" not in k)
    supplies = summary.created["SUPPLIES"] + summary.updated["SUPPLIES"] + summary.deleted["SUPPLIES"]
    return {"seconds": seconds, "write_seconds": summary.seconds,
            "supplies_seconds": summary.stages.get("write relationships", 0.0),
            "supplies": supplies, "created_nodes": created_nodes,
            "created_relationships": created_rels, "python_peak_mib": w.peaks.python_mib,
            "jvm_peak_mib": w.peaks.jvm_mib}

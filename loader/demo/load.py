"""``loader demo``: reference data, the relabelled pymrio test system, then the generated firm layer
through the same validated path as ``loader tables`` (generate -> write files -> validate -> write)."""
from __future__ import annotations

import tempfile
import time
from pathlib import Path

from connection import Settings
from loader.demo import iotable
from loader.demo.generate import generate, write_demo_folder
from loader.reference.load import load_reference
from loader.tables.load import load_tables

MRIO_SOURCE = "demo:pymrio-test"


def demo_source(n_firms: int, seed: int) -> str:
    return f"demo:firms-{n_firms}-seed-{seed}"


def load_demo(n_firms: int = 3000, seed: int = 7, *, out: Path | None = None, settings: Settings | None = None,
              progress: bool = True) -> dict:
    """Returns the three load summaries and the seconds each step took."""
    from loader.mrio.read import table_from_iosystem  # the MRIO loader's reader and writer
    from loader.mrio.load import load_mrio

    settings = settings or Settings.from_env()
    timings = {}
    t0 = time.perf_counter()
    ref = load_reference(settings, progress=progress)
    timings["reference"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    table = table_from_iosystem(iotable.demo_iosystem(), year=iotable.YEAR, source=MRIO_SOURCE,
                                classification=iotable.CLASSIFICATION)
    # pymrio's test system is made up: say so on its Dataset, whatever name the system carries
    table.synthetic = True
    table.name = f"pymrio test system, regions relabelled {iotable.REGION_TO_COUNTRY} (synthetic)"
    mrio = load_mrio(table, iotable.YEAR, MRIO_SOURCE, iotable.CLASSIFICATION, settings=settings, progress=progress)
    timings["mrio"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    frames = generate(n_firms, seed)
    timings["generate"] = time.perf_counter() - t0
    with tempfile.TemporaryDirectory(prefix="gvn-demo-") as tmp:
        folder = write_demo_folder(frames, Path(out) if out else Path(tmp) / "demo")
        t0 = time.perf_counter()
        tables = load_tables(folder, source=demo_source(n_firms, seed), synthetic=True, settings=settings,
                             progress=progress, description=(
                                 f"Synthetic firm layer: {n_firms} firms generated with seed {seed} on pymrio's "
                                 f"test system (regions relabelled {iotable.REGION_TO_COUNTRY})"))
        timings["tables"] = time.perf_counter() - t0
    return {"reference": ref, "mrio": mrio, "tables": tables, "timings": timings,
            "rows": {k: len(v) for k, v in frames.items()}}

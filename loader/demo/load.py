"""``loader demo``: reference data, the base input-output table, its trade flows, then the generated firm
layer, each through the loader an analyst would use for it:

* ``--table wiod2013`` (default): the shipped WIOD 2013 extract, every year of ``data/wiod2013`` through
  ``loader mrio --format parquet``'s reader and writer; bilateral trade between the demo's countries
  from each year's Z and Y through ``loader tables`` (a real Dataset of its own); the synthetic firm
  layer calibrated to 2008 through ``loader tables`` (``synthetic: true``); then the synthetic
  inter-regional table of Korea's 17 provinces for 2008 (``loader/demo/regions.py``), split from
  WIOD's KOR block by the firm layer's output, through ``loader mrio``'s writer (its own Dataset,
  ``synthetic: true``).
* ``--table pymrio-test``: pymrio's made-up test system as before (tests use it for a tiny graph).
"""
from __future__ import annotations

import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from pathlib import Path

from connection import Settings
from loader.demo import iotable
from loader.demo.base import WIOD_COUNTRIES, WIOD_FOLDER, WIOD_SOURCE, WIOD_YEARS, base_table
from loader.demo.generate import DEFAULT_TABLE, generate, wiod_trade_flows, write_demo_folder
from loader.graph import bulk as bulk_load
from loader.graph.collect import active, collecting
from loader.reference.load import load_reference
from loader.tables.load import load_tables

MRIO_SOURCE = iotable.MRIO_SOURCE
TRADE_SOURCE = "wiod-2013-release-trade"
# SUPPLIES edges of the real table kept in the demo graph: those with max(a, b) >= 0.001 (about a third of
# WIOD's non-zero flows). The sector accounts (linkages, value added in exports) are computed from the
# whole table before edges are dropped, and a path whose product of coefficients reaches the path
# modules' default threshold (0.001) uses no edge below it, so those results are those of the full table.
DEMO_MIN_COEFFICIENT = 0.001


def demo_source(n_firms: int, seed: int) -> str:
    return f"demo:firms-{n_firms}-seed-{seed}"


def _load_wiod(settings, progress: bool, min_coefficient: float) -> list:
    """Every year of the extract, two at a time: while one year writes, the next is read and its
    accounts computed (two matrix inverses, the client's slow part); its write then waits for the
    dataset's load lock, so the writes themselves still go one after the other."""
    from loader.mrio.load import write_table
    from loader.mrio.read import read_mrio

    collection = active()

    def one(i_year):
        i, year = i_year
        # collected for a bulk import: the years keep their order in the collection, whichever finishes first
        with collection.turn(i) if collection is not None else nullcontext():
            return write_table(read_mrio(WIOD_FOLDER, "parquet", year=year), min_coefficient=min_coefficient,
                               settings=settings, progress=progress)

    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="demo-mrio") as pool:
        return list(pool.map(one, enumerate(WIOD_YEARS)))


def _load_pymrio_test(settings, progress: bool) -> list:
    from loader.mrio.load import load_mrio
    from loader.mrio.read import table_from_iosystem

    table = table_from_iosystem(iotable.demo_iosystem(), year=iotable.YEAR, source=MRIO_SOURCE,
                                classification=iotable.CLASSIFICATION)
    # pymrio's test system is made up: say so on its Dataset, whatever name the system carries
    table.synthetic = True
    table.name = f"pymrio test system, regions relabelled {iotable.REGION_TO_COUNTRY} (synthetic)"
    return [load_mrio(table, iotable.YEAR, MRIO_SOURCE, iotable.CLASSIFICATION, settings=settings,
                      progress=progress)]


def bulk_chosen(bulk: bool | None, settings: Settings) -> bool:
    """Whether the demo goes through one neo4j-admin import: ``bulk`` True (or BulkRefused with the reason),
    None when the database is empty and on the local server (``loader.graph.bulk.refusal``), False never."""
    if bulk is None:
        return not bulk_load.refusal(settings)
    if bulk:
        bulk_load.check_possible(settings)
    return bool(bulk)


def load_demo(n_firms: int = 3000, seed: int = 7, *, table: str = DEFAULT_TABLE, out: Path | None = None,
              settings: Settings | None = None, progress: bool = True,
              min_coefficient: float = DEMO_MIN_COEFFICIENT, bulk: bool | None = None) -> dict:
    """Returns the load summaries (``mrio`` one per year, ``trade`` or None, ``tables``, ``regions`` or None,
    and ``bulk``: the import's summary, or None) and the seconds each step took (``generate`` runs while
    ``mrio`` builds or writes: the total is less than their sum).

    ``bulk`` (see ``bulk_chosen``): a first load into an empty database on the local server builds every
    step's rows with the same code and imports them all at once (``loader.graph.collect``); then each
    step's summary says it was collected and ``bulk`` says what the import created."""
    base = base_table(table)   # refuses an unknown --table before anything is written
    settings = settings or Settings.from_env()
    if bulk_chosen(bulk, settings):
        try:
            with collecting() as collection:
                collection.stop_server(settings)
                try:
                    result = _load_steps(base, n_firms, seed, table, out, settings, progress, min_coefficient)
                except BaseException:
                    collection.start_server_again()
                    raise
                t0 = time.perf_counter()
                result["bulk"] = collection.write(settings, progress=progress)
                result["timings"]["bulk import"] = time.perf_counter() - t0
            return result
        except bulk_load.BulkRefused as e:
            if bulk:
                raise
            # refused before the server stopped, or the import failed and the database is empty again
            if progress:
                print(f"bulk import not possible ({e}); loading in transactions", file=sys.stderr, flush=True)
    return _load_steps(base, n_firms, seed, table, out, settings, progress, min_coefficient)


def _load_steps(base, n_firms: int, seed: int, table: str, out, settings: Settings, progress: bool,
                min_coefficient: float) -> dict:
    timings = {}
    t0 = time.perf_counter()
    ref = load_reference(settings, progress=progress)
    timings["reference"] = time.perf_counter() - t0

    def draw():
        t = time.perf_counter()
        out = generate(n_firms, seed, table), (wiod_trade_flows() if base.name == "wiod2013" else None)
        timings["generate"] = time.perf_counter() - t
        return out

    # the firms and the trade frames are drawn (client CPU only) while the table's years write
    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="demo-draw") as pool:
        drawn = pool.submit(draw)
        mrio = (_load_wiod(settings, progress, min_coefficient) if base.name == "wiod2013"
                else _load_pymrio_test(settings, progress))
        timings["mrio"] = time.perf_counter() - t0
        frames, trade_frame = drawn.result()
    trade = None
    with tempfile.TemporaryDirectory(prefix="gvn-demo-") as tmp:
        if trade_frame is not None:
            t0 = time.perf_counter()
            folder = write_demo_folder({"trade_flows": trade_frame}, Path(tmp) / "trade")
            trade = load_tables(folder, source=TRADE_SOURCE, settings=settings, progress=progress, description=(
                f"Bilateral trade by WIOD35 industry and use between {', '.join(WIOD_COUNTRIES)}, "
                f"{', '.join(map(str, WIOD_YEARS))}: the off-diagonal blocks of Z (intermediate) and Y (final) "
                f"of {WIOD_SOURCE} x 1000 (thousand USD; negative final flows left out); no weights"))
            timings["trade"] = time.perf_counter() - t0
        folder = write_demo_folder(frames, Path(out) if out else Path(tmp) / "demo")
        t0 = time.perf_counter()
        calibrated = (f"{base.source} {base.year}" if base.name == "wiod2013"
                      else f"pymrio's test system (regions relabelled {iotable.REGION_TO_COUNTRY})")
        tables = load_tables(folder, source=demo_source(n_firms, seed), synthetic=True, settings=settings,
                             progress=progress, description=(
                                 f"Synthetic firm layer: {n_firms} firms in {', '.join(base.countries)} generated "
                                 f"with seed {seed}, calibrated to {calibrated}"))
        timings["tables"] = time.perf_counter() - t0
    regions = None
    if base.name == "wiod2013":
        t0 = time.perf_counter()
        regions = _load_korea_regions(base, frames["firms"], settings, progress, min_coefficient)
        timings["regions"] = time.perf_counter() - t0
    return {"reference": ref, "mrio": mrio, "trade": trade, "tables": tables, "regions": regions, "bulk": None,
            "timings": timings, "rows": {k: len(v) for k, v in frames.items()}, "year": base.year}


def _load_korea_regions(base, firms, settings, progress: bool, min_coefficient: float):
    """The synthetic inter-regional table of Korea's 17 provinces for the base year (loader/demo/regions.py),
    through ``loader mrio``'s writer like any inter-regional table."""
    from loader.demo.regions import korea_regional_table
    from loader.mrio.load import write_table
    from loader.mrio.read import read_mrio

    table = korea_regional_table(read_mrio(WIOD_FOLDER, "parquet", year=base.year), firms, base.divisions)
    return write_table(table, min_coefficient=min_coefficient, settings=settings, progress=progress)

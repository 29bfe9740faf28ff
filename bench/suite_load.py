"""Section 1: loading firm graphs and WIOD with four methods; rows/s, relationships/s, peak memory."""
from __future__ import annotations

import shutil
from pathlib import Path

from bench import load_admin, load_naive, load_project, load_py2neo, load_raw
from bench.firm_files import write_admin_files, write_tables_folder
from bench.firm_graph import relationship_count
from bench.record import Record
from bench.server import BenchServer
from bench.stats import Timing

SECTION = "load"


def _timing(name: str, runs: list[dict], items: int, note: str = "") -> Timing:
    return Timing(name=name, runs_s=[r["seconds"] for r in runs], items=items, note=note)


def _peaks(runs: list[dict], key: str):
    vals = [r.get(key) for r in runs if r.get(key) is not None]
    return max(vals) if vals else None


def reset(srv: BenchServer, run: int, reference: bool = True) -> None:
    """Run 0 of a method: restarted server, empty store. Later runs: the graph deleted with Cypher
    (a restart costs about a minute on 2 busy cores); the planner then keeps the statistics of the
    previous load, as when loading into a populated database."""
    if run == 0:
        srv.fresh()
        if reference:
            load_project.load_reference_untimed()
    else:
        srv.empty()


def _admin_import(rec: Record, srv: BenchServer, name: str, files: dict, rels: int, work: Path,
                  repeat: int) -> list[dict]:
    """neo4j-admin import into a scratch home (offline; JVM start-up included), ``repeat`` times."""
    home = work / "admin-home"
    runs = []
    for _ in range(repeat):
        shutil.rmtree(home, ignore_errors=True)
        runs.append(load_admin.import_full(srv.jar_lib, home, load_admin.write_scratch_conf(home), files))
    rec.add(SECTION, name, _timing("neo4j-admin import", runs, rels), child_peak_mib=_peaks(runs, "peak_mib"),
            imported=runs[-1].get("relationships"), tool_says=runs[-1].get("tool_says"))
    return runs


def _counts() -> tuple[int, int]:
    from connection import get_driver

    d = get_driver()
    n = d.execute_query("MATCH (f:Firm) RETURN count(f) AS c").records[0]["c"]
    m = d.execute_query("MATCH (:Firm)-[r]->() RETURN count(r) AS c").records[0]["c"]
    return n, m


def firms(rec: Record, srv: BenchServer, name: str, graph: dict, work: Path, *, repeat: int, py2neo_repeat: int,
          naive_sample: int, log,
          py2neo_max_s: float = 300) -> None:
    """All methods on one generated firm graph. The database is fresh (server restarted) before each run."""
    n_firms, n_links = len(graph["firms"]), len(graph["firm_supply"])
    rels = relationship_count(graph)
    source = f"bench:{name}"
    folder = write_tables_folder(graph, work / name / "tables")
    files = write_admin_files(graph, work / name / "admin", source)
    expected = (n_firms, rels)

    runs = _admin_import(rec, srv, name, files, rels, work, repeat)
    log(f"  {name}: admin import {runs[-1]['seconds']:.1f}s")

    # the project loader, end to end: read the files, validate every row, diff against the store, write
    runs = []
    for k in range(repeat):
        reset(srv, k)
        runs.append(load_project.firms(folder, source, srv.pid))
        got = _counts()
        if got != expected:
            raise RuntimeError(f"{name}: project loader wrote {got}, expected {expected}")
    rec.add(SECTION, name, _timing("project loader", runs, rels),
            python_peak_mib=_peaks(runs, "python_peak_mib"), jvm_peak_mib=_peaks(runs, "jvm_peak_mib"),
            write_s=[r["write_seconds"] for r in runs], commit_mode=runs[-1]["commit_mode"],
            write_phase_rels_per_s=[rels / r["write_seconds"] for r in runs])
    log(f"  {name}: project loader {runs[-1]['seconds']:.1f}s (write phase {runs[-1]['write_seconds']:.1f}s)")

    # the server's bare write ceiling: prebuilt rows, CREATE only, same batches and threads
    runs = []
    for k in range(repeat):
        reset(srv, 1)
        runs.append(load_raw.firms(graph, source, srv.pid))
        got = _counts()
        if got != expected:
            raise RuntimeError(f"{name}: raw CREATE wrote {got}, expected {expected}")
    rec.add(SECTION, name, _timing("raw UNWIND CREATE (server ceiling)", runs, rels,
                                   note="prebuilt rows, no validation/diff, 2 writers x 10k batches"),
            python_peak_mib=_peaks(runs, "python_peak_mib"), jvm_peak_mib=_peaks(runs, "jvm_peak_mib"))
    log(f"  {name}: raw CREATE {runs[-1]['seconds']:.1f}s")

    # naive baseline on a sample, in the loaded database (sample rows deleted afterwards)
    runs = []
    for _ in range(repeat):
        tf = load_naive.firm_rows(graph["firms"], naive_sample, source)
        tl = load_naive.supply_rows(graph["firm_supply"], graph["index"], naive_sample, source)
        runs.append({"seconds": tf * n_firms / naive_sample + tl * n_links / naive_sample,
                     "firm_rows_per_s": naive_sample / tf, "supply_rows_per_s": naive_sample / tl})
    rec.add(SECTION, name, _timing("naive row-by-row (extrapolated)", runs, rels,
                                   note=f"{naive_sample} firm rows + {naive_sample} supply rows per run, "
                                        "auto-commit each; time scaled to the whole graph"),
            firm_rows_per_s=[r["firm_rows_per_s"] for r in runs],
            supply_rows_per_s=[r["supply_rows_per_s"] for r in runs])
    log(f"  {name}: naive {runs[-1]['supply_rows_per_s']:.0f} supply rows/s")

    # py2neo bulk functions
    runs = []
    py2neo_rate = rec.facts.get("py2neo.relationships_per_s")
    if py2neo_rate and rels / py2neo_rate > py2neo_max_s:
        rec.note(f"{name}.py2neo", f"not run: {rels / py2neo_rate:.0f} s projected at its rate on the smaller "
                                   f"graph ({py2neo_rate:,.0f} relationships/s)")
        py2neo_repeat = 0
    for _ in range(py2neo_repeat):
        srv.empty()   # after the project runs: planned with populated statistics (see reset)
        runs.append(load_py2neo.firms(graph, source, srv.pid))
        got = _counts()
        if got != expected:
            raise RuntimeError(f"{name}: py2neo wrote {got}, expected {expected}")
    if runs:
        rec.note("py2neo.relationships_per_s", rels / min(r["seconds"] for r in runs))
        rec.add(SECTION, name, _timing("py2neo bulk", runs, rels), python_peak_mib=_peaks(runs, "python_peak_mib"),
                jvm_peak_mib=_peaks(runs, "jvm_peak_mib"))
        log(f"  {name}: py2neo {runs[-1]['seconds']:.1f}s")
    rec.compare(SECTION, name, "naive row-by-row (extrapolated)")
    rec.note(f"{name}.size", {"firms": n_firms, "supplies": n_links, "relationships": rels})


def wiod(rec: Record, srv: BenchServer, io, year: int, work: Path, *, repeat: int, naive_sample: int,
         py2neo_repeat: int, log) -> dict:
    """WIOD: the MRIO loader, naive, py2neo, admin import. Leaves WIOD loaded."""
    from loader.mrio.read import table_from_iosystem
    from loader.mrio.rows import build_rows

    name = "wiod-1995"
    source = "BENCH_WIOD2013"
    rows = build_rows(table_from_iosystem(io, year=year, source=source, classification="WIOD35"))
    n_edges = rows.n_edges
    rels = n_edges + 3 * len(rows.sectors)   # SUPPLIES + LOCATED_IN + IN_INDUSTRY + HAS_YEAR

    files = write_wiod_admin_files(rows, year, work / name)
    _admin_import(rec, srv, name, files, rels, work, repeat)

    runs = []
    for k in range(repeat):
        reset(srv, k, reference=False)
        runs.append(load_project.wiod(io, year, source, srv.pid))
    rec.add(SECTION, name, _timing("project loader", runs, rels),
            python_peak_mib=_peaks(runs, "python_peak_mib"), jvm_peak_mib=_peaks(runs, "jvm_peak_mib"),
            supplies_phase_s=[r["supplies_seconds"] for r in runs],
            supplies_phase_rels_per_s=[r["supplies"] / r["supplies_seconds"] for r in runs])
    log(f"  {name}: project loader {runs[-1]['seconds']:.1f}s")

    runs = []
    for _ in range(repeat):
        tl = load_naive.sector_edge_rows(rows.edges, naive_sample, source)
        runs.append({"seconds": tl * rels / naive_sample, "rows_per_s": naive_sample / tl})
    rec.add(SECTION, name, _timing("naive row-by-row (extrapolated)", runs, rels,
                                   note=f"{naive_sample} SUPPLIES rows per run, auto-commit each, scaled"),
            rows_per_s=[r["rows_per_s"] for r in runs])
    runs = []
    for _ in range(py2neo_repeat):
        srv.empty()   # after the project runs: planned with populated statistics
        runs.append(load_py2neo.wiod(rows, year, srv.pid))
    if runs:
        rec.add(SECTION, name, _timing("py2neo bulk", runs, n_edges + 2 * len(rows.sectors),
                                       note="Sector nodes, LOCATED_IN, IN_INDUSTRY, SUPPLIES only (no SectorYear)"),
                python_peak_mib=_peaks(runs, "python_peak_mib"), jvm_peak_mib=_peaks(runs, "jvm_peak_mib"))
        log(f"  {name}: py2neo {runs[-1]['seconds']:.1f}s")

    rec.compare(SECTION, name, "naive row-by-row (extrapolated)")
    rec.note(f"{name}.size", {"sectors": len(rows.sectors), "supplies": n_edges, "relationships": rels})
    if py2neo_repeat:   # the graph the next sections read is the project loader's
        srv.empty()
        load_project.wiod(io, year, source, srv.pid)
    return {"rows": rows, "source": source}


def write_wiod_admin_files(rows, year: int, folder: Path) -> dict[str, list[str]]:
    import pandas as pd

    folder.mkdir(parents=True, exist_ok=True)
    src = rows.dataset["key"]
    pd.DataFrame({"key:ID(Country)": [c["key"] for c in rows.countries],
                  "name": [c["props"]["name"] for c in rows.countries], "source": src}).to_csv(
        folder / "countries.csv", index=False)
    pd.DataFrame({"key:ID(Industry)": [i["key"] for i in rows.industries],
                  "name": [i["props"]["name"] for i in rows.industries], "source": src}).to_csv(
        folder / "industries.csv", index=False)
    pd.DataFrame({"key:ID(Sector)": [s["key"] for s in rows.sectors],
                  **{k: [s["props"][k] for s in rows.sectors] for k in ("name", "country", "industry",
                                                                         "classification", "source")}}).to_csv(
        folder / "sectors.csv", index=False)
    sy = pd.DataFrame([{"key": r["key"], **r["props"]} for r in rows.sector_years])
    sy = sy.rename(columns={"key": "key:ID(SectorYear)", "year": "year:long"})
    for c in sy.columns:
        if sy[c].dtype == float:
            sy = sy.rename(columns={c: f"{c}:double"})
    sy.to_csv(folder / "sector_years.csv", index=False, float_format="%.17g")
    e = rows.edges
    pd.DataFrame({":START_ID(Sector)": e["s"], ":END_ID(Sector)": e["t"], "year:long": year,
                  "value:double": e["value"], "a:double": e["a"], "b:double": e["b"], "source": src}).to_csv(
        folder / "supplies.csv", index=False, float_format="%.17g")
    pd.DataFrame({":START_ID(Sector)": [s["key"] for s in rows.sectors],
                  ":END_ID(Country)": [s["country"] for s in rows.sectors]}).to_csv(folder / "located_in.csv",
                                                                                    index=False)
    pd.DataFrame({":START_ID(Sector)": [s["key"] for s in rows.sectors],
                  ":END_ID(Industry)": [s["industry"] for s in rows.sectors]}).to_csv(folder / "in_industry.csv",
                                                                                     index=False)
    pd.DataFrame({":START_ID(Sector)": [r["sector"] for r in rows.sector_years],
                  ":END_ID(SectorYear)": [r["key"] for r in rows.sector_years]}).to_csv(folder / "has_year.csv",
                                                                                       index=False)
    f = folder
    return {"nodes": [f"Country={f / 'countries.csv'}", f"Industry={f / 'industries.csv'}",
                      f"Sector={f / 'sectors.csv'}", f"SectorYear={f / 'sector_years.csv'}"],
            "relationships": [f"SUPPLIES={f / 'supplies.csv'}", f"LOCATED_IN={f / 'located_in.csv'}",
                              f"IN_INDUSTRY={f / 'in_industry.csv'}", f"HAS_YEAR={f / 'has_year.csv'}"]}


def scale(rec: Record, srv: BenchServer, sizes: list[int], log, methods: str = "normal,reload,verify,bulk,rebulk,admin",
          big_methods: str = "bulk,rebulk,verify,admin") -> None:
    """First loads, bulk first loads and no-op reloads of generated folders (bench.load_scale), each load a
    `loader tables` child process. Sizes of 1M firms and more run ``big_methods`` only (the normal writer's
    1M first load takes minutes). Ratios: first loads against the bare neo4j-admin import of the bulk load's
    own files; reloads the writer's record says the store holds against the same reload with ``--verify``
    (every row compared), both measured in the same run."""
    from bench import load_scale

    for n in sizes:
        got = load_scale.one_size(srv, n, (big_methods if n >= 1_000_000 else methods).split(","), log)
        name, rels = f"{got['name']} first loads", got["relationships"]
        for key, what, note in (
                ("normal", "normal writer, first load", "--no-bulk: validate, diff, write in transactions"),
                ("bulk", "bulk first load", "--bulk: validate, import files, server stop, neo4j-admin import, "
                                            "start, schema"),
                ("reload", "normal writer, reload (writes nothing)", "same folder again"),
                ("reload_after_bulk", "reload after the bulk load (writes nothing)", "same folder again")):
            r = got.get(key)
            if r is None:
                continue
            if "failed" in r:
                rec.note(f"{name}.{key}", f"failed: {r['failed']}")
                continue
            rec.add(SECTION, name, Timing(what, [r["seconds"]], rels, note=note),
                    python_peak_mib=r["python_peak_mib"], stages=r["stages"], created=r["created"])
        if "seconds" in got.get("admin", {}):
            a = got["admin"]
            rec.add(SECTION, name, Timing(load_scale.BARE, [a["seconds"]], rels,
                                          note="the bulk load's files, same tool options; JVM start included"),
                    child_peak_mib=a["peak_mib"], imported=a.get("relationships"))
            rec.compare(SECTION, name, load_scale.BARE)
        for held, verified, what in (("reload", "reload_verify", "normal writer"),
                                     ("reload_after_bulk", "reload_after_bulk_verify", "after the bulk load")):
            if "seconds" not in got.get(held, {}) or "seconds" not in got.get(verified, {}):
                continue
            group = f"{got['name']} reloads {what}"
            base = f"reload --verify ({what}): every row compared"
            rec.add(SECTION, group, Timing(base, [got[verified]["seconds"]], rels, note="same folder, --verify"),
                    python_peak_mib=got[verified]["python_peak_mib"], stages=got[verified]["stages"])
            rec.add(SECTION, group, Timing(f"reload ({what}), held by the record of the last load",
                                           [got[held]["seconds"]], rels, note="same folder again"),
                    python_peak_mib=got[held]["python_peak_mib"], stages=got[held]["stages"], held=got[held]["held"])
            rec.compare(SECTION, group, base)
        rec.note(f"{name}.size", {"firms": n, "relationships": rels})

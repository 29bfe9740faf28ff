"""``python -m bench.gvc_graph [--year 2000] [--repeat 30]``: the GVC accounting in the graph on one WIOD year.

Not a test (no assertion on time). Against the database NEO4J_URI points at, on the shipped
WIOD 2013 extract (data/wiod2013/<year>):

- compute: building the loader's rows of the year with and without the GVC accounting
  (loader.mrio.rows.build_rows + mrio_graph), three times each;
- write: ``loader.mrio.load.write_table`` of the year, first with the year's GVC results removed
  beforehand (CountryYear nodes, EXPORTS_TO and SERVES of the year: what a first load of the
  accounting writes; the rest of the year is already stored), then again (a reload: nothing to write);
- one exporter's bilateral rows: ``gvc-decomposition`` level=bilateral for one country (35 sectors
  x 40 importers x 16 terms), through the query runner and as the bare Cypher statement (the module's,
  packed into one record, read through ``connection.read`` and unpacked), median and p95 over
  ``--repeat`` runs for each of five exporters (``--exporters``: others, or ``all``).

Appends its figures to bench/gvc_results.md (section "In the graph").
"""
from __future__ import annotations

import argparse
import os
import time
from datetime import datetime, timezone
from pathlib import Path

from bench.stats import Timing, measure

REPO = Path(__file__).resolve().parent.parent
EXPORTERS = ("DEU", "CHN", "USA", "KOR", "LUX")
RESULTS = REPO / "bench" / "gvc_results.md"


def _row(what: str, t: Timing) -> str:
    return f"| {what} | {t.median_s:.2f} | {', '.join(f'{x:.2f}' for x in t.runs_s)} |"


def _remove_gvc(source: str, year: int) -> None:
    from connection import write

    for cypher in ("MATCH (c:CountryYear {source: $s, year: $y}) DETACH DELETE c",
                   "MATCH ()-[r:EXPORTS_TO {year: $y}]->() WHERE r.source = $s DELETE r",
                   "MATCH ()-[r:SERVES {year: $y}]->() WHERE r.source = $s DELETE r"):
        write(lambda tx, c=cypher: tx.run(c, {"s": source, "y": year}).consume())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--year", type=int, default=2000)
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--no-write", action="store_true", help="leave bench/gvc_results.md as it is")
    ap.add_argument("--latency-only", action="store_true",
                    help="only one exporter's rows (the year must be loaded with its GVC accounts already)")
    ap.add_argument("--exporters", default=",".join(EXPORTERS),
                    help="comma-separated country keys, or 'all' for every region of the table")
    args = ap.parse_args()

    from connection import read
    from loader.graph.rows import paused_gc
    from loader.mrio.parquet import read_table
    from loader.mrio.rows import build_rows, mrio_graph
    from queries.runner import run_module

    table = read_table(REPO / "data" / "wiod2013" / str(args.year))

    def build(gvc: bool):
        with paused_gc():
            rows = build_rows(table, gvc=gvc)
            return mrio_graph(rows, year=table.year, source=table.source, loaded_at="2000-01-01T00:00:00")

    if args.latency_only:
        steps = []
    else:
        steps = _steps(table, build)
    latency(args, table, steps, read, run_module)


def _steps(table, build) -> list[str]:
    """Building the rows and writing the year's GVC results; the markdown lines."""
    from loader.mrio.load import write_table

    without = measure("rows without GVC", lambda: build(False), repeat=3)
    with_gvc = measure("rows with GVC", lambda: build(True), repeat=3)
    g = build(True)
    gvc_rows = sum(len(g.nodes[k].rows) for k in ("CountryYear",)) + sum(
        len(r.rows) for k, r in g.rels.items() if k[0] in ("EXPORTS_TO", "SERVES") or k[1] == "Country"
        and k[2] == "CountryYear")
    del g

    write_table(table, progress=False)                 # the year as it is, accounting included
    _remove_gvc(table.source, table.year)
    t0 = time.perf_counter()
    first = write_table(table, progress=False)
    first_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    again = write_table(table, progress=False)
    again_s = time.perf_counter() - t0

    return ["| step | median s | runs s |", "|---|---|---|",
            _row("rows without GVC accounting", without),
            _row("rows with GVC accounting", with_gvc),
            f"| write the year's GVC results (first load of them; {gvc_rows:,} rows) | {first_s:.1f} | "
            f"{first_s:.1f} |",
            f"| reload of the year (writes nothing) | {again_s:.1f} | {again_s:.1f} |", "",
            f"First load: created {sum(first.created.values()):,}, updated {sum(first.updated.values()):,}; "
            f"stages: {', '.join(f'{k} {v:.1f} s' for k, v in first.stages.items())}. "
            f"Reload: created {sum(again.created.values())}, updated {sum(again.updated.values())}, "
            f"deleted {sum(again.deleted.values())}.", ""]


def _previous_statement(country: str) -> str:
    """The bilateral statement as the module ran it before its rows were packed: one record per row, the
    importer an OR filter (read with Record.data(), as connection.read converted rows then)."""
    from queries.modules.gvc import WWZ_TERMS, sector_pattern

    return sector_pattern(f"""
MATCH __S__-[r:EXPORTS_TO]->(d:Country)
WHERE r.year = $year AND r.source = $source
  AND ($partner = '' OR d.key = $partner)
  AND ($industry = '' OR toLower(s.industry) CONTAINS toLower($industry))
RETURN s.key AS sector, s.country AS country, s.industry AS industry, d.key AS partner,
       r.exports AS exports, r.exports_final AS exports_final, r.exports_intermediate AS exports_intermediate,
       {', '.join(f'r.{t} AS {t}' for t in WWZ_TERMS)}, r.year AS year, r.source AS source
""", country)


def latency(args, table, steps: list[str], read, run_module) -> None:
    from queries.modules.gvc import _WWZ_FIELDS, bilateral_statement, fetch_statement, unpack

    lines: list[str] = []
    # the floor: a statement that reads nothing, on the same connection and machine
    floor = measure("RETURN 1", lambda: read("RETURN 1 AS one"), repeat=args.repeat)
    load_before = os.getloadavg()
    runner: dict[str, Timing] = {}
    bare: dict[str, Timing] = {}
    previous: dict[str, Timing] = {}
    rows_of: dict[str, int] = {}
    q = {"source": table.source, "year": table.year, "partner": "", "industry": ""}
    from loader.mrio.rows import iso3_code   # the table's codes as the graph keys them (WIOD's ROM is ROU)

    exporters = [iso3_code(r) for r in table.regions] if args.exporters == "all" else args.exporters.split(",")
    for c in exporters:
        one = fetch_statement(bilateral_statement(c, ""), _WWZ_FIELDS, packed=True)
        rows_of[c] = len(unpack(read(one, {**q, "country": c}), _WWZ_FIELDS))
        run_module("gvc-decomposition", {"level": "bilateral", "country": c, "source": table.source,
                                         "year": table.year})          # warm the plan cache
        runner[c] = measure(c, lambda c=c: run_module("gvc-decomposition", {
            "level": "bilateral", "country": c, "source": table.source, "year": table.year}), repeat=args.repeat)
        bare[c] = measure(c, lambda c=c, one=one: unpack(read(one, {**q, "country": c}), _WWZ_FIELDS),
                          repeat=args.repeat)
        old = _previous_statement(c)
        assert len(read(lambda tx: [r.data() for r in tx.run(old, {**q, "country": c})])) == rows_of[c]
        previous[c] = measure(c, lambda c=c, old=old: read(
            lambda tx: [r.data() for r in tx.run(old, {**q, "country": c})]), repeat=args.repeat)

    load_after = os.getloadavg()
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines += [f"## In the graph: WIOD {table.year} ({stamp})", "",
              "`python -m bench.gvc_graph`: loader rows, writes and one exporter's bilateral rows on the shipped "
              "WIOD 2013 extract (1,435 sectors, 41 countries), against the server NEO4J_URI names, on the 2 "
              "shared cores.", ""] + steps + [
              "One exporter's bilateral rows (`gvc-decomposition level=bilateral country=C`), "
              f"{args.repeat} runs each:", "",
              "| exporter | rows | runner median ms | runner p95 ms | Cypher median ms | Cypher p95 ms | "
              "previous Cypher median ms | previous Cypher p95 ms |",
              "|---|---|---|---|---|---|---|---|"]
    for c in exporters:
        lines.append(f"| {c} | {rows_of[c]:,} | {runner[c].median_s * 1000:.0f} | {runner[c].p95_s * 1000:.0f} | "
                     f"{bare[c].median_s * 1000:.0f} | {bare[c].p95_s * 1000:.0f} | "
                     f"{previous[c].median_s * 1000:.0f} | {previous[c].p95_s * 1000:.0f} |")
    lines += ["", "Cypher: the module's statement through `connection.read`, packed into one record and unpacked; "
              "previous Cypher: the statement as it was before (one record per row, the importer as an OR filter), "
              "rows converted by `Record.data()` as `connection.read` did then."]
    lines += ["", f"Floor: `RETURN 1` median {floor.median_s * 1000:.0f} ms, p95 {floor.p95_s * 1000:.0f} ms. Load "
              f"average (1, 5, 15 min) before the latency runs {', '.join(f'{x:.1f}' for x in load_before)}, after "
              f"{', '.join(f'{x:.1f}' for x in load_after)} (2 cores)."]
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_write:
        old = RESULTS.read_text() if RESULTS.exists() else ""
        head = old.split("\n## In the graph")[0].rstrip("\n")
        RESULTS.write_text(head + "\n\n" + text)


if __name__ == "__main__":
    main()

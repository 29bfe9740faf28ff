"""Command line of the loader (``python -m loader ...``); each command is one library call.

Every command validates its whole input before writing anything, and loading the same
input twice writes nothing the second time.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import List, Optional

import typer

from loader.mrio.read import FORMATS

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Load countries, regions, industries, firms, people and input-output tables into Neo4j.")
fetch_app = typer.Typer(no_args_is_help=True, help="Download a real input-output table (needs internet or a mirror).")
app.add_typer(fetch_app, name="fetch")

MIRROR_OPT = typer.Option(None, "--mirror", help="base URL of a mirror holding the same files (env GVN_MRIO_MIRROR)")
QUIET_OPT = typer.Option(False, "--quiet", help="no progress bars")
COMMIT_OPT = typer.Option("auto", help="atomic: one transaction (a failure writes nothing); "
                          "batched: batches commit on their own, in parallel (large loads; "
                          "rerun to complete an interrupted one); auto: atomic up to "
                          "GVN_ATOMIC_MAX_ROWS rows (default 250000)")
BULK_OPT = typer.Option(None, "--bulk/--no-bulk",
                        help="--bulk: write through neo4j-admin import into the empty database of the local "
                             "server (stopped for the import, then started again), or refuse; --no-bulk: always in "
                             "transactions; default: bulk when the database is empty on the local server, the load "
                             "has GVN_BULK_MIN_ROWS rows or more (100000) and --commit is auto")
VERIFY_OPT = typer.Option(False, "--verify",
                          help="compare every row with the database even when the record of the last load of the "
                               "same rows says the database holds them (data edited by hand, outside the loader)")


@app.callback()
def main():
    """Every command validates its whole input before writing anything."""


@app.command("reference")
def reference(quiet: bool = QUIET_OPT):
    """Load countries, groupings, Korean regions, ISIC4/WIOD35/ICIO45 industries and GVC stages (idempotent)."""
    from loader.reference.load import load_reference

    typer.echo(load_reference(progress=not quiet).render())


@app.command("tables")
def tables(folder: Path = typer.Argument(..., help="folder of <table>.csv or <table>.parquet files"),
           source: str = typer.Option(None, help="source tag (Dataset key); default tables:<folder name>"),
           synthetic: bool = typer.Option(False, "--synthetic", help="mark the Dataset as synthetic"),
           check_only: bool = typer.Option(False, "--check", help="validate only, write nothing"),
           commit: str = COMMIT_OPT,
           bulk: Optional[bool] = BULK_OPT,
           verify: bool = VERIFY_OPT,
           quiet: bool = QUIET_OPT):
    """Validate every file of FOLDER, then load it; on any problem, list them all and write nothing."""
    from connection import Settings
    from loader.graph.bulk import BulkRefused
    from loader.tables.load import check_folder, load_tables
    from loader.tables.problems import TablesError

    try:
        if check_only:
            checked, _ = check_folder(folder, Settings.from_env())
            typer.echo(f"{folder}: no problems in {sum(len(r) for r in checked.rows.values())} rows")
            return
        summary = load_tables(folder, source=source, synthetic=synthetic, progress=not quiet, commit=commit,
                              bulk=bulk, verify=verify)
    except (TablesError, BulkRefused) as e:
        typer.echo(str(e), err=True)
        raise typer.Exit(1)
    typer.echo(summary.render())


@app.command("mrio")
def mrio(path: Path = typer.Argument(..., help="a table folder (pymrio, parquet) or the OECD/WIOD/EXIOBASE download"),
         fmt: str = typer.Option(..., "--format", help="|".join(FORMATS)),
         year: Optional[int] = typer.Option(None, help="table year (default: from the table's name or folder)"),
         min_coefficient: float = typer.Option(0.0, "--min-coefficient",
                                               help="drop SUPPLIES edges with max(a, b) below this"),
         source: Optional[str] = typer.Option(None, help="source tag (Dataset key); default from the table"),
         classification: Optional[str] = typer.Option(
             None, help="Industry classification name; default from the release (WIOD35, WIOD56, ICIO36, "
                        "ICIO45, ICIO2023, EXIO3, EXIO3P) or the table"),
         commit: str = COMMIT_OPT,
         gvc: str = typer.Option("auto", "--gvc",
                                 help="GVC accounting (WWZ/KWW, participation, value added by origin): auto = "
                                      "for tables up to 2,500 sectors, on, off"),
         bulk: Optional[bool] = BULK_OPT,
         verify: bool = VERIFY_OPT,
         quiet: bool = typer.Option(False, "--quiet", help="no progress bar")):
    """Read and validate one MRIO year, then write sectors, their yearly accounts, SUPPLIES and GVC accounts."""
    from connection import Settings
    from iomath.basic import SingularSystemError
    from iomath.gvc import GvcInputError
    from loader.graph.bulk import BulkRefused, check_possible
    from loader.mrio.load import write_table
    from loader.mrio.read import MrioInputError, read_mrio

    if min_coefficient < 0:
        typer.echo(f"--min-coefficient {min_coefficient}: expected a number >= 0", err=True)
        raise typer.Exit(2)
    try:
        if bulk:
            check_possible(Settings.from_env())   # before reading a large table, not after
        table = read_mrio(path, fmt, year=year, source=source, classification=classification)
        summary = write_table(table, min_coefficient=min_coefficient, progress=not quiet, commit=commit, gvc=gvc,
                              bulk=bulk, verify=verify)
    except (MrioInputError, SingularSystemError, GvcInputError, BulkRefused) as e:
        typer.echo(f"{path}: {e}", err=True)
        raise typer.Exit(1)
    typer.echo(summary.render())


@app.command("demo")
def demo(firms: int = typer.Option(3000, "--firms", min=10, help="number of firms"),
         seed: int = typer.Option(7, "--seed", help="seed of the numpy Generator"),
         table: str = typer.Option("wiod2013", "--table",
                                   help="base table: wiod2013 (the shipped WIOD 2013 extract, 1995, 2000, 2005, "
                                        "2008) or pymrio-test (pymrio's made-up 6x8 test system)"),
         out: Path = typer.Option(None, "--out", help="also keep the generated table files in this folder"),
         bulk: Optional[bool] = typer.Option(None, "--bulk/--no-bulk",
                                             help="--bulk: every step in one neo4j-admin import into the empty "
                                                  "database of the local server (stopped for the import, then "
                                                  "started again), or refuse; --no-bulk: in transactions; default: "
                                                  "bulk when the database is empty and on the local server"),
         quiet: bool = QUIET_OPT):
    """Load reference data, a real input-output table (every year) with its bilateral trade, and N synthetic
    firms calibrated to its latest year."""
    from loader.demo.base import BASES
    from loader.demo.load import load_demo
    from queries.examples import EXAMPLE_DASHBOARD, save_example_dashboard, save_examples

    if table not in BASES:
        typer.echo(f"--table {table}: expected one of {', '.join(BASES)}", err=True)
        raise typer.Exit(2)
    t0 = time.perf_counter()
    from loader.graph.bulk import BulkRefused

    try:
        result = load_demo(firms, seed, table=table, out=out, progress=not quiet, bulk=bulk)
    except BulkRefused as e:
        typer.echo(str(e), err=True)
        raise typer.Exit(1)
    for summary in result["mrio"]:
        typer.echo(summary.render())
    if result["trade"] is not None:
        typer.echo(result["trade"].render())
    typer.echo(result["tables"].render())
    if result.get("regions") is not None:
        typer.echo(result["regions"].render())
    if result.get("bulk") is not None:
        typer.echo(result["bulk"].render())
    saved = save_examples(year=result["year"])
    typer.echo(f"example reports saved: {', '.join(f'{n} (v{v})' for n, v in saved.items())}")
    typer.echo(f"example dashboard saved: {EXAMPLE_DASHBOARD['name']} (v{save_example_dashboard(year=result['year'])})")
    t = result["timings"]
    typer.echo("seconds: " + ", ".join(f"{k} {v:.1f}" for k, v in t.items()) +
               f" (generate runs during mrio); wall {time.perf_counter() - t0:.1f}")


@app.command("export")
def export_graph(folder: Path = typer.Argument(..., help="folder for nodes.parquet, links.parquet, export.json"),
                 layer: str = typer.Option("firm", help="firm or sector"),
                 year: Optional[int] = typer.Option(None, help="one year of links; default every year")):
    """Write a supply network as Parquet (nodes, links, what was exported) for work beyond one server."""
    from loader.export import export

    try:
        meta = export(folder, layer, year)
    except ValueError as e:
        typer.echo(f"export: {e}", err=True)
        raise typer.Exit(2)
    typer.echo(f"{folder}: {meta['nodes']:,} nodes and {meta['links']:,} links ({layer}, "
               f"{'every year' if year is None else year}) in nodes.parquet and links.parquet")


@app.command("listings")
def relist(quiet: bool = QUIET_OPT):
    """List again the (dataset, year) pairs each kind of record holds (kept for the modules' defaults; every
    load keeps them): after records were written or edited by hand, or data loaded by an older version."""
    from loader.graph.listings import refresh_all

    took = refresh_all(progress=not quiet)
    typer.echo("listed again: " + ", ".join(f"{k} {v:.1f} s" for k, v in took.items()))


@fetch_app.command("oecd-icio")
def fetch_oecd(folder: Path = typer.Argument(..., help="where to store the download"),
               year: Optional[List[int]] = typer.Option(None, "--year", help="repeatable; default all"),
               version: str = typer.Option("v2023", help="v2016, v2018 (ICIO2018_<year>.zip, 2005-2015), "
                                           "v2021 (1995-2018) or v2023 (1995-2020)"),
               mirror: Optional[str] = MIRROR_OPT):
    """OECD Inter-Country Input-Output tables (pymrio.download_oecd); load with --format oecd."""
    from loader.mrio.fetch import fetch_oecd as download

    try:
        log = download(folder, year, version=version, mirror=mirror)
    except Exception as e:   # network errors come in many types; say what failed and where
        typer.echo(f"fetch oecd-icio {version} into {folder}: {type(e).__name__}: {e}", err=True)
        raise typer.Exit(1)
    typer.echo(f"{folder}: downloaded ({log.name} {log.version}); "
               f"load with: python -m loader mrio {folder} --format oecd --year YEAR")


@fetch_app.command("wiod")
def fetch_wiod(folder: Path = typer.Argument(..., help="where to store the download"),
               year: Optional[List[int]] = typer.Option(None, "--year", help="repeatable; default 1995-2011"),
               satellites: bool = typer.Option(False, "--satellites", help="also the satellite accounts"),
               mirror: Optional[str] = MIRROR_OPT):
    """WIOD 2013 release world input-output tables (pymrio.download_wiod2013); load with --format wiod."""
    from loader.mrio.fetch import fetch_wiod as download

    try:
        download(folder, year, mirror=mirror, satellites=satellites)
    except Exception as e:
        typer.echo(f"fetch wiod into {folder}: {type(e).__name__}: {e}", err=True)
        raise typer.Exit(1)
    typer.echo(f"{folder}: downloaded; load with: python -m loader mrio {folder} --format wiod --year YEAR")


@fetch_app.command("wiod2016")
def fetch_wiod2016(folder: Path = typer.Argument(..., help="where to store the download"),
                   mirror: Optional[str] = MIRROR_OPT):
    """WIOD 2016 release (WIOTS_in_EXCEL.zip: 43 countries + RoW, 56 industries, 2000-2014); load with --format wiod2016."""
    from loader.mrio.fetch import fetch_wiod2016 as download

    try:
        target = download(folder, mirror=mirror)
    except Exception as e:   # network errors come in many types; say what failed and where
        typer.echo(f"fetch wiod2016 into {folder}: {type(e).__name__}: {e}", err=True)
        raise typer.Exit(1)
    typer.echo(f"{target}: downloaded; load with: python -m loader mrio {target} --format wiod2016 --year YEAR")


@fetch_app.command("exiobase")
def fetch_exiobase(folder: Path = typer.Argument(..., help="where to store the download"),
                   year: Optional[List[int]] = typer.Option(None, "--year", help="repeatable; default all"),
                   system: List[str] = typer.Option(["pxp"], "--system", help="pxp (products) and/or ixi (industries)"),
                   doi: str = typer.Option("10.5281/zenodo.3583070", help="Zenodo DOI of the EXIOBASE 3 version"),
                   mirror: Optional[str] = MIRROR_OPT):
    """EXIOBASE 3 monetary tables IOT_<year>_<pxp|ixi>.zip (pymrio.download_exiobase3); load with --format exiobase."""
    from loader.mrio.fetch import fetch_exiobase as download

    bad = [s for s in system if s not in ("pxp", "ixi")]
    if bad:
        typer.echo(f"--system {bad[0]}: expected pxp or ixi", err=True)
        raise typer.Exit(2)
    try:
        got = download(folder, year, system, mirror=mirror, doi=doi)
    except Exception as e:
        typer.echo(f"fetch exiobase into {folder}: {type(e).__name__}: {e}", err=True)
        raise typer.Exit(1)
    typer.echo(f"{folder}: downloaded {', '.join(p.name for p in got)}; "
               f"load with: python -m loader mrio {got[0]} --format exiobase")

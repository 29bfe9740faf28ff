"""Command line of the loader (``python -m loader ...``); each command is one library call.

Every command validates its whole input before writing anything, and loading the same
input twice writes nothing the second time.
"""
from __future__ import annotations

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
           quiet: bool = QUIET_OPT):
    """Validate every file of FOLDER, then load it; on any problem, list them all and write nothing."""
    from connection import Settings
    from loader.tables.load import check_folder, load_tables
    from loader.tables.problems import TablesError

    try:
        if check_only:
            checked, _ = check_folder(folder, Settings.from_env())
            typer.echo(f"{folder}: no problems in {sum(len(r) for r in checked.rows.values())} rows")
            return
        summary = load_tables(folder, source=source, synthetic=synthetic, progress=not quiet, commit=commit)
    except TablesError as e:
        typer.echo(str(e), err=True)
        raise typer.Exit(1)
    typer.echo(summary.render())


@app.command("mrio")
def mrio(path: Path = typer.Argument(..., help="a saved pymrio folder, or the OECD/WIOD/EXIOBASE download"),
         fmt: str = typer.Option(..., "--format", help="|".join(FORMATS)),
         year: Optional[int] = typer.Option(None, help="table year (default: from the table's name or folder)"),
         min_coefficient: float = typer.Option(0.0, "--min-coefficient",
                                               help="drop SUPPLIES edges with max(a, b) below this"),
         source: Optional[str] = typer.Option(None, help="source tag (Dataset key); default from the table"),
         classification: Optional[str] = typer.Option(
             None, help="Industry classification name; default WIOD35, ICIO<n>, EXIO3 or from the table"),
         commit: str = COMMIT_OPT,
         quiet: bool = typer.Option(False, "--quiet", help="no progress bar")):
    """Read and validate one MRIO year with pymrio, then write sectors, their yearly accounts and SUPPLIES."""
    from iomath.basic import SingularSystemError
    from loader.mrio.load import write_table
    from loader.mrio.read import MrioInputError, read_mrio

    if min_coefficient < 0:
        typer.echo(f"--min-coefficient {min_coefficient}: expected a number >= 0", err=True)
        raise typer.Exit(2)
    try:
        table = read_mrio(path, fmt, year=year, source=source, classification=classification)
        summary = write_table(table, min_coefficient=min_coefficient, progress=not quiet, commit=commit)
    except (MrioInputError, SingularSystemError) as e:
        typer.echo(f"{path}: {e}", err=True)
        raise typer.Exit(1)
    typer.echo(summary.render())


@app.command("demo")
def demo(firms: int = typer.Option(3000, "--firms", min=10, help="number of firms"),
         seed: int = typer.Option(7, "--seed", help="seed of the numpy Generator"),
         out: Path = typer.Option(None, "--out", help="also keep the generated table files in this folder"),
         quiet: bool = QUIET_OPT):
    """Load reference data, pymrio's test system (as KOR, CHN, JPN, USA, DEU, VNM) and N synthetic firms."""
    from loader.demo.load import load_demo
    from queries.examples import save_examples

    result = load_demo(firms, seed, out=out, progress=not quiet)
    typer.echo(result["tables"].render())
    saved = save_examples()
    typer.echo(f"example reports saved: {', '.join(f'{n} (v{v})' for n, v in saved.items())}")
    t = result["timings"]
    typer.echo(f"seconds: reference {t['reference']:.1f}, mrio {t['mrio']:.1f}, generate {t['generate']:.1f}, "
               f"validate+write tables {t['tables']:.1f}; total {sum(t.values()):.1f}")


@fetch_app.command("oecd-icio")
def fetch_oecd(folder: Path = typer.Argument(..., help="where to store the download"),
               year: Optional[List[int]] = typer.Option(None, "--year", help="repeatable; default all"),
               version: str = typer.Option("v2023", help="v2016, v2018, v2021 or v2023"),
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

"""loader commands: reference (countries, regions, industries, stages) and tables DIR."""
from __future__ import annotations

from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    @app.command("reference")
    def reference(quiet: bool = typer.Option(False, "--quiet", help="no progress bar")):
        """Load countries, groupings, Korean regions, ISIC4/WIOD35/ICIO45 industries and GVC stages (idempotent)."""
        from loader.reference_load import load_reference

        typer.echo(load_reference(progress=not quiet).render())

    @app.command("tables")
    def tables(folder: Path = typer.Argument(..., help="folder of <table>.csv or <table>.parquet files"),
               source: str = typer.Option(None, help="source tag (Dataset key); default tables:<folder name>"),
               synthetic: bool = typer.Option(False, "--synthetic", help="mark the Dataset as synthetic"),
               check_only: bool = typer.Option(False, "--check", help="validate only, write nothing"),
               commit: str = typer.Option("auto", help="atomic: one transaction (a failure writes nothing); "
                                          "batched: batches commit on their own, in parallel (large loads; "
                                          "rerun to complete an interrupted one); auto: atomic up to "
                                          "GVN_ATOMIC_MAX_ROWS rows (default 250000)"),
               quiet: bool = typer.Option(False, "--quiet", help="no progress bar")):
        """Validate every file of FOLDER, then load it; on any problem, list them all and write nothing."""
        from connection import Settings
        from loader.tables_load import check_folder, load_tables
        from loader.tables_problems import TablesError

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

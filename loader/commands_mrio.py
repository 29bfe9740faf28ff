"""loader commands: mrio PATH (load an input-output table) and fetch oecd-icio|wiod (download one)."""
from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from loader.mrio_read import FORMATS


def register(app: typer.Typer) -> None:
    @app.command("mrio")
    def mrio(path: Path = typer.Argument(..., help="a saved pymrio folder, or the OECD/WIOD/EXIOBASE download"),
             fmt: str = typer.Option(..., "--format", help="|".join(FORMATS)),
             year: Optional[int] = typer.Option(None, help="table year (default: from the table's name or folder)"),
             min_coefficient: float = typer.Option(0.0, "--min-coefficient",
                                                   help="drop SUPPLIES edges with max(a, b) below this"),
             source: Optional[str] = typer.Option(None, help="source tag (Dataset key); default from the table"),
             classification: Optional[str] = typer.Option(
                 None, help="Industry classification name; default WIOD35, ICIO<n>, EXIO3 or from the table"),
             quiet: bool = typer.Option(False, "--quiet", help="no progress bar")):
        """Read and validate one MRIO year with pymrio, then write sectors, their yearly accounts and SUPPLIES."""
        from loader.mrio_math import SingularSystemError
        from loader.mrio_read import MrioInputError, read_mrio
        from loader.mrio_write import write_table

        if min_coefficient < 0:
            typer.echo(f"--min-coefficient {min_coefficient}: expected a number >= 0", err=True)
            raise typer.Exit(2)
        try:
            table = read_mrio(path, fmt, year=year, source=source, classification=classification)
            summary = write_table(table, min_coefficient=min_coefficient, progress=not quiet)
        except (MrioInputError, SingularSystemError) as e:
            typer.echo(f"{path}: {e}", err=True)
            raise typer.Exit(1)
        typer.echo(summary.text())

    fetch = typer.Typer(no_args_is_help=True, help="Download a real input-output table (needs internet or a mirror).")
    app.add_typer(fetch, name="fetch")
    mirror_opt = typer.Option(None, "--mirror", help="base URL of a mirror holding the same files "
                                                     "(env GVN_MRIO_MIRROR)")

    @fetch.command("oecd-icio")
    def fetch_oecd_cmd(folder: Path = typer.Argument(..., help="where to store the download"),
                       year: Optional[List[int]] = typer.Option(None, "--year", help="repeatable; default all"),
                       version: str = typer.Option("v2023", help="v2016, v2018, v2021 or v2023"),
                       mirror: Optional[str] = mirror_opt):
        """OECD Inter-Country Input-Output tables (pymrio.download_oecd); load with --format oecd."""
        from loader.mrio_fetch import FetchError, fetch_oecd

        try:
            log = fetch_oecd(folder, year, version=version, mirror=mirror)
        except Exception as e:   # network errors come in many types; say what failed and where
            typer.echo(f"fetch oecd-icio {version} into {folder}: {type(e).__name__}: {e}", err=True)
            raise typer.Exit(1)
        typer.echo(f"{folder}: downloaded ({log.name} {log.version}); "
                   f"load with: python -m loader mrio {folder} --format oecd --year YEAR")

    @fetch.command("wiod")
    def fetch_wiod_cmd(folder: Path = typer.Argument(..., help="where to store the download"),
                       year: Optional[List[int]] = typer.Option(None, "--year", help="repeatable; default 1995-2011"),
                       satellites: bool = typer.Option(False, "--satellites", help="also the satellite accounts"),
                       mirror: Optional[str] = mirror_opt):
        """WIOD 2013 release world input-output tables (pymrio.download_wiod2013); load with --format wiod."""
        from loader.mrio_fetch import fetch_wiod

        try:
            fetch_wiod(folder, year, mirror=mirror, satellites=satellites)
        except Exception as e:
            typer.echo(f"fetch wiod into {folder}: {type(e).__name__}: {e}", err=True)
            raise typer.Exit(1)
        typer.echo(f"{folder}: downloaded; load with: python -m loader mrio {folder} --format wiod --year YEAR")

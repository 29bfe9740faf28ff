"""python -m schema apply|show"""
from __future__ import annotations

import typer

from connection import ConfigError, Settings
from schema.apply import apply as apply_schema, snapshot

app = typer.Typer(add_completion=False, help="Constraints and indexes of the graph.")


@app.command()
def apply():
    """Create every constraint and index that does not exist yet (idempotent)."""
    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)
    added = apply_schema(settings)
    typer.echo(f"schema applied to {settings.describe()}: {added} added, {len(snapshot(settings))} in place")


@app.command()
def show():
    """List constraints and indexes."""
    for row in snapshot():
        typer.echo("  ".join(map(str, row)))


if __name__ == "__main__":
    app()

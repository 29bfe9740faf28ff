"""Command line of the loader; each command is idempotent."""
from __future__ import annotations

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Load countries, regions, industries, firms, people and input-output tables into Neo4j.")


@app.callback()
def main():
    """Every command validates its whole input before writing anything."""

"""Command line of the query modules and saved reports."""
from __future__ import annotations

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Run the query modules and saved Cypher reports (read-only, time-limited).")


@app.callback()
def main():
    """Every query runs in a READ transaction with a time limit and a row cap."""

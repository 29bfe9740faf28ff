"""Command line of the loader; each command is idempotent.

Commands live in one module per concern and register themselves here.
"""
from __future__ import annotations

import typer

from loader import commands_demo, commands_mrio, commands_tables

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Load countries, regions, industries, firms, people and input-output tables into Neo4j.")


@app.callback()
def main():
    """Every command validates its whole input before writing anything."""


for module in (commands_mrio, commands_tables, commands_demo):
    module.register(app)

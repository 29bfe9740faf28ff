"""Command line of the query modules and saved reports (``python -m queries ...``).

  list                                   modules of the library and saved reports
  describe NAME [--version N]            a module's or report's description, parameters and columns
  run NAME [--version N] --param k=v ... --format table|csv|json [--output FILE]
                                         run a module or a saved report (one catalogue, one name space)
  cypher 'QUERY' --param k=v ... --format ...   ad-hoc read-only Cypher
  save NAME --cypher 'QUERY' | --file F --title T --description D --param k=v
                                         save a new version of a report (read-only Cypher only)
  show NAME [--version N]                a saved report's Cypher, parameters and version history

Parameter values of ``run`` are converted to the type each parameter declares
(``queries.catalogue``: a report's types come from its saved defaults; ``$names`` without one
take JSON). For ``cypher`` and the defaults given to ``save``, a value that parses as JSON
(numbers, true/false, null, lists) is that value, anything else a string. Every query runs in a READ transaction with --timeout seconds and
at most --row-cap rows; refused or failing queries exit with status 2 and a message.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Optional

import typer

from queries import catalogue, export
from queries.errors import QueryError

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Run the query modules and saved Cypher reports (read-only, time-limited).")

PARAM_OPT = typer.Option(None, "--param", "-p", help="k=v (repeatable)")
FORMAT_OPT = typer.Option("table", "--format", "-f", help="table | csv | json")
TIMEOUT_OPT = typer.Option(30.0, "--timeout", help="time limit in seconds")
CAP_OPT = typer.Option(10000, "--row-cap", help="largest number of rows returned")
OUT_OPT = typer.Option(None, "--output", "-o", help="write the result to this file instead of stdout")


@app.callback()
def main():
    """Every query runs in a READ transaction with a time limit and a row cap."""


def _parse(pairs: list[str] | None, *, json_values: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for pair in pairs or []:
        if "=" not in pair:
            _fail(f"--param {pair!r}: expected k=v")
        k, v = pair.split("=", 1)
        k = k.strip()
        if json_values:
            try:
                out[k] = json.loads(v)
            except ValueError:
                out[k] = v
        else:
            out[k] = v
    return out


def _fail(message: str) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(2)


def _emit(df, fmt: str, output: Optional[Path]) -> None:
    if fmt not in export.FORMATS:
        _fail(f"--format {fmt!r}: expected one of {list(export.FORMATS)}")
    text = export.render(df, fmt)
    if output:
        output.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        typer.echo(f"{len(df)} rows written to {output}", err=True)
    else:
        typer.echo(text)
    if df.attrs.get("truncated"):
        typer.echo(f"(result cut at the row cap of {df.attrs.get('row_cap')} rows)", err=True)
    from queries.provenance import describe

    for line in describe(df.attrs):   # on stderr, so that csv/json on stdout stay machine-readable
        typer.echo(line, err=True)


def _params_line(entry: catalogue.Entry) -> str:
    return ", ".join(p.name + ("*" if p.required else "") for p in entry.params)


@app.command("list")
def list_cmd():
    """List the library's modules and the saved reports (* = required parameter)."""
    typer.echo("Query modules (python -m queries run NAME --param k=v):")
    for e in catalogue.entries(("module",)):
        typer.echo(f"  {e.name:22} {e.title}  [{_params_line(e)}]")
    from connection import check_connection

    try:
        check_connection()  # fails at once, without retries
        saved = catalogue.entries(("report",))
    except Exception as exc:  # the module list is useful without a database
        typer.echo(f"Saved reports: unavailable ({exc})", err=True)
        return
    typer.echo("Saved reports:" + ("" if saved else " none"))
    for e in saved:
        typer.echo(f"  {e.name:22} {e.title}  [{_params_line(e)}]  (version {e.version}, {len(e.versions)} saved)")


@app.command()
def describe(name: str, version: Optional[int] = typer.Option(None, "--version", help="a saved report's version")):
    """A module's or saved report's description (formula, paper), parameters and output columns."""
    try:
        e = catalogue.get(name, version)
    except QueryError as exc:
        _fail(str(exc))
    kind = "built-in query module" if e.kind == "module" else \
        f"saved report, version {e.version} of {list(e.versions)}, saved {e.saved_at}"
    typer.echo(f"{e.name}: {e.title}  ({kind})\n\n{e.description}\n\nParameters:")
    for p in e.params:
        req = " (required)" if p.required else f" default {p.to_text(p.default) or 'empty'}"
        unit = f" [{p.unit}]" if p.unit else ""
        typer.echo(f"  {p.name} ({p.type}){unit}{req}: {p.help}; allowed: {p.allowed()}")
    if e.columns:
        typer.echo("Columns:")
        for c in e.columns:
            typer.echo(f"  {c.name} [{c.unit}]: {c.description}")
    if e.cypher:
        typer.echo(f"Cypher:\n{e.cypher}")


@app.command()
def run(name: str, param: list[str] = PARAM_OPT, fmt: str = FORMAT_OPT, timeout: float = TIMEOUT_OPT,
        row_cap: int = CAP_OPT, output: Optional[Path] = OUT_OPT,
        version: Optional[int] = typer.Option(None, "--version", help="a saved report's version (default latest)")):
    """Run a module or a saved report and print or export the result."""
    try:
        df = catalogue.run(name, _parse(param, json_values=False), version, timeout_s=timeout, row_cap=row_cap)
    except QueryError as exc:
        _fail(str(exc))
    _emit(df, fmt, output)


@app.command()
def cypher(query: str, param: list[str] = PARAM_OPT, fmt: str = FORMAT_OPT, timeout: float = TIMEOUT_OPT,
           row_cap: int = CAP_OPT, output: Optional[Path] = OUT_OPT):
    """Run ad-hoc Cypher if it is read-only (checked with EXPLAIN, run in READ mode)."""
    from queries.runner import run_cypher

    try:
        df = run_cypher(query, _parse(param, json_values=True), timeout_s=timeout, row_cap=row_cap)
    except QueryError as exc:
        _fail(str(exc))
    _emit(df, fmt, output)


@app.command()
def save(name: str, cypher_text: Optional[str] = typer.Option(None, "--cypher", help="the report's Cypher"),
         file: Optional[Path] = typer.Option(None, "--file", help="read the Cypher from this file"),
         title: str = typer.Option("", "--title"), description: str = typer.Option("", "--description"),
         param: list[str] = PARAM_OPT):
    """Save a new version of a report (refused unless the Cypher is read-only)."""
    from queries.reports import save_report

    if (cypher_text is None) == (file is None):
        _fail("give exactly one of --cypher or --file")
    text = cypher_text if cypher_text is not None else file.read_text(encoding="utf-8")
    try:
        version = save_report(name, title or name, text, _parse(param, json_values=True), description)
    except QueryError as exc:
        _fail(str(exc))
    typer.echo(f"saved report {name!r} version {version}")


@app.command()
def show(name: str, version: Optional[int] = typer.Option(None, "--version")):
    """A saved report's Cypher, parameters and version history."""
    from queries.reports import get_report

    try:
        rep = get_report(name, version)
    except QueryError as exc:
        _fail(str(exc))
    json.dump(rep, sys.stdout, indent=1, ensure_ascii=False, default=str)
    typer.echo("")

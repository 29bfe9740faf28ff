"""python -m neo4j_local start|stop|status|restart"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from neo4j_local.server import LocalNeo4j, LocalNeo4jError
from neo4j_local.settings import LocalSettings

app = typer.Typer(add_completion=False, help="A local Neo4j 5.26 server with APOC and GDS, without Docker.")


def _server(port: Optional[int], data_dir: Optional[Path], heap: Optional[str]) -> LocalNeo4j:
    return LocalNeo4j(LocalSettings.from_env(bolt_port=port, data_dir=data_dir, heap=heap))


PortOpt = typer.Option(None, "--port", help="Bolt port (env NEO4J_LOCAL_PORT, default 7687)")
DirOpt = typer.Option(None, "--data-dir", help="data directory (env NEO4J_LOCAL_DIR, default .neo4j/demo)")
HeapOpt = typer.Option(None, "--heap", help="JVM heap, e.g. 1g (env NEO4J_LOCAL_HEAP)")


@app.command()
def start(port: Optional[int] = PortOpt, data_dir: Optional[Path] = DirOpt, heap: Optional[str] = HeapOpt):
    """Start the server, or reuse it if it already runs; waits until Bolt answers."""
    try:
        _server(port, data_dir, heap).start()
    except LocalNeo4jError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1)


@app.command()
def stop(port: Optional[int] = PortOpt, data_dir: Optional[Path] = DirOpt):
    """Stop the server cleanly."""
    typer.echo("stopped" if _server(port, data_dir, None).stop() else "not running")


@app.command()
def status(port: Optional[int] = PortOpt, data_dir: Optional[Path] = DirOpt):
    """Exit 0 if the server runs and Bolt answers."""
    srv = _server(port, data_dir, None)
    if srv.running():
        typer.echo(f"running on {srv.s.uri} (pid {srv.pid()})")
    else:
        typer.echo("not running")
        raise typer.Exit(3)


if __name__ == "__main__":
    sys.exit(app())

"""loader commands: demo (a deterministic synthetic firm layer on real reference data)."""
from __future__ import annotations

from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    @app.command("demo")
    def demo(firms: int = typer.Option(3000, "--firms", min=10, help="number of firms"),
             seed: int = typer.Option(7, "--seed", help="seed of the numpy Generator"),
             out: Path = typer.Option(None, "--out", help="also keep the generated table files in this folder"),
             quiet: bool = typer.Option(False, "--quiet", help="no progress bars")):
        """Load reference data, pymrio's test system (as KOR, CHN, JPN, USA, DEU, VNM) and N synthetic firms."""
        from loader.demo_load import load_demo

        from queries.examples import save_examples

        result = load_demo(firms, seed, out=out, progress=not quiet)
        typer.echo(result["tables"].render())
        saved = save_examples()
        typer.echo(f"example reports saved: {', '.join(f'{n} (v{v})' for n, v in saved.items())}")
        t = result["timings"]
        typer.echo(f"seconds: reference {t['reference']:.1f}, mrio {t['mrio']:.1f}, generate {t['generate']:.1f}, "
                   f"validate+write tables {t['tables']:.1f}; total {sum(t.values()):.1f}")

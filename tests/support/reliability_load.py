"""A loader run in its own process, so a test can kill it (or the server under it) mid-load.

``python -m tests.support.reliability_load wiod FOLDER YEAR MIN_COEFFICIENT [COMMIT]`` reads and writes
one MRIO year exactly as ``loader mrio`` does; ``python -m tests.support.reliability_load tables FOLDER SOURCE
[COMMIT]`` loads a table folder (COMMIT: auto, atomic or batched; default auto). NEO4J_URI / NEO4J_PASSWORD
choose the server. Prints 'done' at the end. ``python -m tests.support.reliability_load hold KEY...`` takes
the load locks KEY... and holds them until the process is killed (it prints 'holding' once it has them).
"""
from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    from connection import Settings

    settings = Settings.from_env()
    kind = argv[0]
    if kind == "wiod":
        from loader.mrio.read import read_mrio
        from loader.mrio.load import write_table

        table = read_mrio(argv[1], "parquet", year=int(argv[2]))
        summary = write_table(table, min_coefficient=float(argv[3]), settings=settings, progress=False,
                              commit=argv[4] if len(argv) > 4 else "auto")
        print(summary.render(), flush=True)
    elif kind == "tables":
        from loader.tables.load import load_tables

        print(load_tables(argv[1], source=argv[2], settings=settings, progress=False,
                          commit=argv[3] if len(argv) > 3 else "auto").render(), flush=True)
    elif kind == "hold":
        # hold the load locks KEY... (as a batched load's lock holder does) until killed
        import time

        from loader.graph.locks import LockHolder

        with LockHolder(settings, argv[1:]):
            print("holding", flush=True)
            while True:
                time.sleep(60)
    else:
        raise SystemExit(f"unknown kind {kind!r}; expected wiod, tables or hold")
    print("done", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Tables and downloads that say what their numbers are: units per column, dataset, year, module.

Pure. ``headers`` gives the on-screen column titles ("output (thousand USD)"; the data keeps its
column names), ``caption`` the line under a table, and ``to_csv`` / ``to_json`` the downloads:

- CSV: four ``#`` comment lines before the header (``# dataset: ...``, ``# years: ...``,
  ``# units: column = unit; ...``, ``# module: ...``), then the table as ``queries.export.to_csv``
  writes it. ``pandas.read_csv(path, skiprows=4)`` reads it back (``comment="#"`` would also cut
  a value that holds a #).
- JSON: ``{"source": {...the same facts...}, "rows": [...]}``.
"""
from __future__ import annotations

import json
from typing import Any, Sequence

import pandas as pd

from explorer.transform.charts import Source, is_quantity
from queries import export


def units(columns: Sequence[str], source: Source) -> dict[str, str]:
    """The unit of each column that is a quantity (counts, money, shares, indices)."""
    return {c: source.unit(c) for c in columns if source.unit(c) and is_quantity(source.unit(c))}


def headers(columns: Sequence[str], source: Source) -> dict[str, str]:
    """On-screen title of each column: its name, with the unit in parentheses where it has one."""
    found = units(columns, source)
    return {c: f"{c} ({found[c]})" if c in found else c for c in columns}


def facts(columns: Sequence[str], source: Source) -> dict[str, Any]:
    """What a download says about itself: datasets (key, name, synthetic, years), years, units, module."""
    return {"datasets": [{"key": d.key, "name": d.name, "synthetic": d.synthetic, "years": list(d.years)}
                         for d in source.datasets],
            "years": list(source.years), "units": units(columns, source), "module": source.module,
            "source": source.line()}


def caption(columns: Sequence[str], source: Source) -> str:
    found = units(columns, source)
    unit_text = "; ".join(f"{c}: {u}" for c, u in found.items()) or "none (counts, codes and names only)"
    return f"{source.line()}. Units: {unit_text}."


CSV_COMMENT_LINES = 4


def _comment(text: str) -> str:
    return "# " + " ".join(str(text).split())  # one line whatever the text holds


def to_csv(df: pd.DataFrame, source: Source) -> str:
    f = facts(list(df.columns), source)
    lines = [_comment("dataset: " + ("; ".join(d.text(short=False) for d in source.datasets) or "not recorded")),
             _comment("years: " + (", ".join(str(y) for y in f["years"]) or "not recorded")),
             _comment("units: " + ("; ".join(f"{c} = {u}" for c, u in f["units"].items()) or "none")),
             _comment("module: " + (f["module"] or "-"))]
    return "\n".join(lines) + "\n" + export.to_csv(df)


def to_json(df: pd.DataFrame, source: Source) -> str:
    return json.dumps({"source": facts(list(df.columns), source), "rows": export.records(df)},
                      ensure_ascii=False, indent=1, default=str)

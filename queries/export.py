"""Export a result DataFrame as CSV or JSON (lists, e.g. path keys, stay lists in JSON and
become JSON arrays inside CSV cells), or as a plain text table."""
from __future__ import annotations

import json
import math
from typing import Any

import pandas as pd

FORMATS = ("table", "csv", "json")


def _plain(v: Any) -> Any:
    if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
        return None
    if hasattr(v, "isoformat"):
        return v.isoformat()
    if hasattr(v, "item") and not isinstance(v, (list, dict, str)):
        try:
            return v.item()
        except (ValueError, AttributeError):
            return v
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    return v


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [{k: _plain(v) for k, v in row.items()} for row in df.to_dict(orient="records")]


def to_json(df: pd.DataFrame) -> str:
    return json.dumps(records(df), ensure_ascii=False, indent=1, default=str)


def to_csv(df: pd.DataFrame) -> str:
    out = df.copy()
    for col in out.columns:
        if out[col].map(lambda v: isinstance(v, (list, dict, tuple))).any():
            out[col] = out[col].map(lambda v: json.dumps(_plain(v), ensure_ascii=False)
                                    if isinstance(v, (list, dict, tuple)) else v)
    return out.to_csv(index=False)


def to_table(df: pd.DataFrame, max_rows: int = 200) -> str:
    if df.empty:
        return "(no rows)"
    with pd.option_context("display.max_rows", max_rows, "display.max_columns", 50, "display.width", 200,
                           "display.max_colwidth", 80):
        return df.to_string(index=False, max_rows=max_rows)


def render(df: pd.DataFrame, fmt: str) -> str:
    if fmt == "csv":
        return to_csv(df)
    if fmt == "json":
        return to_json(df)
    if fmt == "table":
        return to_table(df)
    raise ValueError(f"format {fmt!r} not in {FORMATS}")

"""Page state in the URL: values of ``queries.model.Param``s written as text and read back.

Pure. A page names the URL key of each Param it keeps in the URL (``fields``: URL key ->
Param; the Reports page prefixes report parameters with ``p_``). Reading goes through
``Param.coerce``, so a bad value gets the parameter's own message saying what is allowed;
writing uses ``Param.to_text``, its inverse, so ``read(fields, write(fields, v)) == v``.
"""
from __future__ import annotations

import re
from typing import Any, Mapping

from queries.errors import ParameterError
from queries.model import Param

REPORT_PREFIX = "p_"  # URL key prefix of report parameters: ?p_year=2020


def report_fields(params: tuple[Param, ...] | list[Param]) -> dict[str, Param]:
    return {REPORT_PREFIX + p.name: p for p in params}


def problem(key: str, exc: ParameterError) -> str:
    """One line naming the URL parameter and what it allows."""
    detail = re.sub(r"^parameter '[^']*'(: )?", "", str(exc))
    return f"URL parameter {key}: {detail}" if detail.startswith("'") else f"URL parameter {key} {detail}"


def read(fields: Mapping[str, Param], query: Mapping[str, str]) -> tuple[dict[str, Any], list[str]]:
    """Values (by URL key) of the fields present in ``query``, and one message per value refused."""
    values: dict[str, Any] = {}
    problems: list[str] = []
    for key, p in fields.items():
        if key in query:
            try:
                values[key] = p.coerce(query[key])
            except ParameterError as exc:
                problems.append(problem(key, exc))
    return values, problems


def write(fields: Mapping[str, Param], values: Mapping[str, Any]) -> dict[str, str]:
    """URL text of every field with a value (None, "not given", is left out)."""
    return {key: p.to_text(values[key]) for key, p in fields.items() if values.get(key) is not None}
